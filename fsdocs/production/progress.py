"""A progress line for long builds: documents and pages done, pages per second, time left.

Shown on a terminal only, and only once a build has run for a second; redrawn at most ten
times a second on one line of the error stream, and erased at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_DELAY = 1.0
_EVERY = 0.1
_WIDTH = 24


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, label: str = "rendu") -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.label = label
        self.done = 0
        self.pages = 0
        self.start = time.monotonic()
        self.drawn = 0.0
        self.visible = False
        self.enabled = self.stream.isatty()

    def advance(self, pages: int = 0, documents: int = 1) -> None:
        self.done += documents
        self.pages += pages
        now = time.monotonic()
        if not self.enabled or now - self.start < _DELAY or now - self.drawn < _EVERY:
            return
        self.drawn = now
        self.visible = True
        self.stream.write("\r" + self.line(now - self.start) + "\033[K")
        self.stream.flush()

    def line(self, elapsed: float) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = round(share * _WIDTH)
        rate = self.pages / elapsed if elapsed > 0 else 0.0
        left = elapsed * (1 - share) / share if share > 0 else 0.0
        return (
            f"{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] "
            f"{self.done}/{self.total} documents · {self.pages} pages · "
            f"{rate:.0f} pages/s · reste {_clock(left)}"
        )

    def close(self) -> None:
        if self.visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.visible = False


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
