"""Art. 4.3 of the convention: each structure's premises and equipment.

A flag written ``false`` is a finding; a flag left ``~`` is already « à compléter ».
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from fsdocs.project.defaults import DEFAULTS
from fsdocs.project.paths import CONVENTION
from fsdocs.project.yaml_nodes import format_loc
from fsdocs.rules.finding import Finding, in_structure, structure_name

if TYPE_CHECKING:
    from fsdocs.project.project import Project, Structure

# The national charter made videoconference equipment mandatory in every France services by
# 31 December 2022; the 2020 convention (art. 4.3) did not list it yet.
VISIO_DEPUIS = date(2022, 12, 31)


# Field of ``equipements`` → what a structure without it lacks.
EQUIPEMENT_MINIMAL = {
    "internet": "pas d’accès à internet",
    "ordinateur": "pas d’ordinateur",
    "imprimante_scanner": "pas d’imprimante/scanner",
    "photocopieur": "pas de photocopieur",
    "telephone": "pas de téléphone",
}


def equipement(project: Project) -> Iterator[Finding]:
    for field, missing in EQUIPEMENT_MINIMAL.items():
        yield from _when_false(
            project,
            ("equipements", field),
            f"{missing} ({{}}) : l’équipement minimal de toute France services comprend un accès "
            "à internet, un ordinateur, une imprimante/scanner, un photocopieur et un téléphone",
        )


def visioconference(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("equipements", "visioconference"),
        "pas d’équipement de visioconférence ({}) : il est obligatoire dans toute France "
        "services depuis le 31 décembre 2022",
        lambda structure: visio_obligatoire(project, structure),
    )


def visio_obligatoire(project: Project, structure: Structure) -> bool:
    """Whether the convention, as it binds this structure, requires videoconference.

    A structure is bound from the later of two dates: the convention's signature (its
    labelling reference while the date is still to fill) and its own labelling, when it joins
    a convention already signed. The structure's labelling date alone would be wrong: the
    2022 deadline binds the structures labelled in 2020 too, once they sign a new convention.
    The convention's date alone would be wrong for a structure labelled in 2023 that joins a
    2020 convention. Today's date is never used: the same data must give the same findings.
    """
    convention = project.convention
    day = convention.signature.date or convention.labellisation
    if structure.data.labellisation is not None:
        day = max(day, structure.data.labellisation)
    return day >= VISIO_DEPUIS


def espace_confidentiel(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("espace_confidentiel",),
        "pas d’espace confidentiel ({}) : toute France services doit en comporter un",
    )


def accessibilite(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("accessibilite_pmr",),
        "locaux non accessibles aux personnes à mobilité réduite ({}) : ils doivent l’être",
    )


def _when_false(
    project: Project,
    loc: tuple[str, ...],
    message: str,
    applies: Callable[[Structure], bool] = lambda structure: True,
) -> Iterator[Finding]:
    """Structures whose flag at ``loc`` is written ``false`` (``~`` is « à compléter »); those
    that inherit it from convention.yaml's defaults, once, where the default is written."""
    inheriting = 0
    for structure in project.structures:
        if not applies(structure):
            continue
        value: Any = structure.data
        for key in loc:
            value = getattr(value, key)
        if value is False and structure.where(loc)[0] == CONVENTION:
            inheriting += 1
        elif value is False:
            yield in_structure(project, structure, loc, message.format(structure_name(structure)))
    if inheriting:
        default = (*DEFAULTS, *loc)
        who = f"valeur par défaut de {inheriting} structure{'s' if inheriting > 1 else ''}"
        yield Finding(
            CONVENTION,
            project.line_of(CONVENTION, default),
            format_loc(default),
            message.format(who),
        )
