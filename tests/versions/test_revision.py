"""The bundle and the versions: after a revision, the bundle names the versions it compares and
carries, after its index, the « Tableau des modifications » and the redline pages; identical
versions add no page."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.bundle.assemble import BUNDLE
from fsdocs.changes.compare import Scope, compare_states
from tests.bundle.test_assemble import _page_texts, _stamped_number
from tests.conftest import copy_default_project, run_cli
from tests.readback import normalize

SALBRIS = "annexes/structures/salbris.yaml"
DAY = "6 février 2020"  # SOURCE_DATE_EPOCH


@dataclass(frozen=True)
class Revised:
    root: Path
    pages: list[str]  # the bundle presenting version 2, page by page
    plain: list[str]  # the same project's bundle before any version was recorded


def _bundle(root: Path, *options: str) -> list[str]:
    result = run_cli("bundle", "-C", str(root), *options)
    assert result.exit_code == 0, result.output
    assert "13 champs de signature" in result.stdout
    return [normalize(t) for t in _page_texts(root / "output" / BUNDLE)]


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Revised]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1580990400")
    root = copy_default_project(tmp_path_factory.mktemp("revision") / "projet")
    plain = _bundle(root)
    assert run_cli("version", "-C", str(root), "-m", "Signée").exit_code == 0
    salbris = root / SALBRIS
    salbris.write_text(salbris.read_text("utf-8").replace("08:30", "08:45"), "utf-8")
    assert run_cli("version", "-C", str(root), "-m", "Horaires de Salbris").exit_code == 0
    yield Revised(root, _bundle(root), plain)
    mp.undo()


def test_the_cover_names_the_versions_compared(revised: Revised) -> None:
    cover = revised.pages[0]
    assert f"Version présentée : version 2 du {DAY}." in cover
    assert f"Comparée à la version 1 du {DAY} : voir le tableau des modifications." in cover
    assert "Convention version 1 inchangée" in cover
    assert "Annexe 6 – Tableau récapitulatif des référents version 1 inchangée" in cover
    assert "Annexe 1 – Charte nationale d’engagement jointe par référence" in cover
    count = compare_states(revised.root, "1", "2", Scope()).modifications
    assert re.search(rf"Annexe 4 – Modalités [^–]*version 2 {count} modifications", cover), cover


def test_the_table_of_changes_and_the_redline_follow_the_index(revised: Revised) -> None:
    pages = revised.pages
    assert len(pages) == len(revised.plain) + 2  # the table, one redline page
    table, redline = pages[2], pages[3]
    assert "Tableau des modifications" in table
    assert f"Changements de la version 1 du {DAY} à la version 2 du {DAY}." in table
    row = re.search(
        r"Annexe 4 – France services Salbris +modifiée +(\d+) modifications +(\d+)", table
    )
    assert row is not None, table
    assert int(row.group(2)) == _stamped_number(redline)[0] == 4
    assert "Modifications – Annexe 4 – France services Salbris" in redline
    assert f"{row.group(1)} modifications (modifiée, de la version 1" in redline
    assert (
        "Salbris · horaires du mardi : 08:30–12:30 / 13:30–17:30 → 08:45–12:30 / 13:30–17:30"
        in table
    )
    # The redline shows the old and the new hours; the rest of the bundle only the new ones.
    assert "8 h 30" in redline and "8 h 45" in redline
    index = pages[1]
    for title, number in re.findall(r"(\S[^.]*?) ?\.{3,} ?(\d+)", index):
        assert _stamped_number(pages[int(number) - 1])[0] == int(number), title
    assert re.search(r"Tableau des modifications \.+ ?3 ", index)
    # The rest of the bundle is the plain one two pages further, but for Salbris's new hours.
    rest, plain = pages[4:], revised.plain[2:]
    assert len(rest) == len(plain)
    differing = [
        k
        for k, (a, b) in enumerate(zip(rest, plain, strict=True))
        if a.split("Page ")[0] != b.split("Page ")[0]
    ]
    assert len(differing) == 1 and "Salbris – labellisée" in rest[differing[0]]


def test_the_outline_lists_the_changes(revised: Revised) -> None:
    reader = PdfReader(revised.root / "output" / BUNDLE)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "Tableau des modifications"
    nested = reader.outline[1]
    assert isinstance(nested, list)
    assert nested[0].title == "Modifications – Annexe 4 – France services Salbris"


def test_compared_with_itself_the_bundle_has_no_change_page(
    revised: Revised, tmp_path: Path
) -> None:
    root = tmp_path / "projet"
    shutil.copytree(revised.root, root, symlinks=True)
    pages = _bundle(root, "--depuis", "2")
    assert len(pages) == len(revised.plain)
    assert f"Comparée à la version 2 du {DAY} : aucune modification." in pages[0]
    assert not any("Tableau des modifications" in p for p in pages)


def test_a_version_that_changes_nothing_visible_adds_no_change_page(
    revised: Revised, tmp_path: Path
) -> None:
    """Version 3 only adds a comment to a data file: the bundle presenting it compares it
    with version 2, finds nothing a reader would see, and has no table nor redline page."""
    root = tmp_path / "projet"
    shutil.copytree(revised.root, root, symlinks=True)
    salbris = root / SALBRIS
    salbris.write_text(salbris.read_text("utf-8") + "# relu\n", "utf-8")
    assert run_cli("version", "-C", str(root), "-m", "Relue").exit_code == 0
    assert compare_states(root, "2", "3", Scope()).vide
    pages = _bundle(root)
    assert len(pages) == len(revised.plain)
    assert f"Comparée à la version 2 du {DAY} : aucune modification." in pages[0]
    assert not any("Tableau des modifications" in p or "Modifications –" in p for p in pages)


def test_an_unrecorded_change_is_said_and_compared_with_the_last_version(
    revised: Revised, tmp_path: Path
) -> None:
    root = tmp_path / "projet"
    shutil.copytree(revised.root, root, symlinks=True)
    blois = root / "annexes" / "structures" / "blois.yaml"
    text = blois.read_text("utf-8")
    assert "09:00" in text
    blois.write_text(text.replace("09:00", "09:15"), "utf-8")
    pages = _bundle(root)
    cover = pages[0]
    assert "Version présentée : état actuel (non enregistré), modifié depuis la version 2." in cover
    assert re.search(r"Annexe 4 – Modalités [^–]*non enregistrée \d+ modifications", cover)
    assert "Tableau des modifications" in pages[2]
    assert "Blois" in pages[2] and "Salbris" not in pages[2]


def test_a_bundle_since_an_unknown_version_is_refused(revised: Revised) -> None:
    result = run_cli("bundle", "-C", str(revised.root), "--depuis", "7")
    assert result.exit_code == 1
    assert "version 7 inconnue" in result.output
