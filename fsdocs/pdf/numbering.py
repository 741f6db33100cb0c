"""Page numbers drawn on assembled PDFs: « Page 3 sur 15 » at the foot of each page.

Parts are laid out once, without page numbers, and cached; the numbers depend on where a
part ends up (alone in its file, in Annexe 4, in the bundle), so they are drawn afterwards,
straight into each page as one line of text. The font is borrowed from a sample line laid out
by WeasyPrint in the footer's style (its embedded subset holds the digits, « Page » and
« sur »), so the numbers are set in the documents' own typeface, extract as text, and cost
microseconds a page instead of a layout.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fsdocs.errors import RenderError

SAMPLE = "Page 0123456789 sur"
FOOTER_PT = 8.0  # as ``@bottom-center`` in html/convention.css
GREY = "0.333 0.333 0.333"  # #555
FONT_NAME = "/FsPied"
_PT_PER_MM = 72 / 25.4
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
    font: Any  # the Type0 font dictionary, in ``reader``
    cids: dict[str, int]  # character → glyph (CID = GID: WeasyPrint keeps the font's ids)
    widths: dict[int, float]  # glyph → advance, in thousandths of the font size

    @classmethod
    def from_sample(cls, pdf: bytes) -> FooterFont:
        from pypdf import PdfReader

        page = PdfReader(io.BytesIO(pdf)).pages[0]
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        font = next(iter(fonts.values())).get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        cids = {
            chr(int(code, 16)): int(cid, 16)
            for cid, code in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", cmap)
        }
        widths: dict[int, float] = {}
        descendant: Any = font["/DescendantFonts"][0].get_object()
        array = descendant["/W"]
        for first, values in zip(array[::2], array[1::2], strict=True):
            for offset, width in enumerate(values):
                widths[int(first) + offset] = float(width)
        missing = [c for c in SAMPLE if c not in cids]
        if missing:
            raise RenderError(f"police des numéros de page incomplète : {''.join(missing)}")
        return cls(font, cids, widths)

    def width(self, text: str) -> float:
        return sum(self.widths.get(self.cids[c], 600.0) for c in text) * FOOTER_PT / 1000

    def glyphs(self, text: str) -> str:
        return "".join(f"{self.cids[c]:04x}" for c in text)


def label(page: int, total: int) -> str:
    return f"Page {page} sur {total}"


def number_pages(writer: Any, font: FooterFont, baselines: list[float]) -> None:
    """Draw « Page i sur N » centred at the foot of every page of ``writer``; ``baselines``
    gives each page's baseline height, in points from the bottom edge."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    reference = writer._add_object(font.font.clone(writer))
    total = len(writer.pages)
    opening = writer._add_object(_stream(DecodedStreamObject, b"q\n"))
    for number, (page, baseline) in enumerate(zip(writer.pages, baselines, strict=True), 1):
        text = label(number, total)
        width = float(page.mediabox.width)
        left = float(page.mediabox.left) + (width - font.width(text)) / 2
        bottom = float(page.mediabox.bottom) + baseline
        drawing = (
            f"Q\nq {GREY} rg BT {FONT_NAME} {FOOTER_PT:g} Tf 1 0 0 1 {left:.2f} {bottom:.2f} Tm "
            f"<{font.glyphs(text)}> Tj ET Q\n"
        ).encode()
        resources = page.get("/Resources")
        resources = DictionaryObject() if resources is None else resources.get_object()
        fonts = resources.get("/Font")
        fonts = DictionaryObject() if fonts is None else fonts.get_object()
        fonts[NameObject(FONT_NAME)] = reference
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        streams = ArrayObject([opening])
        if contents is not None:
            target = contents.get_object()
            if isinstance(target, ArrayObject):
                streams.extend(target)
            else:
                streams.append(contents)
        closing = _stream(DecodedStreamObject, drawing)
        streams.append(writer._add_object(closing.flate_encode()))
        page[NameObject("/Contents")] = streams


def _stream(kind: Any, data: bytes) -> Any:
    stream = kind()
    stream.set_data(data)
    return stream


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
