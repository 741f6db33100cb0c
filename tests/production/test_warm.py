"""The warm build for the web application's previews (``preview_first``): a changed
structure's HTML page is written before Annexe 4 is laid out again, and the caller is told
at each stage."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fsdocs.production.warm import WarmBuild
from tests.readback import normalize, pdftotext


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_page_comes_before_its_pdf_and_each_stage_is_told(default_project: Path) -> None:
    engine = WarmBuild(default_project, ("pdf", "html"), jobs=1, preview_first=True)
    engine.rebuild()
    pages = default_project / "output" / "structures"
    html, pdf = pages / "annexe-4-blois.html", pages / "annexe-4-blois.pdf"
    before = {html: _digest(html), pdf: _digest(pdf)}
    blois = default_project / "annexes" / "structures" / "blois.yaml"
    blois.write_text(
        blois.read_text("utf-8").replace("lundi: 13:30", "samedi: 09:00-12:00\n  lundi: 13:30"),
        "utf-8",
    )

    seen: list[tuple[str, bool, bool]] = []

    def staged(stage: str) -> None:
        seen.append((stage, _digest(html) != before[html], _digest(pdf) != before[pdf]))

    engine.rebuild([blois], staged)
    # The page's HTML first (its PDF still the old one), then the PDF.
    assert seen == [("autres", True, False), ("pdf", True, True)]
    assert "Samedi 9 h – 12 h" in normalize(pdftotext(pdf))
    page = normalize(re.sub(r"<[^>]+>", " ", html.read_text("utf-8")))
    assert "Samedi 9 h – 12 h 3 h" in page


def test_without_preview_first_the_pdf_comes_first(default_project: Path) -> None:
    engine = WarmBuild(default_project, ("pdf", "html"), jobs=1)
    engine.rebuild()
    blois = default_project / "annexes" / "structures" / "blois.yaml"
    blois.write_text(
        blois.read_text("utf-8").replace("lundi: 13:30", "samedi: 09:00-12:00\n  lundi: 13:30"),
        "utf-8",
    )
    stages: list[str] = []
    engine.rebuild([blois], stages.append)
    assert stages == ["pdf", "autres"]
