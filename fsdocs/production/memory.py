"""What a warm build keeps in memory between two rebuilds: the cache's entries, read once, and
pypdf's reading of the documents they hold.

Joining Annexe 4 again after one structure changed takes its 22 other pages from the lot they
were laid out in; pypdf reading that document (its object streams) cost more than the join
itself. Kept here, the same bytes object comes back from the cache every time, and with it the
same parsed reader.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fsdocs.pdf.join import Readers
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

    def alive(self) -> set[int]:
        """The ids of the documents held, for the readers to keep theirs only."""
        return {id(entry.pdf) for entry in self._kept.values()}

    def _keep(self, name: str, entry: Entry) -> None:
        old = self._kept.pop(name, None)
        if old is not None:
            self._size -= len(old.pdf)
        self._kept[name] = entry
        self._size += len(entry.pdf)
        while len(self._kept) > KEEP_ENTRIES or self._size > KEEP_BYTES:
            _, dropped = self._kept.popitem(last=False)
            self._size -= len(dropped.pdf)


class KeptReaders(Readers):
    """One pypdf reader per document, kept across rebuilds while the document is held (the
    same readers as the base class, held here so that they can also be let go)."""

    def __init__(self) -> None:
        super().__init__()
        self._held: dict[int, tuple[bytes, Any]] = {}
        self._primed: set[int] = set()

    def __call__(self, data: bytes) -> Any:
        from pypdf import PdfReader

        found = self._held.get(id(data))
        if found is None or found[0] is not data:
            found = self._held[id(data)] = (data, PdfReader(io.BytesIO(data)))
        return found[1]

    def prime(self, data: bytes) -> None:
        """Read every object of ``data`` now (a new watcher), not on the first change."""
        if id(data) in self._primed and self._held[id(data)][0] is data:
            return
        reader = self(data)
        self._primed.add(id(data))
        for number in range(1, int(reader.trailer.get("/Size", 0))):
            try:
                reader.get_object(number)
            except Exception:  # pypdf raises many kinds for a free object number: skipped
                continue

    def retain(self, alive: set[int]) -> None:
        """Forget the readers of documents no longer held."""
        self._held = {k: v for k, v in self._held.items() if k in alive}
        self._primed &= set(self._held)
