"""Bookmarks inside a document of the dossier: read from the outline WeasyPrint wrote (one
bookmark per heading, h1 to h6) and nested again, when the pages are joined, under the
document's own bookmark.

Copying pages (qpdf) copies no outline: a part's file takes its documents' outlines
(``imported``, each item on a page it keeps), and the dossier's headings are read here as
plain data, to be nested under each document's own bookmark; either outline is written once,
by ``Outline``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        end = len(pdf.pages) if count is None else first + count
        root = pdf.Root.get("/Outlines")
        start = root.get("/First") if isinstance(root, pikepdf.Dictionary) else None
        found = _read(start, numbers, first, end, 0)
    if len(found) == 1 and found[0].enfants:
        return list(found[0].enfants)
    return found


def _read(
    item: Any, numbers: dict[tuple[int, int], int], first: int, end: int, depth: int
) -> list[Bookmark]:
    """The bookmarks from ``item`` and its siblings on, those nested under each read too."""
    import pikepdf

    found: list[Bookmark] = []
    seen: set[tuple[int, int]] = set()
    while isinstance(item, pikepdf.Dictionary) and depth < 32 and item.objgen not in seen:
        seen.add(item.objgen)
        children = _read(item.get("/First"), numbers, first, end, depth + 1)
        destination = _destination(item)
        page = None
        if destination is not None:
            target = destination[0]
            page = numbers.get(target.objgen) if target.is_indirect else None
        if page is not None and first <= page < end:
            top = None
            if len(destination) > 3 and destination[1] == "/XYZ" and destination[3] is not None:
                top = float(destination[3]) or None
            title = str(item.get("/Title", ""))
            found.append(Bookmark(title, page - first, top, tuple(children)))
        item = item.get("/Next")
    return found


def shifted(bookmarks: Sequence[Bookmark], offset: int) -> list[Bookmark]:
    """``bookmarks`` with every page moved by ``offset`` (from its document into the dossier)."""
    return [
        replace(b, page=b.page + offset, enfants=tuple(shifted(b.enfants, offset)))
        for b in bookmarks
    ]


class Outline:
    """A document's outline, written at once into the pikepdf document ``pdf`` (``write``)
    from the items ``add`` and ``add_bookmarks`` give."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.root: list[_Item] = []

    def add(
        self,
        title: str,
        page: int,
        parent: _Item | None = None,
        top: float | None = None,
        is_open: bool = True,
    ) -> _Item:
        """An item to page ``page`` (0-based): at ``top`` (PDF points), or the whole page."""
        import pikepdf

        target = self.pdf.pages[page].obj
        if top is None:
            destination = pikepdf.Array([target, pikepdf.Name.Fit])
        else:
            destination = pikepdf.Array([target, pikepdf.Name.XYZ, None, top, None])
        return self.add_destination(title, destination, parent, is_open)

    def add_destination(
        self, title: str, destination: Any, parent: _Item | None = None, is_open: bool = True
    ) -> _Item:
        item = _Item(title, destination, is_open)
        (self.root if parent is None else parent.children).append(item)
        return item

    def write(self) -> None:
        import pikepdf

        if not self.root:
            return
        outlines = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
        outlines.Count = self._write(outlines, self.root)
        self.pdf.Root.Outlines = outlines

    def _write(self, parent: Any, items: list[_Item]) -> int:
        """Write ``items`` under ``parent``; how many show when it is open."""
        import pikepdf

        made = []
        shown = 0
        for item in items:
            entry = self.pdf.make_indirect(
                pikepdf.Dictionary(
                    Title=pikepdf.String(item.title), Parent=parent, Dest=item.destination
                )
            )
            made.append(entry)
            shown += 1
            if item.children:
                below = self._write(entry, item.children)
                entry.Count = below if item.is_open else -below
                shown += below if item.is_open else 0
        for previous, following in itertools.pairwise(made):
            previous.Next = following
            following.Prev = previous
        parent.First, parent.Last = made[0], made[-1]
        return shown


@dataclass
class _Item:
    title: str
    destination: Any  # a pikepdf array: the page, then how it shows
    is_open: bool
    children: list[_Item] = field(default_factory=list)


def add_bookmarks(outline: Outline, bookmarks: Sequence[Bookmark], parent: _Item) -> None:
    """Write ``bookmarks`` under ``parent`` (closed: the dossier opens on its documents)."""
    for bookmark in bookmarks:
        item = outline.add(bookmark.titre, bookmark.page, parent, bookmark.top, is_open=False)
        add_bookmarks(outline, bookmark.enfants, item)


def imported(outline: Outline, source: Any, pages: dict[tuple[int, int], Any]) -> None:
    """The outline of the pikepdf document ``source``, its items on ``pages`` (source page →
    the file's page) copied into ``outline`` (nested as they were)."""
    import pikepdf

    def copy(first: Any, parent: _Item | None, depth: int) -> None:
        item = first
        while isinstance(item, pikepdf.Dictionary) and depth < 32:
            destination = _destination(item)
            made = parent
            if destination is not None:
                target = destination[0]
                if target.is_indirect and target.objgen in pages:
                    array = pikepdf.Array([pages[target.objgen], *list(destination)[1:]])
                    count = item.get("/Count")
                    made = outline.add_destination(
                        str(item.get("/Title", "")), array, parent, not count or count > 0
                    )
            copy(item.get("/First"), made, depth + 1)
            item = item.get("/Next")

    root = source.Root.get("/Outlines")
    if isinstance(root, pikepdf.Dictionary):
        copy(root.get("/First"), None, 0)


def _destination(item: Any) -> Any:
    """An outline item's destination array (its /Dest, or its GoTo action's /D); None when
    it has none that names a page."""
    import pikepdf

    destination: Any = item.get("/Dest")
    if destination is None and "/A" in item and item.A.get("/S") == "/GoTo":
        destination = item.A.get("/D")
    if isinstance(destination, pikepdf.Array) and len(destination):
        return destination
    return None
