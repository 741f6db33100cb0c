"""The dossier's bytes do not depend on how its pieces came: laid out by the same command or
read back from an earlier build's ``output/``, nor on the process's hash seed (pikepdf gives a
dictionary's keys as a set). Two commands started together on a project take turns in
either order: their dossier must be the same file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fsdocs.bundle.assemble import BUNDLE
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project
from tests.readback import normalize, pdftotext


def _fsdocs(root: Path, *args: str, seed: str = "1") -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fsdocs", *args, "-C", str(root)],
        capture_output=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": seed},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_dossier_made_alone_is_the_one_made_after_a_build(tmp_path: Path) -> None:
    alone = copy_default_project(tmp_path / "seul")
    after = copy_default_project(tmp_path / "apres")
    _fsdocs(alone, "dossier")
    _fsdocs(after, "produire", seed="2")
    _fsdocs(after, "dossier", seed="2")
    first, second = (root / "output" / BUNDLE for root in (alone, after))
    assert first.read_bytes() == second.read_bytes()

    _fsdocs(alone, "version", "-m", "Première")
    _fsdocs(alone, "dossier")
    cover = normalize(pdftotext(first)).split("Pièce Version")[0]
    assert "Version présentée : version 1 du 6 février 2020." in cover
    assert "Première version enregistrée : aucune version antérieure à comparer." in cover
    assert "Comparée à la aucune" not in cover
