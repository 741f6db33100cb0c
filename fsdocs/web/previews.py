"""The live previews of the structures' Annexe 4 pages: warm builds (production/warm.py) over
shadow copies of the project in which every current draft replaces its structure's file
(shadow.py).

Two lanes, each a thread of the server with its own shadow copy, and a warm build in a child
process (remote.py): the page (HTML, a few milliseconds a structure: what the structure's
page shows) and its PDF (a WeasyPrint layout, a tenth of a second a structure). A save asks
both for a new generation of its structure's preview; each lane gathers what was asked
meanwhile, lays its copy over the project and the drafts again (writing only the files that
differ), rebuilds what changed and marks the generations it included as done. So the page
follows a save at once even while twenty structures' PDFs are being laid out.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import FsdocsError
from fsdocs.files.write import output_dir
from fsdocs.web.database import Connections
from fsdocs.web.drafts import file_name
from fsdocs.web.remote import RemoteBuild
from fsdocs.web.shadow import ShadowCopy

SHADOW = Path(".fsdocs") / "apercus"
POLL_S = 2.0  # the project's files are looked at again this often (a préfecture acceptance)
PAGE, PDF = "html", "pdf"  # the lanes, named by their format
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    generation: int  # the last generation of the structure's page (HTML) that is ready
    pret: bool  # whether every save of the structure is in it
    delai_ms: float | None  # from the last save in it to its page being ready
    erreur: str | None  # why the last rebuild failed, if it did
    generation_pdf: int = 0  # the same for its PDF
    delai_pdf_ms: float | None = None


class _Lane:
    """One format's previews: a thread, a shadow copy, a warm build."""

    def __init__(self, owner: Previews, name: str) -> None:
        self.owner = owner
        self.name = name
        self.folder = owner.root / SHADOW / name
        self.done: dict[str, int] = {}
        self.delay: dict[str, float] = {}
        self.wake = False
        self.built = False
        self.error: str | None = None
        self.remote: RemoteBuild | None = None
        self.thread = threading.Thread(target=self.run, name=f"fsdocs-apercus-{name}", daemon=True)

    def run(self) -> None:
        copy = ShadowCopy(self.owner.root, self.folder, self.owner.connections)
        try:
            self._loop(copy, None)
        finally:
            self.engine_closed()

    def _loop(self, copy: ShadowCopy, engine: RemoteBuild | None) -> None:
        owner, lock = self.owner, self.owner.lock
        while True:
            with lock:
                if self.built:
                    lock.wait_for(lambda: self.wake or owner.stopping, timeout=POLL_S)
                if owner.stopping:
                    return
                self.wake = False
                asked, saved_at = dict(owner.asked_now), dict(owner.saved_at)
            try:
                changed = copy.sync()
                if engine is None:
                    self.folder.mkdir(parents=True, exist_ok=True)
                    output_dir(self.folder)
                    engine = self._engine()
                if changed or not self.built:
                    engine.rebuild(changed)
                error = None
            except (FsdocsError, OSError) as exc:
                log.warning("aperçu (%s) : %s", self.name, exc)
                error = str(exc)
            except Exception as exc:  # the thread must live on; the next change retries
                log.exception("aperçu (%s)", self.name)
                error = f"erreur interne : {exc}"
            finished = time.monotonic()
            with lock:
                for structure, generation in asked.items():
                    if generation > self.done.get(structure, 0):
                        self.done[structure] = generation
                        self.delay[structure] = (finished - saved_at[structure]) * 1000
                self.error = error
                self.built = True
                lock.notify_all()
            owner.lane_built()

    def _engine(self) -> RemoteBuild:
        """The lane's warm build, in a child process: the server's own process stays free
        for the requests (one Python process runs one thread at a time)."""
        self.remote = RemoteBuild(self.folder, (self.name,))
        return self.remote

    def engine_closed(self) -> None:
        if self.remote is not None:
            self.remote.close()


class Previews:
    """The previews of one project: a page lane and a PDF lane."""

    def __init__(
        self,
        root: Path,
        connections: Connections,
        ready: threading.Event,
    ) -> None:
        self.root = root.resolve()
        self.connections = connections
        self.ready = ready
        self.lock = threading.Condition()
        self.asked_now: dict[str, int] = {}
        self.saved_at: dict[str, float] = {}
        self.stopping = False
        self._started = False
        # The page lane lays nothing out (no WeasyPrint); the PDF lane lays out in a child
        # process (remote.py): neither needs a turn at this process's rendering.
        self.lanes = {PAGE: _Lane(self, PAGE), PDF: _Lane(self, PDF)}

    def start(self) -> None:
        """Start the lanes (once); /sante answers 503 until both have built once."""
        with self.lock:
            if self._started:
                return
            self._started = True
            self.ready.clear()
        for lane in self.lanes.values():
            lane.thread.start()

    def close(self) -> None:
        with self.lock:
            self.stopping = True
            self.lock.notify_all()
        for lane in self.lanes.values():
            if lane.thread.is_alive():
                lane.thread.join(timeout=60)

    def lane_built(self) -> None:
        with self.lock:
            if all(lane.built for lane in self.lanes.values()):
                self.ready.set()

    def ask(self, structure: str) -> int:
        """A save of ``structure``: the generation of the preview that will include it."""
        self.start()
        with self.lock:
            generation = self.asked_now[structure] = self.asked_now.get(structure, 0) + 1
            self.saved_at[structure] = time.monotonic()
            for lane in self.lanes.values():
                lane.wake = True
            self.lock.notify_all()
            return generation

    def asked(self, structure: str) -> int:
        """The generation of the structure's last save."""
        with self.lock:
            return self.asked_now.get(structure, 0)

    def wait(self, structure: str, generation: int, timeout: float, lane: str = PAGE) -> bool:
        """Wait until ``generation`` of the structure's preview is ready in ``lane`` (its
        page, or its PDF), or the engine stopped."""
        done = self.lanes[lane].done
        with self.lock:
            return self.lock.wait_for(
                lambda: done.get(structure, 0) >= generation or self.stopping, timeout
            )

    def wait_built(self, timeout: float, lane: str = PAGE) -> bool:
        """Wait for the lane's first build (a preview asked for before it)."""
        self.start()
        found = self.lanes[lane]
        with self.lock:
            return self.lock.wait_for(lambda: found.built or self.stopping, timeout) and (
                found.built
            )

    def state(self, structure: str) -> State:
        page, pdf = self.lanes[PAGE], self.lanes[PDF]
        with self.lock:
            done = page.done.get(structure, 0)
            return State(
                done,
                page.built and done >= self.asked_now.get(structure, 0),
                page.delay.get(structure),
                page.error or pdf.error,
                pdf.done.get(structure, 0),
                pdf.delay.get(structure),
            )

    def document(self, structure: str, extension: str) -> Path:
        """Where the preview of ``structure`` (a known id) is, in ``extension``."""
        file_name(structure)  # refuses anything but an identifier
        folder = self.lanes[PDF if extension == "pdf" else PAGE].folder
        return folder / "output" / "structures" / f"annexe-4-{structure}.{extension}"
