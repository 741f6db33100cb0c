"""The build cache: what a part looked like once laid out, keyed by everything it depends on.

A part's key is the SHA-256 of its whole input — the HTML page (its data and wording already
rendered into it), the stylesheet, every file of the template directories (fonts, styles),
and the versions of fsdocs and WeasyPrint — so an entry can never be stale: a change to any
of these gives another key. Entries live in ``output/.cache/`` (generated, like the rest of
``output/``), are written atomically and checked on reading; a damaged entry is simply
rendered again. Entries unused for a while are removed by a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from fsdocs import __version__

CACHE = ".cache"
_KEEP_DAYS = 14


@cache
def _versions() -> str:
    from fsdocs.pdf.tagging import TAGGING

    return f"fsdocs {__version__}; weasyprint {metadata.version('weasyprint')}; {TAGGING}"


def assets_digest(dirs: Iterable[Path]) -> str:
    """The digest of every file of the template directories, in search-path order."""
    digest = hashlib.sha256(_versions().encode())
    for directory in dirs:
        for path in sorted(p for p in directory.rglob("*") if p.is_file() and _is_asset(p)):
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _is_asset(path: Path) -> bool:
    """Not the package marker of fsdocs.templates nor Python's byte-code caches."""
    return not any(part.startswith("__") for part in path.parts[-2:])


def key(*inputs: str | bytes) -> str:
    digest = hashlib.sha256()
    for item in inputs:
        data = item.encode() if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """A cached file (a part's PDF or DOCX) and what we need to know of its layout."""

    pdf: bytes
    info: dict[str, Any]


class Cache:
    """Entries under ``output/.cache`` (none with ``None``: nothing kept, as for a version
    being recorded elsewhere); a read-only or full disk only makes the cache useless."""

    def __init__(self, out_dir: Path | None) -> None:
        self.folder = out_dir / CACHE if out_dir is not None else None
        self.used: set[str] = set()

    def _paths(self, name: str) -> tuple[Path, Path]:
        assert self.folder is not None
        base = self.folder / name[:2] / name
        return base.with_suffix(".data"), base.with_suffix(".json")

    def get(self, name: str) -> Entry | None:
        if self.folder is None:
            return None
        pdf_path, info_path = self._paths(name)
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            pdf = pdf_path.read_bytes()
        except (OSError, ValueError):
            return None
        if info.get("sha256") != hashlib.sha256(pdf).hexdigest():
            return None  # damaged or half-replaced: render again
        self.used.add(name)
        with contextlib.suppress(OSError):  # only the pruning looks at it
            os.utime(info_path)
        return Entry(pdf, info)

    def put(self, name: str, pdf: bytes, info: dict[str, Any]) -> None:
        if self.folder is None:
            return
        pdf_path, info_path = self._paths(name)
        self.used.add(name)
        record = {**info, "sha256": hashlib.sha256(pdf).hexdigest()}
        try:
            pdf_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic(pdf_path, pdf)
            _atomic(info_path, json.dumps(record, ensure_ascii=False).encode())
        except OSError:
            pass  # the build goes on: the cache only saves time

    def prune(self) -> int:
        """Remove entries neither used now nor in the last two weeks; how many went."""
        if self.folder is None:
            return 0
        limit = time.time() - _KEEP_DAYS * 86400
        removed = 0
        for info_path in self.folder.glob("*/*.json"):
            name = info_path.stem
            try:
                if name in self.used or info_path.stat().st_mtime >= limit:
                    continue
                info_path.unlink()
                info_path.with_suffix(".data").unlink(missing_ok=True)
                removed += 1
            except OSError:
                continue
        return removed


def _atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
