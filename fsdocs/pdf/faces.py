"""Our font files as the font sharing sees them: each face read once, recognised inside an
embedded program, cut to a set of glyphs (glyph ids retained), and the ToUnicode maps
WeasyPrint writes for them.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fsdocs.errors import RenderError, UnreadableFileError
from fsdocs.files.read import Kind, read_file

LOGGER = logging.getLogger(__name__)

# PostScript name, creation date and revision: enough to tell one build of a face from
# another, so that glyph ids are only ever mapped onto the font they were taken from.
Identity = tuple[str, int, float]


@dataclass(frozen=True)
class Face:
    """One of our font files, read once per process."""

    path: Path
    identity: Identity
    data: bytes
    glyph_count: int


_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def to_unicode(data: bytes) -> dict[int, str] | None:
    """Glyph id → text of a ToUnicode CMap (``data``, decoded) made only of ``bfchar``
    entries, as WeasyPrint writes it; None for any other (ranges are not merged)."""
    if b"bfrange" in data:
        return None
    return {
        int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "surrogatepass")
        for glyph, text in _BFCHAR.findall(data.split(b"endcodespacerange", 1)[-1])
    }


def unicode_cmap(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap in WeasyPrint's form."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (Adobe)",
        "/Ordering (UCS)",
        "/Supplement 0",
        ">> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    items = sorted(text.items())
    for start in range(0, len(items), 100):  # at most 100 entries per block
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar")
        lines += [
            f"<{glyph:04x}> <{value.encode('utf-16-be', 'surrogatepass').hex()}>"
            for glyph, value in batch
        ]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


@functools.cache
def read_face(path: Path) -> Face | None:
    """The face in ``path``; None for a variable font, which WeasyPrint embeds as a static
    instance that cannot be rebuilt from the file alone."""
    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

    try:
        data = read_file(path, Kind.FONT, shown=path.name)
        font = TTFont(io.BytesIO(data), lazy=True)
        if "fvar" in font:
            LOGGER.debug("%s : police variable, laissée telle quelle", path)
            return None
        return Face(path, identity(font), data, font["maxp"].numGlyphs)
    except UnreadableFileError as exc:
        raise RenderError(f"police {exc}") from None
    except (OSError, TTLibError, KeyError, ValueError, struct.error, AssertionError) as exc:
        raise RenderError(f"police « {path.name} » illisible : {exc}") from None


def recognise(program: bytes, faces: dict[Identity, Face]) -> Face | None:
    """Which of ``faces`` an embedded sfnt was cut from, if any."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        face = faces.get(identity(font))
        if face is not None and font["maxp"].numGlyphs > face.glyph_count:
            return None  # glyph ids the original lacks: not cut from it after all
        return face
    except (TTLibError, KeyError, ValueError):
        return None  # a program fontTools cannot read is none of ours


def identity(font: Any) -> Identity:  # a fontTools TTFont
    head = font["head"]
    return (str(font["name"].getDebugName(6)), int(head.created), float(head.fontRevision))


@functools.lru_cache(maxsize=16)
def subset_face(face: Face, glyphs: frozenset[int]) -> bytes:
    """The sfnt of ``face`` cut to ``glyphs``, glyph ids retained, cut as WeasyPrint does
    (no hinting, no layout tables, subroutines expanded) so that pages look the same."""
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    from fsdocs.pdf import harfbuzz

    fast = harfbuzz.subset(face.data, sorted(glyphs))
    if fast is not None:
        return fast
    options = subset.Options()
    options.retain_gids = True
    options.desubroutinize = True
    options.hinting = False
    options.notdef_outline = True  # WeasyPrint's outline for text no font could show
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs))
    font = TTFont(io.BytesIO(face.data))
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()
