"""The typed manifest: what ``fsdocs version`` writes reads back as the same text, and a
manifest that is not one stops with a French message naming the field, not a traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from fsdocs.versions.manifest import Manifest, parse, read_manifest
from fsdocs.versions.store import VersionError
from tests.conftest import copy_default_project, run_cli


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1580990400")
    root = copy_default_project(tmp_path_factory.mktemp("manifeste") / "projet")
    result = run_cli("version", "-C", str(root), "-m", "Première version", "--auteur", "Préf")
    mp.undo()
    assert result.exit_code == 0, result.output
    return root


def _text(root: Path) -> str:
    return (root / "versions" / "0001" / "manifest.json").read_text("utf-8")


def test_a_written_manifest_reads_back_as_the_same_text(recorded: Path) -> None:
    manifest, digest = read_manifest(recorded / "versions", 1)

    assert manifest.dumps() == _text(recorded)
    assert manifest.numero == 1 and manifest.auteur == "Préf" and manifest.precedente is None
    assert manifest.parties["convention"].pdf.fichier == "pdf/convention.pdf"
    assert manifest.modifications.parties == tuple(sorted(manifest.parties))
    assert len(digest) == 64


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda m: m.pop("auteur"), "auteur"),
        (lambda m: m.update(numero="un"), "numero"),
        (lambda m: m["parties"]["convention"].pop("pdf"), "parties.convention.pdf"),
        (lambda m: m["donnees"]["convention.yaml"].update(sha256=7), "donnees.convention.yaml"),
    ],
)
def test_a_malformed_manifest_is_refused_in_french(
    recorded: Path, damage: object, field: str
) -> None:
    data = json.loads(_text(recorded))
    assert callable(damage)
    damage(data)
    raw = json.dumps(data).encode()

    with pytest.raises(VersionError, match=f"mal formé \\(champ « {field}"):
        parse(raw, 1)


def test_history_reports_a_malformed_manifest_without_a_traceback(
    recorded: Path, tmp_path: Path
) -> None:
    root = tmp_path / "projet"
    shutil.copytree(recorded, root)
    folder = root / "versions" / "0001"
    text = _text(recorded).replace('"auteur"', '"redacteur"').encode()
    for name, content in (  # re-hashed: the manifest is consistent, but not a manifest
        ("manifest.json", text),
        ("manifest.sha256", f"{hashlib.sha256(text).hexdigest()}  manifest.json\n".encode()),
    ):
        (folder / name).chmod(0o644)
        (folder / name).write_bytes(content)

    result = run_cli("history", "-C", str(root))

    assert result.exit_code != 0
    assert "versions/0001/manifest.json incomplet ou mal formé" in result.output
    assert "Traceback" not in result.output


def test_unreadable_json_is_said_so() -> None:
    with pytest.raises(VersionError, match="illisible : lancez « fsdocs verifier »"):
        parse(b"{pas du json", 3)
    assert Manifest.model_config["frozen"] is True


def test_verify_names_a_manifest_whose_hash_matches_but_whose_fields_do_not(
    recorded: Path, tmp_path: Path
) -> None:
    root = tmp_path / "projet"
    shutil.copytree(recorded, root)
    folder = root / "versions" / "0001"
    text = _text(recorded).replace('"numero": 1', '"numero": "premier"').encode()
    for name, content in (
        ("manifest.json", text),
        ("manifest.sha256", f"{hashlib.sha256(text).hexdigest()}  manifest.json\n".encode()),
    ):
        (folder / name).chmod(0o644)
        (folder / name).write_bytes(content)

    result = run_cli("verify", "-C", str(root))

    assert result.exit_code != 0
    assert "versions/0001/manifest.json incomplet ou mal formé (champ « numero »" in result.output
    assert "Traceback" not in result.output
