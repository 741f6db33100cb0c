"""One structure's page of Annexe 4: what it holds, typed, and whether it fits on one page.

The page's facts are computed by :mod:`fsdocs.wording.annexes`; here are their shapes, the
French notation of its hours, and the estimate of its height, which picks the page's scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time

from fsdocs.french import duree, plage
from fsdocs.project.horaires import Creneau
from fsdocs.wording.document import PLACEHOLDER

NOON = time(12, 0)
AFTERNOON = time(14, 0)


def slot(creneau: Creneau) -> str:
    """``9 h – 12 h 30``."""
    return plage(creneau.debut, creneau.fin)


@dataclass(frozen=True)
class Jour:
    """One day of the week table: morning and afternoon columns, or one slot across both."""

    nom: str  # "Lundi"
    matin: tuple[str, ...]
    apres_midi: tuple[str, ...]
    journee: str  # a single slot across midday ("9 h – 17 h"), printed over both columns
    duree: str  # "7 h 30"; "" when closed

    @property
    def ferme(self) -> bool:
        return not (self.matin or self.apres_midi or self.journee)


def jour(nom: str, creneaux: Sequence[Creneau]) -> Jour:
    minutes = sum(c.minutes for c in creneaux)
    total = duree(minutes) if minutes else ""
    if len(creneaux) == 1 and creneaux[0].debut < NOON and creneaux[0].fin > AFTERNOON:
        return Jour(nom, (), (), slot(creneaux[0]), total)
    return Jour(
        nom,
        tuple(slot(c) for c in creneaux if c.debut < NOON),
        tuple(slot(c) for c in creneaux if c.debut >= NOON),
        "",
        total,
    )


@dataclass(frozen=True)
class Ligne:
    libelle: str
    valeur: str


@dataclass(frozen=True)
class Champ:
    """A label and its value, the value on one or more printed lines (an address)."""

    libelle: str
    lignes: tuple[str, ...]


@dataclass(frozen=True)
class Arret:
    jour: str  # "Mardi"
    lieu: str  # "place de l'Église, Marchenoir"
    horaires: str  # "9 h – 12 h, 14 h – 16 h"
    frequence: str


@dataclass(frozen=True)
class PageStructure:
    """Everything Annexe 4 prints about one structure, on one page."""

    id: str
    nom: str
    type: str
    commune: str
    labellisation: str  # "1er janvier 2020"
    coordonnees: tuple[tuple[Champ, Champ], ...]  # the structure's and its contacts, side by side
    acces: tuple[Champ, ...]  # contact form and appointments, across the table
    horaires: tuple[Jour, ...]  # empty when the hours are unknown
    sans_horaires: str  # the placeholder, when neither hours nor stops are known; else ""
    total: str  # "32 h", or "" when the hours are unknown
    jours_ouverts: str  # "5 jours"
    arrets: tuple[Arret, ...]  # an itinerant structure's stops
    agents: tuple[str, ...]
    sans_agents: str  # the placeholder, when no agent is named; else ""
    equipements: tuple[tuple[Ligne | None, Ligne | None], ...]  # art. 4.3, two a row
    modalites: str
    commentaire: str
    densite: str  # CSS class scaling the page down so that it fits: "", "echelle-95"…


# Whether a page fits is estimated from the layout of templates/html/convention.css
# (section.structure, whose sizes are all in em of one font size, scaled by a class), then
# checked against rendered pages by tests/test_annexe_modalites.py. A page takes the largest
# scale at which it fits; past the smallest, it runs onto a second page rather than lose words.
SCALES = (100, 95, 90, 85, 80)  # per cent of the 10 pt page
PT = 25.4 / 72  # mm
WIDTH, HEIGHT = 166.0, 251.0  # mm: A4 less its margins
SAFETY = 0.98  # the estimate errs by up to 4 mm (measured on 190 random structures)
EM = 0.50  # mean advance of a character of French text in Inter, in em
LEADING = 1.42
HEADING, TOP = 11.7, 26.4  # mm at full scale, measured: a heading; the page's title block


def fitted(page: PageStructure) -> PageStructure:
    scale = next((s for s in SCALES if _height(page, s) <= HEIGHT * SAFETY), SCALES[-1])
    return replace(page, densite="" if scale == 100 else f"echelle-{scale}")


def _height(page: PageStructure, scale: int) -> float:
    """The estimated height of ``page`` at ``scale`` per cent, in millimetres."""
    k = scale / 100
    body, table, texte = 10 * k, 9 * k, 9.5 * k  # pt: lists, tables, modalités
    heading = HEADING * k

    def lines(value: str, width: float, size: float) -> int:
        per_line = max(1, int((width - 3.6) / (size * EM * PT)))  # 3.6 mm: cell padding
        return max(1, -(-len(value) // per_line))

    def rows(*counts: int) -> float:  # a table's rows of ``counts`` lines each
        return sum(n * table * LEADING * PT + 0.6 * table * PT + 0.2 for n in counts)

    def paragraph(value: str, size: float, width: float = WIDTH, after: float = 0.45) -> float:
        return (lines(value, width + 3.6, size) * LEADING + after) * size * PT

    height = TOP * k + rows(
        *(
            max(
                sum(lines(value, WIDTH * 0.30, table) for value in left.lignes),
                sum(lines(value, WIDTH * 0.405, table) for value in right.lignes),
            )
            for left, right in page.coordonnees
        ),
        *(sum(lines(value, WIDTH * 0.845, table) for value in c.lignes) for c in page.acces),
    )
    if page.horaires:
        height += heading + rows(
            1, 1, *(max(len(j.matin), len(j.apres_midi), 1) for j in page.horaires)
        )
    elif page.sans_horaires:
        height += heading + paragraph(PLACEHOLDER, body)
    if page.arrets:
        height += heading + rows(1, *(lines(a.lieu, WIDTH * 0.36, table) for a in page.arrets))
    agents = page.agents or (PLACEHOLDER,)
    height += heading + sum(paragraph(a, body, WIDTH - 7, after=0.22) for a in agents)
    height += heading + rows(
        *(
            max(lines(line.valeur, WIDTH * 0.12, table) if line else 1 for line in pair)
            for pair in page.equipements
        )
    )
    for value in (page.modalites, page.commentaire):
        if value:
            height += heading + paragraph(value, texte)
    return height
