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

pypdf writes no object streams, so the small per-part dictionaries (widths, ToUnicode) would
still weigh a few kilobytes per part: parts whose fonts agree on every glyph they share (same
width, same text) also share one Type0 font per face, with the union of their widths and
Unicode maps. A part that disagrees keeps its own dictionaries, with the shared program.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fsdocs.pdf.faces import (
    Face,
    Identity,
    read_face,
    recognise,
    subset_face,
    to_unicode,
    unicode_cmap,
)

if TYPE_CHECKING:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, StreamObject

LOGGER = logging.getLogger(__name__)


@dataclass
class _Font:
    """One part's Type0 font drawn with one of our faces."""

    type0: DictionaryObject
    cid_font: DictionaryObject
    descriptor: DictionaryObject
    program_key: str  # /FontFile2 or /FontFile3
    program: StreamObject
    widths: dict[int, Any]  # glyph id → the width object of /W


@dataclass
class _Shared:
    """Parts whose fonts can be one Type0 font: the first one's, holding every glyph."""

    leader: _Font
    widths: dict[int, Any]
    text: dict[int, str]
    members: list[_Font] = field(default_factory=list)


def share_fonts(writer: PdfWriter, font_files: list[Path]) -> int:
    """Replace every embedded subset of one of ``font_files`` by ONE shared font program per
    face holding the union of the glyphs used anywhere in ``writer`` (glyph ids retained), so
    the merged file carries each face once. Returns the number of font programs replaced.

    Fonts that are not from ``font_files`` (a system font Pango fell back on) are left as they
    are. Objects no longer referenced afterwards (the old programs) are removed from ``writer``.
    """
    faces = {face.identity: face for face in map(read_face, font_files) if face is not None}
    fonts: dict[Identity, list[_Font]] = {}
    recognised: dict[int, Face | None] = {}  # by the program's object number
    for font in _our_candidates(writer):
        number = font.program.indirect_reference.idnum  # type: ignore[union-attr]
        if number not in recognised:
            recognised[number] = recognise(font.program.get_data(), faces)
        face = recognised[number]
        if face is not None:
            fonts.setdefault(face.identity, []).append(font)

    replaced = 0
    for identity, face_fonts in fonts.items():
        replaced += _share_program(faces[identity], face_fonts)
        for shared in _groups(face_fonts):
            _share_dictionaries(shared)
    # One pass merges the fonts, the next the font resources naming them, the last the page
    # resources naming those. Unreferenced objects go in a pass of their own: pypdf (7.1.1)
    # marks as referenced the duplicate a reference pointed at, not the object kept in its
    # place, which it would then drop if nothing else pointed at it.
    for _ in range(3):
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=False)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    return replaced


def merge(documents: list[bytes], font_files: list[Path]) -> PdfWriter:
    """One writer with the pages of ``documents`` in order, fonts shared, content streams
    compressed."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(document)))
    share_fonts(writer, font_files)
    for page in writer.pages:
        contents = page.get("/Contents")
        # WeasyPrint's pages come compressed: recompressing them would only cost time.
        if contents is not None and "/Filter" not in contents.get_object():
            page.compress_content_streams()
    return writer


def _our_candidates(writer: PdfWriter) -> Iterator[_Font]:
    """The Type0 fonts reachable from the catalog shaped as WeasyPrint writes them for a
    vector font: CIDs are glyph ids, the font program is an sfnt, /W lists the glyphs."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[int] = set()
    pending: list[Any] = [writer.root_object]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if item.get("/Subtype") == "/Type0":
                font = _candidate(item)
                if font is not None:
                    yield font
            # keys(): iterating an outline (TreeObject) yields its children, not its keys
            pending.extend(item.raw_get(key) for key in item.keys())  # noqa: SIM118
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _candidate(type0: DictionaryObject) -> _Font | None:
    descendants = type0.get("/DescendantFonts")
    if descendants is None or len(descendants.get_object()) != 1:
        return None
    cid_font = descendants.get_object()[0].get_object()
    if cid_font.get("/CIDToGIDMap", "/Identity") != "/Identity" or "/W" not in cid_font:
        return None
    descriptor = cid_font.get("/FontDescriptor")
    if descriptor is None:
        return None
    descriptor = descriptor.get_object()
    for key in ("/FontFile2", "/FontFile3"):
        reference = descriptor.raw_get(key) if key in descriptor else None
        if not hasattr(reference, "idnum"):
            continue
        program = reference.get_object()  # type: ignore[union-attr]
        # FontFile3 may also be a bare CFF (/CIDFontType0C), without tables to recognise it
        if key == "/FontFile3" and program.get("/Subtype") != "/OpenType":
            return None
        return _Font(type0, cid_font, descriptor, key, program, _widths(cid_font["/W"]))
    return None


def _widths(array: Any) -> dict[int, Any]:
    """Glyph id → width from a /W array, ``c [w1 w2 …]`` and ``c_first c_last w`` forms."""
    entries = [entry.get_object() for entry in array.get_object()]
    widths: dict[int, Any] = {}
    position = 0
    while position < len(entries):
        first = int(entries[position])
        following = entries[position + 1]
        if isinstance(following, list):
            widths.update(zip(range(first, first + len(following)), following, strict=True))
            position += 2
        else:
            widths.update(dict.fromkeys(range(first, int(following) + 1), entries[position + 2]))
            position += 3
    return widths


def _share_program(face: Face, fonts: list[_Font]) -> int:
    """Point every font at one program of ``face`` with all their glyphs; how many programs
    it replaces."""
    from pypdf.generic import NameObject, NumberObject

    glyphs = {0}  # .notdef, which a part draws for text no font could show
    for font in fonts:
        glyphs |= {glyph for glyph in font.widths if glyph < face.glyph_count}
    # The first program becomes the shared one: its dictionary is already right.
    shared = fonts[0].program
    data = subset_face(face, frozenset(glyphs))
    shared.set_data(data)
    if "/Length1" in shared:
        shared[NameObject("/Length1")] = NumberObject(len(data))
    programs = {id(font.program) for font in fonts}
    for font in fonts:
        font.descriptor[NameObject(font.program_key)] = shared.indirect_reference
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
        text = to_unicode(font.type0)
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


def _same_except_bbox(first: _Font, second: _Font) -> bool:
    def essentials(dictionary: DictionaryObject, *ignored: str) -> dict[str, Any]:
        return {key: value for key, value in dictionary.items() if key not in ignored}

    return (
        essentials(first.type0, "/ToUnicode", "/DescendantFonts")
        == essentials(second.type0, "/ToUnicode", "/DescendantFonts")
        and essentials(first.cid_font, "/W", "/FontDescriptor")
        == essentials(second.cid_font, "/W", "/FontDescriptor")
        and essentials(first.descriptor, *_ROUNDED) == essentials(second.descriptor, *_ROUNDED)
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
    """Make the leader's font hold every member's glyphs and the members' fonts copies of
    it, which ``compress_identical_objects`` then turns into one."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject

    leader = shared.leader
    leader.cid_font[NameObject("/W")] = _width_array(shared.widths)
    to_unicode: Any = leader.type0["/ToUnicode"].get_object()
    to_unicode.set_data(unicode_cmap(shared.text))
    # A glyph box large enough for every member: WeasyPrint sets its right edge to the
    # widest glyph drawn, its top (and the cap height) to the ascent.
    boxes: list[Any] = [member.descriptor["/FontBBox"] for member in shared.members]
    box = [min(float(b[i]) for b in boxes) for i in (0, 1)]
    box += [max(float(b[i]) for b in boxes) for i in (2, 3)]
    leader.descriptor[NameObject("/FontBBox")] = ArrayObject(
        NumberObject(v) if v.is_integer() else FloatObject(v) for v in box
    )
    for key, extreme in (("/Ascent", max), ("/Descent", min), ("/CapHeight", max)):
        values = [
            float(cast(Any, m.descriptor[key])) for m in shared.members if key in m.descriptor
        ]
        if values:
            value = extreme(values)
            number = NumberObject(value) if value.is_integer() else FloatObject(value)
            leader.descriptor[NameObject(key)] = number
    for member in shared.members[1:]:
        member.cid_font[NameObject("/FontDescriptor")] = leader.descriptor.indirect_reference
        for key in ("/ToUnicode", "/DescendantFonts"):
            member.type0[NameObject(key)] = leader.type0.raw_get(key)


def _width_array(widths: dict[int, Any]) -> Any:
    from pypdf.generic import ArrayObject, NumberObject

    array = ArrayObject()
    run = ArrayObject()
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            run = ArrayObject()
            array += [NumberObject(glyph), run]
        run.append(widths[glyph])
    return array
