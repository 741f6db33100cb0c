"""End-to-end build of the default convention, read back from the PDF and the DOCX."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.production.build import build
from fsdocs.rules.checked import load_project
from tests.conftest import RUNNING_HEADER, Built
from tests.readback import docx_body, docx_header, normalize, pdf_body, pdf_fonts, pdftotext


def test_docx_says_what_the_pdf_says(built_default: Built) -> None:
    pdf = pdf_body(built_default.pdf, RUNNING_HEADER)
    docx = docx_body(built_default.docx)
    assert docx == pdf


def test_running_header_names_the_departement(built_default: Built) -> None:
    assert docx_header(built_default.docx) == RUNNING_HEADER
    second_page = PdfReader(built_default.pdf).pages[1].extract_text()
    assert RUNNING_HEADER in second_page
    assert "Page 2 sur" in second_page


def test_pdf_metadata_comes_from_the_convention(built_default: Built) -> None:
    info = PdfReader(built_default.pdf).metadata
    assert info is not None
    assert info.title == "Convention départementale France services de Loir-et-Cher"
    assert info.author == "Préfecture de Loir-et-Cher"
    assert info["/CreationDate"].startswith("D:20200206")


def test_rendering_logs_no_warning(default_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint warns about ignored CSS, missing glyphs and unreachable resources: none here."""
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    with caplog.at_level(logging.WARNING):
        build(default_project)
    assert [r.getMessage() for r in caplog.records] == []


def _page_lines(pdf: Path) -> list[list[str]]:
    """Each page's body lines, in reading order, without running header and footer."""
    pages = pdftotext(pdf).split("\f")
    result = []
    for page in pages:
        lines = [normalize(line) for line in page.splitlines()]
        result.append(
            [
                line
                for line in lines
                if line and line != RUNNING_HEADER and not line.startswith("Page ") and line != "–"
            ]
        )
    return [lines for lines in result if lines]


HEADING = re.compile(
    r"^(Préambule|Article \d+(er)? – |\d\.\d(\.\d)? [A-ZÉ]"
    r"|Les (gestionnaires|partenaires) France services$|L[ea] Préf)"
)


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(built_default: Built) -> None:
    pages = _page_lines(built_default.pdf)
    assert len(pages) > 5
    for number, lines in enumerate(pages[:-1], start=1):
        assert not HEADING.match(lines[-1]), f"page {number} se termine par un titre : {lines[-1]}"


def test_each_signature_block_stays_on_one_page(built_default: Built) -> None:
    """A signatory's name and function are never separated by a page break."""
    project = load_project(built_default.root)
    pages = [" ".join(lines).replace("’", "'") for lines in _page_lines(built_default.pdf)]
    signature_pages = [i for i, text in enumerate(pages) if "Les signataires" in text]
    assert signature_pages, "page des signatures introuvable"
    after = pages[signature_pages[0] :]
    for party in (*project.gestionnaires, *project.partenaires):
        person = party.representant
        name = normalize(f"{person.prenom} {person.nom}")
        holding = [text for text in after if name in text]
        assert len(holding) == 1, f"{name} : {len(holding)} pages"
        assert normalize(person.fonction or "").split(",")[0] in holding[0]


def test_fonts_are_the_projects_and_embedded(built_default: Built) -> None:
    fonts = pdf_fonts(built_default.pdf)
    assert fonts == {
        "Inter": True,
        "Inter-Bold": True,
        "Inter-Semi-Bold": True,
        "Inter-Italic": True,
    }
