"""``fsdocs dossier``: one PDF ready for signature — cover, index, convention, signature pages,
and every annex behind a divider page.

The bundle is put together from the very pages ``fsdocs produire`` lays out (cached, so a bundle
after a build lays out only its cover, index and dividers): the front matter — cover, index,
table of changes and redline pages — is laid out last, with the page numbers that the parts'
known lengths give, and assembly.py then joins everything, draws the page numbers, the
outline, the index's links and one empty signature field per signatory, and keeps one copy of
each font. Nothing is encrypted and nothing rewrites the file once a signature is applied:
fields are signed by incremental updates. The national PDFs are made safe before they join it
(externals.py), and a dossier that carries a signature is never replaced (signed.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from fsdocs.bundle.externals import External, national_pdfs
from fsdocs.bundle.revision import UNRECORDED, Revision, revision
from fsdocs.bundle.signed import refuse_signed
from fsdocs.changes import modifications
from fsdocs.changes.redline import plural
from fsdocs.errors import FsdocsError, IncompleteProjectError, Problem
from fsdocs.files.lock import project_lock
from fsdocs.files.write import OUTPUT, output_dir, producing, write_documents
from fsdocs.pdf.join import Section, assemble
from fsdocs.pdf.numbering import font_files
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production.build import NO_FOOTER, Renderer, metadata
from fsdocs.production.cache import Cache, key
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from fsdocs.wording.completeness import checked, missing
from fsdocs.wording.context import ConventionContext, get_context
from fsdocs.wording.dossier import COVER, DIVIDER, cover_values, divider_values, missing_piece
from fsdocs.wording.jinja import (
    dossier_stylesheet,
    render_dossier,
    render_template,
    render_wording,
)
from fsdocs.wording.labels import labels
from fsdocs.wording.parts import Part
from fsdocs.wording.registry import all_parts
from fsdocs.wording.texts import part_text

BUNDLE = "dossier-signature.pdf"
DRAFT = "dossier-projet.pdf"  # never mistaken for the dossier to sign: never signed either


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
class BundleResult:
    path: Path
    pages: int
    size: int
    signatures: int
    warnings: tuple[Problem, ...]
    laid_out: int = 0  # pages laid out (the others came from the cache)


@dataclass
class Plan:
    """What follows the front matter, in order, with the index entries and the cover's table."""

    sections: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    dividers: list[str] = field(default_factory=list)


def bundle(
    root: Path,
    depuis: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    brouillon: bool = False,
) -> BundleResult:
    """Build the signature bundle of the project at ``root`` into ``output/``; with recorded
    versions, it carries the changes since the previous one (or since version ``depuis``).

    A project with facts still to fill in is refused (IncompleteProjectError); ``brouillon``
    makes a draft instead, under another name (DRAFT)."""
    with project_lock(root):  # the files are read under the lock: none changes meanwhile
        if not brouillon:
            refuse_signed(root / OUTPUT, BUNDLE)  # before any work
        return bundle_project(load_project(root), depuis, jobs, progress, brouillon=brouillon)


def bundle_project(
    project: Project,
    depuis: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    cache: Cache | None = None,
    brouillon: bool = False,
) -> BundleResult:
    """``bundle`` for a project already loaded; ``cache`` replaces the project's own."""
    project = checked(project)
    out = output_dir(project.root)
    if not brouillon:
        refuse_incomplete(project)
    with project_lock(project.root), producing(out):
        return _produce(project, out, depuis, jobs, progress, cache, brouillon)


def refuse_incomplete(project: Project) -> None:
    """Stop before any work when the dossier would print « [à compléter] » (``project`` as
    :func:`fsdocs.wording.completeness.checked` gives it)."""
    found = missing(project)
    if not found:
        return
    mentions = sum(p.mentions for p in found)
    facts = f"{len(found)} fait{'s' if len(found) > 1 else ''}"
    raise IncompleteProjectError(
        found,
        f"dossier de signature refusé : {facts} à compléter, qu’il imprimerait « [à compléter] » "
        f"{mentions} fois (liste ci-dessus). Complétez-les puis relancez « fsdocs dossier » ; "
        f"pour relire un projet de dossier, sans champ de signature : « fsdocs dossier "
        f"--brouillon » ({OUTPUT}/{DRAFT}).",
    )


def _produce(
    project: Project,
    out: Path,
    depuis: str | None,
    jobs: int | None,
    progress: bool,
    cache: Cache | None,
    draft: bool,
) -> BundleResult:
    target = DRAFT if draft else BUNDLE
    if not draft:
        refuse_signed(out, BUNDLE)  # before any work (a national run comes here directly)
    ctx = get_context(project)
    parts = all_parts(project, ctx)
    renderer = Renderer(project, ctx, cache or Cache(out))
    fragments = {p.name: renderer.fragment(p) for p in parts}
    externals, removed = national_pdfs(project, ctx)
    rev = revision(project, [part_text(p, fragments[p.name]) for p in parts], depuis)
    plan = _plan(renderer, ctx, parts, fragments, externals, rev)
    meta = _meta(renderer, project, ctx, plan.pieces, draft)

    # The parts and the dividers, laid out together (in worker processes, or from the cache).
    laid_out = [s.part for s in plan.sections if s.part is not None]
    jobs_list = [renderer.pdf_job(p, fragments[p.name]) for p in laid_out]
    # The dividers say nothing of the département: the same pages serve every bundle.
    plain = {**meta, "title": "Intercalaires", "author": "", "keywords": ""}
    dividers = _dossier_job(renderer, "".join(plan.dividers), plain)
    results = renderer.run_jobs([*jobs_list, dividers], jobs, progress)
    bodies = {p.name: results[j.key] for p, j in zip(laid_out, jobs_list, strict=True)}
    divider_pages: RenderedPdf = results[dividers.key]
    for section in plan.sections:
        if section.part is not None:
            section.body = bodies[section.part.name]
        elif section.divider is not None:
            section.body = divider_pages
    front, keys, change_entries = _front(renderer, ctx, rev, plan, meta, draft)
    keys += [*(j.key for j in jobs_list), dividers.key]
    # The bundle of these very pages, fields and national PDFs was assembled before: reuse it.
    sources = [f"{renderer.digest(s.body.data)}:{s.body.first}" for s in plan.sections if s.body]
    externals_digest = [hashlib.sha256(e.clean).hexdigest() for e in externals.values()]
    signers = [(p.id, p.signataire.nom_complet, p.signataire.fonction) for p in ctx.parties]
    name = key(target, *keys, *sources, *externals_digest, json.dumps(signers))
    found = renderer.cache.get(name)
    if found is not None:
        data, page_count = found.pdf, int(found.info["pages"])
    else:
        data, page_count = assemble(
            front,
            plan.sections,
            change_entries + plan.entries,
            ctx.parties,
            renderer.footer_font(),
            font_files(renderer.dirs),
            keys,
            draft,
        )
        renderer.cache.put(name, data, {"pages": page_count})
    if not draft:
        refuse_signed(out, BUNDLE)  # again: it may have been signed while this one was made
    written = write_documents(out, {target: data})
    return BundleResult(
        written[0],
        page_count,
        len(data),
        0 if draft else len(ctx.parties),
        (*project.warnings, *removed),
        renderer.laid_out,
    )


def _dossier_job(renderer: Renderer, body: str, meta: dict[str, str]) -> Any:
    css = dossier_stylesheet(renderer.env) + NO_FOOTER
    html = render_dossier(renderer.env, body, meta, css="")
    return renderer.job_for_html(key("dossier", renderer.assets, css, html), html, css, 8)


def _front(
    renderer: Renderer,
    ctx: ConventionContext,
    rev: Revision | None,
    plan: Plan,
    meta: dict[str, str],
    draft: bool,
) -> tuple[RenderedPdf, list[str], list[Entry]]:
    """Cover, index and changes, laid out with the page numbers of what follows them: the
    front's own length decides those numbers, so it is laid out again if a guess was wrong."""
    env = renderer.env
    changes, change_entries = _changes(env, rev)
    values = {**cover_values(ctx, draft), **_revision_values(rev), "pieces": plan.pieces}
    cover = render_wording(env, COVER, values)
    length = 2 + (2 if changes else 0)
    keys: list[str] = []
    for _ in range(4):
        _number(plan, length)
        index = render_wording(
            env, "bundle/sommaire.html.j2", {"entrees": change_entries + plan.entries}
        )
        job = _dossier_job(renderer, cover + index + "".join(changes), meta)
        front: RenderedPdf = renderer.run_jobs([job], 1, False)[job.key]
        keys = [job.key]
        if len(front.sizes) == length:
            return front, keys, change_entries
        length = len(front.sizes)
    raise FsdocsError("le sommaire du dossier ne trouve pas sa longueur")  # pragma: no cover


def _number(plan: Plan, front: int) -> None:
    """Give each entry its page, the front matter being ``front`` pages long."""
    page = front + 1
    anchors: dict[str, int] = {}
    for section in plan.sections:
        section.start = page
        anchors.update(section.anchors())
        page += section.length
    for entry in plan.entries:
        if entry.cible not in anchors:
            raise FsdocsError(f"sommaire : cible « {entry.cible} » introuvable dans le dossier")
        entry.page = anchors[entry.cible]


def _meta(
    renderer: Renderer,
    project: Project,
    ctx: ConventionContext,
    pieces: list[Piece],
    draft: bool,
) -> dict[str, str]:
    kind = "Projet de dossier de signature" if draft else "Dossier de signature"
    title = Part("dossier", "", f"{kind} – {ctx.titre} {ctx.departement_de}", "")
    meta = metadata(project, ctx, title, renderer.created)
    meta["keywords"] += ", " + ", ".join(f"{p.titre} : {p.version}" for p in pieces)
    return meta


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
    wording = labels().dossier
    entries = [Entry(wording.tableau, modifications.TABLE_ANCHOR, 1)]
    sections = []
    for part, section in modifications.sections(comparison):
        title = wording.modifications_de + modifications.short_title(part)
        sections.append({"titre": title, "html": Markup(section)})
        entries.append(Entry(title, modifications.anchor(part), 2))
    values = {
        "titre": wording.tableau,
        "entete": f"Modifications {modifications.span(comparison)}",
        "tableau": Markup(modifications.table(env, comparison)),
        "sections": sections,
    }
    return [render_template(env, "bundle/pages-modifications.html.j2", values)], entries


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


def _plan(
    renderer: Renderer,
    ctx: ConventionContext,
    parts: list[Part],
    fragments: dict[str, str],
    externals: dict[int, External],
    rev: Revision | None,
) -> Plan:
    """The sections after the front matter, in order, with their index entries."""
    plan = Plan()
    convention = next(p for p in parts if p.annexe is None)
    plan.sections.append(Section(part=convention, targets={"partie-convention": 0}))
    plan.entries += [
        Entry("Convention", "partie-convention", 1),
        Entry("Pages de signature", "signatures", 2, signet=False),
    ]
    text = fragments[convention.name].encode()
    plan.pieces.append(_piece("Convention", convention.name, text, rev, _count(rev, None)))
    for annex in ctx.annexes:
        target = f"annexe-{annex.numero}"
        label = f"Annexe {annex.numero} – {annex.titre}"
        plan.entries.append(Entry(label, target, 1))
        external = externals.get(annex.numero)
        own = [p for p in parts if p.annexe == annex.numero]
        pages = len(external.reader.pages) if external else 0
        values = divider_values(renderer.project, annex, target, bool(own), pages)
        plan.dividers.append(render_wording(renderer.env, DIVIDER, values))
        plan.sections.append(Section(divider=len(plan.dividers) - 1, targets={target: 0}))
        if external is not None:
            plan.sections.append(Section(external=external.reader))
            plan.pieces.append(
                _piece(label, external.name, external.data, rev, _replaced(rev, external.name))
            )
        elif own:
            whole = next(p for p in own if p.structure is None)
            for page in whole.made_of or (whole,):
                anchor = f"structure-{page.structure}" if page.structure else f"partie-{page.name}"
                plan.sections.append(Section(part=page, targets={anchor: 0}))
                if page.structure:
                    plan.entries.append(Entry(page.titre.rsplit(" – ", 1)[-1], anchor, 2))
            text = fragments[whole.name].encode()
            plan.pieces.append(_piece(label, whole.name, text, rev, _count(rev, annex.numero)))
        else:
            plan.pieces.append(Piece(label, missing_piece(renderer.project, annex)))
    return plan


def _replaced(rev: Revision | None, name: str) -> str:
    if rev is None or rev.comparison is None:
        return ""
    before, after = rev.comparison.avant.donnees, rev.comparison.apres.donnees
    return "document remplacé" if before.get(name) != after.get(name) else "inchangée"
