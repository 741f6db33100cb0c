"""How fast ``fsdocs produire --surveiller`` follows a save: from the rename of a structure's
file (as an editor saves: a temporary file, then a rename) to the moment
``output/annexe-4.pdf`` is replaced.

``measure_watch(project)`` runs on a project already built; run alone
(``.venv/bin/python benchmarks/surveillance.py [--modifications N]``), it first creates,
imports and builds the département 41 in a temporary directory. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FSDOCS = str(Path(sys.executable).parent / "fsdocs")
DEPARTEMENT = "41"
POLL_S = 0.002
LINE_WAIT_S = 60.0  # for the watcher's first build, and for each rebuild to finish


def measure_watch(project: Path, edits: int = 10) -> dict[str, Any]:
    """Start the watcher on ``project`` (built already), change one structure's opening time
    ``edits`` times, and time each save until Annexe 4's PDF is replaced.

    Returns the median (``mediane_s``) and worst (``pire_s``) in seconds, every time in
    order (``delais_s``), and the structure changed."""
    structure = sorted((project / "annexes" / "structures").glob("*.yaml"))[0]
    pdf = project / "output" / "annexe-4.pdf"
    watcher = subprocess.Popen(
        [FSDOCS, "produire", "--surveiller", "-C", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read, args=(watcher, lines), daemon=True).start()
    times: list[float] = []
    try:
        _wait_for(lines, "démarrage")
        for _ in range(edits):
            before = _stamp(pdf)
            saved = _save_earlier(structure)
            while _stamp(pdf) == before:
                if time.perf_counter() - saved > LINE_WAIT_S:
                    raise RuntimeError("output/annexe-4.pdf n’a pas été remplacé")
                time.sleep(POLL_S)
            times.append(time.perf_counter() - saved)
            _wait_for(lines, structure.name)  # the whole rebuild, before the next save
    finally:
        watcher.send_signal(signal.SIGINT)
        code = watcher.wait(timeout=30)
    if code != 0:
        raise RuntimeError(f"la surveillance s’est arrêtée avec le code {code}")
    return {
        "structure": structure.stem,
        "modifications": edits,
        "mediane_s": statistics.median(times),
        "pire_s": max(times),
        "delais_s": times,
    }


def _read(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line)


def _wait_for(lines: queue.Queue[str], text: str) -> str:
    deadline = time.monotonic() + LINE_WAIT_S
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"la surveillance n’a rien dit de « {text} »") from None
        if text in line and "→" in line:
            return line


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (info.st_ino, info.st_mtime_ns)


def _save_earlier(path: Path) -> float:
    """Open the structure one minute earlier on its first day (a time never laid out before
    in this run), saved as an editor does; when the rename happened."""
    text = path.read_text(encoding="utf-8")
    found = re.compile(r"\b(\d{2}):(\d{2})\b").search(text, text.index("\nhoraires:"))
    if found is None:
        raise RuntimeError(f"{path.name} : aucun horaire « HH:MM » après « horaires: »")
    minutes = int(found[1]) * 60 + int(found[2]) - 1
    minutes = minutes if minutes >= 0 else 23 * 60
    new = text[: found.start()] + f"{minutes // 60:02d}:{minutes % 60:02d}" + text[found.end() :]
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(path)
    return time.perf_counter()


def build_departement(folder: Path) -> Path:
    """``creer``, ``importer`` (its warnings give a non-zero code), ``produire``."""
    project = folder / "projet"
    subprocess.run(
        [FSDOCS, "init", str(project), "--departement", DEPARTEMENT, "--date", "2024-08-01"],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        [FSDOCS, "import", "--departement", DEPARTEMENT, "-C", str(project)],
        capture_output=True,
        check=False,
    )
    if not any((project / "annexes" / "structures").glob("*.yaml")):
        raise RuntimeError("l’import n’a créé aucune structure")
    subprocess.run([FSDOCS, "produire", "-C", str(project)], capture_output=True, check=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modifications", type=int, default=10)
    edits = parser.parse_args().modifications
    with tempfile.TemporaryDirectory(prefix="fsdocs-surveillance-") as folder:
        print(f"Département {DEPARTEMENT} : création, import, production…", flush=True)
        project = build_departement(Path(folder))
        print(f"Surveillance : {edits} modifications d’horaires…", flush=True)
        result = measure_watch(project, edits)

    def shown(value: float) -> str:
        return f"{value:.2f} s".replace(".", ",")

    print(
        f"{result['structure']} : annexe-4.pdf remplacée en {shown(result['mediane_s'])} "
        f"(médiane), {shown(result['pire_s'])} au pire ; "
        + ", ".join(shown(t) for t in result["delais_s"])
    )


if __name__ == "__main__":
    main()
