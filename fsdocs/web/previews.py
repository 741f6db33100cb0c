"""The live previews of the structures' Annexe 4 pages: a warm build (production/warm.py)
over a shadow copy of the project, ``.fsdocs/apercus/projet/``, in which every current draft
replaces its structure's file.

One thread runs the engine: a save asks for a new generation of its structure's preview, the
thread gathers what was asked meanwhile, lays the shadow copy over the project and the drafts
again (writing only the files that differ), rebuilds what changed, and marks the generations
it included as done. The project's own files and outputs are never written.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import FsdocsError
from fsdocs.files.read import Kind, ProjectFiles
from fsdocs.files.write import output_dir
from fsdocs.production.warm import WarmBuild
from fsdocs.project.load import load_yaml
from fsdocs.project.paths import CONVENTION, STRUCTURES
from fsdocs.web.database import Connections
from fsdocs.web.drafts import file_name, structure_ids

SHADOW = Path(".fsdocs") / "apercus" / "projet"
FORMATS = ("pdf", "html")
POLL_S = 2.0  # the project's files are looked at again this often (a préfecture acceptance)
_COPIED = ("convention.yaml", "signatories", "annexes", "templates")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    generation: int  # the last generation of the structure's page (HTML) that is ready
    pret: bool  # whether every save of the structure is in it
    delai_ms: float | None  # from the last save in it to its page being ready
    erreur: str | None  # why the last rebuild failed, if it did
    generation_pdf: int = 0  # the same for its PDF, laid out after the page
    delai_pdf_ms: float | None = None


PAGE, PDF = "autres", "pdf"  # the warm build's stages (WarmBuild.rebuild's ``staged``)


class Previews:
    """The engine of the previews of one project, run by one thread."""

    def __init__(
        self,
        root: Path,
        connections: Connections,
        ready: threading.Event,
        rendering: threading.RLock | None = None,
    ) -> None:
        self.root = root.resolve()
        self.rendering = rendering or threading.RLock()
        self.shadow = self.root / SHADOW
        self.connections = connections
        self.ready = ready
        self._lock = threading.Condition()
        self._asked: dict[str, int] = {}
        self._saved_at: dict[str, float] = {}
        # Per stage (PAGE, PDF): the generation of each structure done, and its delay.
        self._done: dict[str, dict[str, int]] = {PAGE: {}, PDF: {}}
        self._delay: dict[str, dict[str, float]] = {PAGE: {}, PDF: {}}
        self._wake = False
        self._stop = False
        self._built = False
        self._error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the engine (once); /sante answers 503 until its first build is done."""
        with self._lock:
            if self._thread is not None:
                return
            self.ready.clear()
            self._thread = threading.Thread(target=self._run, name="fsdocs-apercus", daemon=True)
            self._thread.start()

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._lock.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=60)

    def ask(self, structure: str) -> int:
        """A save of ``structure``: the generation of the preview that will include it."""
        self.start()
        with self._lock:
            generation = self._asked[structure] = self._asked.get(structure, 0) + 1
            self._saved_at[structure] = time.monotonic()
            self._wake = True
            self._lock.notify_all()
            return generation

    def wait(self, structure: str, generation: int, timeout: float, stage: str = PAGE) -> bool:
        """Wait until the preview of ``generation`` is ready in ``stage`` (its page, or its
        PDF), or the engine failed."""
        end = time.monotonic() + timeout
        with self._lock:
            while self._done[stage].get(structure, 0) < generation and not self._stop:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def asked(self, structure: str) -> int:
        """The generation of the structure's last save."""
        with self._lock:
            return self._asked.get(structure, 0)

    def wait_built(self, timeout: float) -> bool:
        """Wait for the first build (a preview asked for before it)."""
        self.start()
        end = time.monotonic() + timeout
        with self._lock:
            while not self._built and not self._stop:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return self._built

    def state(self, structure: str) -> State:
        with self._lock:
            done = self._done[PAGE].get(structure, 0)
            return State(
                done,
                self._built and done >= self._asked.get(structure, 0),
                self._delay[PAGE].get(structure),
                self._error,
                self._done[PDF].get(structure, 0),
                self._delay[PDF].get(structure),
            )

    def document(self, structure: str, extension: str) -> Path:
        """Where the preview of ``structure`` (a known id) is, in ``extension``."""
        file_name(structure)  # refuses anything but an identifier
        return self.shadow / "output" / "structures" / f"annexe-4-{structure}.{extension}"

    def _run(self) -> None:
        engine: WarmBuild | None = None
        first = True
        while True:
            with self._lock:
                if not first:
                    self._lock.wait_for(lambda: self._wake or self._stop, timeout=POLL_S)
                if self._stop:
                    return
                self._wake = False
                asked = dict(self._asked)
                saved_at = dict(self._saved_at)
            try:
                with self.rendering:
                    changed = self._sync()
                    if engine is None:
                        self.shadow.mkdir(parents=True, exist_ok=True)
                        output_dir(self.shadow)
                        engine = WarmBuild(self.shadow, FORMATS, jobs=1, preview_first=True)
                    if changed or first:
                        staged = functools.partial(self._mark, asked=asked, saved_at=saved_at)
                        engine.rebuild(changed, staged)
                error = None
            except (FsdocsError, OSError) as exc:
                log.warning("aperçu : %s", exc)
                error = str(exc)
            except Exception as exc:  # the thread must live on; the next change retries
                log.exception("aperçu")
                error = f"erreur interne : {exc}"
            for stage in (PAGE, PDF):  # what the rebuild left unchanged is ready too
                self._mark(stage, asked, saved_at)
            with self._lock:
                self._error = error
                self._built = True
                self._lock.notify_all()
            if first:
                self.ready.set()
                first = False

    def _mark(self, stage: str, asked: dict[str, int], saved_at: dict[str, float]) -> None:
        """The generations ``asked`` are ready in ``stage``."""
        finished = time.monotonic()
        with self._lock:
            done, delay = self._done[stage], self._delay[stage]
            for structure, generation in asked.items():
                if generation > done.get(structure, 0):
                    done[structure] = generation
                    delay[structure] = (finished - saved_at[structure]) * 1000
            self._lock.notify_all()

    def _sync(self) -> list[Path]:
        """Lay the project and the drafts over the shadow copy; the files that changed."""
        wanted: dict[str, bytes | Path] = {}
        files = ProjectFiles(self.root)
        for name in _project_files(self.root):
            if not name.endswith(".yaml"):  # PDFs, fonts, templates: copied when they change
                wanted[name] = self.root / name
                continue
            with contextlib.suppress(FsdocsError):
                wanted[name] = files.read(name, Kind.YAML)
        known = structure_ids(self.root)
        db = self.connections.get()
        for structure, contenu in db.execute("SELECT structure, contenu FROM brouillons"):
            if structure in known:
                wanted[file_name(structure)] = contenu.encode("utf-8")
        changed = [self.shadow / n for n, data in wanted.items() if self._put(n, data)]
        for folder in (STRUCTURES, "annexes/offres"):  # a file removed from the project
            for old in (self.shadow / folder).glob("*.yaml"):
                if f"{folder}/{old.name}" not in wanted:
                    old.unlink()
                    changed.append(old)
        return changed

    def _put(self, name: str, data: bytes | Path) -> bool:
        """Write ``data`` (bytes, or a file of the project) at ``name`` in the shadow copy
        unless it is there already; whether it was written."""
        target = self.shadow / name
        with contextlib.suppress(OSError):
            if isinstance(data, Path):
                source, there = data.stat(), target.stat()
                if (source.st_size, source.st_mtime_ns) == (there.st_size, there.st_mtime_ns):
                    return False
            elif target.read_bytes() == data:
                return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            if isinstance(data, Path):
                shutil.copy2(data, temporary)
            else:
                temporary.write_bytes(data)
            temporary.replace(target)
        except OSError:
            return False
        return True


def _project_files(root: Path) -> list[str]:
    """The files the documents are made of: the YAML, the project's templates, and the
    national PDFs that convention.yaml names (anywhere inside the project)."""
    names: list[str] = []
    for part in _COPIED:
        path = root / part
        if path.is_file() and not path.is_symlink():
            names.append(part)
        elif path.is_dir() and not path.is_symlink():
            names += [
                p.relative_to(root).as_posix()
                for p in sorted(path.rglob("*"))
                if p.is_file() and not p.is_symlink()
            ]
    # Read through the project's guarded reader (regular file, size and alias limits).
    source, _ = load_yaml(ProjectFiles(root), CONVENTION)
    convention = source.data if source is not None else None
    for annex in (convention.get("annexes") or []) if isinstance(convention, dict) else []:
        name = annex.get("fichier") if isinstance(annex, dict) else None
        if isinstance(name, str) and ".." not in name.split("/") and not name.startswith("/"):
            path = root / name
            if path.is_file() and not path.is_symlink():
                names.append(name)
    return sorted(set(names))


def clear(root: Path) -> None:
    """Remove the shadow copy (the next engine makes it afresh)."""
    shutil.rmtree(root / SHADOW, ignore_errors=True)
