"""The wording the documents print outside their templates (annex titles, the offers' fixed
phrases, Annexe 8's legend, the mandate's categories, the dossier's headings of changes), read
once from ``fsdocs/data/libelles.yaml``: French prose lives in data, not in Python."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from fsdocs.errors import FsdocsError
from fsdocs.project.load import parse_yaml

SOURCE = "fsdocs/data/libelles.yaml"


class _Labels(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnnexLabels(_Labels):
    titres: dict[str, str]
    notes: dict[str, str]


class OfferLabels(_Labels):
    socle: str
    socle_ailleurs: str
    sur_place: str


class TableLabels(_Labels):
    codes: tuple[tuple[str, str], ...]
    absent: str
    absent_legende: str


class MandateLabels(_Labels):
    categories: tuple[str, ...]
    responsable: str
    contact: str


class DossierLabels(_Labels):
    tableau: str
    modifications_de: str


class Labels(_Labels):
    annexes: AnnexLabels
    offre: OfferLabels
    tableau: TableLabels
    mandat: MandateLabels
    dossier: DossierLabels


@cache
def labels() -> Labels:
    raw = resources.files("fsdocs").joinpath("data/libelles.yaml").read_bytes()
    source, problems = parse_yaml(raw, SOURCE)
    if problems or source is None:
        raise FsdocsError(f"{SOURCE} illisible : " + "; ".join(map(str, problems)))
    return Labels.model_validate(source.data)
