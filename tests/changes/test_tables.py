"""Tables stay tables in every redline: one hour of Annexe 4 changed between two versions is
marked inside its cell in the HTML, the PDF and the DOCX (a tracked change in a ``w:tc``,
signed by version 2's author at its date); the facts list speaks French; the terminal diff
written to a pipe carries plain-text markers."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html

from fsdocs.changes.compare import Scope, compare_states
from fsdocs.changes.redline import Kind, paragraph_diff, word_diff
from fsdocs.changes.tables import Table, block_count, blocks
from fsdocs.changes.views import lines_to_terminal
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli
from tests.readback import normalize

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SALBRIS = "annexes/structures/salbris.yaml"
# Version 2 is recorded three days and 32 minutes after version 1, by someone else.
LATER = str(int(SOURCE_DATE_EPOCH) + 3 * 86400 + 32 * 60)
AUTHOR = "Mme Claire Durand, préfecture"
STEM = "modifications-v1-v2"
N = "\u00a0"  # the non-breaking space of « 8 h 30 »
OLD, NEW, NOON = f"8{N}h{N}30", f"8{N}h{N}45", f"12{N}h{N}30"
MORNING = f"{N}–{N}{NOON}"  # the rest of Tuesday morning's cell, unchanged


@dataclass(frozen=True)
class Revised:
    root: Path
    diff: str  # « fsdocs comparer --depuis 1 --vers 2 » written to a pipe
    manifest: dict[str, Any]  # version 2's


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Revised]:
    """Version 1, the default project; version 2, Salbris open at 08:45 on Tuesday mornings
    (one hour cell, and with it the day's and the week's durations), with wifi."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("tableaux") / "projet")
    assert run_cli("version", "-C", str(root), "-m", "Signée", "--auteur", "Préf").exit_code == 0
    salbris = root / SALBRIS
    text = salbris.read_text("utf-8")
    text = text.replace("mardi: 08:30-12:30", "mardi: 08:45-12:30")
    salbris.write_text(
        text.replace("  visioconference: true\n", "  visioconference: true\n  wifi: true\n"),
        "utf-8",
    )
    mp.setenv("SOURCE_DATE_EPOCH", LATER)
    recorded = run_cli("version", "-C", str(root), "-m", "Mardi", "--auteur", AUTHOR)
    assert recorded.exit_code == 0, recorded.output
    diff = run_cli("comparer", "-C", str(root), "--depuis", "1", "--vers", "2")
    assert diff.exit_code == 0, diff.output
    manifest = json.loads((root / "versions" / "0002" / "manifest.json").read_text("utf-8"))
    yield Revised(root, diff.output, manifest)
    mp.undo()


def _hours_table(tables: list[Any], cell: str) -> Any:
    found = [t for t in tables if any(cell in "".join(c.itertext()) for c in t.iter("td"))]
    assert len(found) == 1, [etree.tostring(t) for t in tables]
    return found[0]


def test_the_html_redline_marks_the_changed_cells_of_a_table(revised: Revised) -> None:
    page = html.fromstring((revised.root / "output" / f"{STEM}.html").read_bytes())
    hours = _hours_table(page.xpath("//table"), "Après-midi")
    rows = {r[0].text_content(): r for r in hours.iter("tr")}
    tuesday = rows["Mardi"]
    assert [etree.tostring(c, encoding="unicode", with_tail=False) for c in tuesday[1:2]] == [
        f"<td><del>{OLD}</del><ins>{NEW}</ins>{MORNING}</td>"
    ]
    assert tuesday[2].text_content() == f"13{N}h{N}30{N}–{N}17{N}h{N}30"
    assert tuesday[2].find("ins") is None and tuesday[2].find("del") is None
    assert (tuesday[3].find("del").text, tuesday[3].find("ins").text) == (f"8{N}h", f"7{N}h{N}45")
    for day in ("Lundi", "Mercredi", "Jeudi", "Vendredi"):
        assert not rows[day].xpath(".//ins|.//del"), day
        assert rows[day][1].text_content() == OLD + MORNING
    # The wifi, unknown before, adds a row to the table of equipment, marked whole.
    added = page.xpath("//tr[@class='ajoutee']")
    cells = [[c.text_content() for c in r] for r in added]
    assert cells == [["Wifi pour les usagers", "oui", "", ""]]
    assert all(c[0].tag == "ins" for r in added for c in r if c.text_content())
    assert "|" not in "".join(t.text_content() for t in page.xpath("//table"))


def _docx_root(path: Path) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def test_the_docx_redline_tracks_the_change_inside_the_cell(revised: Revised) -> None:
    root = _docx_root(revised.root / "output" / f"{STEM}.docx")
    cells = [c for c in root.iter(f"{W}tc") if c.find(f".//{W}del") is not None]
    deleted = ["".join(c.itertext()) for c in cells]
    assert OLD + NEW + MORNING in deleted  # old, then new, in one cell
    tuesday = next(c for c in cells if "".join(c.itertext()).startswith(OLD + NEW))
    assert "".join(tuesday.find(f".//{W}del").itertext()) == OLD
    assert "".join(tuesday.find(f".//{W}ins").itertext()) == NEW
    row = tuesday.getparent()
    assert "".join(row[0].itertext()) == "Mardi" and row.find(f"{W}trPr") is None
    # The wifi's row is inserted whole, on the row itself.
    inserted = [r for r in root.iter(f"{W}tr") if r.find(f"{W}trPr/{W}ins") is not None]
    assert [" | ".join("".join(c.itertext()) for c in r.iter(f"{W}tc")) for r in inserted] == [
        "Wifi pour les usagers | oui |  | "
    ]
    # Every change is signed with version 2's author and date.
    changes = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert {c.get(f"{W}author") for c in changes} == {revised.manifest["auteur"]} == {AUTHOR}
    assert {c.get(f"{W}date") for c in changes} == {"2020-02-09T12:32:00Z"}
    assert revised.manifest["date"] == "2020-02-09T12:32:00+00:00"


def test_the_pdf_redline_shows_old_and_new_values_in_the_row(revised: Revised) -> None:
    import subprocess

    done = subprocess.run(
        ["pdftotext", "-layout", str(revised.root / "output" / f"{STEM}.pdf"), "-"],
        capture_output=True,
        check=True,
    )
    rows = [normalize(line) for line in done.stdout.decode().splitlines()]
    tuesday = [r for r in rows if r.startswith("Mardi ")]
    assert len(tuesday) == 1, tuesday
    assert re.fullmatch(
        r"Mardi 8 h 30 ?8 h 45 – 12 h 30 13 h 30 – 17 h 30 8 ?h ?7 ?h ?45", tuesday[0]
    )
    assert any(re.fullmatch(r"Lundi 8 h 30 – 12 h 30 13 h 30 – 17 h 30 8 ?h", r) for r in rows)


def test_the_facts_are_listed_in_french(revised: Revised) -> None:
    facts = [str(c) for c in compare_states(revised.root, "1", "2", Scope()).donnees]
    assert facts == [
        "Salbris · horaires du mardi : 08:30–12:30 / 13:30–17:30 → 08:45–12:30 / 13:30–17:30",
        "Salbris · wifi : — → oui",
    ]
    summary = revised.diff
    for fact in facts:
        assert f"  {fact}" in summary
    assert not re.search(r"\d{4}-\d\d-\d\d|[a-z_]+\.[a-z_]+|equipements|horaires ·", summary)


def test_the_diff_written_to_a_pipe_has_markers_and_no_colour(revised: Revised) -> None:
    assert "\x1b[" not in revised.diff
    assert f"    Mardi | [-{OLD}-]{{+{NEW}+}}{MORNING} | " in revised.diff
    assert "    {+Wifi pour les usagers+} | {+oui+}" in revised.diff
    coloured = run_cli("comparer", "-C", str(revised.root), "--depuis", "1", "--couleur")
    assert f"\x1b[31;9m{OLD}\x1b[0m\x1b[32;4m{NEW}\x1b[0m" in coloured.output
    assert "[-" not in coloured.output


def test_a_changed_row_is_compared_cell_by_cell() -> None:
    old = ["Horaires", "Jour | Matin | Durée", "Lundi | 08:30 – 12:30 | 4 h", "Samedi | fermé"]
    new = ["Horaires", "Jour | Matin | Durée", "Lundi | 09:00 – 12:30 | 3 h 30", "Fin."]
    found = blocks(paragraph_diff(old, new))
    assert isinstance(found[1], Table) and found[1].width == 3
    monday = found[1].rows[1]
    assert [
        [(op.kind, op.text) for op in cell if op.kind is not Kind.EQUAL] for cell in monday.cells
    ] == [
        [],
        [(Kind.DELETE, "08:30"), (Kind.INSERT, "09:00")],
        [(Kind.DELETE, "4 h"), (Kind.INSERT, "3 h 30")],
    ]
    assert found[1].rows[2].whole is Kind.DELETE  # Saturday's row removed whole
    # Two cells, then a row removed and a paragraph added in its place: one replacement.
    assert block_count(found) == 3
    plain = lines_to_terminal(paragraph_diff(old, new), colour=False).splitlines()
    assert "Lundi | [-08:30-]{+09:00+} – 12:30 | [-4 h-]{+3 h 30+}" in plain
    assert "[-Samedi-] | [-fermé-]" in plain and "{+Fin.+}" in plain


def test_a_french_time_changes_as_a_whole() -> None:
    changed = [
        (op.kind, op.text)
        for op in word_diff(f"Mardi | {OLD}{MORNING}", f"Mardi | {NEW}{MORNING}")
        if op.kind is not Kind.EQUAL
    ]
    assert changed == [(Kind.DELETE, OLD), (Kind.INSERT, NEW)]  # not « 8 h ~~30~~ __45__ »
