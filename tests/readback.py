"""Reading produced documents back as text, the way a reviewer's tools would."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

_PAGE_FOOTER = re.compile(r"^Page \d+ sur \d+$")


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def normalize(text: str) -> str:
    """Fold the differences that layout alone makes: spaces of every kind, line breaks, words
    hyphenated at a line's end (WeasyPrint's mark, U+2010, never typed in the data)."""
    text = unicodedata.normalize("NFC", text).replace(
        "\u2010\n", ""
    )  # hyphenation: « adminis‐/tratives »
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdftotext(path: Path) -> str:
    """The PDF's text in drawing order (``-raw``: no de-hyphenation, no column guessing)."""
    done = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def pdf_body(path: Path, running_header: str) -> str:
    """The PDF's text without running header, page footers and list markers, normalised.

    List markers are layout (CSS in the PDF, numbering in the DOCX), not words; WeasyPrint
    draws them after the page's text, each alone on its line. A line that ends with a hyphen
    was broken inside a compound word ("rendez-/vous") and joins the next without a space;
    one that ends with WeasyPrint's hyphenation mark (U+2010) joins it without the mark.
    """
    lines: list[str] = []
    for line in pdftotext(path).splitlines():
        flat = normalize(line)
        if flat in {normalize(running_header), "–"} or _PAGE_FOOTER.match(flat):
            continue
        lines.append(line)
    return normalize(re.sub(r"(?<=\w[-/])\n", "", "\n".join(lines)))


def _docx_body(path: Path) -> Iterator[DocxParagraph | Table]:
    """The DOCX body's paragraphs and tables, in document order."""
    document = Document(str(path))
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield DocxParagraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def docx_paragraphs(path: Path) -> list[str]:
    """The text of each paragraph of the DOCX body, in reading order: table cells' too (the
    signature blocks are laid side by side in a table), cell after cell, row after row."""
    texts: list[str] = []
    for item in _docx_body(path):
        if isinstance(item, Table):
            texts += [p.text for cell in _cells(item) for p in cell.paragraphs]
        else:
            texts.append(item.text)
    return texts


def _cells(table: Table) -> list[_Cell]:
    """The table's cells, row by row; a merged cell once."""
    seen: set[int] = set()
    cells = []
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) not in seen:  # python-docx repeats a merged cell per column
                seen.add(id(cell._tc))
                cells.append(cell)
    return cells


def docx_body(path: Path) -> str:
    return normalize("\n".join(docx_paragraphs(path)))


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Each table of the DOCX body as rows of cell texts; a merged cell counts once."""
    document = Document(str(path))
    return [_rows(table) for table in document.tables]


def _rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) not in seen:  # python-docx repeats a merged cell per column
                seen.add(id(cell._tc))
                cells.append("\n".join(p.text for p in cell.paragraphs))
        rows.append(cells)
    return rows


def docx_blocks(path: Path) -> list[str]:
    """The DOCX body's paragraphs and table cells in document order (row by row)."""
    texts: list[str] = []
    for item in _docx_body(path):
        if isinstance(item, Table):
            texts += [cell for row in _rows(item) for cell in row]
        else:
            texts.append(item.text)
    return texts


def docx_text(path: Path) -> str:
    """The DOCX body, tables included, normalised like :func:`pdf_body`."""
    return normalize("\n".join(docx_blocks(path)))


def docx_header(path: Path) -> str:
    section = Document(str(path)).sections[0]
    return normalize("\n".join(p.text for p in section.header.paragraphs))


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Each font a PDF uses, by name without its subset prefix: whether it is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = embedded
    return fonts


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page, in points
    x1: float
    y1: float


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: tuple[Word, ...]


def pdf_words(path: Path) -> list[PageWords]:
    """Each page's size and words with their boxes (``pdftotext -bbox``), in reading order."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    xhtml = done.stdout.decode("utf-8")
    root = ET.fromstring(xhtml[xhtml.index("<html") :])
    ns = "{http://www.w3.org/1999/xhtml}"
    return [
        PageWords(
            float(page.attrib["width"]),
            float(page.attrib["height"]),
            tuple(
                Word(
                    word.text or "",
                    *(float(word.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")),
                )
                for word in page.iter(f"{ns}word")
            ),
        )
        for page in root.iter(f"{ns}page")
    ]
