"""A redline in two columns, « avant » and « après »: the same blocks as
:func:`fsdocs.changes.views.to_html` (paragraphs, and tables compared cell by cell, kept as
tables), each shown twice side by side — its deletions on the left, its insertions on the
right, the unchanged words on both."""

from __future__ import annotations

import html

from fsdocs.changes.redline import Kind, Line
from fsdocs.changes.tables import Table, blocks, shown
from fsdocs.changes.views import ELISION, ops_html, table_html

_SIDES = (Kind.DELETE, Kind.INSERT)  # what the left and the right column show


def side_by_side(lines: list[Line], titre: str) -> str:
    """An HTML table of two columns (``table.cote-a-cote``), one row per block shown."""
    rows = []
    for item in shown(blocks(lines)):
        if item is None:
            cells = "".join(f'<td class="elision">{ELISION}</td>' for _ in _SIDES)
        elif isinstance(item, Table):
            cells = "".join(f"<td>{table_html(item, side)}</td>" for side in _SIDES)
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
    return f"<p>{ops_html(line.ops, side)}</p>"
