"""Joining laid-out pages into one PDF — a part's file (Annexe 4: its structures' pages),
and the bundle: the front matter, then each section (a part, a divider, a national PDF), with
page numbers, page labels, the outline, the index's links, one empty signature field per
signatory, and each font once. Both end the same way (``finish``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fsdocs.errors import FsdocsError
from fsdocs.pdf.compact import compact
from fsdocs.pdf.conformance import Archival, declare
from fsdocs.pdf.fields import SignatureField, add_fields
from fsdocs.pdf.metadata import pdf_info
from fsdocs.pdf.numbering import FooterFont, baselines, mark_draft, number_pages
from fsdocs.pdf.outline import Bookmark, add_bookmarks
from fsdocs.pdf.sanitize import A4
from fsdocs.pdf.structure import Source, carry_structure
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


class Readers:
    """One reader per document: a lot's pages go to many files, and pypdf's reading of a
    document's compressed objects is slow enough to count."""

    def __init__(self) -> None:
        self._readers: dict[int, Any] = {}
        self._kept: list[bytes] = []  # ids stay unique while the readers live

    def __call__(self, data: bytes) -> Any:
        from pypdf import PdfReader

        reader = self._readers.get(id(data))
        if reader is None:
            reader = self._readers[id(data)] = PdfReader(io.BytesIO(data))
            self._kept.append(data)
        return reader


def finish(writer: Any, fonts: list[Path] | None, identifier: bytes, compacted: bool) -> bytes:
    """The joined file's bytes: each font once (``fonts``: those whose subsets to share), an
    identifier derived from what it shows, compacted if asked."""
    from pypdf.generic import ArrayObject, ByteStringObject

    from fsdocs.pdf.fontshare import share_fonts

    if fonts is not None:
        share_fonts(writer, fonts)
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    out = io.BytesIO()
    writer.write(out)
    return compact(out.getvalue()) if compacted else out.getvalue()


def join_part(
    pieces: list[RenderedPdf],
    readers: Readers,
    meta: dict[str, str],
    font: FooterFont,
    fonts: list[Path],
    identifier: bytes,
    archival: Archival = Archival.NONE,
) -> bytes:
    """A part's PDF: its pages (those of the parts it is made of), numbered, with their
    structure tree (tagged PDF), PDF/A-2b if ``archival`` says so."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    sources = [readers(piece.data) for piece in pieces]
    for piece, reader in zip(pieces, sources, strict=True):
        writer.append(reader, pages=piece.pages, import_outline=True)
    writer.add_metadata(pdf_info(meta))
    number_pages(writer, font, baselines([size for piece in pieces for size in piece.sizes]))
    untagged = carry_structure(writer, [(r, p.pages) for p, r in zip(pieces, sources, strict=True)])
    declare(writer, tagged=not untagged, archival=archival)
    several = len({id(reader) for reader in sources}) > 1
    # Compacted even alone: a structure tree is thousands of small objects (a third of the
    # file, written one by one by pypdf, against 1 % in object streams).
    return finish(writer, fonts if several else None, identifier, True)


def single_page(data: bytes, index: int, meta: dict[str, str]) -> bytes:
    """Page ``index`` of the PDF ``data`` as a file of its own, titled by ``meta``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(data)).pages[index])
    writer.add_metadata(pdf_info(meta))
    seed = f"{hashlib.sha256(data).hexdigest()}:{index}:{_flat(meta)}"
    return finish(writer, None, hashlib.md5(seed.encode(), usedforsecurity=False).digest(), True)


def _flat(values: dict[str, str]) -> str:
    return ",".join(f"{k}={values[k]}" for k in sorted(values))


def assemble(
    front: RenderedPdf,
    sections: list[Section],
    entries: Sequence[IndexEntry],
    nested: dict[str, list[Bookmark]],
    fields: Sequence[SignatureField],
    font: FooterFont,
    fonts: list[Path],
    keys: list[str],
    draft: bool = False,
) -> tuple[bytes, int]:
    """The bundle's bytes and page count (``fonts``: those whose subsets the pages share);
    ``nested``: the bookmarks under an entry's own, by its target.

    A ``draft`` has « PROJET » across every page and no signature field: it is read, never
    signed."""
    from pypdf import PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import NameObject

    readers = Readers()  # one reader per document, so shared objects stay shared
    writer = PdfWriter(clone_from=readers(front.data))
    if "/Outlines" in writer._root_object:
        del writer._root_object[NameObject("/Outlines")]  # ours is built below
    external: set[int] = set()
    tagged: list[Source] = [(readers(front.data), range(len(writer.pages)))]
    for section in sections:
        first = len(writer.pages)
        if section.external is not None:
            writer.append(upright(section.external), import_outline=False)
            external.update(range(first, len(writer.pages)))
            tagged.append((None, range(first, len(writer.pages))))  # not ours: untagged
            continue
        body = section.body
        assert body is not None
        pages = [section.divider] if section.divider is not None else body.pages
        writer.append(readers(body.data), pages=pages, import_outline=False)
        tagged.append((readers(body.data), pages))
    count = len(writer.pages)
    sizes = [page_size(p) for p in writer.pages]
    number_pages(writer, font, baselines(sizes, external))
    writer.set_page_label(0, count - 1, PageLabelStyle.DECIMAL, start=1)
    anchors = {n: a.page + 1 for n, a in front.anchors.items()}
    for section in sections:
        anchors.update(section.anchors())
    _outline(writer, entries, anchors, nested)
    _links(writer, entries, front.anchors)
    if draft:
        mark_draft(writer, font)
    else:
        add_fields(writer, fields)
    untagged = carry_structure(writer, tagged)
    # The signature fields stay out of the tree (fsdocs/pdf/structure.py): only a draft,
    # which has none, is PDF/UA.
    declare(writer, tagged=not untagged, conforming=draft)
    digest = hashlib.md5(" ".join([*keys, str(draft)]).encode(), usedforsecurity=False).digest()
    return finish(writer, fonts, digest, True), count


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
    """The national PDF with any page turned by /Rotate turned in its content instead, so
    that it shows as it would on its own and the page number is drawn the right way up."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    copy = PdfWriter(clone_from=reader)
    for page in copy.pages:
        if _box_size(page) is None:
            page.mediabox = RectangleObject([0, 0, *A4])
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
    out = io.BytesIO()
    copy.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _outline(
    writer: Any,
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
            parent = item = writer.add_outline_item(title=entry.titre, page_number=page - 1)
        else:
            item = writer.add_outline_item(title=entry.titre, page_number=page - 1, parent=parent)
        add_bookmarks(writer, nested.get(entry.cible, ()), item)


def _links(writer: Any, entries: Sequence[IndexEntry], front: dict[str, Anchor]) -> None:
    """Each index line that fsdocs numbered links to its page (WeasyPrint links the others)."""
    from pypdf.annotations import Link

    for entry in entries:
        anchor = front.get(f"entree-{entry.cible}")
        if entry.page is None or anchor is None:
            continue
        rect = (anchor.left, anchor.bottom, anchor.right, anchor.top)
        link = Link(rect=rect, border=[0, 0, 0], target_page_index=entry.page - 1)
        writer.add_annotation(page_number=anchor.page, annotation=link)
