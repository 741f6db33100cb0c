"""The catalogue of France services' national partners, with their names over time."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from pydantic import Field

from fsdocs.errors import FsdocsError
from fsdocs.project.load import parse_yaml
from fsdocs.project.model import Ident, Model, Text


class NomPartenaire(Model):
    court: Text  # as the préambule lists it: "CPAM", "Pôle emploi"
    nom: Text
    fonction: Text  # the local office that usually signs, proposed by `fsdocs creer`
    depuis: date | None = None
    jusqu_au: date | None = None

    def en_vigueur(self, day: date) -> bool:
        return (self.depuis is None or self.depuis <= day) and (
            self.jusqu_au is None or day <= self.jusqu_au
        )


class PartenaireNational(Model):
    id: Ident
    signe: bool = Field(default=True, description="False when the Préfet represents it")
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


class Catalogue(Model):
    partenaires: list[PartenaireNational]


@cache
def catalogue() -> dict[str, PartenaireNational]:
    raw = resources.files("fsdocs").joinpath("data/partenaires.yaml").read_bytes()
    source, problems = parse_yaml(raw, "fsdocs/data/partenaires.yaml")
    if problems or source is None:
        raise FsdocsError("catalogue des partenaires illisible : " + "; ".join(map(str, problems)))
    return {p.id: p for p in Catalogue.model_validate(source.data).partenaires}
