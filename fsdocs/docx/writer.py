"""DOCX rendering: the wording's blocks laid into the layout template.

docxtpl renders the template (running header, footer, styles); the body is then built with
python-docx from the same blocks as the PDF (see document.py), so the DOCX says exactly what
the PDF says. Tables repeat their header row on each page and never split a row.
"""

from __future__ import annotations

import io
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from fsdocs.errors import RenderError
from fsdocs.wording.document import Block, Cell, PageBreak, Paragraph, Table

BODY_MARKER = "⟦corps⟧"  # what {{ corps }} renders to; replaced by the document's blocks

# Widths of a table's first columns, as fractions of the text width, by the table's HTML
# class (as in convention.css); the other columns share what is left equally. A class not
# listed gets equal columns.
COLUMN_WIDTHS: dict[str, tuple[float, ...]] = {
    "offre": (0.21, 0.31, 0.19, 0.19),
    "referents": (0.27, 0.26, 0.16),
    "matrice": (0.26,),
    # Annexes 4 and 7 (fsdocs/annexes.py).
    "coordonnees": (0.155, 0.30, 0.14),
    "horaires": (0.16, 0.36, 0.36),
    "arrets": (0.14, 0.36, 0.30),
    "equipements": (0.39, 0.12, 0.37),
    "informations": (0.23,),
    "cases": (0.30, 0.22, 0.26),
    "champs": (0.27,),
    "champs fait": (0.08, 0.5, 0.05),
}
# Cell padding, as convention.css gives it to every table: 1.2 mm above and below, 2 mm
# beside (in twentieths of a point).
CELL_MARGINS = {"top": 68, "bottom": 68, "left": 113, "right": 113}


@dataclass(frozen=True)
class Look:
    """How a table looks beyond its widths, as convention.css draws it."""

    shaded: bool = True  # header cells on a tinted background
    grid: bool = True  # borders around every cell
    lines: bool = False  # a form: a rule under each blank cell, to write on
    height: float = 0  # mm, the least height of a body row (room to write or sign)


LOOKS: dict[str, Look] = {
    "equipements": Look(shaded=False),
    "cases": Look(shaded=False, grid=False),
    "champs": Look(shaded=False, grid=False, lines=True, height=8.5),
    "champs fait": Look(shaded=False, grid=False, lines=True, height=8.5),
    "signatures-mandat": Look(shaded=False, height=32),
}


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
    if landscape:
        _landscape(doc)  # first: tables take their widths from the page
    previous: Block | None = None
    for block in content:
        if isinstance(block, Table) and isinstance(previous, Table):
            # Word and LibreOffice join adjacent tables into one: keep them apart.
            marker._p.addprevious(_paragraph(doc.add_paragraph(), Paragraph("FsCellule"))._p)
        marker._p.addprevious(_add(doc, block))
        previous = block
    marker._p.getparent().remove(marker._p)
    _properties(doc, meta, created)
    out = io.BytesIO()
    doc.save(out)
    return _reproducible(out.getvalue(), created)


def _reproducible(package: bytes, when: datetime) -> bytes:
    """The package with every entry dated ``when``: python-docx dates them with the clock, so
    the same document made a second later was other bytes (and another digest)."""
    import zipfile

    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            target.writestr(entry, source.read(item.filename))
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

    _set_style(target._p, target.part, block.style)
    for run in block.runs:
        piece = target.add_run(run.text)
        piece.bold = run.bold or None
        piece.italic = run.italic or None
        if run.superscript:
            piece.font.superscript = True
        if run.mark:
            piece.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return target


# Style ids by name, per document. python-docx looks a name up among all the styles, then
# compares with the default style, on every assignment: it was 65 % of a DOCX's rendering time.
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[tuple[str, bool], str | None]] = (
    weakref.WeakKeyDictionary()
)


def _set_style(element: Any, part: Any, name: str, table: bool = False) -> None:
    """Give a paragraph (``w:p``) or table properties (``w:tblPr``) the style ``name``."""
    from docx.enum.style import WD_STYLE_TYPE

    ids = _STYLE_IDS.setdefault(part, {})
    key = (name, table)
    if key not in ids:
        kind = WD_STYLE_TYPE.TABLE if table else WD_STYLE_TYPE.PARAGRAPH
        ids[key] = part.get_style_id(name, kind)
    element.style = ids[key]


def _table(doc: Any, block: Table) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(sum(cell.colspan for cell in row.cells) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=width)
    _set_style(table._tbl.tblPr, table.part, "Table Grid", table=True)
    _margins(table, qn, OxmlElement)
    if block.css in COLUMN_WIDTHS:
        _widths(doc, table, COLUMN_WIDTHS[block.css])
    look = LOOKS.get(block.css, Look())
    if not look.grid:
        _no_grid(table, qn, OxmlElement)
    for row_block, row in zip(block.rows, table.rows, strict=True):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if look.height and not row_block.header:
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(round(look.height * 1440 / 25.4)))
            height.set(qn("w:hRule"), "atLeast")
            properties.append(height)
        if row_block.header:
            properties.append(OxmlElement("w:tblHeader"))
        column = 0
        for cell_block in row_block.cells:
            cell = row.cells[column]
            if cell_block.colspan > 1:
                cell = cell.merge(row.cells[column + cell_block.colspan - 1])
            _cell(cell, cell_block, qn, OxmlElement, look)
            column += cell_block.colspan
    return table


def _margins(table: Any, qn: Any, element: Any) -> None:
    margins = element("w:tblCellMar")
    for side, twips in CELL_MARGINS.items():
        margin = element(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def _widths(doc: Any, table: Any, leading: tuple[float, ...]) -> None:
    """Fixed column widths: Word reads each cell's, LibreOffice the table grid's."""
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    count = len(table.columns)
    fixed = leading[:count]
    rest = (1 - sum(fixed)) / (count - len(fixed)) if count > len(fixed) else 0
    fractions = [*fixed, *[rest] * (count - len(fixed))]
    table.autofit = False
    for column, fraction in zip(table.columns, fractions, strict=True):
        column.width = int(text_width * fraction)
        for cell in column.cells:
            cell.width = int(text_width * fraction)


def _no_grid(table: Any, qn: Any, element: Any) -> None:
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = element(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _cell(cell: Any, block: Cell, qn: Any, element: Any, look: Look = Look()) -> None:
    paragraphs = block.paragraphs or [Paragraph("FsCellule")]
    _paragraph(cell.paragraphs[0], paragraphs[0])
    for extra in paragraphs[1:]:
        _paragraph(cell.add_paragraph(), extra)
    properties = cell._tc.get_or_add_tcPr()
    if look.lines and not block.header:
        # Child order is the schema's: borders, shading, margins, vertical alignment.
        borders = element("w:tcBorders")
        rule = element("w:bottom")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "555555")):
            rule.set(qn(f"w:{name}"), value)
        borders.append(rule)
        properties.append(borders)
    if block.header and look.shaded:
        shading = element("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E3E3FD")
        properties.append(shading)
    if look.lines:
        # The text sits on its line, as in the PDF.
        margins = element("w:tcMar")
        bottom = element("w:bottom")
        bottom.set(qn("w:w"), "28")
        bottom.set(qn("w:type"), "dxa")
        margins.append(bottom)
        properties.append(margins)
        align = element("w:vAlign")
        align.set(qn("w:val"), "bottom")
        properties.append(align)


def _landscape(doc: Any) -> None:
    from docx.enum.section import WD_ORIENT

    for section in doc.sections:
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width


# python-docx refuses a core property longer than this (as Word's own limit).
_PROPERTY_MAX = 255


def _short(text: str) -> str:
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1].rstrip() + "…"


def _properties(doc: Any, meta: dict[str, str], created: datetime) -> None:
    props = doc.core_properties
    props.title = _short(meta["title"])
    props.author = _short(meta["author"])
    props.subject = _short(meta["subject"])
    props.keywords = _short(meta["keywords"])
    props.comments = meta["generator"]
    props.last_modified_by = _short(meta["author"])
    props.created = created
    props.modified = datetime.fromisoformat(meta["modified"])  # see pdf/metadata.py
    props.revision = 1
