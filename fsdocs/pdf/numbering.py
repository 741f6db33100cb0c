"""Page numbers drawn on assembled PDFs: « Page 3 sur 15 » at the foot of each page.

Parts are laid out once, without page numbers, and cached; the numbers depend on where a
part ends up (alone in its file, in Annexe 4, in the bundle), so they are drawn afterwards,
straight into each page as one line of text. The font is borrowed from a sample line laid out
by WeasyPrint in the footer's style (its embedded subset holds the digits, « Page » and
« sur »), so the numbers are set in the documents' own typeface, extract as text, and cost
microseconds a page instead of a layout.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fsdocs.errors import RenderError

DRAFT = "PROJET"  # across every page of a draft dossier, which is never signed
SAMPLE = f"Page 0123456789 sur {DRAFT}"
FOOTER_PT = 8.0  # as ``@bottom-center`` in html/convention.css
GREY = "0.333 0.333 0.333"  # #555
FONT_NAME = "/FsPied"
_PT_PER_MM = 72 / 25.4
# Drawn as pagination artifacts, outside the structure tree: a screen reader skips them,
# as tagged PDF (PDF/UA) requires of content that is not the document's own.
FOOTER_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>>"
DRAFT_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Watermark>>"
PART_BASELINE = 8.9 * _PT_PER_MM  # the middle of the 22 mm bottom margin, less half a cap
EXTERNAL_BASELINE = 3.2 * _PT_PER_MM  # national PDFs keep their own margins: the lowest 9 mm


def sample_html(stylesheet: str) -> str:
    """The page whose font the numbers use: the footer's style, every character they need."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>'
        f"{stylesheet}</style></head><body>"
        f'<p class="pied-echantillon">{SAMPLE}</p></body></html>'
    )


@dataclass(frozen=True)
class FooterFont:
    sample: Any  # the sample's document (pikepdf.Pdf), which ``font`` belongs to
    font: Any  # the Type0 font dictionary, in ``sample``
    cids: dict[str, int]  # character → glyph (CID = GID: WeasyPrint keeps the font's ids)
    widths: dict[int, float]  # glyph → advance, in thousandths of the font size

    @classmethod
    def from_sample(cls, pdf: bytes) -> FooterFont:
        """The font of the sample ``pdf``: read once per process (every département of a
        national run has the same sample)."""
        digest = hashlib.sha256(pdf).hexdigest()
        found = _SAMPLES.get(digest)
        if found is None:
            found = _SAMPLES[digest] = cls._read(pdf)
        return found

    @classmethod
    def _read(cls, pdf: bytes) -> FooterFont:
        import pikepdf

        sample = pikepdf.open(io.BytesIO(pdf))
        fonts = sample.pages[0].obj.Resources.Font
        font = fonts[min(fonts.keys())]
        cmap = font.ToUnicode.read_bytes().decode("latin-1")
        cids = {
            chr(int(code, 16)): int(cid, 16)
            for cid, code in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", cmap)
        }
        widths: dict[int, float] = {}
        array = list(font.DescendantFonts[0].W)
        for first, values in zip(array[::2], array[1::2], strict=True):
            for offset, width in enumerate(values):
                widths[int(first) + offset] = float(width)
        missing = [c for c in SAMPLE if c not in cids]
        if missing:
            raise RenderError(f"police des numéros de page incomplète : {''.join(missing)}")
        return cls(sample, font, cids, widths)

    def width(self, text: str, size: float = FOOTER_PT) -> float:
        return sum(self.widths.get(self.cids[c], 600.0) for c in text) * size / 1000

    def glyphs(self, text: str) -> str:
        return "".join(f"{self.cids[c]:04x}" for c in text)


_SAMPLES: dict[str, FooterFont] = {}


def label(page: int, total: int) -> str:
    return f"Page {page} sur {total}"


def number_pages(pdf: Any, font: FooterFont, baselines: list[float]) -> None:
    """Draw « Page i sur N » centred at the foot of every page of the pikepdf document
    ``pdf``; ``baselines`` gives each page's baseline height, in points from the bottom edge."""
    reference = pdf.copy_foreign(font.font)
    opening = _opening(pdf)
    total = len(pdf.pages)
    for number, (page, baseline) in enumerate(zip(pdf.pages, baselines, strict=True), 1):
        text = label(number, total)
        left_edge, bottom_edge, width, _ = _box(page)
        left = left_edge + (width - font.width(text)) / 2
        bottom = bottom_edge + baseline
        drawing = (
            f"{FOOTER_ARTIFACT} BDC q {GREY} rg BT {FONT_NAME} {FOOTER_PT:g} Tf "
            f"1 0 0 1 {left:.2f} {bottom:.2f} Tm <{font.glyphs(text)}> Tj ET Q EMC\n"
        )
        _draw_over(pdf, page, opening, drawing, {FONT_NAME: reference})


def _box(page: Any) -> tuple[float, float, float, float]:
    """Left, bottom, width and height of a page's media box."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)


DRAFT_COLOUR = "0.75 0.08 0.08"  # a dark red, seen through: the page stays readable under it
DRAFT_OPACITY = 0.2
DRAFT_STATE = "/FsProjet"
DRAFT_WIDTH = 0.8  # of the page's width


def mark_draft(pdf: Any, font: FooterFont) -> None:
    """Draw « PROJET » across every page of the pikepdf document ``pdf``, over its content
    (a national PDF's opaque background would hide anything drawn under it), in a colour
    seen through, so that a draft can never pass for the dossier to sign. The word is text:
    it reads back."""
    import pikepdf

    reference = pdf.copy_foreign(font.font)
    state = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=DRAFT_OPACITY, CA=DRAFT_OPACITY)
    )
    opening = _opening(pdf)
    for page in pdf.pages:
        left_edge, bottom_edge, width, height = _box(page)
        # Across the page's middle, level: text readers (pdftotext) read a turned word as
        # scattered letters, and the mark must read back as the word it is.
        size = DRAFT_WIDTH * width / font.width(DRAFT, 1.0)
        left = left_edge + width * (1 - DRAFT_WIDTH) / 2
        bottom = bottom_edge + height / 2 - size * 0.35  # centred on its capitals
        drawing = (
            f"{DRAFT_ARTIFACT} BDC q {DRAFT_STATE} gs {DRAFT_COLOUR} rg BT {FONT_NAME} "
            f"{size:.1f} Tf 1 0 0 1 {left:.2f} {bottom:.2f} Tm <{font.glyphs(DRAFT)}> Tj "
            "ET Q EMC\n"
        )
        _draw_over(pdf, page, opening, drawing, {FONT_NAME: reference}, {DRAFT_STATE: state})


def _opening(pdf: Any) -> Any:
    """The « q » every page's drawing opens with: one object, shared by all the pages."""
    return pdf.make_stream(b"q\n")


def _draw_over(
    pdf: Any,
    page: Any,
    opening: Any,
    drawing: str,
    fonts: dict[str, Any],
    states: dict[str, Any] | None = None,
) -> None:
    """Append ``drawing`` to the page's content, in a graphics state of its own (the page's
    own content is wrapped in q … Q so that nothing it leaves set changes the drawing)."""
    import pikepdf

    page = page.obj
    resources = page.get("/Resources")
    if resources is None:
        page.Resources = pikepdf.Dictionary()
        resources = page.Resources
    for kind, entries in (("/Font", fonts), ("/ExtGState", states or {})):
        if not entries:
            continue
        found = resources.get(kind)
        if found is None:
            resources[kind] = pikepdf.Dictionary()
            found = resources[kind]
        for name, reference in entries.items():
            found[name] = reference
    contents = page.get("/Contents")
    streams = [opening]
    if isinstance(contents, pikepdf.Array):
        streams.extend(contents)
    elif contents is not None:
        streams.append(contents)
    streams.append(pdf.make_stream(f"Q\n{drawing}".encode()))
    page.Contents = pikepdf.Array(streams)


def baselines(sizes: list[tuple[float, float]], external: set[int] | None = None) -> list[float]:
    """Each page's footer baseline: a part's page, or a national PDF's page (``external``)."""
    return [
        EXTERNAL_BASELINE if external and k in external else PART_BASELINE
        for k in range(len(sizes))
    ]


def font_files(dirs: list[Path]) -> list[Path]:
    """The fonts of the template directories (whose subsets the assembled files share)."""
    seen: dict[str, Path] = {}
    for directory in dirs:
        for path in sorted((directory / "assets" / "fonts").glob("*.[ot]tf")):
            seen.setdefault(path.name, path)
    return list(seen.values())
