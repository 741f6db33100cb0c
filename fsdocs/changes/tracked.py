"""A DOCX redline with real tracked changes (``w:ins`` / ``w:del``).

A reviewer opens it in Word or LibreOffice and accepts or rejects each change; accepting them
all gives the new text, rejecting them all the old one. A paragraph added or removed whole
carries its change on its paragraph mark too, so accepting or rejecting it leaves no empty
paragraph behind. The changes are those of :func:`fsdocs.changes.redline.paragraph_diff`,
the same the
HTML and PDF redlines show.
"""

from __future__ import annotations

import io
from datetime import datetime
from itertools import count
from typing import Any

from fsdocs.changes.redline import Kind, Line

AUTHOR = "fsdocs"
# Fixed by default, so that two redlines of the same texts are the same file.
DATE = "2020-02-06T12:00:00Z"


def redline_docx(
    sections: list[tuple[str, list[Line]]], titre: str = "", date: str = DATE
) -> bytes:
    """A DOCX with, for each section, its heading (if any) and its whole text with tracked
    changes."""
    import docx

    document = docx.Document()
    # The template's own dates and author would make each redline a different file.
    when = datetime.fromisoformat(date)
    properties = document.core_properties
    properties.created = properties.modified = when
    properties.author = properties.last_modified_by = AUTHOR
    properties.title = titre
    body = document.element.body
    for paragraph in list(body.iterchildren(_w("p"))):
        body.remove(paragraph)
    writer = _Writer(body, date)
    if titre:
        writer.heading(titre, "Title")
    for heading, lines in sections:
        if heading:
            writer.heading(heading, "Heading1")
        for line in lines:
            writer.paragraph(line)
    # Keep the section properties last, as Word requires.
    sect = body.find(_w("sectPr"))
    if sect is not None:
        body.remove(sect)
        body.append(sect)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


class _Writer:
    def __init__(self, body: Any, date: str) -> None:
        self.body = body
        self.date = date
        self.ids = count(1)

    def heading(self, text: str, style: str) -> None:
        from docx.oxml import OxmlElement

        paragraph = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        style_element = OxmlElement("w:pStyle")
        style_element.set(_w("val"), style)
        properties.append(style_element)
        paragraph.append(properties)
        paragraph.append(self._run(text, Kind.EQUAL))
        self.body.append(paragraph)

    def paragraph(self, line: Line) -> None:
        from docx.oxml import OxmlElement

        paragraph = OxmlElement("w:p")
        if line.whole is not Kind.EQUAL:
            properties = OxmlElement("w:pPr")
            run_properties = OxmlElement("w:rPr")
            run_properties.append(self._change(line.whole))
            properties.append(run_properties)
            paragraph.append(properties)
        for op in line.ops:
            if not op.text:
                continue
            run = self._run(op.text, op.kind)
            if op.kind is Kind.EQUAL:
                paragraph.append(run)
            else:
                change = self._change(op.kind)
                change.append(run)
                paragraph.append(change)
        self.body.append(paragraph)

    def _run(self, text: str, kind: Kind) -> Any:
        from docx.oxml import OxmlElement

        run = OxmlElement("w:r")
        element = OxmlElement("w:delText" if kind is Kind.DELETE else "w:t")
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        element.text = text
        run.append(element)
        return run

    def _change(self, kind: Kind) -> Any:
        from docx.oxml import OxmlElement

        change = OxmlElement("w:del" if kind is Kind.DELETE else "w:ins")
        change.set(_w("id"), str(next(self.ids)))
        change.set(_w("author"), AUTHOR)
        change.set(_w("date"), self.date)
        return change
