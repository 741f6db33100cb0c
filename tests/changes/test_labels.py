"""The words of the facts list and of ``historique``: French labels for the YAML keys, French
dates, local French times."""

from __future__ import annotations

from datetime import date

import pytest

from fsdocs.changes.labels import field_labels, file_label, moment, value_label
from fsdocs.french import NBSP


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        (("horaires", "lundi"), ["horaires du lundi"]),
        (("equipements", "wifi"), ["wifi"]),
        (("equipements", "visioconference"), ["équipement de visioconférence"]),
        (("agents", "2", "prenom"), ["agent 2", "prénom"]),
        (("accessibilite_pmr",), ["accès des personnes à mobilité réduite"]),
        (("signature", "date"), ["date de signature"]),
        (("arrets", "1", "horaires"), ["arrêt 1", "horaires"]),
    ],
)
def test_keys_read_as_french_words(path: tuple[str, ...], labels: list[str]) -> None:
    assert field_labels(path, {}, in_file=False) == labels


def test_ids_are_named_and_a_file_by_what_it_holds() -> None:
    known = {"ddfip-41": "Direction départementale des Finances publiques", "blois": "Blois"}
    path = ("partenaires", "ddfip-41", "representant", "nom")
    assert field_labels(path, known, in_file=True) == [known["ddfip-41"], "représentant", "nom"]
    offer = ("offres", "blois", "permanences", "1", "jour")
    assert field_labels(offer, known, in_file=True) == ["Blois", "permanence 1", "jour"]
    assert file_label("signatories/prefet.yaml", known) == "Préfet"
    assert file_label("annexes/offres/caf-41.yaml", {"caf-41": "CAF"}) == "Offre de CAF"


def test_dates_are_written_out() -> None:
    assert value_label("2020-01-01") == f"1er{NBSP}janvier 2020"
    assert value_label(date(2020, 2, 6)) == f"6{NBSP}février 2020"
    assert value_label("2020-13-45") == "2020-13-45"  # not a date: as written
    assert value_label("02 54 94 10 55") == "02 54 94 10 55"


def test_hours_read_as_the_documents_print_them() -> None:
    n = NBSP
    assert value_label("08:30-12:30 / 14:00-17:00") == (
        f"8{n}h{n}30{n}–{n}12{n}h{n}30, 14{n}h{n}–{n}17{n}h"
    )
    assert value_label("09:00-12:00 (1 samedi sur 2)") == "09:00-12:00 (1 samedi sur 2)"


def test_a_moment_is_printed_in_local_french_time(paris_time: None) -> None:
    assert moment("2026-12-05T18:32:00+00:00") == f"5{NBSP}décembre 2026 à 19{NBSP}h{NBSP}32"
    assert moment("2026-07-14T07:05:00Z") == f"14{NBSP}juillet 2026 à 9{NBSP}h{NBSP}05"
    assert moment("2020-02-06T12:00:00+00:00") == f"6{NBSP}février 2020 à 13{NBSP}h"
