"""Tables as the PDF draws them: data tables (offer, referents, hours…) and the signature
blocks side by side.

A data table repeats its header row on each page and never splits a row. The signature blocks
are a layout, not data: a table without grid, one block per cell, two a row as in the PDF's
grid, a row never split across pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fsdocs.docx.paragraphs import paragraph, set_style
from fsdocs.wording.document import Cell, Columns, Paragraph, Table

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


def add_table(doc: Any, block: Table) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(sum(cell.colspan for cell in row.cells) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=width)
    set_style(table._tbl.tblPr, table.part, "Table Grid", table=True)
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
        cells = row.cells  # python-docx walks the row's grid on every call: once a row
        for cell_block in row_block.cells:
            cell = cells[column]
            if cell_block.colspan > 1:
                cell = cell.merge(cells[column + cell_block.colspan - 1])
            _cell(cell, cell_block, qn, OxmlElement, look)
            column += cell_block.colspan
    return table


def _margins(table: Any, qn: Any, element: Any, sides: dict[str, int] = CELL_MARGINS) -> None:
    margins = element("w:tblCellMar")
    for side, twips in sides.items():
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
    widths = [int(text_width * fraction) for fraction in fractions]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:  # a new table: one cell per grid column, rows walked once each
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


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
    paragraph(cell.paragraphs[0], paragraphs[0])
    for extra in paragraphs[1:]:
        paragraph(cell.add_paragraph(), extra)
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


# Blocks a row, by the HTML class of the blocks' container (convention.css).
COLUMN_COUNTS = {"blocs": 2}
# A block's padding and the rule on its left, as convention.css draws div.signature: 2.5 mm
# above, 3 mm inside the rule, and the 7 mm gap between two blocks on the right.
BLOCK_MARGINS = {"top": 142, "bottom": 0, "left": 170, "right": 397}
BLOCK_RULE = {"val": "single", "sz": "5", "space": "0", "color": "BBBBBB"}


def add_columns(doc: Any, block: Columns) -> Any:
    """Blocks side by side, left to right then down; a row that cannot be cut in two."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    count = COLUMN_COUNTS.get(block.css, 2)
    blocks = block.cells
    grid = doc.add_table(rows=-(-len(blocks) // count), cols=count)
    set_style(grid._tbl.tblPr, grid.part, "Table Grid", table=True)
    _no_grid(grid, qn, OxmlElement)
    _margins(grid, qn, OxmlElement, BLOCK_MARGINS)
    _widths(doc, grid, (1 / count,) * count)
    for index, row in enumerate(grid.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        # The last row's cells past the last block stay empty, without a rule.
        filled = zip(row.cells, blocks[index * count : (index + 1) * count], strict=False)
        for cell, paragraphs in filled:
            _cell(cell, Cell(paragraphs=paragraphs), qn, OxmlElement)
            borders = OxmlElement("w:tcBorders")
            rule = OxmlElement("w:left")
            for name, value in BLOCK_RULE.items():
                rule.set(qn(f"w:{name}"), value)
            borders.append(rule)
            cell._tc.get_or_add_tcPr().append(borders)
    return grid
