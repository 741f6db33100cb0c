"""``fsdocs build``: the convention as PDF, DOCX and HTML, from a validated project.

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
from .document import paragraphs
from .docx import paragraphs_to_docx
from .errors import Problem, RenderError, UnsafeResourceError
from .output import output_dir, write_all
from .pdf import html_to_pdf
from .project import Project, load_project
from .render import environment, render_page, render_wording, template_dirs

BASENAME = "convention"


@dataclass(frozen=True)
class BuildResult:
    files: list[Path]
    warnings: tuple[Problem, ...]


def build(root: Path) -> BuildResult:
    """Build the convention of the project at ``root`` into ``root/output``."""
    project = load_project(root)
    root = project.root
    ctx = get_context(project)
    env = environment(root)
    fragment = render_wording(env, ctx)
    created = creation_date(project)
    meta = metadata(project, ctx, created)
    html = render_page(env, ctx, fragment, meta)
    dirs = template_dirs(root)
    css_dir = _find(dirs, "html/convention.css").parent
    pdf = html_to_pdf(html, css_dir, dirs, hashlib.sha256(html.encode()).hexdigest()[:32].encode())
    docx = paragraphs_to_docx(
        _find(dirs, "docx/convention.docx"), paragraphs(fragment), ctx.entete, meta, created
    )
    files = write_all(
        output_dir(project.root),
        {f"{BASENAME}.pdf": pdf, f"{BASENAME}.docx": docx, f"{BASENAME}.html": html.encode()},
    )
    return BuildResult(files, project.warnings)


def creation_date(project: Project) -> datetime:
    """The date the documents carry: the signature's (not the clock's), at noon UTC."""
    day: date = project.convention.signature.date or project.convention.labellisation
    return datetime.combine(day, time(12), tzinfo=UTC)


def metadata(project: Project, ctx: ConventionContext, created: datetime) -> dict[str, str]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    modified = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else created
    return {
        "title": f"{ctx.titre} {ctx.departement_de}",
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
