"""The dossier's signature fields: where each one goes, and the empty /Sig widget drawn there.

Where the fields go is decided once, before the pages are joined, from the signature blocks'
positions in the laid-out convention: the same list then makes the fields, the signers' list
(``signataires.csv``) and the signature pages' bookmarks, so the three cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fsdocs.errors import FsdocsError
from fsdocs.pdf.weasy import Anchor

if TYPE_CHECKING:
    from fsdocs.wording.context import Party

SIGNATURE_PREFIX = "signature-"
_PT_PER_MM = 72 / 25.4
_INSET = 1.5 * _PT_PER_MM  # the field stays inside the block's frame


@dataclass(frozen=True)
class SignatureField:
    """One empty signature field of the dossier, in signing order."""

    party: Party
    page: int  # 0-based, in the dossier
    box: tuple[float, float, float, float]  # left, bottom, right, top, in PDF points

    @property
    def name(self) -> str:
        """The field's name (/T), as a signing tool asks for it."""
        return f"{SIGNATURE_PREFIX}{self.party.id}"

    @property
    def tooltip(self) -> str:
        signer = self.party.signataire
        return f"Signature de {signer.nom_complet.replace(chr(160), ' ')}, {signer.fonction}"


def place_fields(
    anchors: dict[str, Anchor], first: int, parties: Sequence[Party]
) -> list[SignatureField]:
    """Each party's field, inside its block; ``anchors`` are the convention's, whose first
    page is the dossier's page ``first`` (0-based)."""
    fields = []
    for party in parties:
        anchor = anchors.get(f"{SIGNATURE_PREFIX}{party.id}")
        if anchor is None:
            raise FsdocsError(f"bloc de signature de « {party.id} » introuvable dans la convention")
        box = (
            anchor.left + _INSET,
            anchor.bottom + _INSET,
            anchor.right - _INSET,
            anchor.top - _INSET,
        )
        fields.append(SignatureField(party, first + anchor.page, box))
    return fields


def add_fields(pdf: Any, fields: Sequence[SignatureField]) -> None:
    """One empty, visible signature field (/Sig) per entry of ``fields``, in their order, in
    the pikepdf document ``pdf``."""
    import pikepdf

    references = []
    for field in fields:
        page = pdf.pages[field.page].obj
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Sig,
                T=pikepdf.String(field.name),
                TU=pikepdf.String(field.tooltip),
                Rect=pikepdf.Array(round(v, 2) for v in field.box),
                F=4,  # printable
                P=page,
                MK=pikepdf.Dictionary(BC=pikepdf.Array([0, 0, 0.57])),
            )
        )
        if "/Annots" not in page:
            page.Annots = pikepdf.Array()
        page.Annots.append(widget)
        references.append(widget)
    pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=pikepdf.Array(references)))
