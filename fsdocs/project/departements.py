"""The 101 départements and the way official French names them after "Préfet".

INSEE's ``tncc`` (type of article) gives a first answer; administrative usage (the préfet's
title in nomination decrees and on the préfecture's own acts) overrides it for the
départements named after two rivers ("Préfet de Loir-et-Cher", "d'Indre-et-Loire") and for
Vaucluse. Corse-du-Sud keeps INSEE's article: its acts are signed "le préfet de Corse, préfet
de la Corse-du-Sud" and published in the "recueil des actes administratifs de la préfecture
de la Corse-du-Sud".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

# tncc → the complement "de …" before the name (INSEE, COG: type de nom en clair).
_TNCC_OF = {"0": "de ", "1": "d’", "2": "du ", "3": "de la ", "4": "des ", "5": "de l’"}

# Where the administration's usage differs from INSEE's article.
_USAGE = {
    "28": "d’",  # Eure-et-Loir
    "35": "d’",  # Ille-et-Vilaine
    "37": "d’",  # Indre-et-Loire
    "41": "de ",  # Loir-et-Cher
    "47": "de ",  # Lot-et-Garonne
    "49": "de ",  # Maine-et-Loire
    "54": "de ",  # Meurthe-et-Moselle
    "71": "de ",  # Saône-et-Loire
    "77": "de ",  # Seine-et-Marne
    "82": "de ",  # Tarn-et-Garonne
    "84": "de ",  # Vaucluse: "préfet de Vaucluse"
}


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str  # "Loir-et-Cher", "Côte-d’Or"
    de: str  # "de Loir-et-Cher", "de la Côte-d’Or", "des Landes"


@cache
def departements() -> dict[str, Departement]:
    """Every département of the COG 2020, by INSEE code."""
    text = resources.files("fsdocs").joinpath("data/departements-cog2020.csv").read_text("utf-8")
    table: dict[str, Departement] = {}
    for row in csv.DictReader(text.splitlines()):
        code = row["dep"]
        name = row["libelle"].replace("'", "’")
        article = _USAGE.get(code, _TNCC_OF[row["tncc"]])
        table[code] = Departement(code, name, f"{article}{name}")
    return table


def departement(code: str, de: str | None = None) -> Departement | None:
    """The département of ``code``, with the YAML's own form of "de …" when it gives one."""
    found = departements().get(code)
    if found is None or de is None:
        return found
    return Departement(found.code, found.nom, de)


def normalize_code(code: str) -> str:
    """The INSEE code as the table writes it: ``"1"`` → ``"01"``, ``"2a"`` → ``"2A"``."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code
