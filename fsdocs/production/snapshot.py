"""What the version store and the diffs ask of production: every part's wording, and for a
recording its typographied HTML, plain text and PDF.

The store (fsdocs.versions) never renders: ``fsdocs version`` hands it :func:`documents`.
"""

from __future__ import annotations

from collections.abc import Mapping

from fsdocs.files.write import output_dir, producing
from fsdocs.production.build import Renderer
from fsdocs.production.cache import Cache
from fsdocs.project.project import Project
from fsdocs.wording.context import get_context
from fsdocs.wording.parts import Part
from fsdocs.wording.registry import all_parts
from fsdocs.wording.texts import PartText, part_text, plain_text


def texts(project: Project) -> list[PartText]:
    """Every part of the project rendered to its wording (no PDF: this is quick)."""
    ctx = get_context(project)
    renderer = Renderer(project, ctx)
    return [part_text(p, renderer.fragment(p)) for p in all_parts(project, ctx)]


def documents(project: Project) -> Mapping[str, tuple[Part, Mapping[str, bytes]]]:
    """Each part with the files a version keeps of it: ``html``, ``texte`` and ``pdf``."""
    ctx = get_context(project)
    renderer = Renderer(project, ctx, Cache(output_dir(project.root)))
    parts = all_parts(project, ctx)
    fragments = {p.name: renderer.fragment(p) for p in parts}
    with producing(output_dir(project.root)):  # not while a build or bundle runs
        pdfs = renderer.render(parts, ("pdf",), fragments=fragments)
    return {
        part.name: (
            part,
            {
                "html": fragments[part.name].encode(),
                "texte": plain_text(fragments[part.name]).encode(),
                "pdf": pdfs[part.name]["pdf"],
            },
        )
        for part in parts
    }
