"""``fsdocs bundle``: one PDF ready for signature — cover, index, convention, signature pages,
and every annex behind a divider page.

The WeasyPrint parts are laid out in ONE document, so page numbers run continuously, the
index's page numbers are computed by the layout itself (``target-counter``), fonts are
embedded once, and the position of every signature block is known. pypdf then lays the
national PDFs (annexes 1 to 3) under their placeholder pages, sets page labels and metadata,
and adds one empty signature field per signatory. Nothing is encrypted and nothing rewrites
the file once a signature is applied: fields are signed by incremental updates.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from . import modifications
from .build import creation_date, metadata
from .context import ConventionContext, Party, get_context
from .errors import FsdocsError, Problem
from .output import output_dir, write_all
from .parts import Part, all_parts
from .pdf import Anchor, render_project_pdf
from .project import Project, load_project
from .redline import plural
from .render import environment, render_dossier, render_wording
from .revision import UNRECORDED, Revision, revision
from .versions import part_text

BUNDLE = "dossier-signature.pdf"
SIGNATURE_PREFIX = "signature-"
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Entry:
    """A line of the index; its page is computed by the layout."""

    titre: str
    cible: str  # the id it links to
    niveau: int  # 1 for a part, 2 for a structure or the signature pages


@dataclass(frozen=True)
class Piece:
    """A line of the cover's table: a part of the bundle, its version and its changes."""

    titre: str
    version: str
    modifications: str = ""


@dataclass(frozen=True)
class External:
    """A national PDF supplied by the user for an annex."""

    numero: int
    path: Path
    reader: Any  # pypdf.PdfReader

    @property
    def sizes(self) -> list[tuple[float, float]]:
        """(width, height) in points of each page as it shows, rotation applied."""
        result = []
        for page in self.reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if (page.get("/Rotate") or 0) % 180:
                width, height = height, width
            result.append((width, height))
        return result


@dataclass(frozen=True)
class BundleResult:
    path: Path
    pages: int
    size: int
    signatures: int
    warnings: tuple[Problem, ...]


def bundle(root: Path, depuis: str | None = None) -> BundleResult:
    """Build the signature bundle of the project at ``root`` into ``output/``; with recorded
    versions, it carries the changes since the previous one (or since version ``depuis``)."""
    project = load_project(root)
    ctx = get_context(project)
    parts = all_parts(project, ctx)
    env = environment(project.root)
    fragments = {p.name: render_wording(env, p.template, p.values) for p in parts}
    externals = _externals(project, ctx)
    rev = revision(project, [part_text(p, fragments[p.name]) for p in parts], depuis)
    sections, entries, pieces = _layout(env, ctx, parts, fragments, externals, rev, project.root)
    changes, change_entries = _changes(env, rev)
    cover = render_wording(
        env,
        "bundle/couverture.html.j2",
        {**_cover_values(ctx), **_revision_values(rev), "pieces": pieces},
    )
    index = render_wording(env, "bundle/sommaire.html.j2", {"entrees": change_entries + entries})
    created = creation_date(project)
    title = Part("dossier", "", f"Dossier de signature – {ctx.titre} {ctx.departement_de}", "")
    meta = metadata(project, ctx, title, created)
    versions = {p.titre: p.version for p in pieces}
    meta["keywords"] += ", " + ", ".join(f"{k} : {v}" for k, v in versions.items())
    html = render_dossier(
        env,
        cover + index + "".join(changes) + "".join(sections),
        meta,
        _external_page_css(externals),
    )
    rendered, identifier = render_project_pdf(html, project.root)
    data, page_count = _assemble(rendered.data, rendered.anchors, externals, ctx, identifier)
    written = write_all(output_dir(project.root), {BUNDLE: data})
    return BundleResult(written[0], page_count, len(data), len(ctx.parties), project.warnings)


def _cover_values(ctx: ConventionContext) -> dict[str, Any]:
    return {
        "titre": ctx.titre,
        "departement_de": ctx.departement_de,
        "labellisation": ctx.labellisation,
        "lieu": ctx.lieu,
        "date_signature": ctx.date_signature,
    }


def _revision_values(rev: Revision | None) -> dict[str, Any]:
    """What the cover says of versions: the one presented and the one compared with."""
    if rev is None:
        return {"etat": "", "reference": "", "comparaison": False}
    presente = modifications.label(rev.presente)
    if rev.presente.numero is None:
        presente += f", modifié depuis la version {rev.derniere}"
    comparison = rev.comparison
    if comparison is None:
        reference = "aucune version antérieure"
    elif comparison.vide:
        reference = f"{modifications.label(comparison.avant)} : aucune modification"
    else:
        reference = f"{modifications.label(comparison.avant)} : voir le tableau des modifications"
    return {"etat": presente, "reference": reference, "comparaison": comparison is not None}


def _changes(env: Any, rev: Revision | None) -> tuple[list[str], list[Entry]]:
    """The table of changes and the redline pages, with their index entries."""
    if rev is None or rev.comparison is None or rev.comparison.vide:
        return [], []
    comparison = rev.comparison
    heading = escape(f"Modifications {modifications.span(comparison)}")
    html = [
        '<div class="signet-1 page-modifications" data-signet="Tableau des modifications">'
        f'<header class="entete">{heading}</header>{modifications.table(env, comparison)}</div>'
    ]
    entries = [Entry("Tableau des modifications", modifications.TABLE_ANCHOR, 1)]
    for part, section in modifications.sections(comparison):
        title = f"Modifications – {modifications.short_title(part)}"
        html.append(f'<div class="signet-2" data-signet="{escape(title)}">{section}</div>')
        entries.append(Entry(title, modifications.anchor(part), 2))
    return html, entries


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


def _layout(
    env: Any,
    ctx: ConventionContext,
    parts: list[Part],
    fragments: dict[str, str],
    externals: dict[int, External],
    rev: Revision | None,
    project_root: Path,
) -> tuple[list[str], list[Entry], list[Piece]]:
    """The HTML sections of the bundle after its cover and index, in order."""
    convention = next(p for p in parts if p.annexe is None)
    sections = [_section(convention, fragments[convention.name], "partie-convention", "Convention")]
    entries = [
        Entry("Convention", "partie-convention", 1),
        Entry("Pages de signature", "signatures", 2),
    ]
    text = fragments[convention.name].encode()
    pieces = [_piece("Convention", convention.name, text, rev, _count(rev, None))]
    for annex in ctx.annexes:
        target = f"annexe-{annex.numero}"
        label = f"Annexe {annex.numero} – {annex.titre}"
        entries.append(Entry(label, target, 1))
        external = externals.get(annex.numero)
        own = [p for p in parts if p.annexe == annex.numero]
        divider = render_wording(
            env,
            "bundle/intercalaire.html.j2",
            {
                "annexe": annex,
                "cible": target,
                "absente": not own and external is None,
                "externe": len(external.reader.pages) if external else 0,
            },
        )
        sections.append(_bookmarked(divider, label))
        if external is not None:
            sections += [
                f'<div class="externe externe-{annex.numero}-{k}" id="externe-{annex.numero}-{k}">'
                "</div>"
                for k in range(len(external.reader.pages))
            ]
            name = external.path.relative_to(project_root.resolve()).as_posix()
            pieces.append(
                _piece(label, name, external.path.read_bytes(), rev, _replaced(rev, name))
            )
        elif own:
            pages = [p for p in own if p.structure is not None]
            whole = next(p for p in own if p.structure is None)
            if pages:
                for page in pages:
                    anchor = f"structure-{page.structure}"
                    name = page.titre.rsplit(" – ", 1)[-1]
                    entries.append(Entry(name, anchor, 2))
                    sections.append(_section(page, fragments[page.name], anchor, name, level=2))
            else:
                sections.append(_section(whole, fragments[whole.name], f"partie-{whole.name}", ""))
            text = fragments[whole.name].encode()
            pieces.append(_piece(label, whole.name, text, rev, _count(rev, annex.numero)))
        else:
            pieces.append(Piece(label, "non fourni"))
    return sections, entries, pieces


def _replaced(rev: Revision | None, name: str) -> str:
    if rev is None or rev.comparison is None:
        return ""
    before, after = rev.comparison.avant.donnees, rev.comparison.apres.donnees
    return "document remplacé" if before.get(name) != after.get(name) else "inchangée"


def _bookmarked(divider: str, label: str) -> str:
    """Make the divider's section the bookmark of its annex."""
    return divider.replace(
        '<section class="intercalaire"',
        f'<section class="intercalaire signet-1" data-signet="{escape(label)}"',
        1,
    )


def _section(part: Part, fragment: str, anchor: str, label: str, level: int = 1) -> str:
    classes = ["partie"]
    if part.paysage:
        classes.append("paysage")
    if label:
        classes.append(f"signet-{level}")
    return (
        f'<section class="{" ".join(classes)}" id="{anchor}" data-signet="{escape(label)}">'
        f'<header class="entete">{escape(part.entete)}</header>{fragment}</section>'
    )


def _externals(project: Project, ctx: ConventionContext) -> dict[int, External]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    found: dict[int, External] = {}
    for annex, ref in zip(ctx.annexes, project.convention.annexes, strict=True):
        if not ref.fichier:
            continue
        # load_project already refused a path outside the project, missing, or not a PDF.
        path = (project.root / ref.fichier).resolve()
        try:
            reader = PdfReader(io.BytesIO(path.read_bytes()))
            if reader.is_encrypted or not reader.pages:
                raise FsdocsError(f"annexe {annex.numero} : « {ref.fichier} » est chiffré ou vide")
        except (OSError, PdfReadError) as exc:
            raise FsdocsError(
                f"annexe {annex.numero} : PDF « {ref.fichier} » illisible ({exc})"
            ) from None
        found[annex.numero] = External(annex.numero, path, reader)
    return found


def _external_page_css(externals: dict[int, External]) -> str:
    rules = []
    for numero, external in externals.items():
        for k, (width, height) in enumerate(external.sizes):
            name = f"externe-{numero}-{k}"
            rules.append(
                f"@page {name} {{ size: {width:.2f}pt {height:.2f}pt; margin: 0 0 9mm 0; "
                "@top-center { content: none; } }\n"
                f".{name} {{ page: {name}; }}"
            )
    return "\n".join(rules)


def _assemble(
    data: bytes,
    anchors: dict[str, Anchor],
    externals: dict[int, External],
    ctx: ConventionContext,
    identifier: bytes,
) -> tuple[bytes, int]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for numero, external in externals.items():
        # A writer of its own, so that a rotated page can be turned upright before merging.
        pages = PdfWriter(clone_from=external.reader).pages
        for k, page in enumerate(pages):
            if page.get("/Rotate"):
                page.transfer_rotation_to_content()
            writer.pages[anchors[f"externe-{numero}-{k}"].page].merge_page(page, over=False)
    count = len(writer.pages)
    writer.set_page_label(0, count - 1, PageLabelStyle.DECIMAL, start=1)
    _signature_fields(writer, anchors, ctx.parties)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    digest = ByteStringObject(hashlib.md5(identifier, usedforsecurity=False).digest())
    writer._ID = ArrayObject([digest, digest])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), count


def _signature_fields(writer: Any, anchors: dict[str, Anchor], parties: tuple[Party, ...]) -> None:
    """One empty, visible signature field (/Sig) in each signatory's block."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    _BLUE = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(0.57)])  # border colour
    fields = ArrayObject()
    for party in parties:
        anchor = anchors.get(f"{SIGNATURE_PREFIX}{party.id}")
        if anchor is None:
            raise FsdocsError(f"bloc de signature de « {party.id} » introuvable dans la convention")
        page = writer.pages[anchor.page]
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
