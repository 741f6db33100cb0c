"""``fsdocs dossier``: one PDF ready for signature — cover, index, convention, signature pages,
and every annex behind a divider page — and beside it the list of its signers.

The bundle is put together from the very pages ``fsdocs produire`` lays out (cached, so a bundle
after a build lays out only its cover, index and dividers). What follows the front matter is
planned first (plan.py); the front matter — cover, index, table of changes and redline pages —
is laid out last, with the page numbers that the parts' known lengths give (front.py); then
fsdocs.pdf.join joins everything, draws the page numbers, the outline (the convention's
articles and signature pages nested under it: bookmarks.py), the index's links and one empty
signature field per signatory, and keeps one copy of each font. Where the fields go is decided
once (fsdocs.pdf.fields): the same list gives ``signataires.csv`` (signers.py) and, with
``--parapheur``, the zip a parapheur takes (parapheur.py). Nothing is encrypted and nothing
rewrites the file once a signature is applied: fields are signed by incremental updates. The
national PDFs are made safe before they join it (externals.py), and a dossier that carries a
signature is never replaced (signed.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from fsdocs.bundle.bookmarks import convention_bookmarks
from fsdocs.bundle.externals import national_pdfs
from fsdocs.bundle.front import dossier_job, front_matter
from fsdocs.bundle.parapheur import PARAPHEUR, parapheur_zip
from fsdocs.bundle.plan import CONVENTION_TARGET, Piece, Plan, plan
from fsdocs.bundle.revision import revision
from fsdocs.bundle.signed import refuse_signed
from fsdocs.bundle.signers import SIGNERS, signers_csv
from fsdocs.bundle.signers import signers as signer_rows
from fsdocs.errors import FsdocsError, IncompleteProjectError, Problem
from fsdocs.files.lock import project_lock
from fsdocs.files.write import OUTPUT, output_dir, producing, write_documents
from fsdocs.pdf.fields import place_fields
from fsdocs.pdf.join import assemble
from fsdocs.pdf.numbering import font_files
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production.build import Renderer, metadata
from fsdocs.production.cache import Cache, key
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from fsdocs.wording.completeness import checked, missing
from fsdocs.wording.context import ConventionContext, get_context
from fsdocs.wording.parts import Part
from fsdocs.wording.registry import all_parts
from fsdocs.wording.texts import part_text

BUNDLE = "dossier-signature.pdf"
DRAFT = "dossier-projet.pdf"  # never mistaken for the dossier to sign: never signed either
# Changes when the same pages are assembled differently (the outline's nesting, the fields):
# a bundle cached by an older fsdocs is then not reused.
_ASSEMBLY = "assemblage-2"


@dataclass(frozen=True)
class BundleResult:
    path: Path
    pages: int
    size: int
    signatures: int
    warnings: tuple[Problem, ...]
    laid_out: int = 0  # pages laid out (the others came from the cache)
    others: tuple[Path, ...] = ()  # written beside it: the signers' list, the parapheur's zip
    bookmarks: int = 0  # entries of its outline, at every level


def bundle(
    root: Path,
    depuis: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    brouillon: bool = False,
    parapheur: bool = False,
) -> BundleResult:
    """Build the signature bundle of the project at ``root`` into ``output/``; with recorded
    versions, it carries the changes since the previous one (or since version ``depuis``).
    Beside it goes the signers' list (SIGNERS) and, with ``parapheur``, the parapheur's zip
    (PARAPHEUR).

    A project with facts still to fill in is refused (IncompleteProjectError); ``brouillon``
    makes a draft instead, under another name (DRAFT), with neither list nor zip."""
    if brouillon and parapheur:
        raise FsdocsError(
            "--parapheur ne se combine pas avec --brouillon : un projet de dossier ne se "
            "signe pas ; complétez le projet, puis lancez « fsdocs dossier --parapheur »"
        )
    with project_lock(root):  # the files are read under the lock: none changes meanwhile
        if not brouillon:
            refuse_signed(root / OUTPUT, BUNDLE)  # before any work
        project = load_project(root)
        return bundle_project(
            project, depuis, jobs, progress, brouillon=brouillon, parapheur=parapheur
        )


def bundle_project(
    project: Project,
    depuis: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    cache: Cache | None = None,
    brouillon: bool = False,
    parapheur: bool = False,
) -> BundleResult:
    """``bundle`` for a project already loaded; ``cache`` replaces the project's own."""
    project = checked(project)
    out = output_dir(project.root)
    if not brouillon:
        refuse_incomplete(project)
    with project_lock(project.root), producing(out):
        return _produce(project, out, depuis, jobs, progress, cache, brouillon, parapheur)


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
    parapheur: bool = False,
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
    found = plan(renderer, ctx, parts, fragments, externals, rev, draft)
    meta = _meta(renderer, project, ctx, found.pieces, draft)
    keys, dividers = _lay_out(renderer, found, fragments, meta, jobs, progress)
    front, front_keys, change_entries = front_matter(renderer, ctx, rev, found, meta, draft)
    keys = front_keys + keys
    # Where the fields go, once: the dossier's fields, its bookmarks and the signers' list.
    convention = found.sections[0]
    assert convention.body is not None
    placed = place_fields(convention.body.anchors, convention.start - 1, ctx.parties)
    nested = {CONVENTION_TARGET: convention_bookmarks(convention, placed)}
    entries = change_entries + found.entries
    # The bundle of these very pages, fields and national PDFs was assembled before: reuse it.
    sources = [f"{renderer.digest(s.body.data)}:{s.body.first}" for s in found.sections if s.body]
    externals_digest = [hashlib.sha256(e.clean).hexdigest() for e in externals.values()]
    signers = [(p.id, p.signataire.nom_complet, p.signataire.fonction) for p in ctx.parties]
    name = key(target, _ASSEMBLY, *keys, *sources, *externals_digest, json.dumps(signers))
    cached = renderer.cache.get(name)
    if cached is not None:
        data, page_count = cached.pdf, int(cached.info["pages"])
    else:
        data, page_count = assemble(
            front,
            found.sections,
            entries,
            nested,
            () if draft else placed,
            renderer.footer_font(),
            font_files(renderer.dirs),
            draft,
        )
        renderer.cache.put(name, data, {"pages": page_count})
    files = {target: data}
    if not draft:
        rows = signer_rows(project, placed)
        files[SIGNERS] = signers_csv(rows)
        if parapheur:
            dossier = (BUNDLE, meta["title"], data)
            files[PARAPHEUR] = parapheur_zip(
                renderer, found.documents, dividers, dossier, rows, files[SIGNERS], fragments
            )
        refuse_signed(out, BUNDLE)  # again: it may have been signed while this one was made
    written = write_documents(out, files)
    return BundleResult(
        written[0],
        page_count,
        len(data),
        0 if draft else len(ctx.parties),
        (*project.warnings, *removed),
        renderer.laid_out,
        tuple(written[1:]),
        sum(e.signet for e in entries) + sum(b.count() for b in nested[CONVENTION_TARGET]),
    )


def _lay_out(
    renderer: Renderer,
    found: Plan,
    fragments: dict[str, str],
    meta: dict[str, str],
    jobs: int | None,
    progress: bool,
) -> tuple[list[str], RenderedPdf]:
    """Lay out the parts and the dividers together (in worker processes, or from the cache)
    and give each section its pages; the layouts' keys, and the dividers' pages."""
    laid_out = [s.part for s in found.sections if s.part is not None]
    jobs_list = [renderer.pdf_job(p, fragments[p.name]) for p in laid_out]
    # The dividers say nothing of the département: the same pages serve every bundle.
    plain = {**meta, "title": "Intercalaires", "author": "", "keywords": ""}
    dividers = dossier_job(renderer, "".join(found.dividers), plain)
    results = renderer.run_jobs([*jobs_list, dividers], jobs, progress)
    bodies = {p.name: results[j.key] for p, j in zip(laid_out, jobs_list, strict=True)}
    divider_pages: RenderedPdf = results[dividers.key]
    for section in found.sections:
        if section.part is not None:
            section.body = bodies[section.part.name]
        elif section.divider is not None:
            section.body = divider_pages
    return [*(j.key for j in jobs_list), dividers.key], divider_pages


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
