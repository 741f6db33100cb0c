"""Builds, bundles and version recordings killed (SIGKILL, the whole process group, workers
included) at random moments, seeded: no document is ever damaged or mixed, the version store
always verifies, and the next run succeeds and leaves no temporary file behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from fsdocs.files.write import DIGESTS
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli
from tests.readback import pdf_pages, pdftotext

SEED = 20261128
KILLS = 50  # processes killed while running, at least
BUNDLE = "dossier-signature.pdf"
SIGNERS = "signataires.csv"  # written with the dossier
SALBRIS = Path("annexes") / "structures" / "salbris.yaml"
STATES = {
    "A": "horaires:\n",
    "B": "horaires:\n  samedi: 09:00-12:00\n",
    "C": "horaires:\n  samedi: 10:00-12:00\n",
}


def _set_state(root: Path, state: str) -> None:
    path = root / SALBRIS
    text = path.read_text("utf-8")
    for other in ("B", "C"):
        text = text.replace(STATES[other], STATES["A"])
    path.write_text(text.replace(STATES["A"], STATES[state], 1), "utf-8")


def _documents(root: Path) -> dict[str, str]:
    """Each document but the bundle, by what it says: its text for a PDF (laid out alone or
    with other structures, a page is the same page in other bytes), its bytes otherwise."""
    out = root / "output"
    found = {}
    for path in sorted(out.iterdir()):
        if not path.is_file() or path.name in (BUNDLE, SIGNERS, DIGESTS) or path.name[0] == ".":
            continue  # a killed run's temporary files: the next run removes them
        if path.suffix == ".pdf":
            PdfReader(path, strict=True)  # a truncated or mixed file does not open
            # Its words, without the spaces a reader infers from glyph widths (which the
            # shared fonts round alike to a thousandth of an em).
            content = "".join(pdftotext(path).split()).encode()
        else:
            content = path.read_bytes()
        found[path.name] = hashlib.sha256(content).hexdigest()
    return found


def _reference(folder: Path, state: str) -> dict[str, str]:
    root = copy_default_project(folder)
    _set_state(root, state)
    assert run_cli("build", "--projet", str(root)).exit_code == 0
    return _documents(root)


def _bundle_is_whole(root: Path) -> bool:
    """The dossier, if any, opens and ends on its last numbered page; its list of signers,
    if any, has its 13 rows."""
    signers = root / "output" / SIGNERS
    if signers.exists() and len(signers.read_text("utf-8").splitlines()) != 1 + 13:
        return False
    path = root / "output" / BUNDLE
    if not path.exists():
        return True
    pages = pdf_pages(path)
    return len(PdfReader(path, strict=True).pages) == len(pages) >= 30 and pages[-1].rstrip(
    ).endswith(f"Page {len(pages)} sur {len(pages)}")  # fmt: skip


def test_killed_runs_never_damage_a_document_or_a_version(tmp_path: Path) -> None:
    references = {state: _reference(tmp_path / state, state) for state in ("A", "B")}
    root = copy_default_project(tmp_path / "projet")
    assert run_cli("build", "--projet", str(root)).exit_code == 0
    rng = random.Random(SEED)
    kills = runs = 0
    damaged: list[tuple[int, list[str], str]] = []
    environment = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    while kills < KILLS:
        runs += 1
        assert runs < 4 * KILLS, "trop peu de processus tués en cours de route"
        _set_state(root, rng.choice("AB"))
        command = rng.choice(
            [["build"], ["build", "-j", "2"], ["bundle"], ["version", "-m", f"essai {runs}"]]
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "fsdocs", *command, "--projet", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, 1.3))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        for name, digest in _documents(root).items():
            if digest not in (references["A"].get(name), references["B"].get(name)):
                damaged.append((runs, command, name))
        if not _bundle_is_whole(root):
            damaged.append((runs, command, BUNDLE))
        if runs % 10 == 0:
            assert run_cli("verify", "--projet", str(root)).exit_code == 0, (runs, command)
    assert damaged == []

    # The next runs succeed and leave nothing behind.
    _set_state(root, "C")  # a state never recorded: the recording goes to the end
    for command in (["build"], ["bundle"], ["version", "-m", "après les interruptions"]):
        result = run_cli(*command, "--projet", str(root))
        assert result.exit_code == 0, (command, result.output)
    _set_state(root, "A")
    assert run_cli("build", "--projet", str(root)).exit_code == 0
    assert _documents(root) == references["A"]
    assert not list((root / "output").rglob("*.tmp"))
    store = root / "versions"
    assert not list(store.glob(".nouvelle-*")) and not list(store.glob("donnees/.nouveau-*"))
    assert run_cli("verify", "--projet", str(root)).exit_code == 0
    print(f"\n{runs} exécutions, {kills} tuées en cours de route, 0 document endommagé")
