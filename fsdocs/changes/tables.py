"""Tables in a redline: the rows of a table compared cell by cell, so that every output shows
a table with its changes inside its cells.

A part's text keeps a table as one line per row, its cells separated by « | »
(:func:`fsdocs.wording.texts.plain_text`), and every recorded version was stored in that
form: the tables are found again in it. Consecutive row lines make one table; a row with
fewer cells than the widest (a cell spanning columns in the document) has its last cell span
the rest. A row kept in place has each of its cells compared word by word when old and new
have as many cells; otherwise, and for a row added or removed, the whole row is marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from fsdocs.changes.redline import (
    CONTEXT,
    Kind,
    Line,
    Op,
    change_count,
    new_text,
    old_text,
    word_diff,
)

SEPARATOR = " | "
# A table longer than this shows its first row (its headings), then only its changed rows
# with their neighbours (Annexe 8's grid has a row per structure).
LONG_TABLE = 12


@dataclass(frozen=True)
class Row:
    """A row of a table: each cell's stretches; ``whole`` marks a row added or removed."""

    cells: tuple[tuple[Op, ...], ...]
    whole: Kind = Kind.EQUAL

    @property
    def changed(self) -> bool:
        return self.whole is not Kind.EQUAL or any(
            op.kind is not Kind.EQUAL for cell in self.cells for op in cell
        )


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)

    @property
    def width(self) -> int:
        return max(len(row.cells) for row in self.rows)


Block = Line | Table


class _Changing(Protocol):
    @property
    def changed(self) -> bool: ...


T = TypeVar("T", bound=_Changing)


def blocks(lines: list[Line]) -> list[Block]:
    """The redline's paragraphs, with each run of table rows gathered into a table."""
    result: list[Block] = []
    rows: list[Row] = []
    for line in lines:
        for piece in _split(line):
            if isinstance(piece, Row):
                rows.append(piece)
                continue
            if rows:
                result.append(Table(tuple(rows)))
                rows = []
            result.append(piece)
    if rows:
        result.append(Table(tuple(rows)))
    return result


def _split(line: Line) -> list[Line | Row]:
    """A line as a paragraph or a row; a paragraph paired with a row is removed, the other
    added (or the reverse), as a paragraph and a row cannot be edited one into the other."""
    if line.whole is not Kind.EQUAL:
        text = "".join(op.text for op in line.ops)
        return [_whole_row(text, line.whole) if SEPARATOR in text else line]
    before, after = old_text(line.ops), new_text(line.ops)
    if SEPARATOR not in before and SEPARATOR not in after:
        return [line]
    if SEPARATOR not in before or SEPARATOR not in after:
        removed = Line((Op(Kind.DELETE, before),), Kind.DELETE)
        added = Line((Op(Kind.INSERT, after),), Kind.INSERT)
        return [*_split(removed), *_split(added)]
    old_cells, new_cells = before.split(SEPARATOR), after.split(SEPARATOR)
    if len(old_cells) != len(new_cells):
        return [_whole_row(before, Kind.DELETE), _whole_row(after, Kind.INSERT)]
    return [Row(tuple(_cell(o, n) for o, n in zip(old_cells, new_cells, strict=True)))]


def _cell(before: str, after: str) -> tuple[Op, ...]:
    if before == after:
        return (Op(Kind.EQUAL, after),) if after else ()
    return tuple(word_diff(before, after))


def _whole_row(text: str, kind: Kind) -> Row:
    return Row(tuple((Op(kind, c),) if c else () for c in text.split(SEPARATOR)), kind)


def block_count(items: Sequence[Block]) -> int:
    """Changes as a reader counts them: a changed cell is one, a run of paragraphs or rows
    added or removed whole is one."""
    count, in_run = 0, False
    for item in items:
        for whole, cells in _units(item):
            if whole is not Kind.EQUAL:
                count += not in_run
                in_run = True
            else:
                count += sum(change_count(cell) for cell in cells)
                in_run = False
    return count


def _units(item: Block) -> list[tuple[Kind, tuple[tuple[Op, ...], ...]]]:
    if isinstance(item, Line):
        return [(item.whole, (item.ops,))]
    return [(row.whole, row.cells) for row in item.rows]


def shown(items: Sequence[T], context: int = CONTEXT) -> list[T | None]:
    """The items worth showing: each change with ``context`` items around it; None stands
    for a stretch left out."""
    keep = [False] * len(items)
    for i, item in enumerate(items):
        if item.changed:
            for k in range(max(0, i - context), min(len(items), i + context + 1)):
                keep[k] = True
    result: list[T | None] = []
    for i, item in enumerate(items):
        if keep[i]:
            result.append(item)
        elif not result or result[-1] is not None:
            result.append(None)
    return result


def shown_rows(table: Table) -> list[Row | None]:
    """A table's rows to show: all of a short table; of a long one, its first row (headings)
    and its changed rows with one row around each, None standing for rows left out."""
    if len(table.rows) <= LONG_TABLE:
        return list(table.rows)
    first, rest = table.rows[0], shown(table.rows[1:], 1)
    return [first, *rest]


def spans(row: Row, width: int) -> list[int]:
    """How many columns each cell spans: the last cell of a short row spans the rest."""
    count = len(row.cells)
    return [1] * (count - 1) + [width - count + 1] if count else []
