"""Ctrl-C: « Interrompu. », code 130, no traceback from the command nor from its workers,
and no half-written file in output/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project


@pytest.mark.parametrize("after", [0.8, 1.6])
def test_ctrl_c_during_a_build(tmp_path: Path, after: float) -> None:
    root = copy_default_project(tmp_path / "projet")
    # Its own session, like a terminal's foreground job: Ctrl-C reaches the whole group.
    process = subprocess.Popen(
        [sys.executable, "-m", "fsdocs", "produire", "-j", "2"],
        cwd=root,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(after)
    assert process.poll() is None, "la production a fini avant l’interruption"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    assert stderr.splitlines()[-1] == "Interrompu."
    for text in (stdout, stderr):
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    output = root / "output"
    leftovers = [p.name for p in output.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    for pdf in output.glob("**/*.pdf"):
        PdfReader(pdf, strict=True).pages[-1].extract_text()
    # The next run finishes the work.
    again = subprocess.run(
        [sys.executable, "-m", "fsdocs", "produire"],
        cwd=root,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert len(list(output.glob("**/*.pdf"))) == 10
