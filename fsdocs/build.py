"""``fsdocs build``: the convention and its annexes as PDF, DOCX and HTML.

Everything is rendered in memory first and written last, all together, so a failure at any
stage leaves ``output/`` exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from . import __version__
from .context import ConventionContext, get_context
from .document import blocks
from .docx import blocks_to_docx
from .errors import Problem, RenderError, UnsafeResourceError
from .output import output_dir, write_all
from .parts import Part, all_parts, select
from .pdf import html_to_pdf
from .project import Project, load_project
from .render import environment, render_page, render_wording, template_dirs


@dataclass(frozen=True)
class BuildResult:
    files: list[Path]
    warnings: tuple[Problem, ...]


def build(
    root: Path,
    annexe: int | None = None,
    structure: str | None = None,
    only_convention: bool = False,
) -> BuildResult:
    """Build the documents of the project at ``root`` into ``root/output``.

    Without options: the convention and every generated annex. ``annexe`` builds one annex;
    ``structure`` (with the annex of modalités) only that structure's page, leaving every
    other file untouched.
    """
    project = load_project(root)
    ctx = get_context(project)
    parts = select(all_parts(project, ctx), annexe, structure, only_convention)
    renderer = Renderer(project, ctx)
    files: dict[str, bytes] = {}
    for part in parts:
        files.update(renderer.render(part))
    written = write_all(output_dir(project.root), files)
    return BuildResult(written, project.warnings)


class Renderer:
    """Renders parts of one project: the template environment and dates are shared."""

    def __init__(self, project: Project, ctx: ConventionContext) -> None:
        self.project = project
        self.ctx = ctx
        self.env = environment(project.root)
        self.dirs = template_dirs(project.root)
        self.css_dir = _find(self.dirs, "html/convention.css").parent
        self.docx_template = _find(self.dirs, "docx/convention.docx")
        self.created = creation_date(project)

    def fragment(self, part: Part) -> str:
        """The part's wording, typographied: what its PDF, HTML and DOCX all say."""
        return render_wording(self.env, part.template, part.values)

    def page(self, part: Part, fragment: str) -> tuple[str, bytes]:
        """The part's HTML page and its PDF."""
        meta = metadata(self.project, self.ctx, part, self.created)
        html = render_page(self.env, fragment, part.entete, meta, part.paysage)
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        return html, html_to_pdf(html, self.css_dir, self.dirs, identifier)

    def render(self, part: Part) -> dict[str, bytes]:
        fragment = self.fragment(part)
        html, pdf = self.page(part, fragment)
        meta = metadata(self.project, self.ctx, part, self.created)
        docx = blocks_to_docx(
            self.docx_template, blocks(fragment), part.entete, meta, self.created, part.paysage
        )
        return {
            f"{part.name}.pdf": pdf,
            f"{part.name}.docx": docx,
            f"{part.name}.html": html.encode(),
        }


def creation_date(project: Project) -> datetime:
    """The date the documents carry: the signature's (not the clock's), at noon UTC."""
    day: date = project.convention.signature.date or project.convention.labellisation
    return datetime.combine(day, time(12), tzinfo=UTC)


def metadata(
    project: Project, ctx: ConventionContext, part: Part, created: datetime
) -> dict[str, str]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    modified = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else created
    return {
        "title": part.titre,
        "author": f"Préfecture {ctx.departement_de}",
        "subject": "Convention tripartite entre l’État, les gestionnaires des France services "
        "et les partenaires France services",
        "keywords": f"France services, convention départementale, {ctx.departement_nom}, "
        f"{project.convention.labellisation.year}",
        "generator": f"fsdocs {__version__}",
        "created": created.isoformat(),
        "modified": modified.isoformat(),
    }


def _find(dirs: list[Path], name: str) -> Path:
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
