"""Facts the documents print as « [à compléter] », each one known by where it belongs.

No wording prints the placeholder by itself: it asks :func:`to_fill` with the file and key path
of the missing fact, so every placeholder a document can print is a located fact that
``fsdocs controler`` names (:mod:`fsdocs.wording.completeness`). While :func:`marking` is
active, :func:`to_fill` returns a numbered token instead (« [à compléter#3] »): the wording
rendered then says exactly which facts it prints, and how many times.

Each fact belongs to a kind (:data:`KINDS`), by which the report groups and counts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from fsdocs.project.defaults import DEFAULTS
from fsdocs.project.paths import (
    CONVENTION,
    PARTENAIRES,
    PARTENAIRES_LOCAUX,
    REFERENTS,
    STRUCTURES,
)
from fsdocs.project.yaml_nodes import Loc
from fsdocs.wording.document import PLACEHOLDER

Where = tuple[str, Loc]  # a file of the project and a key path in it
TOKEN = re.compile(r"\[à compléter#(\d+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    """A kind of fact to fill in: how the report heads and counts its group."""

    libelle: str  # « Agents à nommer »
    unite: tuple[str, str]  # what is counted, singular and plural: (« structure », « structures »)
    par_fichier: bool = False  # count files (structures) rather than facts


# In the order a person would settle them; the report sorts its groups by size.
KINDS: dict[str, Kind] = {
    "documents": Kind("Documents nationaux à joindre", ("annexe", "annexes")),
    "signature": Kind("Lieu et date de signature", ("champ", "champs")),
    "signataires": Kind("Signataires et témoins à compléter", ("champ", "champs")),
    "structures": Kind("Coordonnées et horaires des structures", ("champ", "champs")),
    "equipements": Kind("Équipements et accueil à renseigner", ("champ", "champs")),
    "agents": Kind("Agents à nommer", ("structure", "structures"), par_fichier=True),
    "referents": Kind("Référents à désigner ou à compléter", ("ligne", "lignes")),
    "autres": Kind("Autres faits à compléter", ("champ", "champs")),
}
_PREMISES = {"equipements", "accessibilite_pmr", "espace_confidentiel"}


def kind_of(fichier: str, loc: Loc) -> str:
    """The kind of the fact at ``loc`` of ``fichier``, from where it is written."""
    if fichier == CONVENTION and loc[: len(DEFAULTS)] == DEFAULTS:
        return kind_of(f"{STRUCTURES}/", loc[len(DEFAULTS) :])  # what every structure inherits
    if fichier == CONVENTION:
        return "documents" if loc[:1] == ("annexes",) else "signature"
    if fichier == REFERENTS:
        return "referents"
    if fichier in (PARTENAIRES, PARTENAIRES_LOCAUX) and len(loc) == 2:
        return "referents"  # a partner as a whole: the one who names no referent
    if fichier.startswith("signatories/"):
        return "signataires"
    if fichier.startswith(f"{STRUCTURES}/"):
        if loc[:1] == ("agents",):
            return "agents"
        return "equipements" if loc[:1] and loc[0] in _PREMISES else "structures"
    return "autres"


@dataclass
class Marks:
    """The facts met while marking, numbered in the order the wording asked for them."""

    numbers: dict[Where, int] = field(default_factory=dict)
    order: list[Where] = field(default_factory=list)  # by number

    def number(self, where: Where) -> int:
        if where not in self.numbers:
            self.numbers[where] = len(self.order)
            self.order.append(where)
        return self.numbers[where]


_MARKS: ContextVar[Marks | None] = ContextVar("fsdocs_gaps", default=None)


def to_fill(fichier: str, loc: Loc) -> str:
    """What a document prints for the missing fact at ``loc`` of ``fichier``."""
    marks = _MARKS.get()
    if marks is None:
        return PLACEHOLDER
    return f"[à compléter#{marks.number((fichier, loc))}]"


def fill(value: str | None, fichier: str, loc: Loc) -> str:
    """``value``, or the placeholder of the fact at ``loc`` when it is missing."""
    return value if value else to_fill(fichier, loc)


@contextmanager
def marking() -> Iterator[Marks]:
    """Within, every placeholder is a numbered token naming its fact (see the module)."""
    marks = Marks()
    token = _MARKS.set(marks)
    try:
        yield marks
    finally:
        _MARKS.reset(token)


def counted(text: str, marks: Marks) -> dict[Where, int]:
    """How many times ``text`` (wording rendered while marking) prints each fact."""
    found: dict[Where, int] = {}
    for match in TOKEN.finditer(text):
        where = marks.order[int(match.group(1))]
        found[where] = found.get(where, 0) + 1
    return found
