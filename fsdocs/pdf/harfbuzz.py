"""Font subsetting with HarfBuzz, the library WeasyPrint itself subsets with (through cffi).

fontTools does the same job 100 times slower (0.25 s a face against 2 ms): too slow for a
bundle, let alone a country's. None is returned when the library cannot be loaded, and the
caller falls back to fontTools.
"""

from __future__ import annotations

import functools
from typing import Any

_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create (const char *data, unsigned int length, int mode,
                           void *user_data, void *destroy);
void hb_blob_destroy (hb_blob_t *blob);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
void hb_set_add (hb_set_t *set, unsigned int codepoint);
unsigned int hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_READONLY = 1  # HB_MEMORY_MODE_READONLY
_DROP_TABLE_TAG = 3  # HB_SUBSET_SETS_DROP_TABLE_TAG
# As WeasyPrint cuts its subsets: glyph ids kept, no hinting, subroutines expanded, an
# outline for .notdef; layout tables dropped (a PDF positions every glyph itself).
_FLAGS = 0x1 | 0x2 | 0x4 | 0x20 | 0x40
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH")


@functools.cache
def _libraries() -> tuple[Any, Any, Any] | None:
    try:
        import cffi  # type: ignore[import-untyped]

        ffi = cffi.FFI()
        ffi.cdef(_DECLARATIONS)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


def subset_text(font: bytes, text: str) -> bytes | None:
    """``font`` cut to the characters of ``text``, layout tables kept (kerning, ligatures),
    for a browser; None if HarfBuzz is not available."""
    return _subset(font, [ord(c) for c in set(text)], unicodes=True)


def subset(font: bytes, glyphs: list[int]) -> bytes | None:
    """``font`` cut to ``glyphs`` (ids retained); None if HarfBuzz is not available."""
    return _subset(font, glyphs, unicodes=False)


def _subset(font: bytes, wanted_ids: list[int], unicodes: bool) -> bytes | None:
    libraries = _libraries()
    if libraries is None:
        return None
    ffi, hb, hb_subset = libraries
    data = ffi.new("char[]", font)
    blob = ffi.gc(hb.hb_blob_create(data, len(font), _READONLY, ffi.NULL, ffi.NULL),
                  hb.hb_blob_destroy)  # fmt: skip
    face = ffi.gc(hb.hb_face_create(blob, 0), hb.hb_face_destroy)
    request = ffi.gc(hb_subset.hb_subset_input_create_or_fail(), hb_subset.hb_subset_input_destroy)
    if request == ffi.NULL:
        return None
    if unicodes:
        wanted = hb_subset.hb_subset_input_unicode_set(request)
    else:
        wanted = hb_subset.hb_subset_input_glyph_set(request)
        hb_subset.hb_subset_input_set_flags(request, _FLAGS)
        dropped = hb_subset.hb_subset_input_set(request, _DROP_TABLE_TAG)
        for tag in _DROPPED:
            hb.hb_set_add(dropped, hb.hb_tag_from_string(tag, -1))
    for wanted_id in wanted_ids:
        hb.hb_set_add(wanted, wanted_id)
    result = hb_subset.hb_subset_or_fail(face, request)
    if result == ffi.NULL:
        return None
    result = ffi.gc(result, hb.hb_face_destroy)
    out = ffi.gc(hb.hb_face_reference_blob(result), hb.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    pointer = hb.hb_blob_get_data(out, length)
    return bytes(ffi.buffer(pointer, length[0])) if length[0] else None
