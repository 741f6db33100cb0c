"""The typed manifest: what ``fsdocs version`` writes reads back as the same text, and a
manifest that is not one stops with a French message naming the field, not a traceback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fsdocs.versions.manifest import Manifest, parse, read_manifest
from fsdocs.versions.store import VersionError
from tests.conftest import copy_default_project, run_cli
from tests.versions.test_chain import rewrite


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


@pytest.mark.parametrize(
    ("command", "damage", "field"),
    [
        ("history", lambda m: m.update(redacteur=m.pop("auteur")), "auteur"),
        ("verify", lambda m: m.update(numero="premier"), "numero"),
    ],
)
def test_a_re_hashed_manifest_that_is_not_one_is_named_without_a_traceback(
    recorded: Path,
    tmp_path: Path,
    command: str,
    damage: Callable[[dict[str, object]], None],
    field: str,
) -> None:
    """Re-hashed, the manifest is consistent — but it is not a manifest."""
    root = tmp_path / "projet"
    shutil.copytree(recorded, root)
    rewrite(root, 1, damage)

    result = run_cli(command, "-C", str(root))

    assert result.exit_code != 0
    assert f"versions/0001/manifest.json incomplet ou mal formé (champ « {field} »" in result.output
    assert "Traceback" not in result.output


def test_unreadable_json_is_said_so() -> None:
    with pytest.raises(VersionError, match="illisible : lancez « fsdocs verifier »"):
        parse(b"{pas du json", 3)
    assert Manifest.model_config["frozen"] is True
