"""A redline in two columns, « avant » and « après »: the same blocks as
:func:`fsdocs.changes.views.to_html` (paragraphs, and tables compared cell by cell, kept as
tables), each shown twice side by side — its deletions on the left, its insertions on the
right, the unchanged words on both."""

from __future__ import annotations

import html

from fsdocs.changes.redline import Kind, Line, Op
from fsdocs.changes.tables import Table, blocks, shown, shown_rows, spans
from fsdocs.changes.views import ELISION

_SIDES = (Kind.DELETE, Kind.INSERT)  # what the left and the right column show
_TAG = {Kind.DELETE: "del", Kind.INSERT: "ins"}


def side_by_side(lines: list[Line], titre: str) -> str:
    """An HTML table of two columns (``table.cote-a-cote``), one row per block shown."""
    rows = []
    for item in shown(blocks(lines)):
        if item is None:
            cells = "".join(f'<td class="elision">{ELISION}</td>' for _ in _SIDES)
        elif isinstance(item, Table):
            cells = "".join(f"<td>{_table(item, side)}</td>" for side in _SIDES)
        else:
            cells = "".join(f"<td>{_paragraph(item, side)}</td>" for side in _SIDES)
        rows.append(f"<tr>{cells}</tr>")
    caption = html.escape(titre)
    return (
        f'<table class="cote-a-cote"><caption>{caption}</caption>'
        '<thead><tr><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _paragraph(line: Line, side: Kind) -> str:
    if line.whole not in (Kind.EQUAL, side):
        return ""  # added whole: nothing before; removed whole: nothing after
    return f"<p>{_ops(line.ops, side)}</p>"


def _table(table: Table, side: Kind) -> str:
    width = table.width
    rows = []
    for row in shown_rows(table):
        if row is None:
            rows.append(f'<tr class="elision"><td colspan="{width}">{ELISION}</td></tr>')
            continue
        if row.whole not in (Kind.EQUAL, side):
            continue
        cells = "".join(
            f"<td{_colspan(span)}>{_ops(cell, side)}</td>"
            for cell, span in zip(row.cells, spans(row, width), strict=True)
        )
        marked = ' class="supprimee"' if row.whole is Kind.DELETE else ""
        marked = ' class="ajoutee"' if row.whole is Kind.INSERT else marked
        rows.append(f"<tr{marked}>{cells}</tr>")
    return f'<table class="redline-tableau"><tbody>{"".join(rows)}</tbody></table>'


def _colspan(span: int) -> str:
    return f' colspan="{span}"' if span > 1 else ""


def _ops(ops: tuple[Op, ...] | list[Op], side: Kind) -> str:
    out = []
    for op in ops:
        if op.kind not in (Kind.EQUAL, side) or not op.text:
            continue
        text = html.escape(op.text, quote=False)
        out.append(text if op.kind is Kind.EQUAL else f"<{_TAG[side]}>{text}</{_TAG[side]}>")
    return "".join(out)
