"""The dated catalogue of France services (fsdocs/data/partenaires.yaml): the convention's
model and the law it cites, the model of the mandate (Annexe 7), the 2020 model's deadlines,
the national partners with their names over time, and the local bodies of the territories
where they differ.

Every fact holds between two dates and names its sources. What a convention prints is
chosen by its signing date (:func:`reference_day`), never by the day it is built.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Self

from pydantic import Field, model_validator

from fsdocs.errors import FsdocsError
from fsdocs.project.fields import Ident, Model, Text
from fsdocs.project.load import parse_yaml
from fsdocs.project.model import ConventionFile


class Dated(Model):
    """Something that holds from ``depuis`` to ``jusqu_au``, both included; open if absent."""

    depuis: date | None = None
    jusqu_au: date | None = None

    def en_vigueur(self, day: date) -> bool:
        return (self.depuis is None or self.depuis <= day) and (
            self.jusqu_au is None or day <= self.jusqu_au
        )


class Source(Model):
    titre: Text
    url: Text


class NomPartenaire(Dated):
    court: Text  # as the préambule lists it: "CPAM", "Pôle emploi"
    nom: Text
    fonction: Text  # the local office that usually signs, proposed by `fsdocs creer`


class PartenaireNational(Dated):
    """A national partner of the accord-cadre, or the local body that plays its role."""

    id: Ident
    signe: bool = Field(default=True, description="False when the Préfet represents it")
    remplace: list[Ident] = Field(
        default_factory=list, description="National partners whose role this local body holds"
    )
    sources: list[Ident] = Field(min_length=1)
    noms: list[NomPartenaire] = Field(min_length=1)

    def au(self, day: date) -> NomPartenaire:
        """The name in force on ``day`` (the earliest one before the partner's history)."""
        for nom in self.noms:
            if nom.en_vigueur(day):
                return nom
        return self.noms[0] if day < (self.noms[0].depuis or day) else self.noms[-1]

    def anciens_noms(self, day: date) -> list[NomPartenaire]:
        """Names no longer in force on ``day``."""
        return [nom for nom in self.noms if nom.jusqu_au is not None and nom.jusqu_au < day]


class Modele(Dated):
    """A model of the convention: what law it cites (``visa``, none for the 2020 model)."""

    id: Ident
    visa: Text | None = None
    sources: list[Ident] = Field(min_length=1)


class ModeleMandat(Dated):
    """A model of the mandate (Annexe 7): what it adds on Aidants Connect, none in 2020."""

    id: Ident
    aidants_connect: Text | None = None
    sources: list[Ident] = Field(min_length=1)


class Echeance(Model):
    """A deadline of the model's wording, which must not be printed once past."""

    id: Ident
    date_limite: date
    sources: list[Ident] = Field(min_length=1)


class Territoire(Model):
    departements: list[Text] = Field(min_length=1)
    organismes: list[PartenaireNational] = Field(min_length=1)


class Catalogue(Model):
    modeles: list[Modele] = Field(min_length=1)
    mandats: list[ModeleMandat] = Field(min_length=1)
    echeances: list[Echeance]
    partenaires: list[PartenaireNational] = Field(min_length=1)
    territoires: list[Territoire]
    sources: dict[Ident, Source]

    @model_validator(mode="after")
    def _sources_exist(self) -> Self:
        national = {p.id for p in self.partenaires}
        cited: list[Modele | ModeleMandat | Echeance | PartenaireNational] = [
            *self.modeles,
            *self.mandats,
            *self.echeances,
            *self.partenaires,
        ]
        for territoire in self.territoires:
            cited += territoire.organismes
            for organisme in territoire.organismes:
                if unknown := set(organisme.remplace) - national:
                    raise ValueError(f"{organisme.id} remplace un partenaire inconnu : {unknown}")
        for entry in cited:
            if unknown := set(entry.sources) - set(self.sources):
                raise ValueError(f"{entry.id} cite une source inconnue : {sorted(unknown)}")
        return self


@cache
def _catalogue() -> Catalogue:
    raw = resources.files("fsdocs").joinpath("data/partenaires.yaml").read_bytes()
    source, problems = parse_yaml(raw, "fsdocs/data/partenaires.yaml")
    if problems or source is None:
        raise FsdocsError("catalogue des partenaires illisible : " + "; ".join(map(str, problems)))
    return Catalogue.model_validate(source.data)


@cache
def catalogue() -> dict[str, PartenaireNational]:
    """Every partner a signatory's « partenaire: » may name: national ones and local bodies."""
    found = {p.id: p for p in _catalogue().partenaires}
    for territoire in _catalogue().territoires:
        found |= {o.id: o for o in territoire.organismes}
    return found


def reference_day(convention: ConventionFile) -> date:
    """The date that chooses the model, the partners and their names: the signing date, or
    the labelling date while the signing date is still to fill in."""
    return convention.signature.date or convention.labellisation


def partenaires_au(code: str, day: date) -> list[PartenaireNational]:
    """The national partners in force on ``day`` in département ``code``, in the convention's
    order, each replaced by the local body that holds its role there."""
    local = [o for t in _catalogue().territoires if code in t.departements for o in t.organismes]
    found: list[PartenaireNational] = []
    for partner in _catalogue().partenaires:
        if not partner.en_vigueur(day):
            continue
        holder = next((o for o in local if partner.id in o.remplace), partner)
        if holder not in found:
            found.append(holder)
    return found


def modele_au(day: date) -> Modele:
    return next(m for m in _catalogue().modeles if m.en_vigueur(day))


def mandat_au(day: date) -> ModeleMandat:
    """The model of the mandate (Annexe 7) in force on ``day``."""
    return next(m for m in _catalogue().mandats if m.en_vigueur(day))


def echeances_a_venir(day: date) -> dict[str, date]:
    """The model's deadlines not yet past on ``day``, by id."""
    return {e.id: e.date_limite for e in _catalogue().echeances if day <= e.date_limite}


def sources() -> dict[str, Source]:
    return dict(_catalogue().sources)
