"""What a warm build keeps in memory between two rebuilds: the cache's entries, read once, and
the documents they hold, opened once (pikepdf) with what was read of their structure trees.

Joining Annexe 4 again after one structure changed takes its 22 other pages from the lot they
were laid out in. Kept here, the same bytes object comes back from the cache every time, and
with it the same opened document.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from fsdocs.pdf.join import Sources
from fsdocs.production.cache import Cache, Entry

KEEP_ENTRIES = 512  # a département of 44 structures uses about 150 (layouts, files, DOCX)
KEEP_BYTES = 96 * 1024 * 1024


class MemoryCache(Cache):
    """The build cache of ``output/.cache``, with the entries last used kept in memory
    (the least recently used go first, past KEEP_ENTRIES or KEEP_BYTES)."""

    def __init__(self, out_dir: Path | None) -> None:
        super().__init__(out_dir)
        self._kept: OrderedDict[str, Entry] = OrderedDict()
        self._size = 0

    def get(self, name: str) -> Entry | None:
        entry = self._kept.get(name)
        if entry is not None:
            self._kept.move_to_end(name)
            self.used.add(name)
            return entry
        entry = super().get(name)
        if entry is not None:
            self._keep(name, entry)
        return entry

    def put(self, name: str, pdf: bytes, info: dict[str, Any]) -> None:
        super().put(name, pdf, info)
        self._keep(name, Entry(pdf, dict(info)))

    def alive(self) -> set[bytes]:
        """The documents held, for the readers to keep theirs only."""
        return {entry.pdf for entry in self._kept.values()}

    def _keep(self, name: str, entry: Entry) -> None:
        old = self._kept.pop(name, None)
        if old is not None:
            self._size -= len(old.pdf)
        self._kept[name] = entry
        self._size += len(entry.pdf)
        while len(self._kept) > KEEP_ENTRIES or self._size > KEEP_BYTES:
            _, dropped = self._kept.popitem(last=False)
            self._size -= len(dropped.pdf)


class KeptSources(Sources):
    """The laid-out documents opened once, kept across rebuilds while the cache holds them
    (the base class keeps them for one build), and let go when it no longer does."""

    def prime(self, data: bytes) -> None:
        """Open ``data`` now (a new watcher), not on the first change."""
        self(data)

    def retain(self, alive: set[bytes]) -> None:
        """Forget the documents no longer held by the cache."""
        for data in set(self._opened) - alive:
            source = self._opened.pop(data)
            self.trees.pop(id(source), None)
            source.close()
