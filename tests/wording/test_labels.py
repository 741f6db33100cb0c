"""The wording outside the templates is data (fsdocs/data/libelles.yaml), read once, typed,
and complete for every annex fsdocs knows."""

from __future__ import annotations

import re

from fsdocs.wording.labels import labels
from fsdocs.wording.registry import ANNEX_BUILDERS
from tests.conftest import REPO

NATIONAL = ("charte", "bouquet", "accord-cadre")


def test_every_annex_kind_has_a_title() -> None:
    titles = labels().annexes.titres
    assert set(titles) == {*NATIONAL, *ANNEX_BUILDERS}
    assert all(title.strip() for title in titles.values())


def test_the_table_codes_are_four_letters_with_their_meaning() -> None:
    codes = labels().tableau.codes
    assert [code for code, _ in codes] == ["A", "P", "V", "R"]
    assert all(meaning for _, meaning in codes)


def test_no_french_sentence_of_the_documents_is_left_in_the_wording_code() -> None:
    """The phrases moved to the data file are no longer typed in Python."""
    data = labels()
    moved = [
        data.offre.socle,
        data.offre.sur_place,
        data.mandat.responsable,
        data.mandat.contact,
        *data.mandat.categories,
        *data.annexes.titres.values(),
        data.dossier.tableau,
    ]
    code = "\n".join(p.read_text("utf-8") for p in (REPO / "fsdocs").rglob("*.py"))
    strings = set(re.findall(r'"([^"\n]{6,})"', code))
    assert [phrase for phrase in moved if phrase in strings] == []
