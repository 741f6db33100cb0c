"""Putting the bundle together from laid-out pages: the front matter, then each section (a
part, a divider, a national PDF), with page numbers, page labels, the outline, the index's
links, one empty signature field per signatory, and each font once.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fsdocs.errors import FsdocsError
from fsdocs.pdf.compact import compact
from fsdocs.pdf.numbering import baselines, font_files, number_pages
from fsdocs.pdf.weasy import Anchor, RenderedPdf
from fsdocs.wording.parts import Part

if TYPE_CHECKING:
    from fsdocs.production.build import Renderer
    from fsdocs.wording.context import Party

SIGNATURE_PREFIX = "signature-"
_PT_PER_MM = 72 / 25.4


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


def assemble(
    front: RenderedPdf,
    sections: list[Section],
    entries: Sequence[IndexEntry],
    parties: tuple[Party, ...],
    renderer: Renderer,
    keys: list[str],
) -> tuple[bytes, int]:
    """The bundle's bytes and page count."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    from fsdocs.pdf.fontshare import share_fonts

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(front.data)))
    if "/Outlines" in writer._root_object:
        del writer._root_object[NameObject("/Outlines")]  # ours is built below
    external: set[int] = set()
    readers: dict[int, Any] = {}  # one reader per document, so shared objects stay shared
    for section in sections:
        first = len(writer.pages)
        if section.external is not None:
            writer.append(_upright(section.external), import_outline=False)
            external.update(range(first, len(writer.pages)))
            continue
        body = section.body
        assert body is not None
        reader = readers.get(id(body.data))
        if reader is None:
            reader = readers[id(body.data)] = PdfReader(io.BytesIO(body.data))
        pages = [section.divider] if section.divider is not None else body.pages
        writer.append(reader, pages=pages, import_outline=False)
    count = len(writer.pages)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    number_pages(writer, renderer.footer_font(), baselines(sizes, external))
    writer.set_page_label(0, count - 1, PageLabelStyle.DECIMAL, start=1)
    anchors = {n: a.page + 1 for n, a in front.anchors.items()}
    for section in sections:
        anchors.update(section.anchors())
    _outline(writer, entries, anchors)
    _links(writer, entries, front.anchors)
    convention = next(s for s in sections if s.part is not None and s.part.annexe is None)
    assert convention.body is not None
    _signature_fields(writer, convention.body.anchors, convention.start - 1, parties)
    share_fonts(writer, font_files(renderer.dirs))
    digest = hashlib.md5(" ".join(keys).encode(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return compact(out.getvalue()), count


def _upright(reader: Any) -> Any:
    """The national PDF with any page turned by /Rotate turned in its content instead, so
    that it shows as it would on its own and the page number is drawn the right way up."""
    from pypdf import PdfReader, PdfWriter

    copy = PdfWriter(clone_from=reader)
    for page in copy.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
    out = io.BytesIO()
    copy.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _outline(writer: Any, entries: Sequence[IndexEntry], anchors: dict[str, int]) -> None:
    parent = None
    for entry in entries:
        page = anchors.get(entry.cible)
        if page is None:
            raise FsdocsError(f"sommaire : cible « {entry.cible} » introuvable dans le dossier")
        if not entry.signet:
            continue
        if entry.niveau == 1:
            parent = writer.add_outline_item(title=entry.titre, page_number=page - 1)
        else:
            writer.add_outline_item(title=entry.titre, page_number=page - 1, parent=parent)


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


def _signature_fields(
    writer: Any, anchors: dict[str, Anchor], offset: int, parties: tuple[Party, ...]
) -> None:
    """One empty, visible signature field (/Sig) in each signatory's block."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    fields = ArrayObject()
    for party in parties:
        anchor = anchors.get(f"{SIGNATURE_PREFIX}{party.id}")
        if anchor is None:
            raise FsdocsError(f"bloc de signature de « {party.id} » introuvable dans la convention")
        page = writer.pages[offset + anchor.page]
        inset = 1.5 * _PT_PER_MM
        box = [
            anchor.left + inset,
            anchor.bottom + inset,
            anchor.right - inset,
            anchor.top - inset,
        ]
        signer = party.signataire
        field = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Sig"),
                NameObject("/T"): TextStringObject(f"{SIGNATURE_PREFIX}{party.id}"),
                NameObject("/TU"): TextStringObject(
                    f"Signature de {signer.nom_complet.replace(chr(160), ' ')}, {signer.fonction}"
                ),
                NameObject("/Rect"): ArrayObject(FloatObject(round(v, 2)) for v in box),
                NameObject("/F"): NumberObject(4),  # printable
                NameObject("/P"): page.indirect_reference,
                NameObject("/MK"): DictionaryObject(
                    {
                        NameObject("/BC"): ArrayObject(
                            [FloatObject(0), FloatObject(0), FloatObject(0.57)]
                        )
                    }
                ),
            }
        )
        reference = writer._add_object(field)
        if "/Annots" not in page:
            page[NameObject("/Annots")] = ArrayObject()
        page["/Annots"].append(reference)
        fields.append(reference)
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(
        DictionaryObject({NameObject("/Fields"): fields})
    )
