"""Reading produced documents back as text, the way a reviewer's tools would."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

from docx import Document
from pypdf import PdfReader

_PAGE_FOOTER = re.compile(r"^Page \d+ sur \d+$")


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def normalize(text: str) -> str:
    """Fold the differences that layout alone makes: spaces of every kind, line breaks."""
    text = unicodedata.normalize("NFC", text)
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
    was broken inside a compound word ("rendez-/vous") and joins the next without a space.
    """
    lines: list[str] = []
    for line in pdftotext(path).splitlines():
        flat = normalize(line)
        if flat in {normalize(running_header), "–"} or _PAGE_FOOTER.match(flat):
            continue
        lines.append(line)
    return normalize(re.sub(r"(?<=\w-)\n", "", "\n".join(lines)))


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def docx_body(path: Path) -> str:
    return normalize("\n".join(docx_paragraphs(path)))


def docx_header(path: Path) -> str:
    section = Document(str(path)).sections[0]
    return normalize("\n".join(p.text for p in section.header.paragraphs))
