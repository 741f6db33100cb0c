"""``fsdocs produire``: the convention and its annexes as PDF, DOCX and HTML.

A build is three steps: the plan — each part's jobs, made once (jobs.py); their execution,
in one pass — from the cache when nothing a layout depends on has changed (cache.py),
otherwise in worker processes (layouts.py, workers.py); and the joining of each part's pages,
numbered afterwards (pdf/join.py, pdf/numbering.py). Each part is laid out once, without page
numbers; Annexe 4 as a whole is its structures' pages put together, not a second layout.
Everything is rendered in memory first and written last, all together, so a failure at any
stage leaves ``output/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from fsdocs.errors import FsdocsError, Problem
from fsdocs.files.lock import project_lock
from fsdocs.files.write import output_dir, producing, write_documents
from fsdocs.pdf.conformance import Archival
from fsdocs.pdf.join import Sources, join_part
from fsdocs.pdf.metadata import document_metadata
from fsdocs.pdf.numbering import FooterFont, font_files
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production import workers
from fsdocs.production.cache import Cache, key
from fsdocs.production.jobs import NO_FOOTER, Lottable, Templates, plan_parts
from fsdocs.production.layouts import Layouts
from fsdocs.production.preview import self_contained
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from fsdocs.wording.completeness import checked
from fsdocs.wording.context import ConventionContext, get_context
from fsdocs.wording.jinja import render_page, render_wording
from fsdocs.wording.parts import Part, select
from fsdocs.wording.registry import all_parts

__all__ = ["NO_FOOTER", "BuildResult", "Renderer", "build", "build_project", "metadata"]

FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class BuildResult:
    files: list[Path]
    warnings: tuple[Problem, ...]
    laid_out: int = 0  # pages laid out by this build (the others came from the cache)
    reused: int = 0  # parts whose layout came from the cache
    pages: int = 0  # pages of the PDFs produced
    rendered: tuple[str, ...] = ()  # the parts laid out (not taken from the cache)


def build(
    root: Path,
    annexe: int | None = None,
    structure: str | None = None,
    only_convention: bool = False,
    formats: Iterable[str] = FORMATS,
    jobs: int | None = None,
    progress: bool = False,
    archival: Archival = Archival.NONE,
) -> BuildResult:
    """Build the documents of the project at ``root`` into ``root/output``.

    Without options: the convention and every generated annex. ``annexe`` builds one annex;
    ``structure`` (with the annex of modalités) only that structure's page, leaving every
    other file untouched. ``jobs`` is the number of worker processes (default: all cores).
    The PDFs are tagged (PDF/UA-1); ``archival`` makes them PDF/A-2b as well.
    """
    with project_lock(root):  # the files are read under the lock: none changes meanwhile
        return build_project(
            load_project(root),
            annexe,
            structure,
            only_convention,
            formats,
            jobs,
            progress,
            archival=archival,
        )


def build_project(
    project: Project,
    annexe: int | None = None,
    structure: str | None = None,
    only_convention: bool = False,
    formats: Iterable[str] = FORMATS,
    jobs: int | None = None,
    progress: bool = False,
    cache: Cache | None = None,
    archival: Archival = Archival.NONE,
) -> BuildResult:
    """``build`` for a project already loaded; ``cache`` replaces the project's own (the
    national run shares one among all départements)."""
    wanted = check_formats(formats)
    project = checked(project)  # its warnings name every fact still to fill in
    ctx = get_context(project)
    parts = select(all_parts(project, ctx), annexe, structure, only_convention)
    out = output_dir(project.root)
    renderer = Renderer(project, ctx, cache or Cache(out), archival)
    with project_lock(project.root), producing(out):
        rendered = renderer.render(parts, wanted, jobs, progress)
        files = {f"{n}.{ext}": data for n, own in rendered.items() for ext, data in own.items()}
        written = write_documents(out, files)
        if annexe is None and structure is None and not only_convention and cache is None:
            renderer.layouts.cache.prune()
    return BuildResult(
        written,
        project.warnings,
        renderer.layouts.laid_out,
        renderer.layouts.reused,
        renderer.produced,
        tuple(sorted(renderer.layouts.rendered)),
    )


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise FsdocsError(
            f"format inconnu : {', '.join(unknown) or '(aucun)'} ; formats : {', '.join(FORMATS)}"
        )
    return wanted


class Renderer:
    """Renders parts of one project: the jobs made once (jobs.py), run in one pass
    (layouts.py), the pages joined (pdf/join.py). Templates, dates and cache are shared."""

    def __init__(
        self,
        project: Project,
        ctx: ConventionContext,
        cache: Cache | None = None,
        archival: Archival = Archival.NONE,
        sources: Sources | None = None,
        font: FooterFont | None = None,
        templates: Templates | None = None,
    ):
        """``sources``, ``font`` and ``templates``: what a warm build (warm.py) keeps from one
        rebuild to the next — laid-out documents opened once, Jinja templates compiled once."""
        self.templates = templates or Templates.of(project, ctx)
        self.archival = archival  # PDF/A-2b as well as PDF/UA-1 (``--pdfa``)
        self.layouts = Layouts(self.templates, cache or Cache(None))
        self.produced = 0  # pages of the PDFs joined
        # Each laid-out document opened once for every file (a warm build: across rebuilds).
        self._sources = sources or Sources()
        self._digests: dict[int, str] = {}
        self._kept: list[bytes] = []
        self._font = font

    # What the bundle shares with the build.
    @property
    def project(self) -> Project:
        return self.templates.project

    @property
    def env(self) -> Environment:
        return self.templates.env

    @property
    def dirs(self) -> list[Path]:
        return self.templates.dirs

    @property
    def created(self) -> datetime:
        return self.templates.created

    @property
    def assets(self) -> str:
        return self.templates.assets

    @property
    def cache(self) -> Cache:
        return self.layouts.cache

    @property
    def laid_out(self) -> int:
        return self.layouts.laid_out

    def fragment(self, part: Part) -> str:
        """The part's wording, typographied: what its PDF, HTML and DOCX all say."""
        return render_wording(self.env, part.template, part.values)

    def docx(self, part: Part, fragment: str) -> bytes:
        """The part's DOCX: the same wording in the Word layout template."""
        return self.templates.docx_job(part, fragment, self.templates.meta(part)).run()

    def pdf_job(self, part: Part, fragment: str) -> workers.PdfJob:
        meta = self.templates.meta(part)
        job = self.templates.pdf_job(part, fragment, meta)
        if part.structure is not None:
            self.layouts.lottable[job.key] = Lottable(part, fragment, meta)
        return job

    def job_for_html(
        self, name: str, html: str, css: str, pages: int, part: str = ""
    ) -> workers.PdfJob:
        return self.templates.html_job(name, html, css, pages, part)

    def run_jobs(
        self, jobs: list[workers.Job], count: int | None, progress: bool
    ) -> dict[str, Any]:
        return self.layouts.run_jobs(jobs, count, progress)

    def render(
        self,
        parts: list[Part],
        formats: tuple[str, ...] = FORMATS,
        jobs: int | None = None,
        progress: bool = False,
        fragments: dict[str, str] | None = None,
    ) -> dict[str, dict[str, bytes]]:
        """Each part's files by format (``{"convention": {"pdf": …, "docx": …}}``): every
        job made once and run in one pass, the footer's sample with them."""
        fragments = dict(fragments or {})
        for part in parts:
            for piece in (part, *part.made_of):
                if piece.name not in fragments:
                    fragments[piece.name] = self.fragment(piece)
        plan = plan_parts(self.templates, parts, formats, fragments)
        self.layouts.lottable.update(plan.lottable)
        todo: list[workers.Job] = [*plan.jobs()]
        # The footer's sample, when not in the cache, is laid out in the same pass (from the
        # cache, it is read only if a numbered file has to be made again).
        sample = self.templates.footer_job() if "pdf" in formats and self._font is None else None
        if sample is not None and self.cache.get(sample.key) is None:
            todo.append(sample)
        else:
            sample = None
        results = self.layouts.run_jobs(todo, jobs, progress)
        if sample is not None:
            self._font = FooterFont.from_sample(results[sample.key].data)
        files: dict[str, dict[str, bytes]] = {}
        for made in plan.parts:
            own: dict[str, bytes] = {}
            if made.layouts:
                pieces = [results[job.key] for job in made.layouts]
                own["pdf"] = self.assemble(made.part, made.meta, pieces, made.layouts)
            if made.docx is not None:
                own["docx"] = results[made.docx.key]
            if "html" in formats:
                own["html"] = self.preview(made.part, made.fragment, made.meta)
            files[made.part.name] = own
        return files

    def preview(self, part: Part, fragment: str, meta: dict[str, str]) -> bytes:
        """The part's HTML preview, its fonts in it (from the cache when the same page was
        made before: embedding the fonts is the costly part)."""
        page = render_page(self.env, fragment, part.entete, meta, part.paysage)
        name = key("apercu", self.assets, page)
        found = self.cache.get(name)
        if found is not None:
            return found.pdf
        data = self_contained(page, self.dirs).encode()
        self.cache.put(name, data, {})
        return data

    def assemble(
        self,
        part: Part,
        meta: dict[str, str],
        pieces: list[RenderedPdf],
        layouts: tuple[workers.PdfJob, ...],
    ) -> bytes:
        """The part's PDF: its pages, numbered; taken from the cache when these very pages
        were numbered before."""
        keys = [job.key for job in layouts]
        self.produced += sum(len(piece.sizes) for piece in pieces)
        sources = [f"{self.digest(p.data)}:{p.first}:{len(p.sizes)}" for p in pieces]
        name = key("fichier", part.name, json.dumps(meta), self.archival.value, *keys, *sources)
        found = self.cache.get(name)
        if found is not None:
            return found.pdf
        fonts = font_files(self.dirs)
        data = join_part(pieces, self._sources, meta, self.footer_font(), fonts, self.archival)
        self.cache.put(name, data, {})
        return data

    def digest(self, data: bytes) -> str:
        """The SHA-256 of a laid-out document, computed once however many parts share it."""
        digest = self._digests.get(id(data))
        if digest is None:
            digest = self._digests[id(data)] = hashlib.sha256(data).hexdigest()
            self._kept.append(data)
        return digest

    def footer_font(self) -> FooterFont:
        """The font the page numbers are drawn with (laid out once, then cached)."""
        if self._font is None:
            job = self.templates.footer_job()
            self._font = FooterFont.from_sample(self.run_jobs([job], 1, False)[job.key].data)
        return self._font


def metadata(
    project: Project, ctx: ConventionContext, part: Part, created: datetime
) -> dict[str, str]:
    """A document's metadata (the bundle's: its title is a made-up part's)."""
    return document_metadata(project, ctx, part.titre, created).fields()
