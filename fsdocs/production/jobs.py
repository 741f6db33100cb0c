"""What a build produces, as jobs: one per document and format, each made once.

``Templates`` is what every job of a project shares (templates, stylesheet, dates);
``plan_parts`` gives each part its jobs — the layouts its PDF is made of, its DOCX — with its
metadata built once. Running the jobs is layouts.py's business, joining the pages build.py's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment

from fsdocs.errors import RenderError, UnsafeResourceError
from fsdocs.pdf.metadata import creation_date, document_metadata
from fsdocs.pdf.numbering import sample_html
from fsdocs.production.cache import key
from fsdocs.production.shared import drawing
from fsdocs.production.workers import DocxJob, LotJob, PdfJob, lot_anchor
from fsdocs.project.project import Project
from fsdocs.wording.context import ConventionContext
from fsdocs.wording.jinja import render_page, template_dirs
from fsdocs.wording.parts import Part

# Parts are laid out without their page numbers, which depend on where the pages end up.
NO_FOOTER = "\n@page { @bottom-center { content: none; } }\n"
# Structure pages laid out together each start a page, as they would alone.
LOT_CSS = "\ndiv.lot + div.lot { break-before: page; }\n"
_CHARS_PER_PAGE = 3500  # of wording, to guess a part's pages when sharing the work out


@dataclass(frozen=True)
class Templates:
    """What every document of one project is made with."""

    project: Project
    ctx: ConventionContext
    env: Environment
    dirs: list[Path]
    css_dir: Path
    docx_template: Path
    stylesheet: str
    created: datetime
    assets: str  # digest of the template directories and of fsdocs' and WeasyPrint's versions

    @classmethod
    def of(cls, project: Project, ctx: ConventionContext) -> Templates:
        dirs = template_dirs(project.root)
        # Found first: a template that leads outside its folder is refused before any is read.
        css_dir = find(dirs, "html/convention.css").parent
        docx_template = find(dirs, "docx/convention.docx")
        shared = drawing(project.root)  # the same for every project of the process
        return cls(
            project,
            ctx,
            shared.env,
            shared.dirs,
            css_dir,
            docx_template,
            shared.stylesheet,
            creation_date(project),
            shared.assets,
        )

    def meta(self, part: Part) -> dict[str, str]:
        return document_metadata(self.project, self.ctx, part.titre, self.created).fields()

    def html_job(self, name: str, html: str, css: str, pages: int, part: str = "") -> PdfJob:
        return PdfJob(
            name, html, css, self.css_dir, tuple(self.dirs), name[:32].encode(), pages, part
        )

    def pdf_job(self, part: Part, fragment: str, meta: dict[str, str]) -> PdfJob:
        """The layout of the part's page, without page numbers (what the cache keeps)."""
        html = render_page(self.env, fragment, part.entete, meta, part.paysage, css="")
        name = key("corps", self.assets, self.stylesheet, html)
        css = self.stylesheet + NO_FOOTER
        return self.html_job(name, html, css, 1 + len(fragment) // _CHARS_PER_PAGE, part.name)

    def docx_job(self, part: Part, fragment: str, meta: dict[str, str]) -> DocxJob:
        """The part's DOCX, keyed by all it shows."""
        name = key("docx", self.assets, fragment, part.entete, json.dumps(meta), str(part.paysage))
        return DocxJob(
            name, self.docx_template, fragment, part.entete, meta, self.created, part.paysage
        )

    def footer_job(self) -> PdfJob:
        """The sample line whose font draws the page numbers."""
        html = sample_html(self.stylesheet)
        return self.html_job(key("pied", self.assets, html), html, "", 1)


@dataclass(frozen=True)
class PartJobs:
    """One part's documents to make: its PDF's layouts, its DOCX."""

    part: Part
    fragment: str
    meta: dict[str, str]
    layouts: tuple[PdfJob, ...] = ()
    docx: DocxJob | None = None


@dataclass(frozen=True)
class Lottable:
    """A structure's page, which may be laid out with others."""

    part: Part
    fragment: str
    meta: dict[str, str]


@dataclass
class Plan:
    """Every part's jobs; structure pages (which may be laid out together) by key."""

    parts: list[PartJobs]
    lottable: dict[str, Lottable] = field(default_factory=dict)

    def jobs(self) -> list[PdfJob | DocxJob]:
        """Each distinct job once: a structure's page serves its file and Annexe 4."""
        found: dict[str, PdfJob | DocxJob] = {}
        for jobs in self.parts:
            made: list[PdfJob | DocxJob] = [*jobs.layouts]
            if jobs.docx is not None:
                made.append(jobs.docx)
            for job in made:
                found.setdefault(job.key, job)
        return list(found.values())


def plan_parts(
    templates: Templates, parts: list[Part], formats: tuple[str, ...], fragments: dict[str, str]
) -> Plan:
    """Each part's jobs, each layout made once, each part's metadata built once."""
    metas: dict[str, dict[str, str]] = {}
    layouts: dict[str, PdfJob] = {}
    plan = Plan([])

    def meta(part: Part) -> dict[str, str]:
        if part.name not in metas:
            metas[part.name] = templates.meta(part)
        return metas[part.name]

    def layout(part: Part) -> PdfJob:
        if part.name not in layouts:
            job = layouts[part.name] = templates.pdf_job(part, fragments[part.name], meta(part))
            if part.structure is not None:
                plan.lottable[job.key] = Lottable(part, fragments[part.name], meta(part))
        return layouts[part.name]

    for part in parts:
        fragment = fragments[part.name]
        plan.parts.append(
            PartJobs(
                part,
                fragment,
                meta(part),
                tuple(layout(p) for p in part.made_of or (part,)) if "pdf" in formats else (),
                templates.docx_job(part, fragment, meta(part)) if "docx" in formats else None,
            )
        )
    return plan


def lot_job(templates: Templates, members: list[PdfJob], lottable: dict[str, Lottable]) -> LotJob:
    """Structure pages laid out as one document, each from a new page."""
    body = "".join(
        f'<div class="lot" id="{lot_anchor(k)}">{lottable[m.key].fragment}</div>'
        for k, m in enumerate(members)
    )
    first = lottable[members[0].key]
    html = render_page(
        templates.env, body, first.part.entete, first.meta, first.part.paysage, css=""
    )
    name = key("lot", *(m.key for m in members))
    css = templates.stylesheet + NO_FOOTER + LOT_CSS
    return LotJob(name, tuple(members), templates.html_job(name, html, css, 1), len(members))


def find(dirs: list[Path], name: str) -> Path:
    for directory in dirs:
        candidate = directory / name
        if candidate.is_file():
            real = candidate.resolve()
            if not real.is_relative_to(directory.resolve()):
                raise UnsafeResourceError(
                    f"{candidate} pointe hors du dossier des modèles : refusé"
                )
            return candidate
    raise RenderError(f"modèle introuvable : {name}")
