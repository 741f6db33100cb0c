"""Rendering work of a cold build of the repository's project: how many times each kind of
document is made (wordings, pages, WeasyPrint layouts, DOCX, metadata), and the cold build's
time. ``--source DOSSIER`` measures another checkout of fsdocs (e.g. an older commit) with
this environment's libraries, to compare before and after a change.

    .venv/bin/python benchmarks/rendus.py [--source /chemin/vers/un/autre/checkout] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1580990400"

COUNT = r"""
import collections, json, sys
from pathlib import Path
import fsdocs.production.build as build, fsdocs.production.workers as workers
counts = collections.Counter()
def wrap(owner, name, label):
    original = getattr(owner, name)
    def counted(*args, **kwargs):
        counts[label] += 1
        return original(*args, **kwargs)
    setattr(owner, name, counted)
wrap(build, "render_wording", "textes (Jinja)")
wrap(build, "render_page", "pages HTML")
wrap(build, "metadata", "métadonnées")
wrap(workers.PdfJob, "run", "mises en page WeasyPrint")
wrap(workers.DocxJob, "run", "DOCX")
build.build(Path(sys.argv[1]), jobs=1)
print(json.dumps(counts))
"""


def project_copy(folder: Path) -> Path:
    root = folder / "projet"
    root.mkdir()
    for name in ("convention.yaml", "annexes", "signatories"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(options.source)}
    with tempfile.TemporaryDirectory() as folder:
        counted = subprocess.run(
            [sys.executable, "-c", COUNT, str(project_copy(Path(folder)))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
        )
    counts = json.loads(counted.stdout.strip().splitlines()[-1])
    times = []
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory() as folder:
            root = project_copy(Path(folder))
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "fsdocs", "build"],
                env=env,
                cwd=root,
                capture_output=True,
                check=True,
            )
            times.append(time.perf_counter() - start)
    print(f"fsdocs de : {options.source}")
    for label, number in sorted(counts.items()):
        print(f"  {label:<28} {number:>4}")
    shown = ", ".join(f"{t:.2f}" for t in times)
    median = statistics.median(times)
    print(f"  construction à froid (-j par défaut) : médiane {median:.2f} s ({shown})")


if __name__ == "__main__":
    main()
