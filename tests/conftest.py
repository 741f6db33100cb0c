"""Shared fixtures: copies of the default project in temporary folders, built once per session.

Tests never write into the repository and always pin the build date (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfWriter

from fsdocs.cli import cli

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("convention.yaml", "signatories", "annexes")
SOURCE_DATE_EPOCH = "1580990400"  # 2020-02-06 12:00 UTC
RUNNING_HEADER = "Convention départementale France services de Loir-et-Cher"
NATIONAL_ANNEXES = ("charte", "bouquet", "accord-cadre")  # annexes 1 to 3


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerer-golden",
        action="store_true",
        help="Réécrit les fichiers de référence (tests/wording/golden/) au lieu de les comparer.",
    )
    parser.addoption(
        "--captures-readme",
        action="store_true",
        help="Copie aussi les captures d’écran des tests navigateur dans tests/web/captures/.",
    )


@pytest.fixture
def regenerate_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerer-golden"))


def copy_default_project(target: Path, origin: Path = REPO) -> Path:
    """A copy of the embedded default's data (templates come from fsdocs itself); ``origin``:
    another project's data instead, its output/ left behind."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = origin / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def supply_national_pdfs(root: Path) -> None:
    """Gives annexes 1 to 3 (the national documents) a real PDF each, a blank A4 page in
    ``annexes/<id>.pdf``, and points « fichier: » at it in convention.yaml."""
    convention = root / "convention.yaml"
    text = convention.read_text("utf-8")
    for ident in NATIONAL_ANNEXES:
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        with (root / "annexes" / f"{ident}.pdf").open("wb") as handle:
            writer.write(handle)
        entry = f"  - id: {ident}\n"
        assert text.count(entry) == 1, ident
        text = text.replace(entry, f"{entry}    fichier: annexes/{ident}.pdf\n")
    convention.write_text(text, "utf-8")


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


@pytest.fixture
def default_project(tmp_path: Path) -> Path:
    return copy_default_project(tmp_path / "projet")


@dataclass(frozen=True)
class Built:
    root: Path
    pdf: Path
    docx: Path
    html: Path


@pytest.fixture(scope="session")
def built_default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The default project, built once for every test that only reads its outputs."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("defaut") / "projet")
    result = run_cli("build", "--projet", str(root))
    assert result.exit_code == 0, result.output
    out = root / "output"
    yield Built(root, out / "convention.pdf", out / "convention.docx", out / "convention.html")
    mp.undo()


LISTE_2020 = REPO / "tests" / "fixtures" / "anct" / "france_services-202001.csv"


@pytest.fixture(scope="session")
def imported_draft(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project as a préfecture starts one — ``creer``, then ``importer`` the January 2020
    list of Loir-et-Cher: no agent, no signatory, no referent, no national PDF — and its draft
    dossier (``dossier --brouillon``), made once for every test that only reads them."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = tmp_path_factory.mktemp("importe") / "projet"
    for args in (
        ("creer", str(root), "--departement", "41", "--date", "2020-02-06"),
        ("importer", str(LISTE_2020), "--departement", "41", "--projet", str(root)),
        ("dossier", "--brouillon", "--projet", str(root)),
    ):
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
    yield root
    mp.undo()


@pytest.fixture
def paris_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's clock set to Paris time (a POSIX rule: no time-zone database needed)."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")  # UTC+1, UTC+2 in summer
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
