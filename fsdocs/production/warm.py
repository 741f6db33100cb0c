"""A warm build: one process keeps a project's documents up to date as its files change —
``fsdocs produire --surveiller`` (watch.py), and the web application's previews.

WeasyPrint, the templates, the cache's entries and the laid-out documents, opened, stay
in memory (memory.py). Each rebuild reads the project again (0.02 s of processor time),
renders again the wording of the parts whose values changed, and redoes only the parts whose
wording, metadata or templates changed; Annexe 4's
PDF and its structures' pages first, their other formats and the other parts afterwards, so
that the joined Annexe 4 is in place as soon as possible. The documents are those of a cold
``fsdocs produire`` — the same layouts by key, joined the same way — and a file whose bytes
did not change is not written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from fsdocs.files.lock import project_lock
from fsdocs.files.write import (
    output_dir,
    output_name,
    output_path,
    producing,
    read_digests,
    write_documents,
)
from fsdocs.pdf.conformance import Archival
from fsdocs.pdf.join import join_part
from fsdocs.pdf.metadata import creation_date
from fsdocs.pdf.numbering import FooterFont, font_files
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production import workers
from fsdocs.production.build import FORMATS, Renderer, check_formats
from fsdocs.production.cache import key
from fsdocs.production.jobs import Templates
from fsdocs.production.memory import KeptSources, MemoryCache
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from fsdocs.wording.context import ConventionContext, get_context
from fsdocs.wording.jinja import template_dirs
from fsdocs.wording.parts import Part
from fsdocs.wording.registry import all_parts


@dataclass(frozen=True)
class RebuildReport:
    """What one rebuild did."""

    changed: tuple[Path, ...]  # the project's files that changed (as given)
    written: tuple[Path, ...]  # the files of output/ replaced, in the order they were
    seconds: float  # the whole rebuild
    first_seconds: float | None  # until the first file was in place (Annexe 4's PDF, often)
    laid_out: tuple[str, ...]  # the parts laid out again (not taken from the cache)
    warnings: int = 0  # the project's warnings, files and rules (« fsdocs controler »)


class _WarmRenderer(Renderer):
    """The build's renderer, which reads in advance the pages a joined file is made of and
    joins them once, even when that file came from the cache (a new watcher), so that the
    first change is as fast as the next ones."""

    def __init__(
        self,
        warm: WarmBuild,
        project: Project,
        ctx: ConventionContext,
        font: FooterFont | None,
        templates: Templates | None,
    ) -> None:
        super().__init__(project, ctx, warm.cache, warm.archival, warm.readers, font, templates)
        self.kept = warm.readers
        self.warm = warm

    def assemble(
        self,
        part: Part,
        meta: dict[str, str],
        pieces: list[RenderedPdf],
        layouts: tuple[workers.PdfJob, ...],
    ) -> bytes:
        if len(pieces) > 1 and not self.warm.joined:
            self.warm.joined = True
            for piece in pieces:
                self.kept.prime(piece.data)
            # Once, unused: what a layout and a join do the first time (the stylesheet parsed,
            # the fonts loaded; pikepdf, fontTools and HarfBuzz imported, the fonts cut) is
            # done before the first change, not after it.
            layouts[0].run()
            fonts = font_files(self.dirs)
            join_part(pieces, self.kept, meta, self.footer_font(), fonts)
        return super().assemble(part, meta, pieces, layouts)


class WarmBuild:
    """The documents of the project at ``root``, kept up to date by ``rebuild``.

    The first rebuild brings ``output/`` up to date (from the cache when it was built
    already); later ones redo only what the changed files touched. A rebuild that finds an
    invalid project raises, as ``build`` does, and the next one starts afresh.
    """

    def __init__(
        self,
        root: Path,
        formats: Iterable[str] = FORMATS,
        archival: Archival = Archival.NONE,
        jobs: int | None = None,
    ) -> None:
        self.root = root.resolve()
        self.jobs = jobs  # worker processes when several layouts are to be made (one: none)
        self.formats = check_formats(formats)
        self.archival = archival
        self.out = output_dir(self.root)
        self.cache = MemoryCache(self.out)
        self.readers = KeptSources()
        self._font: FooterFont | None = None
        # (part, PDF alone or the other formats) → the signature of what output/ holds
        self._made: dict[tuple[str, bool], str] = {}
        self._kept_templates: Templates | None = None
        self.joined = False  # whether a joined PDF was made once (see _WarmRenderer)
        self._seen_templates: dict[Path, tuple[int, int]] = {}
        self._wordings: dict[tuple[str, str], str] = {}  # the last rebuild's (see _Run)

    def _templates(self, project: Project, ctx: ConventionContext) -> Templates | None:
        """The last rebuild's templates (its Jinja environment: the templates compiled once)
        for the project as read now, unless a file of the templates changed."""
        seen = _stamps(template_dirs(self.root))
        kept = self._kept_templates
        if kept is None or seen != self._seen_templates:
            self._seen_templates = seen
            self._wordings = {}
            return None
        return replace(kept, project=project, ctx=ctx, created=creation_date(project))

    def rebuild(self, changed: Iterable[Path] = ()) -> RebuildReport:
        """Redo the documents that ``changed`` (or anything else since the last rebuild)
        touched; raise FsdocsError (ProjectError: file, line, field) if the project is
        invalid, leaving ``output/`` as it was."""
        start = time.perf_counter()
        self.out = output_dir(self.root)  # again: it may have been removed meanwhile
        with project_lock(self.root), producing(self.out):
            # Not wording.completeness.checked: it only names the facts to fill in, by
            # rendering every text once more (0.15 s), and « fsdocs controler » says them.
            project = load_project(self.root)
            ctx = get_context(project)
            renderer = _WarmRenderer(self, project, ctx, self._font, self._templates(project, ctx))
            self._kept_templates = renderer.templates
            run = _Run(self, renderer, start)
            parts = all_parts(project, ctx)
            joined = [p for p in parts if p.made_of]
            pieces = {piece.name for p in joined for piece in p.made_of}
            first = [*joined, *(p for p in parts if p.name in pieces)]
            rest = [p for p in parts if p not in first]
            others = tuple(f for f in self.formats if f != "pdf")
            run.parts(first, ("pdf",))  # Annexe 4's PDF, then its structures' pages
            run.parts(first, others)
            run.parts(rest, ("pdf",))
            run.parts(rest, others)
            self._made.update(run.signatures)
            self._wordings = run.wordings
            self._font = renderer.footer_font() if "pdf" in self.formats else None
        self.readers.retain(self.cache.alive())
        return RebuildReport(
            tuple(changed),
            tuple(run.written),
            time.perf_counter() - start,
            run.first,
            tuple(sorted(renderer.layouts.rendered)),
            len(project.warnings),
        )


class _Run:
    """One rebuild: the parts redone, format group by format group, written as they come."""

    def __init__(self, warm: WarmBuild, renderer: _WarmRenderer, start: float) -> None:
        self.warm = warm
        self.renderer = renderer
        self.start = start
        self.fragments: dict[str, str] = {}
        self.wordings: dict[tuple[str, str], str] = {}  # (template, values) → wording
        self.signatures: dict[tuple[str, bool], str] = {}  # (part, PDF alone) → signature
        self.written: list[Path] = []
        self.first: float | None = None

    def parts(self, parts: list[Part], formats: tuple[str, ...]) -> None:
        """Redo ``parts`` in ``formats`` (the PDF alone, or the other formats) where their
        signature changed, one part at a time, each written before the next is made."""
        wanted = tuple(f for f in formats if f in self.warm.formats)
        if not wanted:
            return
        pdf = wanted == ("pdf",)
        for part in parts:
            if self.signature(part, pdf) == self.warm._made.get((part.name, pdf)) and all(
                (self.warm.out / output_name(f"{part.name}.{ext}")).is_file() for ext in wanted
            ):
                continue  # made already, and still there
            fragments = self.fragments
            if pdf and part.made_of and part.name not in fragments:
                # A joined PDF is its pieces' pages: its own wording (Annexe 4 whole, for
                # its DOCX and HTML) is not used, and not worth rendering before it.
                fragments = {**fragments, part.name: ""}
            files = self.renderer.render([part], wanted, self.warm.jobs, False, fragments)
            self.write({f"{part.name}.{ext}": data for ext, data in files[part.name].items()})

    def signature(self, part: Part, pdf: bool) -> str:
        """Everything the part's files in these formats depend on: its wording (a joined
        PDF: its pieces'), metadata, header, orientation, templates and fonts, the archival
        level."""
        found = self.signatures.get((part.name, pdf))
        if found is None:
            pieces = part.made_of if pdf and part.made_of else (part,)
            found = self.signatures[part.name, pdf] = key(
                *(self.fragment(piece) for piece in pieces),
                json.dumps(self.renderer.templates.meta(part), sort_keys=True),
                part.entete,
                str(part.paysage),
                self.renderer.templates.assets,
                self.renderer.templates.stylesheet,
                self.warm.archival.value,
            )
        return found

    def fragment(self, part: Part) -> str:
        """The part's wording, rendered again only if its values changed: with the same
        templates, the same values (their repr: frozen dataclasses, strings, numbers) say
        the same words — 23 structures' pages are 0.15 s of Jinja and typography."""
        found = self.fragments.get(part.name)
        if found is None:
            wording = (part.template, repr(part.values))
            found = self.warm._wordings.get(wording)
            if found is None:
                found = self.renderer.fragment(part)
            self.fragments[part.name] = self.wordings[wording] = found
        return found

    def write(self, files: dict[str, bytes]) -> None:
        """Write the files whose bytes differ from those ``output/`` holds."""
        known = read_digests(self.warm.out)
        fresh = {
            name: data
            for name, data in files.items()
            if known.get(name) != [hashlib.sha256(data).hexdigest()]
            or not output_path(self.warm.out, name).is_file()
        }
        if fresh:
            self.written += write_documents(self.warm.out, fresh)
            if self.first is None:
                self.first = time.perf_counter() - self.start


def _stamps(dirs: list[Path]) -> dict[Path, tuple[int, int]]:
    """Time and size of every file of the template directories."""
    found: dict[Path, tuple[int, int]] = {}
    for directory in dirs:
        for path in directory.rglob("*"):
            with contextlib.suppress(OSError):  # gone meanwhile: seen missing
                info = path.stat()
                found[path] = (info.st_mtime_ns, info.st_size)
    return found
