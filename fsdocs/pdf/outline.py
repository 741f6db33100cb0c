"""Bookmarks inside a document of the dossier: read from the outline WeasyPrint wrote (one
bookmark per heading, h1 to h6) and nested again, when the pages are joined, under the
document's own bookmark.

pypdf's ``append(…, import_outline=True)`` would bring each document's outline at the top
level, with its title as a second entry beside the dossier's own, and it loses nesting when
a joined file is joined again (https://github.com/py-pdf/pypdf/issues/450): the headings are
read here as plain data instead, and the dossier's outline is written once, by fsdocs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Bookmark:
    """A bookmark of the dossier's outline, with those nested under it."""

    titre: str
    page: int  # 0-based; in its document until :func:`shifted`, then in the dossier
    top: float | None = None  # PDF points from the page's bottom; None: the top of the page
    enfants: tuple[Bookmark, ...] = ()

    def position(self) -> tuple[int, float]:
        """For sorting in reading order: page, then from the top down."""
        return self.page, -(self.top if self.top is not None else float("inf"))

    def count(self) -> int:
        """This bookmark and every one under it."""
        return 1 + sum(child.count() for child in self.enfants)


def headings(data: bytes, first: int = 0, count: int | None = None) -> list[Bookmark]:
    """The outline of the PDF ``data`` on pages ``first`` to ``first + count`` (a part laid
    out with others shares their document), pages counted from ``first``. A single bookmark
    at the top, the document's title, gives way to those under it: the dossier has its own
    bookmark for the document."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    end = len(reader.pages) if count is None else first + count
    found = _read(reader, reader.outline, first, end)
    if len(found) == 1 and found[0].enfants:
        return list(found[0].enfants)
    return found


def _read(reader: Any, items: list[Any], first: int, end: int) -> list[Bookmark]:
    """pypdf gives an outline as a list in which a list follows the item it nests under."""
    found: list[Bookmark] = []
    for item in items:
        if isinstance(item, list):
            if found:
                found[-1] = replace(found[-1], enfants=tuple(_read(reader, item, first, end)))
            continue
        page = reader.get_destination_page_number(item)
        if not first <= page < end:
            continue
        top = item.top if item.get("/Type") == "/XYZ" and item.top is not None else None
        found.append(Bookmark(str(item.title), page - first, float(top) if top else None))
    return found


def shifted(bookmarks: Sequence[Bookmark], offset: int) -> list[Bookmark]:
    """``bookmarks`` with every page moved by ``offset`` (from its document into the dossier)."""
    return [
        replace(b, page=b.page + offset, enfants=tuple(shifted(b.enfants, offset)))
        for b in bookmarks
    ]


def add_bookmarks(writer: Any, bookmarks: Sequence[Bookmark], parent: Any) -> None:
    """Write ``bookmarks`` under ``parent`` (closed: the dossier opens on its documents)."""
    from pypdf.generic import Fit

    for bookmark in bookmarks:
        fit = Fit.xyz(top=bookmark.top) if bookmark.top is not None else Fit.fit()
        item = writer.add_outline_item(
            title=bookmark.titre, page_number=bookmark.page, parent=parent, fit=fit, is_open=False
        )
        add_bookmarks(writer, bookmark.enfants, item)
