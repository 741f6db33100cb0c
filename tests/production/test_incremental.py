"""Incremental and parallel builds: what is laid out again, and what is not.

A part is laid out again exactly when something it shows changed; everything else comes from
the cache in output/.cache, and the documents are the same bytes whichever way they were made.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.files.write import DIGESTS
from fsdocs.production.build import build
from fsdocs.production.cache import CACHE, Cache, assets_digest
from fsdocs.production.progress import Progress
from tests.conftest import copy_default_project
from tests.readback import normalize, pdf_pages

PARTS = [
    "annexe-4-blois",
    "annexe-4-bus-beauce-val-de-loire",
    "annexe-4-mondoubleau",
    "annexe-4-salbris",
    "annexe-5",
    "annexe-6",
    "annexe-7",
    "annexe-8",
    "convention",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1580990400")
    return copy_default_project(tmp_path / "projet")


def _digests(root: Path) -> dict[str, str]:
    out = root / "output"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in [*out.iterdir(), *out.glob("structures/*")]
        if p.is_file() and p.name != DIGESTS
    }


def _salbris_opens_on_saturday(root: Path) -> None:
    salbris = root / "annexes" / "structures" / "salbris.yaml"
    text = salbris.read_text("utf-8")
    salbris.write_text(text.replace("horaires:\n", "horaires:\n  samedi: 09:00-12:00\n"))


def test_a_cold_build_lays_out_every_part_once(project: Path) -> None:
    result = build(project)
    # Annexe 4 as a whole is its structures' pages: it is not laid out a second time.
    assert result.rendered == tuple(PARTS)
    assert len(PdfReader(project / "output" / "annexe-4.pdf").pages) == 4


def test_an_unchanged_project_is_not_laid_out_again_and_gives_the_same_files(
    project: Path,
) -> None:
    build(project)
    before = _digests(project)
    again = build(project)
    assert again.rendered == ()
    assert again.laid_out == 0
    # The layout and the DOCX of each part, and the DOCX of Annexe 4 as a whole; the numbered
    # PDFs themselves come from the cache too.
    assert again.reused == len(PARTS) * 2 + 1
    assert _digests(project) == before


def test_one_structure_changed_lays_out_only_its_page(project: Path) -> None:
    build(project)
    before = _digests(project)
    pages_before = pdf_pages(project / "output" / "annexe-4.pdf")
    _salbris_opens_on_saturday(project)
    result = build(project)
    assert result.rendered == ("annexe-4-salbris",)
    after = _digests(project)
    changed = sorted(name for name in after if after[name] != before[name])
    # Its page, Annexe 4 as a whole, and their DOCX and HTML; nothing else.
    assert changed == [
        "annexe-4-salbris.docx",
        "annexe-4-salbris.html",
        "annexe-4-salbris.pdf",
        "annexe-4.docx",
        "annexe-4.html",
        "annexe-4.pdf",
    ]
    pages = pdf_pages(project / "output" / "annexe-4.pdf")
    salbris = [n for n, text in enumerate(pages) if "France services Salbris" in normalize(text)]
    assert len(salbris) == 1
    assert "Samedi" in pages[salbris[0]] and "9 h – 12 h" in normalize(pages[salbris[0]])
    assert "9 h – 12 h" not in normalize(pages_before[salbris[0]])
    assert [t for n, t in enumerate(pages) if n != salbris[0]] == [
        t for n, t in enumerate(pages_before) if n != salbris[0]
    ]


def test_a_renamed_structure_lays_out_exactly_the_parts_that_show_its_name(
    project: Path,
) -> None:
    build(project)
    salbris = project / "annexes" / "structures" / "salbris.yaml"
    text = salbris.read_text("utf-8")
    salbris.write_text(text.replace("nom: France services Salbris", "nom: Maison Salbris-Sologne"))
    result = build(project)
    out = project / "output"
    showing = {
        p.stem
        for p in [*out.glob("*.html"), *out.glob("structures/*.html")]
        if "Maison Salbris-Sologne" in p.read_text("utf-8") and p.stem != "annexe-4"
    }
    assert "annexe-8" in showing and "annexe-4-salbris" in showing
    assert set(result.rendered) == showing


def test_a_changed_stylesheet_lays_out_everything_again(project: Path) -> None:
    build(project)
    templates = project / "templates" / "html"
    templates.mkdir(parents=True)
    css = (Path(__file__).resolve().parents[2] / "templates/html/convention.css").read_text()
    (templates / "convention.css").write_text(css.replace("#000091", "#000090"))
    assert build(project).rendered == tuple(PARTS)


def test_the_cache_key_covers_the_fonts(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "templates"
    shutil.copytree(source, tmp_path / "templates")
    before = assets_digest([tmp_path / "templates"])
    font = tmp_path / "templates" / "assets" / "fonts" / "Inter-Bold.otf"
    data = bytearray(font.read_bytes())
    data[-1] ^= 1
    font.write_bytes(bytes(data))
    assert assets_digest([tmp_path / "templates"]) != before


def test_a_damaged_cache_entry_is_laid_out_again(project: Path) -> None:
    build(project)
    before = _digests(project)
    # Structure pages laid out together point to their lot's document (an empty entry).
    entries = [p for p in (project / "output" / CACHE).glob("*/*.data") if p.stat().st_size]
    assert entries
    for entry in entries:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    result = build(project)
    assert result.rendered == tuple(PARTS)
    assert _digests(project) == before


def test_worker_processes_give_the_same_bytes_as_one(project: Path, tmp_path: Path) -> None:
    other = copy_default_project(tmp_path / "autre")
    build(project, jobs=1)
    build(other, jobs=2)
    assert _digests(other) == _digests(project)


def test_an_unreadable_cache_only_costs_time(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / CACHE).write_text("pas un dossier")  # the cache cannot be written
    result = build(project)
    assert result.rendered == tuple(PARTS)
    assert "Page 1 sur 1" in pdf_pages(project / "output" / "structures" / "annexe-4-blois.pdf")[0]


def test_old_unused_entries_are_pruned_by_a_full_build(project: Path) -> None:
    build(project)
    cache = Cache(project / "output")
    cache.put("ff" + "0" * 62, b"ancien", {})
    stale = project / "output" / CACHE / "ff" / ("ff" + "0" * 62 + ".json")
    import os

    os.utime(stale, (1_000_000, 1_000_000))
    build(project, annexe=5)  # a partial build keeps it
    assert stale.exists()
    build(project)
    assert not stale.exists()
    assert build(project).rendered == ()  # the entries in use stayed


def test_page_numbers_are_drawn_on_every_page(project: Path) -> None:
    build(project)
    pages = pdf_pages(project / "output" / "convention.pdf")
    for number, text in enumerate(pages, 1):
        assert text.rstrip().endswith(f"Page {number} sur {len(pages)}"), text[-80:]
    aggregate = pdf_pages(project / "output" / "annexe-4.pdf")
    assert [t.rstrip()[-12:] for t in aggregate] == [f"Page {n} sur 4" for n in range(1, 5)]
    reader = PdfReader(io.BytesIO((project / "output" / "annexe-4.pdf").read_bytes()))
    assert reader.metadata is not None
    assert reader.metadata.title.startswith("Annexe 4 – Modalités de gestion")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_shows_pages_rate_and_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([0.0, 2.0, 2.5, 3.0])
    monkeypatch.setattr("fsdocs.production.progress.time.monotonic", lambda: next(clock))
    stream = _Terminal()
    progress = Progress(4, stream)
    progress.advance(pages=10)  # at 2 s: 1 of 4 documents, 10 pages
    line = stream.getvalue()
    assert "1/4 documents · 10 pages · 5 pages/s · reste 0:06" in line
    progress.advance(pages=10)  # at 2.5 s
    assert "2/4 documents · 20 pages · 8 pages/s · reste 0:02" in stream.getvalue()
    progress.close()
    assert stream.getvalue().endswith("\r\033[K")


def test_no_progress_line_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 5.0, 6.0])
    monkeypatch.setattr("fsdocs.production.progress.time.monotonic", lambda: next(clock))
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress.advance(pages=3)
    progress.advance(pages=3)
    progress.close()
    assert stream.getvalue() == ""
