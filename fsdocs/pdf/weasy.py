"""PDF rendering with WeasyPrint, confined to the project's own templates and assets.

WeasyPrint is imported here only, so that ``fsdocs --help`` and ``fsdocs controler`` stay fast.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fsdocs.errors import RenderError, UnreadableFileError, UnsafeResourceError
from fsdocs.files.read import Kind, read_file

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """Where an element with an ``id`` landed: its page and box, in PDF points from the
    page's bottom-left corner (the coordinates of a PDF annotation's /Rect)."""

    page: int  # 0-based
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class RenderedPdf:
    """Laid-out pages: those of ``data`` from ``first`` on, one per size (a part laid out
    with others shares their document); anchors count pages from ``first``."""

    data: bytes
    anchors: dict[str, Anchor]
    sizes: tuple[tuple[float, float], ...] = ()  # each page's (width, height) in points
    first: int = 0

    @property
    def pages(self) -> list[int]:
        return list(range(self.first, self.first + len(self.sizes)))

    def slice(self, first: int, count: int) -> RenderedPdf:
        """Pages ``first`` to ``first + count`` of this document, as a part's."""
        end = first + count
        anchors = {
            name: Anchor(a.page - first, a.left, a.bottom, a.right, a.top)
            for name, a in self.anchors.items()
            if first <= a.page < end
        }
        return RenderedPdf(self.data, anchors, self.sizes[first:end], first)


def render_project_pdf(html: str, project_root: Path) -> tuple[RenderedPdf, bytes]:
    """Render a page of the project's templates; the PDF and its identifier (derived from the
    page, so that the same page always gives the same file)."""
    from fsdocs.wording.jinja import template_dirs

    dirs = template_dirs(project_root)
    css_dir = next(d / "html" for d in dirs if (d / "html" / "convention.css").is_file())
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return render_pdf(html, css_dir, dirs, identifier), identifier


def _kind(path: Path) -> Kind:
    """The size limit a template's resource is read with."""
    suffix = path.suffix.lower()
    if suffix in {".ttf", ".otf", ".woff", ".woff2"}:
        return Kind.FONT
    if suffix in {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}:
        return Kind.IMAGE
    return Kind.TEMPLATE


class _Confinement:
    """A URL fetcher that serves the template directories' files and refuses anything else,
    and what it refused."""

    def __init__(self, allowed: list[Path]) -> None:
        from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

        self.refused: list[str] = []
        self.escapes: list[str] = []  # links in the templates that lead outside them
        self.unreadable: list[str] = []  # files of the templates that cannot be read safely
        roots = [Path(os.path.realpath(p)) for p in allowed]
        confinement = self

        class Refused(FatalURLFetchingError):  # type: ignore[misc]
            pass

        class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
                parts = urlsplit(url)
                if parts.scheme == "data":
                    return super().fetch(url, headers)
                if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                    try:
                        found = _in_search_path(Path(unquote(parts.path)), roots)
                    except UnsafeResourceError as exc:
                        confinement.escapes.append(str(exc))
                        raise Refused(url) from None
                    if found is not None:
                        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                        try:
                            content = read_file(found, _kind(found), shown=found.name)
                        except UnreadableFileError as exc:
                            confinement.unreadable.append(str(exc))
                            raise Refused(url) from None
                        return URLFetcherResponse(url, content, {"Content-Type": kind})
                confinement.refused.append(url)
                raise Refused(url)

        self.error = Refused
        self.fetcher = ConfinedFetcher()

    def check(self) -> None:
        if self.escapes:
            raise UnsafeResourceError(self.escapes[0])
        if self.unreadable:
            raise UnsafeResourceError(f"ressource des modèles refusée : {self.unreadable[0]}")
        if self.refused:
            raise UnsafeResourceError(
                "ressource refusée (seuls les fichiers des modèles du projet sont autorisés) : "
                + ", ".join(self.refused)
            )


# Stylesheets parsed once per process, with the fonts they declare: parsing our stylesheet and
# loading its fonts cost 50 ms a document, a quarter of a one-page part's rendering.
_STYLESHEETS: dict[tuple[str, str, tuple[Path, ...]], tuple[Any, Any]] = {}
# Released before the interpreter tears WeasyPrint's modules down: a font configuration freed
# after them complains on the error stream.
atexit.register(_STYLESHEETS.clear)


def _stylesheet(css: str, base_url: str, allowed: list[Path]) -> tuple[Any, Any]:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    name = (css, base_url, tuple(allowed))
    if name not in _STYLESHEETS:
        confinement = _Confinement(allowed)
        fonts = FontConfiguration()
        try:
            sheet = weasyprint.CSS(
                string=css, base_url=base_url, url_fetcher=confinement.fetcher, font_config=fonts
            )
        except confinement.error:
            sheet = None
        except OSError as exc:  # the fonts are copied to a temporary folder: a full disk
            raise RenderError(
                f"mise en page impossible : {exc.strerror or exc} en préparant les polices "
                "(dossier temporaire plein ou refusé ?)"
            ) from exc
        except Exception as exc:  # WeasyPrint raises many kinds; report them as render errors
            raise RenderError(f"feuille de style illisible : {exc}") from exc
        confinement.check()
        _STYLESHEETS[name] = (sheet, fonts)
    return _STYLESHEETS[name]


def render_pdf(
    html: str, base_dir: Path, allowed: list[Path], identifier: bytes, css: str = ""
) -> RenderedPdf:
    """Render ``html`` to PDF, with the position of every element that has an ``id``;
    ``css``, if given, is a stylesheet applied after the page's own (parsed once a process)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from fsdocs.pdf.tagging import VARIANT, finisher

    base_url = base_dir.as_uri() + "/"
    sheets, fonts = ([], FontConfiguration())
    if css:
        sheet, fonts = _stylesheet(css, base_url, allowed)
        sheets = [sheet]
    confinement = _Confinement(allowed)
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=confinement.fetcher)
        rendered = document.render(font_config=fonts, stylesheets=sheets)
        anchors = _anchors(rendered)
        sizes = tuple(
            (round(page.width * _PT_PER_PX, 2), round(page.height * _PT_PER_PX, 2))
            for page in rendered.pages
        )
        # Tagged (PDF/UA-1): structure, language, title shown; see fsdocs/pdf/tagging.py.
        pdf = rendered.write_pdf(
            pdf_identifier=identifier,
            uncompressed_pdf=False,
            pdf_variant=VARIANT,
            finisher=finisher,
        )
    except confinement.error:
        pass
    except Exception as exc:  # WeasyPrint raises many kinds; report them as render errors
        raise RenderError(f"mise en page PDF impossible : {exc}") from exc
    confinement.check()
    assert isinstance(pdf, bytes)
    return RenderedPdf(pdf, anchors, sizes)


_PT_PER_PX = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in


def _anchors(rendered: Any) -> dict[str, Anchor]:
    found: dict[str, Anchor] = {}
    for number, page in enumerate(rendered.pages):
        height = page.height * _PT_PER_PX
        for name, (x1, y1, x2, y2) in page.anchors.items():
            found.setdefault(
                name,
                Anchor(
                    number,
                    x1 * _PT_PER_PX,
                    height - y2 * _PT_PER_PX,
                    x2 * _PT_PER_PX,
                    height - y1 * _PT_PER_PX,
                ),
            )
    return found


def _in_search_path(path: Path, roots: list[Path]) -> Path | None:
    """The file ``path`` names, confined to the template directories, or None.

    A path inside one template directory that does not exist there is looked up in the
    others, in order: a project that overrides only the stylesheet still gets fsdocs' fonts.
    Real paths are compared, so a symbolic link cannot lead outside: one that tries is refused
    (UnsafeResourceError), rather than silently replaced by fsdocs' own file.
    """
    real = Path(os.path.realpath(path))
    for root in roots:
        if real.is_relative_to(root):
            relative = real.relative_to(root)
            for candidate_root in roots:
                written = candidate_root / relative
                candidate = Path(os.path.realpath(written))
                if not candidate.is_relative_to(candidate_root) and os.path.lexists(written):
                    raise UnsafeResourceError(
                        f"le fichier « {relative.as_posix()} » des modèles pointe hors du "
                        f"dossier des modèles ({candidate}) : refusé"
                    )
                if candidate.is_file():
                    return candidate
            return None
    return None
