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

from fsdocs.files.write import DIGESTS
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli
from tests.readback import normalize, pdftotext


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
    import fsdocs.production.workers

    monkeypatch.setattr(fsdocs.production.workers, "LIMIT_S", 1.0)
    monkeypatch.setattr(fsdocs.production.workers, "LIMIT_PER_PAGE_S", 0.0)
    wording = default_project / "templates" / "wording"
    wording.mkdir(parents=True)
    (wording / "annexe-offre.html.j2").write_text(
        "{% for i in range(20000) %}<p>Ligne {{ i }} d’une offre sans fin.</p>{% endfor %}\n"
    )
    result = run_cli("build", "--projet", str(default_project), "--annexe", "5", "--formats", "pdf")
    assert result.exit_code == 1, result.output
    assert "mise en page de « annexe-5 » arrêtée après 1 s" in result.stderr
    assert not list((default_project / "output").rglob("*.pdf"))


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
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in [*out.iterdir(), *out.glob("structures/*")]
        if p.is_file() and p.name != DIGESTS
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


def test_a_disk_that_refuses_large_files_leaves_the_previous_documents(
    default_project: Path,
) -> None:
    """The bundle written under a file-size limit it exceeds (as a full disk or a quota would
    stop it): a clear French message, exit code 1, the previous bundle as it was, no
    temporary file. A 400 kB national PDF makes the bundle larger than the limit, which the
    fonts WeasyPrint copies (270 kB) stay under."""
    import resource

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    noise = DecodedStreamObject()
    noise.set_data(b"% " + os.urandom(200_000).hex().encode() + b"\n")
    page[NameObject("/Contents")] = writer._add_object(noise)
    with (default_project / "charte.pdf").open("wb") as handle:
        writer.write(handle)
    convention = default_project / "convention.yaml"
    text = convention.read_text("utf-8")
    convention.write_text(
        text.replace("  - id: charte\n", "  - id: charte\n    fichier: charte.pdf\n")
    )
    assert run_cli("bundle", "--projet", str(default_project)).exit_code == 0
    out = default_project / "output"
    before = {
        p.name: p.read_bytes()
        for p in [*out.iterdir(), *out.glob("structures/*")]
        if p.is_file() and p.name != DIGESTS
    }
    assert len(before["dossier-signature.pdf"]) > 350_000
    convention.write_text(convention.read_text("utf-8").replace("Vievy-le-Rayé", "Blois"))

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (350_000, 350_000))

    done = subprocess.run(
        [sys.executable, "-m", "fsdocs", "bundle", "--projet", str(default_project)],
        capture_output=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        preexec_fn=limited,  # the limit applies to the child alone
        check=False,
    )
    message = done.stderr.decode()
    assert done.returncode == 1, message
    assert "écriture impossible" in message and "les fichiers précédents sont intacts" in message
    assert "Traceback" not in message
    assert {
        p.name: p.read_bytes()
        for p in [*out.iterdir(), *out.glob("structures/*")]
        if p.is_file() and p.name != DIGESTS
    } == (before)
    assert not list(out.rglob("*.tmp"))
    assert run_cli("verify", "--projet", str(default_project)).exit_code == 0


PERSONAL = ("prenom", "nom", "telephone", "courriel", "agents")


def _personal_values(root: Path) -> set[str]:
    """Every value typed under a personal key (names, phones, e-mails, agents) in the YAML."""
    import yaml

    found: set[str] = set()

    def walk(node: Any, personal: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, personal or key in PERSONAL)
        elif isinstance(node, list):
            for item in node:
                walk(item, personal)
        elif personal and isinstance(node, str) and len(node) > 2:
            found.add(node)

    for path in root.rglob("*.yaml"):
        if "output" not in path.parts:
            walk(yaml.safe_load(path.read_text("utf-8")), False)
    return found


def test_json_and_logs_print_no_personal_data_the_documents_do_not(
    default_project: Path,
) -> None:
    referents = default_project / "annexes" / "referents.yaml"
    text = referents.read_text("utf-8")
    by_function = "    - fonction: Référent départemental France services\n"
    assert text.count(by_function) == 8
    referents.write_text(
        text.replace(
            by_function,
            "    - civilite: Madame\n      prenom: Maëlle\n      nom: Kerjean-Ollivier\n"
            "      courriel: m.k@\n      fonction: Référente départementale France services\n",
            1,
        )
    )
    broken = run_cli("check", "--projet", str(default_project), "--format", "json")
    assert broken.exit_code == 1  # the e-mail is refused
    referents.write_text(referents.read_text("utf-8").replace("m.k@", "m.kerjean@example.fr"))
    outputs = [
        run_cli("check", "--projet", str(default_project), "--format", "json").output,
        run_cli("-v", "build", "--projet", str(default_project)).output,
        run_cli("-v", "bundle", "--brouillon", "--projet", str(default_project)).output,
    ]
    documents = " ".join(
        pdftotext(p) for p in (default_project / "output").glob("*.pdf")
    ) + " ".join(p.read_text("utf-8") for p in (default_project / "output").glob("*.html"))
    printed = " ".join([broken.output, *outputs])
    personal = _personal_values(default_project)
    assert {"Maëlle", "Kerjean-Ollivier", "m.kerjean@example.fr"} <= personal
    leaked = {v for v in personal if v in printed and normalize(v) not in normalize(documents)}
    assert leaked == set()
    # The refused address is quoted back to the person who typed it, in that message only.
    assert "m.k@" in broken.output


def test_more_structures_than_the_limit_are_refused_clearly(default_project: Path) -> None:
    from fsdocs.project.reading import MAX_STRUCTURES

    folder = default_project / "annexes" / "structures"
    text = (folder / "salbris.yaml").read_text("utf-8")
    for number in range(MAX_STRUCTURES):
        (folder / f"copie-{number:03d}.yaml").write_text(text.replace("anct: 252", "anct: 1"))
    result = run_cli("check", "--projet", str(default_project))
    assert result.exit_code == 1
    assert f"plus de {MAX_STRUCTURES} fichiers dans annexes/structures/" in result.stderr
    assert "Traceback" not in result.output


def test_verify_names_a_document_changed_after_its_production(default_project: Path) -> None:
    assert run_cli("build", "--projet", str(default_project), "--convention").exit_code == 0
    assert run_cli("verify", "--projet", str(default_project)).exit_code == 0
    pdf = default_project / "output" / "convention.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    result = run_cli("verify", "--projet", str(default_project))
    assert result.exit_code == 1
    assert "output/convention.pdf : modifié depuis sa production" in result.stderr
    assert run_cli("build", "--projet", str(default_project), "--convention").exit_code == 0
    assert run_cli("verify", "--projet", str(default_project)).exit_code == 0
