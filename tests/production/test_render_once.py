"""A cold build lays out each document once and renders each DOCX once; a warm one, nothing.

The real WeasyPrint and DOCX entry points are wrapped (they still do the work) and each call is
recorded with what it laid out; the build runs in this process (``jobs=1``) so that every call
is seen. A second pass over any document — a job made twice, a font sample laid out again —
shows as a name twice in the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from pypdf import PdfReader

from fsdocs.docx import writer
from fsdocs.pdf.metadata import Metadata
from fsdocs.production import workers
from fsdocs.production.build import build
from fsdocs.rules.checked import load_project
from fsdocs.wording.context import get_context
from fsdocs.wording.registry import all_parts
from tests.conftest import copy_default_project

# What a cold build of the default project lays out, each once: the convention and annexes
# 5 to 8 alone, Annexe 4's four structure pages together (one WeasyPrint document, from which
# each structure's file and Annexe 4 take their pages), and the line whose font draws the page
# numbers.
LAYOUTS = sorted(
    [
        "convention",
        "annexe-5",
        "annexe-6",
        "annexe-7",
        "annexe-8",
        "lot de 4 pages de structures",
        "échantillon du pied de page",
    ]
)
# One DOCX per file: the convention, Annexe 4, its four structures, annexes 5 to 8.
DOCX_PARTS = 10


class Calls:
    def __init__(self) -> None:
        self.layouts: list[str] = []
        self.docx: list[str] = []
        self.metadata = 0
        self.passes = 0  # runs of jobs (each may lay out many documents)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()

    class CountedHtml(weasyprint.HTML):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.fsdocs_source = str(kwargs.get("string", ""))
            super().__init__(*args, **kwargs)

        def render(self, *args: Any, **kwargs: Any) -> Any:
            seen.layouts.append(self.fsdocs_source)
            return super().render(*args, **kwargs)

    real_docx = writer.blocks_to_docx

    def counted_docx(template: Path, content: Any, entete: str, meta: Any, *rest: Any) -> bytes:
        seen.docx.append(meta["title"])
        return real_docx(template, content, entete, meta, *rest)

    real_fields: Callable[[Metadata], dict[str, str]] = Metadata.fields

    def counted_fields(self: Metadata) -> dict[str, str]:
        seen.metadata += 1
        return real_fields(self)

    real_run = workers.run

    def counted_run(jobs: list[workers.Job], count: int | None = None) -> Any:
        seen.passes += 1
        return real_run(jobs, count)

    monkeypatch.setattr(workers, "run", counted_run)
    monkeypatch.setattr(weasyprint, "HTML", CountedHtml)
    monkeypatch.setattr(writer, "blocks_to_docx", counted_docx)
    monkeypatch.setattr(Metadata, "fields", counted_fields)
    return seen


def _laid_out(root: Path, pages: list[str]) -> list[str]:
    """What each layout was of, by part name (a part's page has its title in <title>)."""
    titles = _parts(root)
    return sorted(_describe(page, titles) for page in pages)


def _parts(root: Path) -> dict[str, str]:
    """Each part's name by its title."""
    project = load_project(root)
    return {part.titre: part.name for part in all_parts(project, get_context(project))}


def _describe(html: str, titles: dict[str, str]) -> str:
    if "pied-echantillon" in html:
        return "échantillon du pied de page"
    members = html.count('class="lot"')
    if members:
        return f"lot de {members} pages de structures"
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    title = unescape(found.group(1).strip()) if found else ""
    return titles.get(title, f"(inconnu : {title})")


def test_a_cold_build_lays_out_each_document_once(tmp_path: Path, calls: Calls) -> None:
    root = copy_default_project(tmp_path / "projet")
    result = build(root, jobs=1)

    assert _laid_out(root, calls.layouts) == LAYOUTS
    assert calls.passes == 1  # the footer's sample too: no second pass for it
    parts = _parts(root)
    assert sorted(parts[title] for title in calls.docx) == sorted(parts.values())
    assert len(calls.docx) == DOCX_PARTS
    assert calls.metadata == DOCX_PARTS  # each document's metadata, built once
    # The documents are whole all the same: the structures' pages are in Annexe 4's file.
    annexe_4 = PdfReader(root / "output" / "annexe-4.pdf")
    structures = [n for n in result.rendered if n.startswith("annexe-4-")]
    assert len(annexe_4.pages) >= len(structures) == 4


def test_a_warm_rebuild_lays_out_nothing(tmp_path: Path, calls: Calls) -> None:
    root = copy_default_project(tmp_path / "projet")
    build(root, jobs=1)
    calls.layouts.clear()
    calls.docx.clear()
    calls.metadata = 0

    result = build(root, jobs=1)

    assert calls.layouts == [] and calls.docx == []
    assert calls.metadata == DOCX_PARTS
    assert result.laid_out == 0 and result.rendered == ()
