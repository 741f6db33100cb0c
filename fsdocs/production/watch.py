"""Watching a project's files: a warm build (warm.py) redone after each save.

The files are polled (``os.stat``: time and size) every POLL_S seconds — a project is a few
dozen files, so a poll costs well under a millisecond and needs no dependency. A change is
acted on once the files have stayed the same for SETTLE_S, so that a save written in several
steps (an editor's temporary file, then a rename) gives one rebuild.
"""

from __future__ import annotations

import gc
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import FsdocsError
from fsdocs.production.warm import RebuildReport, WarmBuild

POLL_S = 0.05
SETTLE_S = 0.02
# What a project is made of (README, « Le projet ») — output/, versions/ and .schemas/ are not.
WATCHED = ("convention.yaml", "signatories", "annexes", "templates")
_DATA = (".yaml", ".yml")

Snapshot = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Event:
    """One rebuild: the files that changed (relative to the project, ``()`` for the first),
    and what it did or the error that stopped it."""

    changed: tuple[str, ...]
    report: RebuildReport | None = None
    error: FsdocsError | None = None


def snapshot(root: Path) -> Snapshot:
    """Time and size of each watched file: the YAML of the project, any file of its
    templates; hidden files and editors' backups (``~``) left out."""
    found: Snapshot = {}
    for name in WATCHED:
        _scan(root, name, found)
    return found


def _scan(root: Path, relative: str, found: Snapshot) -> None:
    path = root / relative
    try:
        info = path.lstat()  # a link is not followed: it would lead out of the project
        if stat.S_ISDIR(info.st_mode):
            for entry in os.scandir(path):
                if not entry.name.startswith(".") and not entry.name.endswith("~"):
                    _scan(root, f"{relative}/{entry.name}", found)
            return
    except OSError:
        return  # gone between listing and reading: the next poll sees it gone
    if relative.startswith("templates/") or relative.endswith(_DATA):
        found[relative] = (info.st_mtime_ns, info.st_size)


def changes(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    return tuple(sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n)))


def watch(build: WarmBuild, stop_after: int | None = None) -> Iterator[Event]:
    """Rebuild once now, then after each save, and say what each rebuild did; an error
    (an invalid file) is reported and the watching goes on. ``stop_after``: stop after that
    many rebuilds following the first (for tests). Ends with KeyboardInterrupt (Ctrl-C)."""
    seen = snapshot(build.root)
    first = _rebuild(build, ())
    # What the first rebuild keeps (templates, cache entries, parsed pages: 10⁵ objects) is
    # kept for good: set apart from the garbage collector, which otherwise walks it all again
    # during each rebuild (0.1 s of the 0.6 s before Annexe 4 is written).
    gc.collect()
    gc.freeze()
    try:
        yield first
        done = 0
        while stop_after is None or done < stop_after:
            time.sleep(POLL_S)
            now = snapshot(build.root)
            if now == seen:
                continue
            while True:  # a save in several steps: wait for the last one
                time.sleep(SETTLE_S)
                settled = snapshot(build.root)
                if settled == now:
                    break
                now = settled
            changed, seen = changes(seen, now), now
            yield _rebuild(build, changed)
            done += 1
    finally:
        gc.unfreeze()  # the process goes on (a test, an application): collect as before


def _rebuild(build: WarmBuild, changed: tuple[str, ...]) -> Event:
    """One rebuild, without the garbage collector's pauses: its garbage is collected once
    it is done, all its files written."""
    gc.disable()
    try:
        return Event(changed, build.rebuild([build.root / name for name in changed]))
    except FsdocsError as exc:
        return Event(changed, error=exc)
    finally:
        gc.enable()
        gc.collect()
