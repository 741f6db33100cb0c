"""Joining laid-out pages into one PDF — a part's file (Annexe 4: its structures' pages),
and the bundle: the front matter, then each section (a part, a divider, a national PDF), with
page numbers, page labels, the outline, the index's links, one empty signature field per
signatory, and each font once. Both end the same way (``finish``).

Pages are copied by qpdf (through pikepdf): each laid-out document is opened once per file
and read only as far as the pages kept need, and the file is written once, with its small
objects packed into compressed object streams, and an identifier derived from its content
(the same pages give the same bytes).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fsdocs.errors import FsdocsError
from fsdocs.pdf.conformance import Archival, declare
from fsdocs.pdf.fields import SignatureField, add_fields
from fsdocs.pdf.metadata import pdf_info
from fsdocs.pdf.numbering import FooterFont, baselines, mark_draft, number_pages
from fsdocs.pdf.outline import Bookmark, Outline, add_bookmarks, imported
from fsdocs.pdf.sanitize import A4
from fsdocs.pdf.structure import SourceTree, Structure
from fsdocs.pdf.weasy import Anchor, RenderedPdf
from fsdocs.wording.parts import Part


@dataclass
class Section:
    """Pages of the bundle after its front matter: a part, a divider, or a national PDF."""

    part: Part | None = None
    divider: int | None = None  # its page in the dividers' document
    external: Any = None  # the national PDF (pypdf.PdfReader)
    targets: dict[str, int] = field(default_factory=dict)  # anchor → page in the section
    body: RenderedPdf | None = None  # a part's or the dividers' pages, once laid out
    start: int = 0  # its first page in the bundle, from 1

    @property
    def length(self) -> int:
        if self.external is not None:
            return len(self.external.pages)
        if self.divider is not None:
            return 1
        assert self.body is not None
        return len(self.body.sizes)

    def anchors(self) -> dict[str, int]:
        """Where each anchor of the section lands: its own, and a part's ids (signatures)."""
        found = {name: self.start + offset for name, offset in self.targets.items()}
        if self.part is not None and self.body is not None:
            for name, anchor in self.body.anchors.items():
                found.setdefault(name, self.start + anchor.page)
        return found


class IndexEntry(Protocol):
    @property
    def titre(self) -> str: ...
    @property
    def cible(self) -> str: ...
    @property
    def niveau(self) -> int: ...
    @property
    def signet(self) -> bool: ...
    @property
    def page(self) -> int | None: ...


class Sources:
    """Each laid-out document opened once (pikepdf), and what is read of its structure tree:
    a lot's pages go to many files. Only the pages taken from it change anything in it.

    Documents are told apart by their bytes, not by the object holding them: a page laid out
    in this process and the same page read back from ``output/`` open as one source, so the
    joined file's objects are numbered alike — and its bytes are the same — whichever way its
    pieces came."""

    def __init__(self) -> None:
        self._opened: dict[bytes, Any] = {}
        self.trees: dict[int, SourceTree | None] = {}

    def __call__(self, data: bytes) -> Any:
        import pikepdf

        source = self._opened.get(data)
        if source is None:
            source = self._opened[data] = pikepdf.open(io.BytesIO(data))
        return source


def _append(pdf: Any, source: Any, pages: Sequence[int]) -> list[Any]:
    """Copy ``pages`` of ``source`` at the end of ``pdf``; the copies."""
    import pikepdf

    first = len(pdf.pages)
    with warnings.catch_warnings():
        # WeasyPrint names a destination for every element with an id; no link of ours uses
        # them (they point at pages, explicitly), so pikepdf's warning that they are not
        # copied says nothing here.
        warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
        pdf.pages.extend(source.pages[p] for p in pages)
    return list(pdf.pages[first:])


def finish(pdf: Any, fonts: list[Path] | None) -> bytes:
    """The joined file's bytes: each font once (``fonts``: those whose subsets to share),
    small objects in compressed object streams, an identifier derived from its content."""
    import pikepdf

    from fsdocs.pdf.fontshare import share_fonts

    if fonts is not None:
        share_fonts(pdf, fonts)
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
        deterministic_id=True,
        force_version="1.7",
    )
    return out.getvalue()


def _info(pdf: Any, meta: dict[str, str]) -> None:
    import pikepdf

    pdf.docinfo = pdf.make_indirect(
        pikepdf.Dictionary({key: pikepdf.String(value) for key, value in pdf_info(meta).items()})
    )


def join_part(
    pieces: list[RenderedPdf],
    sources: Sources,
    meta: dict[str, str],
    font: FooterFont,
    fonts: list[Path],
    archival: Archival = Archival.NONE,
) -> bytes:
    """A part's PDF: its pages (those of the parts it is made of), numbered, with their
    outline and structure tree (tagged PDF), PDF/A-2b if ``archival`` says so."""
    import pikepdf

    pdf = pikepdf.new()
    opened = [sources(piece.data) for piece in pieces]
    several = len({id(source) for source in opened}) > 1
    structure = Structure(pdf, several, sources.trees)
    outline = Outline(pdf)
    for piece, source in zip(pieces, opened, strict=True):
        copies = _append(pdf, source, piece.pages)
        pairs = zip(piece.pages, copies, strict=True)
        pages = {source.pages[p].obj.objgen: copy.obj for p, copy in pairs}
        imported(outline, source, pages)
        structure.add(source, piece.pages, copies)
    outline.write()
    _info(pdf, meta)
    number_pages(pdf, font, baselines([size for piece in pieces for size in piece.sizes]))
    untagged = structure.close()
    declare(pdf, tagged=not untagged, archival=archival)
    return finish(pdf, fonts if several else None)


def single_page(data: bytes, index: int, meta: dict[str, str]) -> bytes:
    """Page ``index`` of the PDF ``data`` as a file of its own, titled by ``meta``."""
    import pikepdf

    pdf = pikepdf.new()
    with pikepdf.open(io.BytesIO(data)) as source:
        pdf.pages.append(source.pages[index])
        _info(pdf, meta)
        return finish(pdf, None)


def assemble(
    front: RenderedPdf,
    sections: list[Section],
    entries: Sequence[IndexEntry],
    nested: dict[str, list[Bookmark]],
    fields: Sequence[SignatureField],
    font: FooterFont,
    fonts: list[Path],
    draft: bool = False,
) -> tuple[bytes, int]:
    """The bundle's bytes and page count (``fonts``: those whose subsets the pages share);
    ``nested``: the bookmarks under an entry's own, by its target.

    A ``draft`` has « PROJET » across every page and no signature field: it is read, never
    signed."""
    import pikepdf

    pdf = pikepdf.new()
    sources = Sources()
    structure = Structure(pdf, True, sources.trees)
    opened = sources(front.data)
    structure.add(opened, range(len(opened.pages)), _append(pdf, opened, range(len(opened.pages))))
    external: set[int] = set()
    for section in sections:
        first = len(pdf.pages)
        if section.external is not None:
            national = sources(upright_bytes(section.external))
            structure.add(None, [], _append(pdf, national, range(len(national.pages))))
            external.update(range(first, len(pdf.pages)))
            continue
        body = section.body
        assert body is not None
        pages = [section.divider] if section.divider is not None else body.pages
        source = sources(body.data)
        structure.add(source, pages, _append(pdf, source, pages))
    count = len(pdf.pages)
    number_pages(pdf, font, baselines([(0.0, 0.0)] * count, external))
    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)])
    )
    anchors = {n: a.page + 1 for n, a in front.anchors.items()}
    for section in sections:
        anchors.update(section.anchors())
    outline = Outline(pdf)
    _outline(outline, entries, anchors, nested)
    outline.write()
    _links(pdf, entries, front.anchors)
    if draft:
        mark_draft(pdf, font)
    else:
        add_fields(pdf, fields)
    untagged = structure.close()
    info = opened.trailer.get("/Info")
    if info is not None:  # the front matter's: laid out with the dossier's metadata
        pdf.docinfo = pdf.copy_foreign(info)  # type: ignore[assignment]
    # The signature fields stay out of the tree (fsdocs/pdf/structure.py): only a draft,
    # which has none, is PDF/UA.
    declare(pdf, tagged=not untagged, conforming=draft)
    return finish(pdf, fonts), count


def page_size(page: Any) -> tuple[float, float]:
    """Width and height of a pypdf page, in points; A4's when it has no valid /MediaBox."""
    return _box_size(page) or A4


def _box_size(page: Any) -> tuple[float, float] | None:
    # The national PDFs were given a box by fsdocs.pdf.sanitize, with a warning: this only
    # keeps a page that slipped through from stopping the dossier.
    try:
        box = page.mediabox
        width, height = abs(float(box.width)), abs(float(box.height))
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return (width, height) if width and height else None


def upright(reader: Any) -> Any:
    """The national PDF (a pypdf reader) with any page turned by /Rotate turned in its content
    instead, so that it shows as it would on its own and the page number is drawn the right
    way up."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(upright_bytes(reader)))


def upright_bytes(reader: Any) -> bytes:
    """:func:`upright`'s file."""
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    copy = PdfWriter(clone_from=reader)
    for page in copy.pages:
        if _box_size(page) is None:
            page.mediabox = RectangleObject([0, 0, *A4])
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
    out = io.BytesIO()
    copy.write(out)
    return out.getvalue()


def _outline(
    outline: Outline,
    entries: Sequence[IndexEntry],
    anchors: dict[str, int],
    nested: dict[str, list[Bookmark]],
) -> None:
    parent = None
    for entry in entries:
        page = anchors.get(entry.cible)
        if page is None:
            raise FsdocsError(f"sommaire : cible « {entry.cible} » introuvable dans le dossier")
        if not entry.signet:
            continue
        if entry.niveau == 1:
            parent = item = outline.add(entry.titre, page - 1)
        else:
            item = outline.add(entry.titre, page - 1, parent)
        add_bookmarks(outline, nested.get(entry.cible, ()), item)


def _links(pdf: Any, entries: Sequence[IndexEntry], front: dict[str, Anchor]) -> None:
    """Each index line that fsdocs numbered links to its page (WeasyPrint links the others)."""
    import pikepdf

    for entry in entries:
        anchor = front.get(f"entree-{entry.cible}")
        if entry.page is None or anchor is None:
            continue
        page = pdf.pages[anchor.page].obj
        link = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=pikepdf.Array([anchor.left, anchor.bottom, anchor.right, anchor.top]),
                Border=pikepdf.Array([0, 0, 0]),
                Dest=pikepdf.Array([pdf.pages[entry.page - 1].obj, pikepdf.Name.Fit]),
            )
        )
        if "/Annots" not in page:
            page.Annots = pikepdf.Array()
        page.Annots.append(link)
