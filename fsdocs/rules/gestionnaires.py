"""Art. 1 of the convention: its signatories are the representatives of the gestionnaires, one
per legal entity.

A legal entity written twice in signatories/gestionnaires.yaml (one SIREN, or one name however
it is typed: :func:`fsdocs.project.entities.entity_key`) would sign twice, in two blocks, for
what is one party. Two SIRENs that differ are two entities, whatever their names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fsdocs.project.entities import entity_key
from fsdocs.project.model import Gestionnaire
from fsdocs.project.paths import GESTIONNAIRES
from fsdocs.project.yaml_nodes import format_loc
from fsdocs.rules.finding import Finding

if TYPE_CHECKING:
    from fsdocs.project.project import Project


def same_entity(first: Gestionnaire, other: Gestionnaire) -> str | None:
    """Why two gestionnaires are one legal entity (« même SIREN 356000000 »), or None."""
    if first.siren is not None and other.siren is not None:
        return f"même SIREN {first.siren}" if str(first.siren) == str(other.siren) else None
    key = entity_key(first.organisation)
    if key and key == entity_key(other.organisation):
        return f"même nom « {other.organisation} »"
    return None


def personnes_morales(project: Project) -> Iterator[Finding]:
    """Each gestionnaire that repeats an earlier one, on its own line, naming both."""
    entries = project.gestionnaires
    for i, other in enumerate(entries):
        found = next(
            ((j, why) for j in range(i) if (why := same_entity(entries[j], other)) is not None),
            None,
        )
        if found is None:
            continue
        j, why = found
        first = entries[j]
        first_line = project.line_of(GESTIONNAIRES, ("gestionnaires", j, "id"))
        files = [s.fichier for s in project.structures_of(other.id)]
        theirs = f" ({', '.join(files)})" if files else ""
        yield Finding(
            GESTIONNAIRES,
            project.line_of(GESTIONNAIRES, ("gestionnaires", i, "id")),
            format_loc(("gestionnaires", i)),
            f"« {other.id} » et « {first.id} » ({GESTIONNAIRES}, ligne {first_line}) sont une "
            f"même personne morale ({why}) : elle signe une seule fois la convention. Gardez "
            f"« {first.id} », écrivez « gestionnaire: {first.id} » dans les structures de "
            f"« {other.id} »{theirs}, puis retirez « {other.id} » de {GESTIONNAIRES} (ou, si ce "
            "sont deux personnes morales, donnez à chacune son « siren: »)",
        )
