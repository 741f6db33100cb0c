"""What fsdocs does under adverse conditions: no network, runaway layouts, commands at once."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli
from .readback import normalize, pdftotext


def test_the_whole_pipeline_runs_with_the_network_refused(
    default_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every socket refused, in this process and in the worker processes it forks: check,
    build (PDF, DOCX, HTML), bundle, version and diff all work."""
    attempts: list[Any] = []

    def refused(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("réseau interdit pendant ce test")

    monkeypatch.setattr(socket.socket, "connect", refused)
    monkeypatch.setattr(socket.socket, "connect_ex", refused)
    monkeypatch.setattr(socket.socket, "sendto", refused)
    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket, "getaddrinfo", refused)
    root = str(default_project)
    for command in (
        ["check", "--projet", root],
        ["build", "--projet", root, "-j", "2"],
        ["bundle", "--projet", root],
        ["version", "--projet", root, "-m", "première version"],
        ["diff", "--projet", root],
    ):
        result = run_cli(*command)
        assert result.exit_code == 0, (command, result.output)
    assert attempts == []
    assert "Convention départementale" in pdftotext(
        default_project / "output" / "dossier-signature.pdf"
    )


# The alarm may ring while hypothesis' garbage-collector callback runs (it is loaded by
# test_properties.py): Python reports the exception lost there, and fsdocs rings again.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_document_that_lays_out_forever_is_stopped(
    default_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's own template that prints 20,000 paragraphs: the layout is stopped at the
    time limit (lowered here to one second), with a message, and nothing is written."""
    import fsdocs.workers

    monkeypatch.setattr(fsdocs.workers, "LIMIT_S", 1.0)
    monkeypatch.setattr(fsdocs.workers, "LIMIT_PER_PAGE_S", 0.0)
    wording = default_project / "templates" / "wording"
    wording.mkdir(parents=True)
    (wording / "annexe-offre.html.j2").write_text(
        "{% for i in range(20000) %}<p>Ligne {{ i }} d’une offre sans fin.</p>{% endfor %}\n"
    )
    result = run_cli("build", "--projet", str(default_project), "--annexe", "5", "--formats", "pdf")
    assert result.exit_code == 1, result.output
    assert "mise en page de « annexe-5 » arrêtée après 1 s" in result.stderr
    assert not list((default_project / "output").glob("*.pdf"))


def _fsdocs(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fsdocs", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )


def _documents(root: Path) -> dict[str, str]:
    out = root / "output"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.is_file()
    }


def test_builds_bundles_and_versions_at_once_take_turns(
    default_project: Path, tmp_path: Path
) -> None:
    """Two builds, a bundle and a version started together on one project: each waits for
    the one before, all succeed, the documents are exactly those of one build alone, and the
    version recorded meanwhile is whole."""
    reference = copy_default_project(tmp_path / "seul")
    for command in (["build"], ["bundle"]):
        _, err = (process := _fsdocs(*command, "-C", str(reference))).communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    root = str(default_project)
    running = [
        _fsdocs("build", "-C", root),
        _fsdocs("build", "-C", root),
        _fsdocs("bundle", "-C", root),
        _fsdocs("version", "-C", root, "-m", "pendant les productions"),
    ]
    for process in running:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    documents, alone = _documents(default_project), _documents(reference)
    bundle = "dossier-signature.pdf"
    # The bundle names the version when it ran after it: the one document that may differ.
    if documents[bundle] != alone[bundle]:
        cover = pdftotext(default_project / "output" / bundle)
        assert "Version présentée : version 1" in normalize(cover)
    assert {k: v for k, v in documents.items() if k != bundle} == {
        k: v for k, v in alone.items() if k != bundle
    }
    assert not list((default_project / "output").rglob("*.tmp"))
    assert run_cli("verify", "--projet", root).exit_code == 0
