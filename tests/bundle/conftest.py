"""Bundles made once per session: the default project's dossier, with its signers' list and
its parapheur's zip (``bundled``), and one with national PDFs supplied, to copy: its layout
cache comes along, so a test that changes a national PDF only has the dossier assembled
again (``national_bundled``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.bundle.assemble import BUNDLE
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli, supply_national_pdfs


@dataclass(frozen=True)
class Bundled:
    root: Path
    pdf: Path

    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)

    def output(self, name: str) -> Path:
        return self.root / "output" / name


def bundle_default(root: Path, *options: str) -> Path:
    """``fsdocs dossier`` on the project at ``root``, which has 13 signatories."""
    result = run_cli("dossier", *options, "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert "13 champs de signature" in result.stdout
    return root / "output" / BUNDLE


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundled]:
    """The default project's dossier, made with ``--parapheur``."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("dossier") / "projet")
    yield Bundled(root, bundle_default(root, "--parapheur"))
    mp.undo()


@dataclass(frozen=True)
class NationalBundle:
    root: Path
    warnings: list[str]  # the project's own, as `fsdocs dossier` prints them on stderr

    def copy(self, target: Path) -> Path:
        shutil.copytree(self.root, target)
        return target


@pytest.fixture(scope="session")
def national_bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NationalBundle]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("nationales") / "projet")
    supply_national_pdfs(root)
    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == 0, result.output
    yield NationalBundle(root, result.stderr.splitlines())
    mp.undo()
