"""The size of a bundle against ONE WeasyPrint rendering of the same pages.

fsdocs assembles its bundle from pages laid out separately (and cached); rendered together,
the same pages would carry each font once by construction. This lays the bundle's cover,
index, parts and dividers out as one document, as fsdocs did before it cached its layouts,
to measure what assembling costs in bytes (goal: at most 1.3 times).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape


@dataclass(frozen=True)
class Sizes:
    bundle_bytes: int
    bundle_pages: int
    single_bytes: int
    single_pages: int

    @property
    def ratio(self) -> float:
        return self.bundle_bytes / self.single_bytes


def sizes(project_root: Path) -> Sizes:
    """The built bundle of ``project_root`` (fsdocs bundle ran) and a single rendering."""
    from pypdf import PdfReader

    from fsdocs.bundle import assemble as fsbundle
    from fsdocs.bundle.externals import national_pdfs
    from fsdocs.bundle.front import _revision_values
    from fsdocs.bundle.plan import plan as bundle_plan
    from fsdocs.pdf.weasy import render_project_pdf
    from fsdocs.production.build import Renderer
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.context import get_context
    from fsdocs.wording.dossier import cover_values
    from fsdocs.wording.jinja import render_dossier, render_wording
    from fsdocs.wording.registry import all_parts

    project = load_project(project_root)
    ctx = get_context(project)
    parts = all_parts(project, ctx)
    renderer = Renderer(project, ctx)
    fragments = {p.name: renderer.fragment(p) for p in parts}
    externals, _ = national_pdfs(project, ctx)
    plan = bundle_plan(renderer, ctx, parts, fragments, externals, None, draft=True)
    sections = []
    for section in plan.sections:
        if section.part is not None:
            part = section.part
            classes = "partie paysage" if part.paysage else "partie"
            sections.append(
                f'<section class="{classes}"><header class="entete">{escape(part.entete)}'
                f"</header>{fragments[part.name]}</section>"
            )
        elif section.divider is not None:
            sections.append(plan.dividers[section.divider])
    cover = render_wording(
        renderer.env,
        "bundle/couverture.html.j2",
        {**cover_values(ctx, True), **_revision_values(None), "pieces": plan.pieces},
    )
    for entry in plan.entries:
        entry.page = 1  # the numbers' width only: the index keeps its length
    index = render_wording(renderer.env, "bundle/sommaire.html.j2", {"entrees": plan.entries})
    meta = fsbundle._meta(renderer, project, ctx, plan.pieces, False)
    html = render_dossier(renderer.env, cover + index + "".join(sections), meta)
    single, _ = render_project_pdf(html, project.root)
    built = project.root / "output" / fsbundle.DRAFT
    return Sizes(
        built.stat().st_size,
        len(PdfReader(built).pages),
        len(single.data),
        len(single.sizes),
    )
