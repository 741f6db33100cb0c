"""Flame graphs of where fsdocs spends its time, drawn by py-spy (``pip install '.[mesures]'``).

``python benchmarks/profils.py [--national]`` writes into ``benchmarks/profils/``:
``froid-41.svg`` (cold ``fsdocs produire`` then ``fsdocs dossier --brouillon`` of an imported
département 41, worker processes included) and, with ``--national``, ``national.svg`` (the
whole country on two processes, a few minutes). Open the SVG in a browser: each box is a
function, as wide as the time spent in it and in what it calls.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "profils"
BIN = Path(sys.executable).parent
FSDOCS = str(BIN / "fsdocs")


def main() -> None:
    parser = argparse.ArgumentParser(description="Profils de fsdocs (graphes en flammes).")
    parser.add_argument("--national", action="store_true", help="profile aussi la France entière")
    args = parser.parse_args()
    spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if spy is None:
        sys.exit("py-spy absent : pip install '.[mesures]'")
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fsdocs-profils-") as tmp:
        project = Path(tmp) / "dep-41"
        subprocess.run(
            [FSDOCS, "init", str(project), "--departement", "41", "--date", "2024-08-01"],
            check=True,
            capture_output=True,
        )
        # Imported facts are incomplete: « import » says so with a non-zero code.
        subprocess.run(
            [FSDOCS, "import", "--departement", "41", "-C", str(project)], capture_output=True
        )
        script = Path(tmp) / "froid.sh"
        script.write_text(
            f"{FSDOCS} produire -C {project} >/dev/null 2>&1\n"
            f"{FSDOCS} dossier --brouillon -C {project} >/dev/null 2>&1\n"
        )
        record(spy, ["sh", str(script)], OUT / "froid-41.svg")
        if args.national:
            national = Path(tmp) / "national"
            subprocess.run(
                [FSDOCS, "national", str(national), "--verifier"], check=True, capture_output=True
            )
            record(spy, [FSDOCS, "national", str(national), "-j", "2"], OUT / "national.svg")


def record(spy: str, command: list[str], target: Path) -> None:
    subprocess.run(
        [
            spy,
            "record",
            "--subprocesses",
            "--rate",
            "50",
            "--format",
            "flamegraph",
            "--output",
            str(target),
            "--",
            *command,
        ],
        check=True,
        capture_output=True,
    )
    print(f"{target.relative_to(HERE.parent)} écrit")


if __name__ == "__main__":
    main()
