"""How many times a cold build lays out and renders each document, and how long it takes.

Run from the repository's root: ``.venv/bin/python benchmarks/rendus.py [-n RUNS]``. The
default project is copied to a temporary directory and built cold (no ``output/``) in this
process (``-j 1``) while WeasyPrint's layouts, the DOCX renders and the PDF metadata are
counted; then ``fsdocs build`` and ``fsdocs build`` + ``fsdocs bundle`` are timed on fresh
copies (``-j`` by default). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FSDOCS = str(Path(sys.executable).parent / "fsdocs")
EPOCH = "1700000000"


def copy_default(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(REPO / "convention.yaml", target)
    for folder in ("annexes", "signatories"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def count_cold_build(root: Path) -> Counter[str]:
    """The cold build of ``root``, in this process, with its render calls counted."""
    import weasyprint

    from fsdocs.docx import writer
    from fsdocs.pdf.metadata import Metadata
    from fsdocs.production import build

    counts: Counter[str] = Counter()
    patches: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, what: str) -> None:
        original = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[what] += 1
            return original(*args, **kwargs)

        patches.append((owner, name, original))
        setattr(owner, name, counted)

    wrap(weasyprint.HTML, "render", "mises en page WeasyPrint")
    wrap(writer, "blocks_to_docx", "rendus DOCX")
    wrap(Metadata, "fields", "métadonnées construites")
    try:
        build.build(root, jobs=1)
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)
    return counts


def timed(command: list[list[str]], root: Path) -> float:
    start = time.perf_counter()
    for args in command:
        subprocess.run(
            [FSDOCS, *args, "--projet", str(root)],
            check=True,
            capture_output=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="Compte les rendus d’une construction à froid.")
    parser.add_argument("-n", type=int, default=3, help="mesures de durée (défaut : 3)")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    with tempfile.TemporaryDirectory(prefix="fsdocs-rendus-") as tmp:
        work = Path(tmp)
        for what, number in sorted(count_cold_build(copy_default(work / "compte")).items()):
            print(f"{what} : {number}")
        runs: dict[str, Callable[[Path], float]] = {
            "fsdocs build": lambda root: timed([["build"]], root),
            "fsdocs build + bundle": lambda root: timed([["build"], ["bundle"]], root),
        }
        for label, run in runs.items() if args.n > 0 else ():
            times = [
                run(copy_default(work / f"{label}-{k}".replace(" ", ""))) for k in range(args.n)
            ]
            shown = " ; ".join(f"{t:.2f}".replace(".", ",") for t in times)
            print(f"{label}, à froid : {shown} s (meilleur {min(times):.2f} s)".replace(".", ","))


if __name__ == "__main__":
    main()
