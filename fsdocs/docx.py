"""DOCX rendering: the wording's blocks laid into the layout template.

docxtpl renders the template (running header, footer, styles); the body is then built with
python-docx from the same blocks as the PDF (see document.py), so the DOCX says exactly what
the PDF says. Tables repeat their header row on each page and never split a row.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from .document import Block, Cell, PageBreak, Paragraph, Table
from .errors import RenderError

BODY_MARKER = "⟦corps⟧"  # what {{ corps }} renders to; replaced by the document's blocks


def blocks_to_docx(
    template: Path,
    content: list[Block],
    entete: str,
    meta: dict[str, str],
    created: datetime,
    landscape: bool = False,
) -> bytes:
    """Render the DOCX; ``meta`` fills its core properties (title, author, subject…)."""
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(str(template))
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        tpl.render({"corps": BODY_MARKER, "entete": entete}, jinja_env=env, autoescape=True)
    except (jinja2.TemplateError, OSError, KeyError, ValueError) as exc:
        raise RenderError(f"{template.name} : rendu DOCX impossible ({exc})") from exc
    doc = tpl.docx
    marker = next((p for p in doc.paragraphs if p.text == BODY_MARKER), None)
    if marker is None:
        raise RenderError(f"{template.name} : le paragraphe « {{{{ corps }}}} » est absent")
    for block in content:
        element = _add(doc, block)
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)
    if landscape:
        _landscape(doc)
    _properties(doc, meta, created)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _add(doc: Any, block: Block) -> Any:
    """Create ``block`` at the end of the body and return its XML element."""
    if isinstance(block, Paragraph):
        return _paragraph(doc.add_paragraph(), block)._p
    if isinstance(block, PageBreak):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.page_break_before = True
        paragraph.paragraph_format.space_after = 0
        return paragraph._p
    return _table(doc, block)._tbl


def _paragraph(target: Any, block: Paragraph) -> Any:
    from docx.enum.text import WD_COLOR_INDEX

    target.style = block.style
    for run in block.runs:
        piece = target.add_run(run.text)
        piece.bold = run.bold or None
        piece.italic = run.italic or None
        if run.superscript:
            piece.font.superscript = True
        if run.mark:
            piece.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return target


def _table(doc: Any, block: Table) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(sum(cell.colspan for cell in row.cells) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=width)
    table.style = "Table Grid"
    for row_block, row in zip(block.rows, table.rows, strict=True):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if row_block.header:
            properties.append(OxmlElement("w:tblHeader"))
        column = 0
        for cell_block in row_block.cells:
            cell = row.cells[column]
            if cell_block.colspan > 1:
                cell = cell.merge(row.cells[column + cell_block.colspan - 1])
            _cell(cell, cell_block, qn, OxmlElement)
            column += cell_block.colspan
    return table


def _cell(cell: Any, block: Cell, qn: Any, element: Any) -> None:
    paragraphs = block.paragraphs or [Paragraph("FsCellule")]
    _paragraph(cell.paragraphs[0], paragraphs[0])
    for extra in paragraphs[1:]:
        _paragraph(cell.add_paragraph(), extra)
    if block.header:
        shading = element("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E3E3FD")
        cell._tc.get_or_add_tcPr().append(shading)


def _landscape(doc: Any) -> None:
    from docx.enum.section import WD_ORIENT

    for section in doc.sections:
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width


def _properties(doc: Any, meta: dict[str, str], created: datetime) -> None:
    props = doc.core_properties
    props.title = meta["title"]
    props.author = meta["author"]
    props.subject = meta["subject"]
    props.keywords = meta["keywords"]
    props.comments = meta["generator"]
    props.last_modified_by = meta["author"]
    props.created = created
    props.modified = datetime.fromisoformat(meta["modified"])  # honours SOURCE_DATE_EPOCH
    props.revision = 1
