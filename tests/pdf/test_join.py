"""Joining national pages: a page without a valid /MediaBox neither stops the dossier nor
turns wrong — it is set on A4."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, NameObject, NumberObject

from fsdocs.pdf.join import page_size, upright


def _reader() -> PdfReader:
    """Two pages, the first 612 × 792 pt, the second without a /MediaBox and turned 90°
    (pikepdf writes what it is given; qpdf would give it US Letter on reading)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.add_blank_page(page_size=(612, 792))
    del pdf.pages[1].obj["/MediaBox"]
    pdf.pages[1].obj.Rotate = 90
    out = io.BytesIO()
    pdf.save(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def test_the_size_of_a_page_without_media_box_is_a4() -> None:
    reader = _reader()
    with pytest.raises(ValueError, match="/MediaBox"):
        reader.pages[1].mediabox  # noqa: B018 (what the dossier's numbering used to read)
    assert page_size(reader.pages[0]) == (612, 792)
    assert page_size(reader.pages[1]) == (595.28, 841.89)


def test_a_turned_page_without_media_box_is_set_upright_on_a4() -> None:
    pages = upright(_reader()).pages
    assert [float(v) for v in pages[0].mediabox] == [0, 0, 612, 792]
    assert [round(float(v), 2) for v in pages[1].mediabox] == [0, 0, 841.89, 595.28]
    assert not pages[1].get("/Rotate")


def test_an_empty_media_box_counts_as_none() -> None:
    page = _reader().pages[0]
    page[NameObject("/MediaBox")] = ArrayObject([NumberObject(0)] * 4)
    assert page_size(page) == (595.28, 841.89)
