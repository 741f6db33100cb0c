"""French typography, golden: what a line may never break, and the one notation of hours."""

from __future__ import annotations

from datetime import time

import pytest

from fsdocs.french import NBSP, NNBSP, duree, heure, plage, typography

N = NBSP


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        # a number and what it counts
        ("dans un délai de 72 heures", f"dans un délai de 72{N}heures"),
        ("2 agents formés, 24 heures sur 5 jours", f"2{N}agents formés, 24{N}heures sur 5{N}jours"),
        ("à 10 % près, 15 €", f"à 10{N}% près, 15{N}€"),
        ("41000 Blois", f"41000{N}Blois"),
        # an ordinal and its noun; a date is one block
        ("le 1er janvier 2020", f"le 1er{N}janvier{N}2020"),
        ("le 6 février 2020 à Blois", f"le 6{N}février{N}2020 à Blois"),
        # the word a number completes
        ("l’article 8 et l’annexe 4", f"l’article{N}8 et l’annexe{N}4"),
        ("Articles 48 et 105", f"Articles{N}48 et 105"),
        ("loi n° 2000-321 du 12 avril 2000", f"loi n°{N}2000-321 du 12{N}avril{N}2000"),
        # a number before a link word stays breakable; digits among digits are left alone
        ("8 et 9 ou 10", "8 et 9 ou 10"),
        ("l’annexe 6 de 2020 non publiée", f"l’annexe{N}6 de 2020 non publiée"),
        ("02 54 94 10 55", "02 54 94 10 55"),
        # the older rules
        ('dit "oui" ; non !', f"dit «{N}oui{N}»{NNBSP}; non{NNBSP}!"),
        ("Objet : l'accès", f"Objet{N}: l’accès"),
    ],
)
def test_typography(typed: str, printed: str) -> None:
    assert typography(typed) == printed
    assert typography(printed) == printed  # idempotent


@pytest.mark.parametrize(
    ("debut", "fin", "printed"),
    [
        (time(9), time(12), f"9{N}h{N}–{N}12{N}h"),
        (time(8, 30), time(12, 30), f"8{N}h{N}30{N}–{N}12{N}h{N}30"),
        (time(13, 45), time(17, 5), f"13{N}h{N}45{N}–{N}17{N}h{N}05"),
    ],
)
def test_one_notation_of_hours(debut: time, fin: time, printed: str) -> None:
    assert plage(debut, fin) == printed
    assert heure(debut) == printed.split(f"{N}–")[0]


def test_duree() -> None:
    assert [duree(m) for m in (0, 59, 1170, 1440, 1650)] == [
        f"0{N}h", f"0{N}h{N}59", f"19{N}h{N}30", f"24{N}h", f"27{N}h{N}30"
    ]  # fmt: skip
