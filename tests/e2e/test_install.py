"""The wheel carries everything fsdocs needs at run time: built from the checkout, unpacked
outside it, and used from a folder outside it to make a new project from start to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.conftest import REPO
from tests.e2e.installed import check_installed

SOURCES = ("pyproject.toml", "README.md", "fsdocs", "templates")


def _wheel(tmp_path: Path) -> Path:
    # Built from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return next((tmp_path / "dist").glob("fsdocs-*.whl"))


def test_every_package_and_run_time_file_is_in_the_wheel(tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(_wheel(tmp_path)).namelist())
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {
        p.parent.relative_to(REPO).as_posix().replace("/", ".")
        for p in (REPO / "fsdocs").rglob("__init__.py")
    }
    assert packages | {"fsdocs.templates"} == set(declared["packages"])
    for folder in ("templates", "fsdocs/data"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                inside = path.relative_to(REPO).as_posix()
                wanted = "fsdocs/" + inside if folder == "templates" else inside
                assert wanted in names, wanted
    assert "fsdocs/templates/assets/fonts/Inter-Regular.otf" in names


def test_the_installed_wheel_makes_a_project_outside_the_checkout(tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(_wheel(tmp_path)),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "utilisateur"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    evidence = check_installed(sys.executable, work, env)
    assert evidence[0] == f"fsdocs importé de : {site / 'fsdocs' / '__init__.py'}"
    assert not (REPO / "projet").exists()
