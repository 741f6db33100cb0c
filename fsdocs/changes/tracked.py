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
from datetime import UTC, datetime
from itertools import count
from typing import Any

from fsdocs.changes.redline import Kind, Line, Op
from fsdocs.changes.tables import Row, Table, blocks, spans
from fsdocs.docx.writer import reproducible

AUTHOR = "fsdocs"
DATE = "2020-02-06T12:00:00Z"


def redline_docx(
    sections: list[tuple[str, list[Line]]],
    titre: str = "",
    date: str = DATE,
    author: str = AUTHOR,
) -> bytes:
    """A DOCX with, for each section, its heading (if any) and its whole text with tracked
    changes, each signed ``author`` at ``date`` (ISO 8601)."""
    import docx

    document = docx.Document()
    # The template's own dates and author would make each redline a different file.
    when = datetime.fromisoformat(date.replace("Z", "+00:00"))
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    properties = document.core_properties
    properties.created = properties.modified = when.replace(tzinfo=None)
    properties.author = properties.last_modified_by = author
    properties.title = titre
    body = document.element.body
    for paragraph in list(body.iterchildren(_w("p"))):
        body.remove(paragraph)
    writer = _Writer(body, when.strftime("%Y-%m-%dT%H:%M:%SZ"), author)
    if titre:
        writer.heading(titre, "Title")
    for heading, lines in sections:
        if heading:
            writer.heading(heading, "Heading1")
        for item in blocks(lines):
            if isinstance(item, Table):
                writer.table(item)
            else:
                writer.paragraph(item)
    # Keep the section properties last, as Word requires.
    sect = body.find(_w("sectPr"))
    if sect is not None:
        body.remove(sect)
        body.append(sect)
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue(), when)


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


class _Writer:
    def __init__(self, body: Any, date: str, author: str) -> None:
        self.body = body
        self.date = date
        self.author = author
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
        self._runs(paragraph, line.ops)
        self.body.append(paragraph)

    def table(self, table: Table) -> None:
        """A bordered table (the template's « Table Grid »), one grid column per cell of its
        widest row."""
        from docx.oxml import OxmlElement

        element = OxmlElement("w:tbl")
        properties = OxmlElement("w:tblPr")
        style = OxmlElement("w:tblStyle")
        style.set(_w("val"), "TableGrid")
        width = OxmlElement("w:tblW")
        width.set(_w("w"), "5000")
        width.set(_w("type"), "pct")
        properties.append(style)
        properties.append(width)
        element.append(properties)
        grid = OxmlElement("w:tblGrid")
        for _ in range(table.width):
            grid.append(OxmlElement("w:gridCol"))
        element.append(grid)
        for row in table.rows:
            element.append(self._row(row, table.width))
        self.body.append(element)

    def _row(self, row: Row, width: int) -> Any:
        from docx.oxml import OxmlElement

        element = OxmlElement("w:tr")
        if row.whole is not Kind.EQUAL:
            properties = OxmlElement("w:trPr")
            properties.append(self._change(row.whole))
            element.append(properties)
        for cell, span in zip(row.cells, spans(row, width), strict=True):
            tc = OxmlElement("w:tc")
            if span > 1:
                cell_properties = OxmlElement("w:tcPr")
                grid_span = OxmlElement("w:gridSpan")
                grid_span.set(_w("val"), str(span))
                cell_properties.append(grid_span)
                tc.append(cell_properties)
            paragraph = OxmlElement("w:p")
            self._runs(paragraph, cell)
            tc.append(paragraph)
            element.append(tc)
        return element

    def _runs(self, paragraph: Any, ops: tuple[Op, ...]) -> None:
        for op in ops:
            if not op.text:
                continue
            run = self._run(op.text, op.kind)
            if op.kind is Kind.EQUAL:
                paragraph.append(run)
            else:
                change = self._change(op.kind)
                change.append(run)
                paragraph.append(change)

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
        change.set(_w("author"), self.author)
        change.set(_w("date"), self.date)
        return change
