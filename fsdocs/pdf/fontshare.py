"""One copy of each of our fonts in a PDF merged from separately rendered parts.

WeasyPrint embeds in every PDF it writes a subset of each face the document uses: a Type0 font
(``/Encoding /Identity-H``, a ``/ToUnicode`` CMap of ``bfchar`` entries) whose one descendant,
a CIDFontType0 (OpenType/CFF) or CIDFontType2 (TrueType) with an ``/Identity`` CIDToGIDMap,
lists in ``/W`` every glyph drawn, and whose FontDescriptor's ``/FontFile3`` (``/Subtype
/OpenType``) or ``/FontFile2`` stream holds a whole sfnt cut by HarfBuzz with glyph ids
retained. Glyph ids in the content streams are therefore those of the original font file,
whichever part they come from, and one program holding the union of the glyphs serves every
part. Merging N parts without this carries N copies of each face.

The BaseFont of those fonts is Pango's description ("Inter-Semi-Bold"), not the PostScript
name ("Inter-SemiBold"): a face is recognised by the name and head tables of the embedded
program instead, which HarfBuzz copies from the original file.

The small per-part dictionaries (widths, ToUnicode) would still weigh a few kilobytes per
part: parts whose fonts agree on every glyph they share (same width, same text) also share one
Type0 font per face, with the union of their widths and Unicode maps — every page's resources
then name the first part's font. A part that disagrees keeps its own dictionaries, with the
shared program. The file is a pikepdf (qpdf) document: objects no longer referenced are left
out when it is saved.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fsdocs.pdf.faces import (
    Face,
    Identity,
    read_face,
    recognise,
    subset_face,
    to_unicode,
    unicode_cmap,
)

LOGGER = logging.getLogger(__name__)

_Place = tuple[Any, str]  # a /Font resource dictionary and the name a font has in it


@dataclass
class _Font:
    """One part's Type0 font drawn with one of our faces, and where resources name it."""

    type0: Any  # pikepdf.Dictionary (indirect)
    cid_font: Any
    descriptor: Any
    program_key: str  # /FontFile2 or /FontFile3
    program: Any  # pikepdf.Stream
    widths: dict[int, Any]  # glyph id → the width of /W
    places: list[_Place] = field(default_factory=list)


@dataclass
class _Shared:
    """Parts whose fonts can be one Type0 font: the first one's, holding every glyph."""

    leader: _Font
    widths: dict[int, Any]
    text: dict[int, str]
    members: list[_Font] = field(default_factory=list)


def share_fonts(pdf: Any, font_files: list[Path]) -> int:
    """Replace every embedded subset of one of ``font_files`` in the pikepdf document ``pdf``
    by ONE shared font program per face holding the union of the glyphs used anywhere in it
    (glyph ids retained), so the file carries each face once. Returns the number of font
    programs replaced.

    Fonts that are not from ``font_files`` (a system font Pango fell back on) are left as they
    are. The programs replaced are no longer referenced: saving leaves them out.
    """
    faces = {face.identity: face for face in map(read_face, font_files) if face is not None}
    fonts: dict[Identity, list[_Font]] = {}
    recognised: dict[tuple[int, int], Face | None] = {}  # by the program's object
    for font in _our_candidates(pdf):
        number = font.program.objgen
        if number not in recognised:
            recognised[number] = recognise(font.program.read_bytes(), faces)
        face = recognised[number]
        if face is not None:
            fonts.setdefault(face.identity, []).append(font)

    replaced = 0
    for identity, face_fonts in fonts.items():
        replaced += _share_program(faces[identity], face_fonts)
        for shared in _groups(face_fonts):
            _share_dictionaries(shared)
    return replaced


def merge(documents: list[bytes], font_files: list[Path]) -> bytes:
    """The pages of ``documents`` in order in one file, fonts shared."""
    import pikepdf

    pdf = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(document)) for document in documents]
    for source in sources:
        pdf.pages.extend(source.pages)
    share_fonts(pdf, font_files)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()


def _our_candidates(pdf: Any) -> Iterator[_Font]:
    """The Type0 fonts the pages' resources name (and their forms' and patterns'), shaped as
    WeasyPrint writes them for a vector font: CIDs are glyph ids, the font program is an
    sfnt, /W lists the glyphs. Each once, with every place that names it."""
    import pikepdf

    found: dict[tuple[int, int], _Font | None] = {}
    order: list[_Font] = []
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [page.obj.get("/Resources") for page in pdf.pages]
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        table = resources.get("/Font")
        if isinstance(table, pikepdf.Dictionary):
            for name in sorted(table.keys()):  # pikepdf gives a set
                type0 = table.get(name)
                if not isinstance(type0, pikepdf.Dictionary) or not type0.is_indirect:
                    continue
                if type0.objgen not in found:
                    font = _candidate(type0) if type0.get("/Subtype") == "/Type0" else None
                    found[type0.objgen] = font
                    if font is not None:
                        order.append(font)
                font = found[type0.objgen]
                if font is not None:
                    font.places.append((table, name))
        for kind in ("/XObject", "/Pattern"):
            table = resources.get(kind)
            if isinstance(table, pikepdf.Dictionary):
                for name in sorted(table.keys()):
                    inner = table.get(name)
                    if isinstance(inner, pikepdf.Stream | pikepdf.Dictionary):
                        pending.append(inner.get("/Resources"))
    yield from order


def _candidate(type0: Any) -> _Font | None:
    import pikepdf

    descendants = type0.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
        return None
    cid_font = descendants[0]
    if cid_font.get("/CIDToGIDMap", pikepdf.Name.Identity) != "/Identity" or "/W" not in cid_font:
        return None
    descriptor = cid_font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    for key in ("/FontFile2", "/FontFile3"):
        program = descriptor.get(key)
        if not isinstance(program, pikepdf.Stream) or not program.is_indirect:
            continue
        # FontFile3 may also be a bare CFF (/CIDFontType0C), without tables to recognise it
        if key == "/FontFile3" and program.get("/Subtype") != "/OpenType":
            return None
        return _Font(type0, cid_font, descriptor, key, program, _widths(cid_font["/W"]))
    return None


def _widths(array: Any) -> dict[int, Any]:
    """Glyph id → width from a /W array, ``c [w1 w2 …]`` and ``c_first c_last w`` forms."""
    import pikepdf

    entries = list(array)
    widths: dict[int, Any] = {}
    position = 0
    while position < len(entries):
        first = int(entries[position])
        following = entries[position + 1]
        if isinstance(following, pikepdf.Array):
            values = list(following)
            widths.update(zip(range(first, first + len(values)), values, strict=True))
            position += 2
        else:
            widths.update(dict.fromkeys(range(first, int(following) + 1), entries[position + 2]))
            position += 3
    return widths


def _share_program(face: Face, fonts: list[_Font]) -> int:
    """Point every font at one program of ``face`` with all their glyphs; how many programs
    it replaces."""
    import pikepdf

    glyphs = {0}  # .notdef, which a part draws for text no font could show
    for font in fonts:
        glyphs |= {glyph for glyph in font.widths if glyph < face.glyph_count}
    # The first program becomes the shared one: its dictionary is already right.
    shared = fonts[0].program
    data = subset_face(face, frozenset(glyphs))
    shared.write(data)
    if "/Length1" in shared:
        shared.Length1 = len(data)
    programs = {font.program.objgen for font in fonts}
    for font in fonts:
        font.descriptor[pikepdf.Name(font.program_key)] = shared
        font.program = shared
    LOGGER.debug(
        "%s : %d programmes remplacés par un seul de %d glyphes",
        face.path.name,
        len(programs),
        len(glyphs),
    )
    return len(programs)


def _groups(fonts: list[_Font]) -> list[_Shared]:
    """Fonts gathered so that, within a group, one glyph id always has one width and one
    text, and the dictionaries agree on everything else."""
    groups: list[_Shared] = []
    for font in fonts:
        cmap = font.type0.get("/ToUnicode")
        text = None if cmap is None else to_unicode(cmap.read_bytes())
        if text is None or font.type0.get("/Encoding") != "/Identity-H":
            continue  # a custom encoding maps codes WeasyPrint could not draw: keep it
        for group in groups:
            if (
                _same_except_bbox(group.leader, font)
                and _close(group.widths, font.widths)
                and _agree(group.text, text)
            ):
                break
        else:
            group = _Shared(font, {}, {})
            groups.append(group)
        group.members.append(font)
        group.widths.update({g: w for g, w in font.widths.items() if g not in group.widths})
        group.text.update(text)
    return [group for group in groups if len(group.members) > 1]


# Metrics WeasyPrint derives from the size text was set at, rounded: they differ by a unit
# between parts; the shared descriptor takes the extremes.
_ROUNDED = ("/FontBBox", "/CapHeight", "/Ascent", "/Descent")


def _essentials(dictionary: Any, *ignored: str) -> dict[str, Any]:
    """A dictionary's entries but ``ignored``, comparable (an indirect one by reference)."""
    return {
        key: value.unparse() if hasattr(value, "unparse") else value
        for key, value in dictionary.items()
        if key not in ignored
    }


def _same_except_bbox(first: _Font, second: _Font) -> bool:
    return (
        _essentials(first.type0, "/ToUnicode", "/DescendantFonts")
        == _essentials(second.type0, "/ToUnicode", "/DescendantFonts")
        and _essentials(first.cid_font, "/W", "/FontDescriptor")
        == _essentials(second.cid_font, "/W", "/FontDescriptor")
        and _essentials(first.descriptor, *_ROUNDED) == _essentials(second.descriptor, *_ROUNDED)
    )


# Widths are in thousandths of the font size, rounded from the size text was set at: one glyph
# may be 464 wide in 9 pt text and 465 in 10 pt. A unit is 0.01 pt at 10 pt, far below what
# a reader or a printer shows, so such widths are one.
_WIDTH_TOLERANCE = 2


def _close(known: dict[int, Any], new: dict[int, Any]) -> bool:
    return all(
        abs(float(known.get(glyph, width)) - float(width)) <= _WIDTH_TOLERANCE
        for glyph, width in new.items()
    )


def _agree(known: dict[int, Any], new: dict[int, Any]) -> bool:
    return all(known.get(key, value) == value for key, value in new.items())


def _share_dictionaries(shared: _Shared) -> None:
    """Make the leader's font hold every member's glyphs, and every resource that named a
    member's font name the leader's instead."""
    import pikepdf

    leader = shared.leader
    leader.cid_font.W = _width_array(shared.widths)
    leader.type0.ToUnicode.write(unicode_cmap(shared.text))
    # A glyph box large enough for every member: WeasyPrint sets its right edge to the
    # widest glyph drawn, its top (and the cap height) to the ascent.
    boxes: list[Any] = [member.descriptor["/FontBBox"] for member in shared.members]
    box = [min(float(b[i]) for b in boxes) for i in (0, 1)]
    box += [max(float(b[i]) for b in boxes) for i in (2, 3)]
    leader.descriptor.FontBBox = pikepdf.Array(_number(v) for v in box)
    for key, extreme in (("/Ascent", max), ("/Descent", min), ("/CapHeight", max)):
        values = [float(m.descriptor[key]) for m in shared.members if key in m.descriptor]
        if values:
            leader.descriptor[pikepdf.Name(key)] = _number(extreme(values))
    for member in shared.members[1:]:
        for table, name in member.places:
            table[name] = leader.type0


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _width_array(widths: dict[int, Any]) -> Any:
    import pikepdf

    items: list[Any] = []
    run: list[Any] = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            run = []
            items += [glyph, run]
        run.append(widths[glyph])
    return pikepdf.Array(pikepdf.Array(item) if isinstance(item, list) else item for item in items)
