"""Real ``fsdocs`` processes made to meet inside a command, to prove that they take turns.

Each process runs the CLI with one function of the package wrapped: on reaching it, the
process signs in and waits until every other one has signed in too, or ``WAIT_S`` seconds
have passed. Commands that do not take turns all arrive and go on, each having read the
project before any wrote: the interleaving that loses work happens every time, not by
chance. Commands that take turns never meet: the first waits alone, then finishes, and
only then does the next one reach the function.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SOURCE_DATE_EPOCH

WAIT_S = 5.0

_PROGRAM = """
import importlib, os, sys, time
from pathlib import Path

meeting, count, target = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
del sys.argv[1:4]
module_name, name = target.split(":")
module = importlib.import_module(module_name)
function = getattr(module, name)

def met(*args, **kwargs):
    (meeting / str(os.getpid())).touch()
    deadline = time.monotonic() + {wait}
    while len(os.listdir(meeting)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return function(*args, **kwargs)

setattr(module, name, met)
from fsdocs.cli.main import main
main()
"""


def run_together(
    meeting: Path, target: str, commands: list[list[str]], cwd: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Run each of ``commands`` (fsdocs arguments) in its own process at once, all meeting at
    ``target`` (« module:function »); their results, in the order given."""
    meeting.mkdir()
    program = _PROGRAM.format(wait=WAIT_S)
    running = [
        subprocess.Popen(
            [sys.executable, "-c", program, str(meeting), str(len(commands)), target, *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        )
        for args in commands
    ]
    results = []
    for process, args in zip(running, commands, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    return results
