"""Writing ``output/``: a document already in place, byte for byte and listed with its digest
alone, is not written again; any other is (replaced whole, its digest listed)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from fsdocs.files.write import DIGESTS, write_documents


def _listed(out: Path) -> dict[str, list[str]]:
    return json.loads((out / DIGESTS).read_text(encoding="utf-8"))["documents"]


def test_a_file_already_in_place_is_not_written_again(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    files = {"convention.pdf": b"%PDF-1 premier", "annexe-4-blois.pdf": b"%PDF-1 page"}
    written = write_documents(out, files)
    assert written == [out / "convention.pdf", out / "structures" / "annexe-4-blois.pdf"]
    past = 1_000_000_000
    for path in written:
        os.utime(path, ns=(past, past))

    again = write_documents(out, {**files, "convention.pdf": b"%PDF-1 second"})

    assert again == written  # every file named, whether written or already in place
    assert (out / "convention.pdf").read_bytes() == b"%PDF-1 second"
    assert (out / "convention.pdf").stat().st_mtime_ns != past
    assert (out / "structures" / "annexe-4-blois.pdf").stat().st_mtime_ns == past
    assert _listed(out)["convention.pdf"] == [hashlib.sha256(b"%PDF-1 second").hexdigest()]


def test_a_file_changed_in_place_is_written_again_even_at_the_same_size(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    write_documents(out, {"annexe-5.pdf": b"%PDF-1 juste"})
    (out / "annexe-5.pdf").write_bytes(b"%PDF-1 FAUX!")  # same size, other bytes

    write_documents(out, {"annexe-5.pdf": b"%PDF-1 juste"})

    assert (out / "annexe-5.pdf").read_bytes() == b"%PDF-1 juste"
