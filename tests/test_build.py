"""End-to-end build of the default convention, read back from the PDF and the DOCX."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.build import build

from .conftest import RUNNING_HEADER, Built
from .readback import docx_body, docx_header, pdf_body


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
