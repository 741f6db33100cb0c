"""References between a project's files: ids declared once, and every reference resolved.

A structure names its gestionnaire, a signatory its national partner, an offer its partner and
structure, a referent list its partner: each reference that leads nowhere is an error located
where it is written, with the closest existing id as a suggestion.
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from fsdocs.errors import Problem, Severity
from fsdocs.french import long_date
from fsdocs.project.departements import departements
from fsdocs.project.load import Source
from fsdocs.project.model import ConventionFile, GestionnairesFile, PartenairesFile
from fsdocs.project.partenaires import (
    PartenaireNational,
    catalogue,
    partenaires_au,
    reference_day,
)
from fsdocs.project.paths import (
    CONVENTION,
    GESTIONNAIRES,
    PARTENAIRES,
    PARTENAIRES_LOCAUX,
    REFERENTS,
    STRUCTURES,
)
from fsdocs.project.yaml_nodes import Loc, format_loc

if TYPE_CHECKING:
    from fsdocs.project.annexes_model import OffresFile
    from fsdocs.project.project import Loaded, Structure


def unknown_departement(code: str, source: Source) -> Problem:
    close = difflib.get_close_matches(code, list(departements()), n=1)
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    return Problem(
        source.name,
        source.line_of(("departement",)),
        "departement",
        f"code de département « {code} » inconnu (attendu : un code INSEE, ex. « 41 », « 2A », "
        f"« 974 »){hint}",
    )


def cross_checks(
    loaded: dict[str, tuple[Any, Source]],
    structures: list[Structure],
    structure_sources: dict[str, Source],
    every_structure: bool,
) -> list[Problem]:
    """Ids and references between files, among the files that loaded."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int | None]] = {}
    for name, key in ((GESTIONNAIRES, "gestionnaires"), (PARTENAIRES, "partenaires")):
        if name not in loaded:
            continue
        value, source = loaded[name]
        for i, item in enumerate(getattr(value, key)):
            loc: Loc = (key, i, "id")
            if item.id in seen:
                first, line = seen[item.id]
                problems.append(
                    Problem(
                        source.name,
                        source.line_of(loc),
                        format_loc(loc),
                        f"identifiant « {item.id} » déjà utilisé ({first}, ligne {line}) : "
                        "chaque signataire a le sien ; renommez l’un des deux",
                    )
                )
            seen.setdefault(item.id, (source.name, source.line_of(loc)))

    if GESTIONNAIRES in loaded:
        gestionnaires, gest_src = loaded[GESTIONNAIRES]
        problems += _gestionnaire_refs(
            gestionnaires, gest_src, structures, structure_sources, every_structure
        )
    if PARTENAIRES in loaded:
        partenaires, part_src = loaded[PARTENAIRES]
        convention = loaded[CONVENTION][0] if CONVENTION in loaded else None
        problems += _partner_refs(partenaires, part_src, convention)
    return problems


def _gestionnaire_refs(
    gestionnaires: GestionnairesFile,
    gest_src: Source,
    structures: list[Structure],
    structure_sources: dict[str, Source],
    every_structure: bool,
) -> list[Problem]:
    problems: list[Problem] = []
    known = [g.id for g in gestionnaires.gestionnaires]
    for structure in structures:
        wanted = structure.data.gestionnaire
        if wanted not in known:
            close = difflib.get_close_matches(wanted, known, n=1)
            hint = (
                f"vouliez-vous dire « {close[0]} » ?"
                if close
                else f"identifiants déclarés : {', '.join(known)}"
            )
            source = structure_sources[structure.fichier]
            problems.append(
                Problem(
                    structure.fichier,
                    source.line_of(("gestionnaire",)),
                    "gestionnaire",
                    f"gestionnaire « {wanted} » inconnu : aucun gestionnaire de {GESTIONNAIRES} "
                    f"n’a cet identifiant ; {hint}",
                )
            )
    if not every_structure:
        return problems  # an unreadable structure may be the one that names a gestionnaire
    managed = {s.data.gestionnaire for s in structures}
    for i, gestionnaire in enumerate(gestionnaires.gestionnaires):
        if gestionnaire.id not in managed:
            loc: Loc = ("gestionnaires", i, "id")
            problems.append(
                Problem(
                    gest_src.name,
                    gest_src.line_of(loc),
                    format_loc(loc),
                    f"aucune structure de {STRUCTURES}/ n’a « gestionnaire: {gestionnaire.id} »",
                    Severity.WARNING,
                )
            )
    return problems


def _partner_refs(
    partenaires: PartenairesFile, part_src: Source, convention: ConventionFile | None
) -> list[Problem]:
    problems: list[Problem] = []
    national = catalogue()
    day = reference_day(convention) if convention is not None else None
    expected = partenaires_au(convention.departement, day) if convention and day else []
    signing: set[str] = set()
    for i, partenaire in enumerate(partenaires.partenaires):
        if partenaire.partenaire is None:
            continue
        loc: Loc = ("partenaires", i, "partenaire")
        found = national.get(partenaire.partenaire)
        if found is None:
            close = difflib.get_close_matches(partenaire.partenaire, sorted(national), n=1)
            hint = (
                f"vouliez-vous dire « {close[0]} » ?"
                if close
                else f"identifiants connus : {', '.join(national)} (aucun pour un partenaire local)"
            )
            problems.append(
                Problem(
                    part_src.name,
                    part_src.line_of(loc),
                    format_loc(loc),
                    f"partenaire national « {partenaire.partenaire} » inconnu du catalogue de "
                    f"fsdocs : {hint}",
                )
            )
            continue
        signing.add(found.id)
        if day is None:
            continue
        if found not in expected:
            problems.append(_not_here(found, expected, day, part_src, i))
            continue
        for old in found.anciens_noms(day):
            texts = [partenaire.organisation or "", partenaire.representant.fonction or ""]
            if any(old.nom in text for text in texts):
                current = found.au(day)
                problems.append(
                    Problem(
                        part_src.name,
                        part_src.line_of(("partenaires", i)),
                        format_loc(("partenaires", i)),
                        f"« {old.nom} » s’appelle « {current.nom} » depuis le "
                        f"{_day_after(old.jusqu_au)} : mettez le nom à jour",
                        Severity.WARNING,
                    )
                )
    for partner in expected:
        if day is not None and partner.signe and partner.id not in signing:
            problems.append(
                Problem(
                    part_src.name,
                    None,
                    "partenaires",
                    f"le partenaire national « {partner.au(day).nom} » n’a pas de signataire "
                    f"(ajoutez une entrée avec « partenaire: {partner.id} »)",
                    Severity.WARNING,
                )
            )
    return problems


def _not_here(
    found: PartenaireNational,
    expected: list[PartenaireNational],
    day: date,
    part_src: Source,
    i: int,
) -> Problem:
    """A signatory for a partner that is not one on the signing date in this département: the
    documents leave it out, so the préfecture hears why."""
    loc: Loc = ("partenaires", i, "partenaire")
    holder = next((p for p in expected if found.id in p.remplace), None)
    why = (
        f"dans ce département, « {holder.au(day).nom} » tient son rôle "
        f"(« partenaire: {holder.id} »)"
        if holder is not None
        else f"il n’est pas partenaire national dans ce département au {long_date(day)}"
    )
    return Problem(
        part_src.name,
        part_src.line_of(loc),
        format_loc(loc),
        f"« {found.au(day).nom} » ne figure pas dans la convention : {why}",
        Severity.WARNING,
    )


def _day_after(day: date | None) -> str:
    return long_date(day + timedelta(days=1)) if day else "?"


def annex_references(
    loaded: dict[str, tuple[Any, Source]],
    structures: list[Structure],
    offres: list[Loaded[OffresFile]],
) -> list[Problem]:
    """Offers name a partner (their file) and structures; referents name partners."""
    partners = _partner_ids(loaded)
    known_structures = sorted(s.id for s in structures)
    problems: list[Problem] = []
    local_ids: set[str] = set()
    signatories = (
        {p.id for p in loaded[PARTENAIRES][0].partenaires} if PARTENAIRES in loaded else set()
    )
    if PARTENAIRES_LOCAUX in loaded:
        locaux, source = loaded[PARTENAIRES_LOCAUX]
        for i, local in enumerate(locaux.partenaires_locaux):
            if local.id in signatories or local.id in local_ids:
                loc: Loc = ("partenaires_locaux", i, "id")
                problems.append(
                    Problem(
                        source.name,
                        source.line_of(loc),
                        format_loc(loc),
                        f"identifiant « {local.id} » déjà utilisé par un autre partenaire",
                    )
                )
            local_ids.add(local.id)
    for offre in offres:
        if offre.id not in partners:
            problems.append(
                Problem(
                    offre.fichier,
                    None,
                    "",
                    f"partenaire « {offre.id} » inconnu : le nom du fichier doit être "
                    f"l’identifiant d’un partenaire de {PARTENAIRES} ou de {PARTENAIRES_LOCAUX}"
                    + _hint(offre.id, sorted(partners)),
                )
            )
        for structure_id in offre.data.offres:
            if structure_id not in known_structures:
                loc = ("offres", structure_id)
                problems.append(
                    Problem(
                        offre.fichier,
                        offre.source.line_of(loc),
                        format_loc(loc),
                        f"structure « {structure_id} » inconnue : aucun fichier "
                        f"{STRUCTURES}/{structure_id}.yaml" + _hint(structure_id, known_structures),
                    )
                )
    if REFERENTS in loaded:
        referents, source = loaded[REFERENTS]
        for partner_id in referents.referents:
            if partner_id not in partners:
                loc = ("referents", partner_id)
                problems.append(
                    Problem(
                        source.name,
                        source.line_of(loc),
                        format_loc(loc),
                        f"partenaire « {partner_id} » inconnu"
                        + _hint(partner_id, sorted(partners)),
                    )
                )
    return problems


def _partner_ids(loaded: dict[str, tuple[Any, Source]]) -> set[str]:
    ids: set[str] = set()
    if PARTENAIRES in loaded:
        ids |= {p.id for p in loaded[PARTENAIRES][0].partenaires}
    if PARTENAIRES_LOCAUX in loaded:
        ids |= {p.id for p in loaded[PARTENAIRES_LOCAUX][0].partenaires_locaux}
    return ids


def _hint(wanted: str, known: list[str]) -> str:
    close = difflib.get_close_matches(wanted, known, n=1)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
