"""The reviewers' comparison: two states chosen, the redline side by side (deletions on the
left, insertions on the right, tables kept), the changed facts, and the redline as PDF and
DOCX read back as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from fsdocs.production.snapshot import documents
from fsdocs.versions.record import record_version
from tests.readback import docx_text, normalize, pdftotext
from tests.web.conftest import BLOIS, PREFECTURE, RELECTEUR, sign_in

BLOIS_FILE = "annexes/structures/blois.yaml"


@pytest.fixture
def changed(web_root: Path) -> Path:
    """Version 1 recorded, then Blois's address changed in the current files."""
    record_version(web_root, "Claire Martin", "Première version", documents)
    path = web_root / BLOIS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("11 place René Coty", "133 rue Michel Bégon"), encoding="utf-8")
    return web_root


def test_the_form_offers_the_versions_and_the_current_state(app: Flask, changed: Path) -> None:
    page = sign_in(app, RELECTEUR).get("/comparer").get_data(as_text=True)
    assert '<select id="de" name="de">' in page and '<select id="a" name="a">' in page
    assert '<option value="1" selected>version 1' in page
    assert '<option value="courant" selected>état actuel</option>' in page
    assert 'id="comparer"' in page and '<label for="de">' in page


def test_a_reviewer_reads_the_redline_side_by_side(app: Flask, changed: Path) -> None:
    answer = sign_in(app, RELECTEUR).get("/comparer?de=1&a=courant")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    redline = page.split('<section id="redline"')[1].split("</section>")[0]
    assert '<th scope="col">Avant</th><th scope="col">Après</th>' in redline
    left, right = _first_changed_row(redline)
    assert "<del>" in left and "<ins>" not in left and "René Coty" in left
    assert "<ins>" in right and "<del>" not in right and "Michel Bégon" in right
    data = page.split('<section id="donnees"')[1].split("</section>")[0]
    assert "11 place René Coty → 133 rue Michel Bégon" in data
    assert 'id="telecharger-pdf" href="/comparer/1/courant.pdf"' in page
    assert 'id="telecharger-docx" href="/comparer/1/courant.docx"' in page


def test_tables_stay_tables_in_both_columns(app: Flask, changed: Path) -> None:
    path = changed / BLOIS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("lundi: 13:30-17:30", "lundi: 14:00-17:30"), encoding="utf-8")
    page = sign_in(app, PREFECTURE).get("/comparer?de=1&a=courant").get_data(as_text=True)
    redline = page.split('<section id="redline"')[1].split("</section>")[0]
    tables = redline.split('<table class="redline-tableau">')[1:]
    assert len(tables) >= 2  # the hours' table, before and after
    assert any("<del>13:30</del>" in t or "<del>13" in t for t in tables)
    assert any("<ins>14:00</ins>" in t or "<ins>14" in t for t in tables)


def test_the_redline_downloads_as_pdf_and_docx(app: Flask, changed: Path) -> None:
    client = sign_in(app, RELECTEUR)
    pdf = client.get("/comparer/1/courant.pdf")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    saved = changed.parent / "modifications.pdf"
    saved.write_bytes(pdf.data)
    text = normalize(pdftotext(saved))
    assert "René Coty" in text and "Michel Bégon" in text
    docx = client.get("/comparer/1/courant.docx")
    assert docx.status_code == 200 and docx.content_type.endswith("wordprocessingml.document")
    saved_docx = changed.parent / "modifications.docx"
    saved_docx.write_bytes(docx.data)
    assert "Annexe 4 – France services Blois" in docx_text(saved_docx)
    # The change is tracked: the old words deleted, the new ones inserted, for Word to accept.
    xml = _document_xml(saved_docx).decode("utf-8")
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml))
    inserted = "".join(
        re.findall(r"<w:t[^>]*>([^<]*)</w:t>", "".join(re.findall(r"<w:ins .*?</w:ins>", xml)))
    )
    assert "11 place René Coty" in normalize(deleted)
    assert "133 rue Michel Bégon" in normalize(inserted)


def test_bad_states_are_refused(app: Flask, changed: Path) -> None:
    client = sign_in(app, RELECTEUR)
    assert client.get("/comparer?de=../x&a=courant").status_code == 422
    assert client.get("/comparer?de=7&a=courant").status_code == 422
    assert client.get("/comparer/7/courant.pdf").status_code == 404
    assert client.get("/comparer/1/1.pdf").status_code == 404  # nothing changed


@pytest.mark.parametrize(
    "url", ["/comparer", "/comparer?de=1&a=courant", "/comparer/1/courant.pdf", "/versions"]
)
def test_managers_cannot_compare(app: Flask, changed: Path, url: str) -> None:
    assert sign_in(app, BLOIS).get(url).status_code == 403


_BLOCK = r'(<p>.*?</p>|<table class="redline-tableau">.*?</table>|)'
_SIDE_BY_SIDE_ROW = re.compile(f"<tr><td>{_BLOCK}</td><td>{_BLOCK}</td></tr>")


def _first_changed_row(redline: str) -> tuple[str, str]:
    """The « avant » and « après » cells of the first row of the two columns that changed."""
    for left, right in _SIDE_BY_SIDE_ROW.findall(redline):
        if "<del>" in left or "<ins>" in right:
            return left, right
    raise AssertionError("no changed row in the redline")


def _document_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")
