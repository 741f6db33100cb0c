"""Annexe 8: the partners × structures table — which partner is present in which structure,
and how (agents trained, permanence, visio, appointments), laid out by the table's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fsdocs.french import NBSP
from fsdocs.project.project import Project
from fsdocs.wording.annexes import _entete, _title
from fsdocs.wording.annexes_partenaires import ABSENT, CODES, codes, partenaires
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.labels import labels
from fsdocs.wording.parts import Part

# How many partner or structure columns a table of Annexe 8 holds beside its label column
# (26 % of the width, convention.css and docx.py). A cell holds up to four codes (« A P V R »,
# 13 mm at 8.5 pt with its padding), a header cell a short name (« CARSAT ») or a structure's
# name over three lines at most: A4 portrait (166 mm between margins) gives 6 columns of
# 20 mm, landscape (253 mm) 12 columns of 15.5 mm. Past 12, the columns are shared out
# evenly between several tables, each repeating the label column on a page of its own.
COLONNES_PORTRAIT = 6
COLONNES_PAYSAGE = 12


@dataclass(frozen=True)
class LigneMatrice:
    libelle: str
    cellules: tuple[str, ...]  # « A P », or ABSENT


@dataclass(frozen=True)
class Matrice:
    """One table of Annexe 8."""

    coin: str  # header of the label column: « Partenaire » or « France services »
    colonnes: tuple[str, ...]
    lignes: tuple[LigneMatrice, ...]


@dataclass(frozen=True)
class Disposition:
    """How Annexe 8's table is laid out, decided by its size alone."""

    partenaires_en_colonnes: bool  # the transpose: one row per structure
    paysage: bool
    tables: tuple[range, ...]  # the columns each table holds


def disposition(partenaires: int, structures: int) -> Disposition:
    """The shorter list runs across the page, the longer one down it.

    Rows can run over pages (the header repeats); columns cannot. So the smaller of the two
    lists makes the columns: in most départements the structures while there are fewer
    structures than partners, the partners beyond. The page turns to landscape past
    COLONNES_PORTRAIT columns; past COLONNES_PAYSAGE, the columns are shared out evenly
    between several tables.
    """
    transpose = structures > partenaires
    count = partenaires if transpose else structures
    size = math.ceil(count / math.ceil(count / COLONNES_PAYSAGE)) if count else 1
    return Disposition(
        partenaires_en_colonnes=transpose,
        paysage=count > COLONNES_PORTRAIT,
        tables=tuple(range(i, min(i + size, count)) for i in range(0, count, size)) or (range(0),),
    )


@dataclass(frozen=True)
class ListePartenaires:
    """Everything Annexe 8 prints."""

    disposition: Disposition
    tables: tuple[Matrice, ...]
    legende: tuple[tuple[str, str], ...]


def liste_partenaires(project: Project) -> ListePartenaires:
    partners = partenaires(project)
    structures = project.structures
    grid = [
        [" ".join(codes(project, p, s.id)).replace(" ", NBSP) or ABSENT for s in structures]
        for p in partners
    ]
    names = [s.data.nom or s.id for s in structures]
    layout = disposition(len(partners), len(structures))
    tables: list[Matrice] = []
    for columns in layout.tables:
        if layout.partenaires_en_colonnes:
            tables.append(
                Matrice(
                    "France services",
                    tuple(partners[j].court for j in columns),
                    tuple(
                        LigneMatrice(name, tuple(grid[j][i] for j in columns))
                        for i, name in enumerate(names)
                    ),
                )
            )
        else:
            tables.append(
                Matrice(
                    "Partenaire",
                    tuple(names[j] for j in columns),
                    tuple(
                        LigneMatrice(p.court, tuple(grid[i][j] for j in columns))
                        for i, p in enumerate(partners)
                    ),
                )
            )
    return ListePartenaires(
        layout, tuple(tables), (*CODES, (ABSENT, labels().tableau.absent_legende))
    )


def annexe_partenaires(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 8: how each partner is present in each structure."""
    liste = liste_partenaires(project)
    return [
        Part(
            f"annexe-{annex.numero}",
            "wording/annexe-partenaires.html.j2",
            _title(ctx, annex),
            _entete(ctx, annex),
            {"annexe": annex, "departement_de": ctx.departement_de, "liste": liste},
            paysage=liste.disposition.paysage,
            annexe=annex.numero,
        )
    ]
