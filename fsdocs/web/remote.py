"""A warm build in a process of its own: each lane of the previews. The server is one Python
process, which runs one thread at a time: WeasyPrint's layouts and the pages' rendering, run
in its threads, would take turns with the requests. In child processes they run on the other
core, and the server stays quick to answer.

The child is started with ``spawn`` (never ``fork``: the server runs threads), keeps its
``WarmBuild`` warm between rebuilds, and ends when the server closes its end of the pipe.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path

from fsdocs.errors import FsdocsError

START_S = 120.0  # the child's imports and first build of a large project


class RemoteBuild:
    """``rebuild(changed)`` of a ``WarmBuild(folder, formats, jobs=1)`` run by a child."""

    def __init__(self, folder: Path, formats: tuple[str, ...]) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, folder, formats),
            name=f"fsdocs-apercus-{folder.name}",
            daemon=True,
        )
        self._process.start()
        child.close()

    def rebuild(self, changed: Iterable[Path] = ()) -> None:
        """Redo what ``changed`` touched; FsdocsError with the child's French message if the
        project is invalid or the child is gone."""
        try:
            self._conn.send([str(path) for path in changed])
            if not self._conn.poll(START_S * 5):
                raise FsdocsError("aperçu PDF : le processus de mise en page ne répond plus")
            answer = self._conn.recv()
        except (OSError, EOFError):
            raise FsdocsError("aperçu PDF : le processus de mise en page s’est arrêté") from None
        if answer is not None:
            raise FsdocsError(str(answer))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._conn.close()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()


def _serve(conn: Connection, folder: Path, formats: tuple[str, ...]) -> None:
    """The child: rebuild what it is told, answer None or the French message of the error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to answer
    from fsdocs.production.warm import WarmBuild

    engine = WarmBuild(folder, formats, jobs=1)
    while True:
        try:
            asked = conn.recv()
        except (EOFError, OSError):
            return
        if asked is None:
            return
        try:
            engine.rebuild([Path(p) for p in asked])
            answer: str | None = None
        except FsdocsError as exc:
            answer = str(exc)
        except Exception as exc:  # the child must live on: the next change retries
            answer = f"erreur interne : {exc}"
        conn.send(answer)
