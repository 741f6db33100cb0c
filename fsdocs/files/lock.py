"""Locks that serialise the commands changing a project: one at a time per project.

``fsdocs creer``, ``importer``, ``produire``, ``dossier`` and ``version`` each hold the project's
lock while they run, so that two of them never interleave their files: a second one waits for
the first (or refuses after a while). The lock is an ``flock`` on the project's folder itself —
nothing is created for it, and a killed holder never leaves it taken. Within one process it is
re-entrant: a bundle that builds holds it once.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fsdocs.errors import FsdocsError, ProjectBusyError

PROJECT_WAIT_S = 600.0  # the largest département's build takes well under this
_HELD: dict[Path, int] = {}  # projects this process holds, and how many times


@contextmanager
def exclusive(
    path: Path, flags: int, timeout: float, refusal: Callable[[], FsdocsError]
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (opened with ``flags``), waiting up to ``timeout``
    seconds for whoever holds it, then raising ``refusal()``. Closing releases it, so a
    killed holder never leaves it taken."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise FsdocsError(
            f"verrou « {path} » impossible à ouvrir ({exc.strerror}) : vérifiez qu’il s’agit "
            "d’un fichier ou dossier ordinaire du projet"
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise refusal() from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


@contextmanager
def project_lock(root: Path, timeout: float = PROJECT_WAIT_S) -> Iterator[None]:
    """Hold the project at ``root`` for one command that changes it; wait up to ``timeout``
    seconds for another one, then refuse with a French message."""
    real = root.resolve()
    if real in _HELD:
        _HELD[real] += 1
        try:
            yield
        finally:
            _HELD[real] -= 1
        return

    def busy() -> ProjectBusyError:
        return ProjectBusyError(
            f"une autre commande fsdocs modifie le projet {real} depuis plus de {timeout:.0f} s "
            "(produire, dossier, version, importer ou creer) ; réessayez quand elle aura fini"
        )

    with exclusive(real, os.O_RDONLY, timeout, busy):
        _HELD[real] = 1
        try:
            yield
        finally:
            del _HELD[real]
