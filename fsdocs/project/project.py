"""Load a whole project: every YAML file, validated, cross-checked, as one typed object.

Every problem of every file is collected before anything stops, so a person fixes them all in
one pass. Errors stop the build; warnings (facts still to fill in, partners without a
signatory…) are carried on the project for ``fsdocs controler`` and the build summary.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from fsdocs.errors import Problem, ProjectError, ProjectNotFoundError, Severity
from fsdocs.files.read import Files, ProjectFiles
from fsdocs.project.annexes_model import (
    MandatFile,
    OffresFile,
    PartenaireLocal,
    PartenairesLocauxFile,
    ReferentsFile,
    StructureFile,
)
from fsdocs.project.attachments import national_annexes
from fsdocs.project.defaults import inherit, where
from fsdocs.project.departements import Departement, departement
from fsdocs.project.fields import _RESERVED_IDS, ToFill, _identifier
from fsdocs.project.load import Source, load_yaml
from fsdocs.project.model import (
    ConventionFile,
    Gestionnaire,
    GestionnairesFile,
    PartenairesFile,
    PartenaireSignataire,
    Personne,
    Prefet,
    PrefetFile,
    TemoinsFile,
)
from fsdocs.project.partenaires import PartenaireNational, partenaires_au, reference_day
from fsdocs.project.paths import (
    CONVENTION,
    GESTIONNAIRES,
    MANDAT,
    OFFRES,
    PARTENAIRES,
    PARTENAIRES_LOCAUX,
    PREFET,
    REFERENTS,
    STRUCTURES,
    TEMOINS,
)
from fsdocs.project.references import annex_references, cross_checks, unknown_departement
from fsdocs.project.validate import required_keys, validate
from fsdocs.project.yaml_nodes import Loc, format_loc

FILES: dict[str, type[BaseModel]] = {
    CONVENTION: ConventionFile,
    PREFET: PrefetFile,
    GESTIONNAIRES: GestionnairesFile,
    PARTENAIRES: PartenairesFile,
    TEMOINS: TemoinsFile,
    REFERENTS: ReferentsFile,
    PARTENAIRES_LOCAUX: PartenairesLocauxFile,
    MANDAT: MandatFile,
}
OPTIONAL = {TEMOINS, REFERENTS, PARTENAIRES_LOCAUX, MANDAT}
TO_FILL_MESSAGE = "à compléter (s’imprime « [à compléter] »)"
MAX_STRUCTURES = 200


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A file of a folder of same-kind files (one per structure, one per partner)."""

    id: str  # the file name, without .yaml
    fichier: str
    data: M
    source: Source


@dataclass(frozen=True)
class Structure:
    id: str  # the file name, without .yaml
    fichier: str
    data: StructureFile  # with what it inherits from convention.yaml's defaults
    herite: frozenset[Loc] = frozenset()  # the key paths it inherits

    def where(self, loc: Loc) -> tuple[str, Loc]:
        """The file and key path where the fact at ``loc`` is written, or would be."""
        return where(self.fichier, self.herite, loc)


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
    offres: dict[str, OffresFile]  # by partner id (signatory or local partner)
    referents: ReferentsFile
    partenaires_locaux: tuple[PartenaireLocal, ...]
    mandat: MandatFile
    warnings: tuple[Problem, ...]
    # Each file as loaded, by its name in ``warnings``: where the rules find their lines.
    sources: Mapping[str, Source] = field(default_factory=dict)
    # The national annexes' PDFs as read, by their normalised names (annexes 1 to 3).
    documents: Mapping[str, bytes] = field(default_factory=dict)

    def data_files(self) -> dict[str, bytes]:
        """Every file the project was made of, as read once at loading: its YAML (those of
        the model only) and its national PDFs, by name relative to the project."""
        return {name: source.raw for name, source in self.sources.items()} | dict(self.documents)

    def line_of(self, fichier: str, loc: Loc) -> int | None:
        source = self.sources.get(fichier)
        return source.line_of(loc) if source is not None else None

    def structures_of(self, gestionnaire_id: str) -> list[Structure]:
        return [s for s in self.structures if s.data.gestionnaire == gestionnaire_id]

    @property
    def jour(self) -> date:
        """The date that chooses model, partners and names: signing date, else labelling."""
        return reference_day(self.convention)

    def partenaires_signataires(self) -> list[PartenaireSignataire]:
        """The partners' signatories the documents print: local partners, and those of the
        national partners in force on the signing date here (a CPAM's signatory in La Réunion,
        where the CGSS holds its role, is left out, with a warning from ``check``)."""
        in_force = {p.id for p in partenaires_au(self.departement.code, self.jour)}
        return [p for p in self.partenaires if p.partenaire is None or p.partenaire in in_force]

    def partenaires_nationaux(self) -> list[PartenaireNational]:
        """The national partners (or the local bodies holding their role) in force on the
        signing date in the project's département, in the catalogue's order, that take part in
        this project: those with a signatory, and those the Préfet represents. A partner the
        project leaves out is absent from every document."""
        signed = {p.partenaire for p in self.partenaires}
        return [
            partner
            for partner in partenaires_au(self.departement.code, self.jour)
            if not partner.signe or partner.id in signed
        ]


def find_root(start: Path) -> Path:
    """The project directory: ``start`` itself, which must hold ``convention.yaml``."""
    start = start.resolve()
    if not (start / CONVENTION).is_file():
        raise ProjectNotFoundError(
            f"aucun projet fsdocs dans « {start} » : le fichier {CONVENTION} est absent. "
            "Placez-vous dans le dossier du projet, ou créez-en un avec « fsdocs creer »."
        )
    return start


def read_project(root: Path, files: Files | None = None) -> tuple[Project, list[Problem]]:
    """Load and validate the project at ``root``; raise ProjectError listing every error that
    keeps it from loading. Otherwise the project, and what was found once it loaded (facts to
    fill, national annexes), errors included: the convention's own rules are judged above
    this stage, and :func:`fsdocs.rules.checked.load_project` reports everything at once.

    The files are those of ``root`` on disk unless ``files`` are given (a recorded version's,
    laid over the project's templates at ``root``); the list of files comes from the model,
    never from a search of the folder."""
    if files is None:
        root = find_root(root)
        files = ProjectFiles(root)
    # Files that loaded and validated; checks across files run on whatever is here, so one
    # broken file does not hide the other files' problems.
    loaded: dict[str, tuple[Any, Source]] = {}
    problems: list[Problem] = []
    for name, model in FILES.items():
        if not files.exists(name):
            if name not in OPTIONAL:
                problems.append(
                    Problem(
                        name,
                        None,
                        "",
                        f"fichier obligatoire absent : créez-le avec {required_keys(model)} "
                        "(« fsdocs creer » montre un projet complet)",
                    )
                )
            continue
        value, found = _load(files, name, model)
        problems += found
        if value is not None:
            loaded[name] = value
    found_structures, complete, folder_problems = _load_folder(
        files, STRUCTURES, StructureFile, MAX_STRUCTURES
    )
    problems += folder_problems
    conv = loaded.get(CONVENTION)
    defaults = conv[0].structures.par_defaut if conv and conv[0].structures else None
    structures = [Structure(f.id, f.fichier, *inherit(f.data, defaults)) for f in found_structures]
    structure_sources = {f.fichier: f.source for f in found_structures}
    offres, _, folder_problems = _load_folder(files, OFFRES, OffresFile, MAX_STRUCTURES)
    problems += folder_problems

    dep: Departement | None = None
    if CONVENTION in loaded:
        convention, conv_src = loaded[CONVENTION]
        dep = departement(convention.departement, convention.forme_departement)
        if dep is None:
            problems.append(unknown_departement(convention.departement, conv_src))
    problems += cross_checks(loaded, structures, structure_sources, complete)
    problems += annex_references(loaded, structures, offres)
    if dep is None or any(p.severity is Severity.ERROR for p in problems):
        raise ProjectError(problems)
    temoins = loaded[TEMOINS][0].temoins if TEMOINS in loaded else []
    sources = {source.name: source for _, source in loaded.values()}
    sources |= {item.fichier: item.source for item in found_structures}
    sources |= {item.fichier: item.source for item in offres}
    project = Project(
        root=root,
        convention=loaded[CONVENTION][0],
        departement=dep,
        prefet=loaded[PREFET][0].prefet,
        gestionnaires=tuple(loaded[GESTIONNAIRES][0].gestionnaires),
        partenaires=tuple(loaded[PARTENAIRES][0].partenaires),
        temoins=tuple(temoins),
        structures=tuple(structures),
        offres={item.id: item.data for item in offres},
        referents=loaded[REFERENTS][0] if REFERENTS in loaded else ReferentsFile(),
        partenaires_locaux=tuple(
            loaded[PARTENAIRES_LOCAUX][0].partenaires_locaux if PARTENAIRES_LOCAUX in loaded else ()
        ),
        mandat=loaded[MANDAT][0] if MANDAT in loaded else MandatFile(),
        warnings=(),
        sources=sources,
    )
    # Facts still to fill are judged on a valid project only (so are the rules, afterwards).
    for value, source in (*loaded.values(), *((f.data, f.source) for f in found_structures)):
        problems += _placeholders(value, source, ())
    found, documents = national_annexes(files, *loaded[CONVENTION])
    return dataclasses.replace(project, documents=documents), problems + found


def _load_folder(
    files: Files, folder: str, model: type[M], limit: int
) -> tuple[list[Loaded[M]], bool, list[Problem]]:
    """Every ``<id>.yaml`` of ``folder``; ``complete`` is False when one could not be read."""
    problems: list[Problem] = []
    found: list[Loaded[M]] = []
    complete = True
    for name in files.listing(folder, ".yml"):
        complete = False
        stem = PurePosixPath(name).stem
        problems.append(
            Problem(
                name,
                None,
                "",
                f"extension « .yml » ignorée : renommez le fichier « {stem}.yaml »",
            )
        )
    for name in files.listing(folder, ".yaml")[: limit + 1]:
        path = PurePosixPath(name)
        if len(found) >= limit:
            problems.append(
                Problem(
                    name,
                    None,
                    "",
                    f"plus de {limit} fichiers dans {folder}/ : lecture arrêtée (le plus grand "
                    "département en compte une centaine) ; un projet par département",
                )
            )
            break
        try:
            ident = _identifier(path.stem)
        except ValueError:
            complete = False
            problems.append(Problem(name, None, "", _bad_file_name(path.name)))
            continue
        value, errors = _load(files, name, model)
        problems += errors
        if value is None:
            complete = False
        else:
            found.append(Loaded(ident, name, value[0], value[1]))
    return found, complete, problems


def _bad_file_name(file_name: str) -> str:
    stem = file_name.removesuffix(".yaml")
    if stem.lower() in _RESERVED_IDS:
        return (
            f"nom de fichier « {file_name} » réservé : Windows ne peut pas créer de fichier à ce "
            f"nom ; renommez-le, par exemple « structure-{stem.lower()}.yaml »"
        )
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


def _load(files: Files, name: str, model: type[M]) -> tuple[tuple[M, Source] | None, list[Problem]]:
    source, problems = load_yaml(files, name)
    if source is None:
        return None, problems
    value, found = validate(model, source)
    if problems or value is None:
        return None, problems + found
    return (value, source), []


def _placeholders(value: Any, source: Source, loc: Loc) -> Iterator[Problem]:
    """A warning for each field left empty (``~``) to be filled in later."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            child = getattr(value, name)
            here = (*loc, name)
            # A key written « ~ » is to fill in; an optional one left out is not (an agent or
            # a referent designated by function has no name).
            written = field.is_required() or name in value.model_fields_set
            if child is None and written and any(isinstance(m, ToFill) for m in field.metadata):
                yield Problem(
                    source.name,
                    source.line_of(here),
                    format_loc(here),
                    TO_FILL_MESSAGE,
                    Severity.WARNING,
                )
            else:
                yield from _placeholders(child, source, here)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _placeholders(item, source, (*loc, i))
    elif isinstance(value, dict):  # referents by partner
        for key, item in value.items():
            yield from _placeholders(item, source, (*loc, key))
