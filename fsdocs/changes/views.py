"""A redline as a reader sees it: in a terminal, and as the HTML of the PDF redline.

Both show the same blocks (:func:`fsdocs.changes.tables.blocks`): paragraphs, and tables whose
changes are marked inside their cells. In a terminal, deletions are red and struck,
insertions green and underlined; written to a file or a pipe, where colours would be stray
escape codes, they are marked ``[-supprimé-]`` and ``{+ajouté+}`` (the markers of
``git diff --word-diff=plain``, which a reader of plain text or a script can find).
"""

from __future__ import annotations

import html

from fsdocs.changes.redline import Kind, Line, Op, plural
from fsdocs.changes.tables import Row, Table, block_count, blocks, shown, shown_rows, spans

ELISION = "[…]"
_ANSI = {Kind.DELETE: "\x1b[31;9m", Kind.INSERT: "\x1b[32;4m"}
_RESET = "\x1b[0m"
MARKERS = {Kind.DELETE: ("[-", "-]"), Kind.INSERT: ("{+", "+}")}


def to_terminal(ops: list[Op] | tuple[Op, ...], colour: bool = True) -> str:
    """Coloured changes (ANSI escapes), or plain-text markers when ``colour`` is off."""
    return "".join(_terminal_op(op, colour) for op in ops)


def _terminal_op(op: Op, colour: bool) -> str:
    if op.kind is Kind.EQUAL or not op.text:
        return op.text
    if colour:
        return f"{_ANSI[op.kind]}{op.text}{_RESET}"
    opening, closing = MARKERS[op.kind]
    return f"{opening}{op.text}{closing}"


def lines_to_terminal(lines: list[Line], colour: bool = True) -> str:
    """The changes with their context, one paragraph or table row a line (cells separated
    by « | »)."""
    out: list[str] = []
    for item in shown(blocks(lines)):
        if item is None:
            out.append(ELISION)
        elif isinstance(item, Line):
            out.append(to_terminal(item.ops, colour))
        else:
            for row in shown_rows(item):
                out.append(ELISION if row is None else _terminal_row(row, colour))
    return "\n".join(out)


def _terminal_row(row: Row, colour: bool) -> str:
    return " | ".join(to_terminal(cell, colour) for cell in row.cells)


def to_html(lines: list[Line], titre: str = "", compte: str = "", anchor: str = "") -> str:
    """An HTML fragment (``<section class="redline">``): the changes with their context,
    tables as tables."""
    heading = f"<h2>{html.escape(titre)}</h2>" if titre else ""
    items = blocks(lines)
    count = compte or plural(block_count(items))
    body = "".join(
        f'<p class="elision">{ELISION}</p>'
        if item is None
        else table_html(item)
        if isinstance(item, Table)
        else f"<p>{ops_html(item.ops)}</p>"
        for item in shown(items)
    )
    ident = f' id="{html.escape(anchor)}"' if anchor else ""
    return (
        f'<section class="redline"{ident}>{heading}'
        f'<p class="compte">{html.escape(count)}</p>{body}</section>'
    )


_ROW_CLASS = {Kind.EQUAL: "", Kind.DELETE: ' class="supprimee"', Kind.INSERT: ' class="ajoutee"'}


def table_html(table: Table, side: Kind | None = None) -> str:
    """A table of the redline; with ``side`` (DELETE: before, INSERT: after), one side of it
    alone — the rows and words of the other side left out — for a side-by-side view."""
    width = table.width
    rows = []
    for row in shown_rows(table):
        if row is None:
            rows.append(f'<tr class="elision"><td colspan="{width}">{ELISION}</td></tr>')
            continue
        if side is not None and row.whole not in (Kind.EQUAL, side):
            continue
        cells = "".join(
            f"<td{_colspan(span)}>{ops_html(cell, side)}</td>"
            for cell, span in zip(row.cells, spans(row, width), strict=True)
        )
        rows.append(f"<tr{_ROW_CLASS[row.whole]}>{cells}</tr>")
    return f'<table class="redline-tableau"><tbody>{"".join(rows)}</tbody></table>'


def _colspan(span: int) -> str:
    return f' colspan="{span}"' if span > 1 else ""


def ops_html(ops: list[Op] | tuple[Op, ...], side: Kind | None = None) -> str:
    """Words, deleted ones in <del>, inserted in <ins>; with ``side``, that side's alone."""
    return "".join(_html_op(op) for op in ops if side is None or op.kind in (Kind.EQUAL, side))


def _html_op(op: Op) -> str:
    text = html.escape(op.text, quote=False)
    if op.kind is Kind.EQUAL:
        return text
    tag = "del" if op.kind is Kind.DELETE else "ins"
    return f"<{tag}>{text}</{tag}>"
