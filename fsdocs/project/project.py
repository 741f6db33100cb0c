"""The project as one typed object, read by :mod:`fsdocs.project.reading`: each file's model
and where it came from, the structures with their inherited defaults, the département, and the
national partners in force on the signing date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from fsdocs.errors import Problem, ProjectNotFoundError
from fsdocs.project.annexes_model import (
    MandatFile,
    OffresFile,
    PartenaireLocal,
    ReferentsFile,
    StructureFile,
)
from fsdocs.project.defaults import where
from fsdocs.project.departements import Departement
from fsdocs.project.load import Source
from fsdocs.project.model import (
    ConventionFile,
    Gestionnaire,
    PartenaireSignataire,
    Personne,
    Prefet,
)
from fsdocs.project.partenaires import PartenaireNational, partenaires_au, reference_day
from fsdocs.project.paths import (
    CONVENTION,
)
from fsdocs.project.yaml_nodes import Loc

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
