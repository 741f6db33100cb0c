"""The convention's bookmarks in the dossier, nested under its own: one per heading of its
text (Préambule, each article, and the articles' sections under them), and, where its
signature pages start, « Pages de signature » with one bookmark per signatory, on the page of
his field, in signing order.

The headings come from the outline WeasyPrint wrote for the laid-out convention (h2 to h6;
its h1, the title, is the dossier's « Convention » bookmark). Those of the signature pages
(« Les signataires » and its groups) give way to the signatories': a heading found between
« Fait à … » and the last signature field is one of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from fsdocs.bundle.plan import SIGNATURES_TARGET
from fsdocs.errors import FsdocsError
from fsdocs.french import typography
from fsdocs.pdf.fields import SignatureField
from fsdocs.pdf.join import Section
from fsdocs.pdf.outline import Bookmark, headings, shifted

SIGNATURE_PAGES = "Pages de signature"


def convention_bookmarks(section: Section, placed: Sequence[SignatureField]) -> list[Bookmark]:
    """The bookmarks under the convention's, pages counted in the dossier (0-based);
    ``section`` is the convention's, its first page known."""
    body = section.body
    assert body is not None
    offset = section.start - 1
    found = shifted(headings(body.data, body.first, len(body.sizes)), offset)
    fait = body.anchors.get(SIGNATURES_TARGET)
    if fait is None:
        raise FsdocsError(f"« {SIGNATURES_TARGET} » introuvable dans la convention")
    signatories = tuple(
        Bookmark(_title(field), field.page, field.box[3] + _ABOVE_FIELD) for field in placed
    )
    pages = Bookmark(SIGNATURE_PAGES, offset + fait.page, fait.top, signatories)
    first = pages.position()
    last = max((Bookmark("", f.page, f.box[1]).position() for f in placed), default=first)
    kept = [b for b in found if not first <= b.position() <= last]
    return sorted([*kept, pages], key=Bookmark.position)


# The signatory's name and function are printed above his field: the bookmark shows them.
_ABOVE_FIELD = 60.0  # points


def _title(field: SignatureField) -> str:
    signer = field.party.signataire
    return typography(f"{signer.nom_complet}, {signer.fonction}")
