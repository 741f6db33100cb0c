"""Writing an assembled PDF compactly: its small objects packed into compressed object streams.

pypdf writes every object of its own (page dictionaries, resources, fonts' widths), where
WeasyPrint packs them; an assembled bundle was a third larger than the same pages rendered
at once for that alone. qpdf (through pikepdf) rewrites the file with object streams; the
identifier is derived from the content, so the same pages still give the same bytes.
"""

from __future__ import annotations

import io


def compact(pdf: bytes) -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            deterministic_id=True,
        )
    return out.getvalue()
