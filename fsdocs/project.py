"""Load a whole project: every YAML file, validated, cross-checked, as one typed object.

Every problem of every file is collected before anything stops, so a person fixes them all in
one pass. Errors stop the build; warnings (facts still to fill in, partners without a
signatory…) are carried on the project for ``fsdocs check`` and the build summary.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .departements import Departement, departement, departements
from .errors import Problem, ProjectError, ProjectNotFoundError, Severity
from .french import long_date
from .loader import Loc, Source, format_loc, load_yaml
from .model import (
    ConventionFile,
    Gestionnaire,
    GestionnairesFile,
    PartenairesFile,
    PartenaireSignataire,
    Personne,
    Prefet,
    PrefetFile,
    StructureFile,
    TemoinsFile,
    ToFill,
    _identifier,
)
from .partenaires import PartenaireNational, catalogue
from .validate import required_keys, validate

CONVENTION = "convention.yaml"
PREFET = "signatories/prefet.yaml"
GESTIONNAIRES = "signatories/gestionnaires.yaml"
PARTENAIRES = "signatories/partenaires.yaml"
TEMOINS = "signatories/temoins.yaml"
STRUCTURES = "annexes/structures"

FILES: dict[str, type[BaseModel]] = {
    CONVENTION: ConventionFile,
    PREFET: PrefetFile,
    GESTIONNAIRES: GestionnairesFile,
    PARTENAIRES: PartenairesFile,
    TEMOINS: TemoinsFile,
}
OPTIONAL = {TEMOINS}
MAX_STRUCTURES = 200


@dataclass(frozen=True)
class Structure:
    id: str  # the file name, without .yaml
    fichier: str
    data: StructureFile


@dataclass(frozen=True)
class Project:
    root: Path
    convention: ConventionFile
    departement: Departement
    prefet: Prefet
    gestionnaires: tuple[Gestionnaire, ...]
    partenaires: tuple[PartenaireSignataire, ...]
    temoins: tuple[Personne, ...]
    structures: tuple[Structure, ...]
    warnings: tuple[Problem, ...]

    def structures_of(self, gestionnaire_id: str) -> list[Structure]:
        return [s for s in self.structures if s.data.gestionnaire == gestionnaire_id]

    def partenaires_nationaux(self) -> list[PartenaireNational]:
        """The national partners in force at the labelling date, in catalogue order."""
        return list(catalogue().values())


def find_root(start: Path) -> Path:
    """The project directory: ``start`` itself, which must hold ``convention.yaml``."""
    start = start.resolve()
    if not (start / CONVENTION).is_file():
        raise ProjectNotFoundError(
            f"aucun projet fsdocs dans « {start} » : le fichier {CONVENTION} est absent. "
            "Placez-vous dans le dossier du projet, ou créez-en un avec « fsdocs init »."
        )
    return start


def load_project(root: Path) -> Project:
    """Load and check the project at ``root``; raise ProjectError listing every error."""
    root = find_root(root)
    # Files that loaded and validated; checks across files run on whatever is here, so one
    # broken file does not hide the other files' problems.
    loaded: dict[str, tuple[Any, Source]] = {}
    problems: list[Problem] = []
    for name, model in FILES.items():
        path = root / name
        if not path.is_file():
            if name not in OPTIONAL:
                problems.append(
                    Problem(
                        name,
                        None,
                        "",
                        f"fichier obligatoire absent : créez-le avec {required_keys(model)} "
                        "(« fsdocs init » montre un projet complet)",
                    )
                )
            continue
        value, found = _load(path, name, model)
        problems += found
        if value is not None:
            loaded[name] = value
    structures: list[Structure] = []
    structure_sources: dict[str, Source] = {}
    every_structure = True  # False when a structure file could not be read
    folder = root / STRUCTURES
    for path in sorted(folder.glob("*.yml")):
        every_structure = False
        problems.append(
            Problem(
                f"{STRUCTURES}/{path.name}",
                None,
                "",
                f"extension « .yml » ignorée : renommez le fichier « {path.stem}.yaml »",
            )
        )
    for path in sorted(folder.glob("*.yaml"))[: MAX_STRUCTURES + 1]:
        name = f"{STRUCTURES}/{path.name}"
        if len(structures) >= MAX_STRUCTURES:
            problems.append(
                Problem(name, None, "", f"plus de {MAX_STRUCTURES} structures : limite atteinte")
            )
            break
        try:
            ident = _identifier(path.stem)
        except ValueError:
            every_structure = False
            problems.append(Problem(name, None, "", _bad_file_name(path.name)))
            continue
        value, found = _load(path, name, StructureFile)
        problems += found
        if value is not None:
            structures.append(Structure(ident, name, value[0]))
            structure_sources[name] = value[1]
            problems += _placeholders(value[0], value[1], ())
        else:
            every_structure = False

    dep: Departement | None = None
    if CONVENTION in loaded:
        convention, conv_src = loaded[CONVENTION]
        dep = departement(convention.departement, convention.forme_departement)
        if dep is None:
            problems.append(_unknown_departement(convention.departement, conv_src))
    problems += _cross_checks(loaded, structures, structure_sources, every_structure)
    for value, source in loaded.values():
        problems += _placeholders(value, source, ())
    if dep is None or any(p.severity is Severity.ERROR for p in problems):
        raise ProjectError(problems)
    temoins = loaded[TEMOINS][0].temoins if TEMOINS in loaded else []
    return Project(
        root=root,
        convention=loaded[CONVENTION][0],
        departement=dep,
        prefet=loaded[PREFET][0].prefet,
        gestionnaires=tuple(loaded[GESTIONNAIRES][0].gestionnaires),
        partenaires=tuple(loaded[PARTENAIRES][0].partenaires),
        temoins=tuple(temoins),
        structures=tuple(structures),
        warnings=tuple(sorted(problems, key=lambda p: (p.file, p.line or 0))),
    )


def _bad_file_name(file_name: str) -> str:
    stem = file_name.removesuffix(".yaml")
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")[:64].strip("-")
    try:
        hint = f" ; renommez-le « {_identifier(slug)}.yaml »"
    except ValueError:
        hint = ""
    return (
        f"nom de fichier « {file_name} » invalide : il sert d’identifiant à la structure et "
        f"ne doit contenir que des minuscules sans accent, des chiffres et des tirets{hint}"
    )


def _load(path: Path, name: str, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    source, problems = load_yaml(path, name)
    if source is None:
        return None, problems
    value, found = validate(model, source)
    if problems or value is None:
        return None, problems + found
    return (value, source), []


def _unknown_departement(code: str, source: Source) -> Problem:
    close = difflib.get_close_matches(code, list(departements()), n=1)
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    return Problem(
        source.name,
        source.line_of(("departement",)),
        "departement",
        f"code de département « {code} » inconnu (attendu : un code INSEE, ex. « 41 », « 2A », "
        f"« 974 »){hint}",
    )


def _cross_checks(
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
        day = loaded[CONVENTION][0].labellisation if CONVENTION in loaded else None
        problems += _partner_refs(partenaires, part_src, day)
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
    partenaires: PartenairesFile, part_src: Source, day: date | None
) -> list[Problem]:
    problems: list[Problem] = []
    national = catalogue()
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
    for partner in national.values():
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


def _day_after(day: date | None) -> str:
    return long_date(day + timedelta(days=1)) if day else "?"


def _placeholders(value: Any, source: Source, loc: Loc) -> Iterator[Problem]:
    """A warning for each field left empty (``~``) to be filled in later."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            child = getattr(value, name)
            here = (*loc, name)
            if child is None and any(isinstance(m, ToFill) for m in field.metadata):
                yield Problem(
                    source.name,
                    source.line_of(here),
                    format_loc(here),
                    "à compléter (s’imprime « [à compléter] »)",
                    Severity.WARNING,
                )
            else:
                yield from _placeholders(child, source, here)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _placeholders(item, source, (*loc, i))
