"""``fsdocs produire``: the convention and its annexes as PDF, DOCX and HTML.

Each part is laid out once, without page numbers, and only if nothing it depends on has
changed since it last was: layouts are cached by content (cache.py) and done in worker
processes (workers.py); the numbers are drawn afterwards (numbering.py). Annexe 4 as a whole
is its structures' pages put together, not a second layout. Everything is rendered in memory
first and written last, all together, so a failure at any stage leaves ``output/`` as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from fsdocs import __version__
from fsdocs.errors import FsdocsError, Problem, RenderError, UnsafeResourceError
from fsdocs.files.write import output_dir, producing, write_documents
from fsdocs.pdf.compact import compact
from fsdocs.pdf.numbering import FooterFont, baselines, font_files, number_pages, sample_html
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production import workers
from fsdocs.production.cache import Cache, assets_digest, key
from fsdocs.production.plan import Layouts
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from fsdocs.wording.context import ConventionContext, get_context
from fsdocs.wording.jinja import (
    environment,
    render_page,
    render_template,
    render_wording,
    template_dirs,
)
from fsdocs.wording.parts import Part, select
from fsdocs.wording.registry import all_parts

FORMATS = ("pdf", "docx", "html")
# Parts are laid out without their page numbers, which depend on where the pages end up.
NO_FOOTER = "\n@page { @bottom-center { content: none; } }\n"
# Structure pages laid out together each start a page, as they would alone.
LOT_CSS = "\ndiv.lot + div.lot { break-before: page; }\n"
_CHARS_PER_PAGE = 3500  # of wording, to guess a part's pages when sharing the work out


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
) -> BuildResult:
    """Build the documents of the project at ``root`` into ``root/output``.

    Without options: the convention and every generated annex. ``annexe`` builds one annex;
    ``structure`` (with the annex of modalités) only that structure's page, leaving every
    other file untouched. ``jobs`` is the number of worker processes (default: all cores).
    """
    return build_project(
        load_project(root), annexe, structure, only_convention, formats, jobs, progress
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
) -> BuildResult:
    """``build`` for a project already loaded; ``cache`` replaces the project's own (the
    national run shares one among all départements)."""
    wanted = check_formats(formats)
    ctx = get_context(project)
    parts = select(all_parts(project, ctx), annexe, structure, only_convention)
    out = output_dir(project.root)
    renderer = Renderer(project, ctx, cache or Cache(out))
    with producing(out):
        rendered = renderer.render(parts, wanted, jobs, progress)
        files = {f"{n}.{ext}": data for n, own in rendered.items() for ext, data in own.items()}
        written = write_documents(out, files)
        if annexe is None and structure is None and not only_convention and cache is None:
            renderer.cache.prune()
    return BuildResult(
        written,
        project.warnings,
        renderer.laid_out,
        renderer.reused,
        renderer.produced,
        tuple(sorted(renderer.rendered)),
    )


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise FsdocsError(
            f"format inconnu : {', '.join(unknown) or '(aucun)'} ; formats : {', '.join(FORMATS)}"
        )
    return wanted


class Renderer(Layouts):
    """Renders parts of one project: templates, stylesheet, dates and cache are shared."""

    def __init__(self, project: Project, ctx: ConventionContext, cache: Cache | None = None):
        self.project = project
        self.ctx = ctx
        self.env = environment(project.root)
        self.dirs = template_dirs(project.root)
        self.css_dir = _find(self.dirs, "html/convention.css").parent
        self.docx_template = _find(self.dirs, "docx/convention.docx")
        self.created = creation_date(project)
        self.stylesheet = render_template(self.env, "html/convention.css", {})
        self.cache = cache or Cache(None)
        self.laid_out = 0
        self.reused = 0
        self.produced = 0
        self.rendered: list[str] = []
        # Structure pages, which may be laid out together: their part and wording, by key.
        self._lottable: dict[str, tuple[Part, str]] = {}
        self._lot_data: dict[str, bytes] = {}
        self._readers: dict[int, Any] = {}
        self._digests: dict[int, str] = {}
        self._kept: list[bytes] = []
        self._assets: str | None = None
        self._font: FooterFont | None = None
        self._meta: dict[str, dict[str, str]] = {}

    @property
    def assets(self) -> str:
        """Digest of the template directories and of fsdocs' and WeasyPrint's versions."""
        if self._assets is None:
            self._assets = assets_digest(self.dirs)
        return self._assets

    def fragment(self, part: Part) -> str:
        """The part's wording, typographied: what its PDF, HTML and DOCX all say."""
        return render_wording(self.env, part.template, part.values)

    def meta(self, part: Part) -> dict[str, str]:
        """The part's metadata (title, author, dates…), built once per part."""
        found = self._meta.get(part.name)
        if found is None:
            found = self._meta[part.name] = metadata(self.project, self.ctx, part, self.created)
        return found

    def html(self, part: Part, fragment: str) -> str:
        """The part's HTML page, stylesheet included (the preview, and what its PDF shows)."""
        return render_page(self.env, fragment, part.entete, self.meta(part), part.paysage)

    def docx(self, part: Part, fragment: str) -> bytes:
        """The part's DOCX: the same wording in the Word layout template."""
        result: bytes = self.docx_job(part, fragment).run()
        return result

    def render(
        self,
        parts: list[Part],
        formats: tuple[str, ...] = FORMATS,
        jobs: int | None = None,
        progress: bool = False,
        fragments: dict[str, str] | None = None,
    ) -> dict[str, dict[str, bytes]]:
        """Each part's files by format (``{"convention": {"pdf": …, "docx": …}}``).

        Every document is made once: one wording per part, one page and one layout per PDF
        piece (a structure's page serves its own file and Annexe 4), one DOCX per part."""
        fragments = dict(fragments or {})
        for part in parts:
            for piece in (part, *part.made_of):
                if piece.name not in fragments:
                    fragments[piece.name] = self.fragment(piece)
        pdf_jobs: dict[str, workers.PdfJob] = {}
        if "pdf" in formats:
            for part in parts:
                for piece in _laid_out(part):
                    if piece.name not in pdf_jobs:
                        pdf_jobs[piece.name] = self.pdf_job(piece, fragments[piece.name])
        docx_jobs = (
            {part.name: self.docx_job(part, fragments[part.name]) for part in parts}
            if "docx" in formats
            else {}
        )
        results = self.run_jobs([*pdf_jobs.values(), *docx_jobs.values()], jobs, progress)
        files: dict[str, dict[str, bytes]] = {}
        for part in parts:
            own: dict[str, bytes] = {}
            if "pdf" in formats:
                keys = [pdf_jobs[piece.name].key for piece in _laid_out(part)]
                own["pdf"] = self.assemble(part, [results[k] for k in keys], keys)
            if "docx" in formats:
                own["docx"] = results[docx_jobs[part.name].key]
            if "html" in formats:
                own["html"] = self.html(part, fragments[part.name]).encode()
            files[part.name] = own
        return files

    def assemble(self, part: Part, pieces: list[RenderedPdf], keys: list[str]) -> bytes:
        """The part's PDF: its pages (those of the parts it is made of), numbered; taken from
        the cache when these very pages were numbered before."""
        from pypdf import PdfWriter
        from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

        sizes = [size for piece in pieces for size in piece.sizes]
        self.produced += len(sizes)
        sources = [f"{self.digest(p.data)}:{p.first}:{len(p.sizes)}" for p in pieces]
        name = key("fichier", part.name, json.dumps(self.meta(part)), *keys, *sources)
        found = self.cache.get(name)
        if found is not None:
            return found.pdf
        writer = PdfWriter()
        readers = [self._reader(piece.data) for piece in pieces]
        for piece, reader in zip(pieces, readers, strict=True):
            writer.append(reader, pages=piece.pages, import_outline=True)
        first = readers[0]
        writer.pdf_header = first.pdf_header
        language = first.trailer["/Root"].get("/Lang")
        if language is not None:
            writer._root_object[NameObject("/Lang")] = TextStringObject(str(language))
        writer.add_metadata(_info(self.meta(part)))
        number_pages(writer, self.footer_font(), baselines(sizes))
        if len({id(reader) for reader in readers}) > 1:
            from fsdocs.pdf.fontshare import share_fonts

            share_fonts(writer, font_files(self.dirs))
        # The file's identifier derives from what it shows: the same pages, the same file.
        digest = hashlib.md5(" ".join([part.name, *keys]).encode(), usedforsecurity=False)
        identifier = ByteStringObject(digest.digest())
        writer._ID = ArrayObject([identifier, identifier])
        out = io.BytesIO()
        writer.write(out)
        data = compact(out.getvalue()) if len(pieces) > 1 else out.getvalue()
        self.cache.put(name, data, {})
        return data

    def digest(self, data: bytes) -> str:
        """The SHA-256 of a laid-out document, computed once however many parts share it."""
        digest = self._digests.get(id(data))
        if digest is None:
            digest = self._digests[id(data)] = hashlib.sha256(data).hexdigest()
            self._kept.append(data)
        return digest

    def _reader(self, data: bytes) -> Any:
        """One reader per document: a lot's pages go to many files, and pypdf's reading of
        a document's compressed objects is slow enough to count."""
        from pypdf import PdfReader

        reader = self._readers.get(id(data))
        if reader is None:
            reader = self._readers[id(data)] = PdfReader(io.BytesIO(data))
            self._kept.append(data)  # ids stay unique while the reader lives
        return reader

    def footer_font(self) -> FooterFont:
        """The font the page numbers are drawn with (laid out once, then cached)."""
        if self._font is None:
            html = sample_html(self.stylesheet)
            job = self.job_for_html(key("pied", self.assets, html), html, "", 1)
            self._font = FooterFont.from_sample(self.run_jobs([job], 1, False)[job.key].data)
        return self._font

    def pdf_job(self, part: Part, fragment: str) -> workers.PdfJob:
        """The layout of the part's page, without page numbers (what the cache keeps)."""
        html = render_page(self.env, fragment, part.entete, self.meta(part), part.paysage, css="")
        name = key("corps", self.assets, self.stylesheet, html)
        if part.structure is not None:
            self._lottable[name] = (part, fragment)
        css = self.stylesheet + NO_FOOTER
        return self.job_for_html(name, html, css, _pages(fragment), part.name)

    def job_for_html(
        self, name: str, html: str, css: str, pages: int, part: str = ""
    ) -> workers.PdfJob:
        return workers.PdfJob(
            name, html, css, self.css_dir, tuple(self.dirs), name[:32].encode(), pages, part
        )

    def docx_job(self, part: Part, fragment: str) -> workers.DocxJob:
        """The part's DOCX, keyed by all it shows."""
        meta = self.meta(part)
        name = key("docx", self.assets, fragment, part.entete, json.dumps(meta), str(part.paysage))
        return workers.DocxJob(
            name, self.docx_template, fragment, part.entete, meta, self.created, part.paysage
        )

    def _lot(self, members: list[workers.PdfJob]) -> workers.LotJob:
        body = "".join(
            f'<div class="lot" id="{workers.lot_anchor(k)}">{self._lottable[m.key][1]}</div>'
            for k, m in enumerate(members)
        )
        first = self._lottable[members[0].key][0]
        html = render_page(self.env, body, first.entete, self.meta(first), first.paysage, css="")
        name = key("lot", *(m.key for m in members))
        page = self.job_for_html(name, html, self.stylesheet + NO_FOOTER + LOT_CSS, 1)
        return workers.LotJob(name, tuple(members), page, len(members))


def _laid_out(part: Part) -> tuple[Part, ...]:
    """The parts whose layout makes this part's PDF."""
    return part.made_of or (part,)


def _pages(fragment: str) -> int:
    return 1 + len(fragment) // _CHARS_PER_PAGE


def _info(meta: dict[str, str]) -> dict[str, str]:
    """A PDF's information dictionary, as WeasyPrint writes it from the page's metadata."""
    from importlib import metadata as packages

    weasyprint = packages.version("weasyprint")  # not an import of WeasyPrint: 0.5 s

    def when(value: str) -> str:
        moment = datetime.fromisoformat(value).astimezone(UTC)
        return moment.strftime("D:%Y%m%d%H%M%S+00'00")

    return {
        "/Producer": f"WeasyPrint {weasyprint}",
        "/Title": meta["title"],
        "/Author": meta["author"],
        "/Subject": meta["subject"],
        "/Keywords": meta["keywords"],
        "/Creator": meta["generator"],
        "/CreationDate": when(meta["created"]),
        "/ModDate": when(meta["modified"]),
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
