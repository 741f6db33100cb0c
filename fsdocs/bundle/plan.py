"""What the dossier holds after its front matter, in order: the convention, then each annex
behind its divider — fsdocs' own pages, a national PDF, or nothing but the divider of an
annex joined by reference — with the index's entries and the cover's table of pieces.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from fsdocs.bundle.externals import External
from fsdocs.bundle.revision import UNRECORDED, Revision
from fsdocs.changes.redline import plural
from fsdocs.pdf.join import Section
from fsdocs.production.build import Renderer
from fsdocs.wording.context import ConventionContext
from fsdocs.wording.dossier import DIVIDER, divider_values, missing_piece
from fsdocs.wording.jinja import render_wording
from fsdocs.wording.parts import Part

CONVENTION_TARGET = "partie-convention"
SIGNATURES_TARGET = "signatures"  # « Fait à … », above the signature blocks


@dataclass
class Entry:
    """A line of the index, and of the outline unless ``signet`` is false."""

    titre: str
    cible: str  # the id it links to
    niveau: int  # 1 for a part, 2 for a structure or the signature pages
    signet: bool = True
    page: int | None = None  # in the bundle, once known; None: computed by the layout


@dataclass(frozen=True)
class Piece:
    """A line of the cover's table: a part of the bundle, its version and its changes."""

    titre: str
    version: str
    modifications: str = ""


@dataclass(frozen=True)
class Document:
    """The convention or an annex, as a file of its own (the parapheur's folder): fsdocs'
    part, the national PDF, or, for an annex joined by reference, its divider alone."""

    titre: str
    numero: int | None  # the annex's number; None for the convention
    part: Part | None = None
    external: External | None = None
    divider: int | None = None  # its page in the dividers' document

    @property
    def name(self) -> str:
        return f"annexe-{self.numero}.pdf" if self.numero else "convention.pdf"


@dataclass
class Plan:
    """What follows the front matter, in order, with the index entries and the cover's table."""

    sections: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    dividers: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def plan(
    renderer: Renderer,
    ctx: ConventionContext,
    parts: list[Part],
    fragments: dict[str, str],
    externals: dict[int, External],
    rev: Revision | None,
    draft: bool,
) -> Plan:
    """The sections after the front matter, in order, with their index entries."""
    found = Plan()
    convention = next(p for p in parts if p.annexe is None)
    found.sections.append(Section(part=convention, targets={CONVENTION_TARGET: 0}))
    found.entries += [
        Entry("Convention", CONVENTION_TARGET, 1),
        # In the outline, the signature pages are nested under the convention's bookmark,
        # among its articles (fsdocs.bundle.bookmarks).
        Entry("Pages de signature", SIGNATURES_TARGET, 2, signet=False),
    ]
    text = fragments[convention.name].encode()
    found.pieces.append(_piece("Convention", convention.name, text, rev, _count(rev, None)))
    found.documents.append(Document(convention.titre, None, part=convention))
    for annex in ctx.annexes:
        target = f"annexe-{annex.numero}"
        label = f"Annexe {annex.numero} – {annex.titre}"
        found.entries.append(Entry(label, target, 1))
        external = externals.get(annex.numero)
        own = [p for p in parts if p.annexe == annex.numero]
        pages = len(external.reader.pages) if external else 0
        values = divider_values(renderer.project, annex, target, bool(own), pages, draft)
        found.dividers.append(render_wording(renderer.env, DIVIDER, values))
        divider = len(found.dividers) - 1
        found.sections.append(Section(divider=divider, targets={target: 0}))
        if external is not None:
            found.sections.append(Section(external=external.reader))
            found.pieces.append(
                _piece(label, external.name, external.data, rev, _replaced(rev, external.name))
            )
            found.documents.append(Document(label, annex.numero, external=external))
        elif own:
            whole = next(p for p in own if p.structure is None)
            for page in whole.made_of or (whole,):
                anchor = f"structure-{page.structure}" if page.structure else f"partie-{page.name}"
                found.sections.append(Section(part=page, targets={anchor: 0}))
                if page.structure:
                    found.entries.append(Entry(page.titre.rsplit(" – ", 1)[-1], anchor, 2))
            text = fragments[whole.name].encode()
            found.pieces.append(_piece(label, whole.name, text, rev, _count(rev, annex.numero)))
            found.documents.append(Document(whole.titre, annex.numero, part=whole))
        else:
            found.pieces.append(Piece(label, missing_piece(renderer.project, annex)))
            found.documents.append(Document(label, annex.numero, divider=divider))
    return found


def _piece(titre: str, name: str, content: bytes, rev: Revision | None, changes: str) -> Piece:
    """A piece is named by the version its text dates from; with no version recorded, by the
    digest of its text."""
    if rev is None:
        return Piece(titre, "empreinte " + hashlib.sha256(content).hexdigest()[:12])
    return Piece(titre, rev.pieces.get(name, UNRECORDED), changes)


def _count(rev: Revision | None, annexe: int | None) -> str:
    if rev is None or rev.comparison is None:
        return ""
    count = sum(p.modifications for p in rev.comparison.parties if p.annexe == annexe)
    return plural(count) if count else "inchangée"


def _replaced(rev: Revision | None, name: str) -> str:
    if rev is None or rev.comparison is None:
        return ""
    before, after = rev.comparison.avant.donnees, rev.comparison.apres.donnees
    return "document remplacé" if before.get(name) != after.get(name) else "inchangée"
