"""Recording a version: production renders the documents, the store keeps them.

``fsdocs version`` renders every part (its wording, plain text and PDF — from the build's
cache when laid out before) and hands the bytes to :func:`fsdocs.versions.record.store_version`,
which knows only files and hashes.
"""

from __future__ import annotations

from pathlib import Path

from fsdocs.files.write import output_dir, producing
from fsdocs.production.build import Renderer
from fsdocs.production.cache import Cache
from fsdocs.project.project import Project, load_project
from fsdocs.versions.record import (
    PartText,
    RecordedPart,
    Version,
    VersionError,
    data_files,
    part_text,
    plain_text,
    store_version,
)
from fsdocs.versions.store import LOCK_TIMEOUT
from fsdocs.wording.context import get_context
from fsdocs.wording.parts import all_parts


def render_texts(project: Project) -> list[PartText]:
    """Every part of the project rendered to its wording (no PDF: this is quick)."""
    ctx = get_context(project)
    renderer = Renderer(project, ctx)
    return [part_text(p, renderer.fragment(p)) for p in all_parts(project, ctx)]


def record_version(
    root: Path, author: str | None, message: str, timeout: float = LOCK_TIMEOUT
) -> Version:
    """Render every part of the project at ``root`` and store it as the next version."""
    if not message.strip():
        raise VersionError("message vide : dites en une phrase ce que cette version change (-m)")
    project = load_project(root)
    ctx = get_context(project)
    renderer = Renderer(project, ctx, Cache(output_dir(project.root)))
    # Rendering is the slow part: done before taking the store's lock, so a concurrent
    # recording waits only for the few writes.
    parts = all_parts(project, ctx)
    fragments = {p.name: renderer.fragment(p) for p in parts}
    with producing(output_dir(project.root)):  # not while a build or bundle runs
        pdfs = renderer.render(parts, ("pdf",), fragments=fragments)
    rendered = [
        RecordedPart(
            part.name,
            part.titre,
            part.annexe,
            part.structure,
            fragments[part.name].encode(),
            plain_text(fragments[part.name]).encode(),
            pdfs[part.name]["pdf"],
        )
        for part in parts
    ]
    return store_version(project.root, data_files(project), rendered, author, message, timeout)
