"""The version store: numbered, immutable, verifiable versions of the documents."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fsdocs.errors import VersionError
from fsdocs.production.snapshot import documents
from fsdocs.versions.record import record_version
from tests.conftest import REPO, SOURCE_DATE_EPOCH, copy_default_project, run_cli

SALBRIS = "annexes/structures/salbris.yaml"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def spaced(path: Path) -> str:
    """The text with French typography's non-breaking spaces as plain spaces."""
    return path.read_text("utf-8").replace("\u00a0", " ").replace("\u202f", " ")


def manifest(root: Path, number: int) -> dict[str, object]:
    data = json.loads((root / "versions" / f"{number:04d}" / "manifest.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True)
class Store:
    root: Path
    before: dict[str, str]  # every file of the store after version 1
    after: dict[str, str]  # the same after version 2


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A default project with two versions: Salbris's hours change in between."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("versions") / "projet")
    result = run_cli("version", "-C", str(root), "-m", "Première version", "--auteur", "Préf")
    assert result.exit_code == 0, result.output
    before = tree_hashes(root / "versions")
    salbris = root / SALBRIS
    text = salbris.read_text("utf-8")
    assert text.count("08:30") >= 1
    salbris.write_text(text.replace("08:30", "08:45"), "utf-8")
    result = run_cli("version", "-C", str(root), "-m", "Horaires de Salbris")
    assert result.exit_code == 0, result.output
    assert "version 2 enregistrée" in result.output
    yield Store(root, before, tree_hashes(root / "versions"))
    mp.undo()


@pytest.fixture
def copy(store: Store, tmp_path: Path) -> Path:
    """A private copy of the two-version store, for tests that damage it."""
    target = tmp_path / "projet"
    shutil.copytree(store.root, target)
    return target


def test_two_versions_are_recorded_with_their_changes(store: Store) -> None:
    first, second = manifest(store.root, 1), manifest(store.root, 2)
    assert (first["numero"], second["numero"]) == (1, 2)
    assert first["date"] == "2020-02-06T12:00:00+00:00"
    assert (first["auteur"], first["message"]) == ("Préf", "Première version")
    assert second["message"] == "Horaires de Salbris"
    assert second["modifications"] == {
        "donnees": [SALBRIS],
        "parties": ["annexe-4", "annexe-4-salbris"],
    }
    parts = second["parties"]
    assert isinstance(parts, dict)
    assert {"convention", "annexe-4", "annexe-4-salbris", "annexe-4-blois"} <= set(parts)
    # The plain text carries the new hours; the other structures' pages are unchanged.
    v1, v2 = (store.root / "versions" / f"000{n}" / "texte" for n in (1, 2))
    old, new = (v / "annexe-4-salbris.txt" for v in (v1, v2))
    assert "Mardi | 8 h 30 – 12 h 30 | 13 h 30 – 17 h 30 | 8 h\n" in spaced(old)
    assert "Mardi | 8 h 45 – 12 h 30 | 13 h 30 – 17 h 30 | 7 h 45\n" in spaced(new)
    assert (v1 / "annexe-4-blois.txt").read_bytes() == (v2 / "annexe-4-blois.txt").read_bytes()


def test_unchanged_data_files_are_stored_once(store: Store) -> None:
    first, second = manifest(store.root, 1), manifest(store.root, 2)
    data1, data2 = first["donnees"], second["donnees"]
    assert isinstance(data1, dict) and isinstance(data2, dict)
    assert data1.keys() == data2.keys()
    assert "convention.yaml" in data1 and SALBRIS in data1
    blobs = list((store.root / "versions" / "donnees").iterdir())
    assert len(blobs) == len(data1) + 1  # only Salbris's new file was added
    assert data1[SALBRIS]["sha256"] != data2[SALBRIS]["sha256"]
    stored = store.root / "versions" / data2[SALBRIS]["fichier"]
    assert stored.read_bytes() == (store.root / SALBRIS).read_bytes()


def test_recording_a_version_never_alters_an_older_one(store: Store) -> None:
    """Only the head moves on (it names the last version)."""
    assert store.before
    kept = {k: v for k, v in store.before.items() if k != "tete.json"}
    assert {k: store.after.get(k) for k in kept} == kept
    assert store.after["tete.json"] != store.before["tete.json"]


def test_history_lists_versions_and_changed_parts(store: Store, paris_time: None) -> None:
    """Recorded at 12:00 UTC, printed at the machine's local time, in French."""
    result = run_cli("history", "-C", str(store.root))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1  6\u00a0février 2020 à 13\u00a0h  Préf  Première version"
    assert lines[2].startswith("2  6\u00a0février 2020 à 13\u00a0h  ")
    assert lines[2].endswith("  Horaires de Salbris")
    assert lines[3] == "    modifiés : annexe-4, annexe-4-salbris"


def test_verify_a_clean_store(store: Store) -> None:
    result = run_cli("verify", "-C", str(store.root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Registre intact : 2 version(s), ")


@pytest.mark.parametrize(
    "target",
    [
        "donnees",
        "0001/texte/annexe-4-salbris.html",
        "0002/texte/convention.txt",
        "0001/pdf/annexe-5.pdf",
        "0001/manifest.json",
        "0002/manifest.json",
        "0002/manifest.sha256",
    ],
)
def test_verify_names_a_file_with_one_byte_changed(copy: Path, target: str) -> None:
    store = copy / "versions"
    path = min((store / "donnees").iterdir()) if target == "donnees" else store / target
    path.chmod(0o644)  # stored files are read-only
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle] ^= 0x01
    path.write_bytes(bytes(content))
    result = run_cli("verify", "-C", str(copy))
    assert result.exit_code == 1
    named = path.relative_to(copy).as_posix()
    if named.endswith("manifest.sha256"):
        named = named.replace("manifest.sha256", "manifest.json")
    assert f"{named} : modifié" in result.output
    assert "Échec : " in result.output


def test_verify_names_a_missing_file(copy: Path) -> None:
    missing = copy / "versions" / "0001" / "pdf" / "annexe-4-blois.pdf"
    missing.unlink()
    result = run_cli("verify", "-C", str(copy))
    assert result.exit_code == 1
    assert result.output == (
        "versions/0001/pdf/annexe-4-blois.pdf : fichier introuvable\n"
        "Échec : 1 problème(s) dans le registre (2 version(s) lisibles).\n"
    )


def test_recording_refuses_an_altered_data_file(copy: Path) -> None:
    data = manifest(copy, 2)["donnees"]
    assert isinstance(data, dict)
    blob = copy / "versions" / data["convention.yaml"]["fichier"]
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes() + b"# ajout\n")
    salbris = copy / SALBRIS  # something to record, so that the store is written to
    salbris.write_text(salbris.read_text("utf-8").replace("08:45", "09:00"), "utf-8")
    result = run_cli("version", "-C", str(copy), "-m", "Troisième")
    assert result.exit_code == 1
    assert "a été modifié : lancez « fsdocs verifier »" in result.output
    assert not (copy / "versions" / "0003").exists()
    assert not list((copy / "versions").glob(".nouvelle-*"))


def test_recording_an_unchanged_project_is_refused(copy: Path) -> None:
    before = tree_hashes(copy / "versions")
    result = run_cli("version", "-C", str(copy), "-m", "Rien de neuf")
    assert result.exit_code == 1
    assert result.output == (
        "Erreur : rien n’a changé depuis la version 2 (données et documents identiques) : "
        "aucune version enregistrée\n"
    )
    assert tree_hashes(copy / "versions") == before


def test_empty_store_and_empty_message(default_project: Path) -> None:
    result = run_cli("history", "-C", str(default_project))
    assert result.exit_code == 0
    assert "aucune version enregistrée" in result.output
    result = run_cli("verify", "-C", str(default_project))
    assert result.exit_code == 0
    assert "Registre intact : 0 version(s), 0 fichiers vérifiés." in result.output
    result = run_cli("version", "-C", str(default_project), "-m", "  ")
    assert result.exit_code == 1
    assert "message vide" in result.output
    assert not (default_project / "versions").exists()


def _record_together(recordings: list[tuple[Path, str]]) -> list[tuple[int, str]]:
    """Start one ``fsdocs version`` process per (project, message) at once; (code, output)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "fsdocs", "version", "-C", str(root), "-m", message],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root, message in recordings
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    return [(run.returncode, out + err) for run, (out, err) in zip(runs, outputs, strict=True)]


def test_two_recordings_of_one_state_give_one_version_and_one_refusal(
    default_project: Path,
) -> None:
    results = _record_together(
        [(default_project, "Enregistrement 1"), (default_project, "Enregistrement 2")]
    )
    store = default_project / "versions"
    assert sorted(code for code, _ in results) == [0, 1], results
    refused = next(output for code, output in results if code == 1)
    # The second to take the lock finds the first's version: nothing new to record.
    assert "rien n’a changé depuis la version 1" in refused
    assert [p.name for p in store.glob("0*")] == ["0001"]
    assert not list(store.glob(".nouvelle-*"))
    result = run_cli("verify", "-C", str(default_project))
    assert result.exit_code == 0, result.output


def test_a_store_leading_out_of_the_project_is_refused(default_project: Path) -> None:
    """``versions/`` as a link to another folder: fsdocs writes nowhere but in the project."""
    elsewhere = default_project.parent / "ailleurs"
    elsewhere.mkdir()
    (default_project / "versions").symlink_to(elsewhere)
    for args in (("version", "-m", "Première"), ("history",), ("verify",)):
        result = run_cli(*args, "-C", str(default_project))
        assert result.exit_code == 1, args
        assert result.output == (
            f"Erreur : versions/ mène hors du projet ou n’est pas un dossier ({elsewhere}) : "
            "refusé ; faites de versions/ un vrai dossier du projet\n"
        )
    assert list(elsewhere.iterdir()) == []


def test_a_lock_file_planted_as_a_link_is_not_followed(default_project: Path) -> None:
    store = default_project / "versions"
    store.mkdir()
    target = default_project.parent / "cible"
    (store / ".lock").symlink_to(target)
    result = run_cli("version", "-C", str(default_project), "-m", "Première")
    assert result.exit_code == 1
    assert result.output.startswith(f"Erreur : verrou « {store / '.lock'} » impossible à ouvrir")
    assert not target.exists()


def test_recording_refuses_clearly_when_the_lock_stays_held(default_project: Path) -> None:
    store = default_project / "versions"
    store.mkdir()
    fd = os.open(store / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another recording, still writing
        with pytest.raises(VersionError, match="une autre commande « fsdocs version »"):
            record_version(default_project, "Préf", "Bloquée", documents, timeout=0.2)
    finally:
        os.close(fd)
    assert sorted(p.name for p in store.iterdir()) == [".lock"]
    assert record_version(default_project, "Préf", "Libre", documents).numero == 1


def test_a_file_saved_during_a_recording_does_not_split_the_version(
    default_project: Path,
) -> None:
    """The version records the very bytes its documents were made of: a structure file saved
    while the documents render is neither stored nor shown, in this version."""
    salbris = default_project / SALBRIS
    original = salbris.read_bytes()
    assert b"08:30" in original

    def render_while_someone_saves(project: object) -> object:
        salbris.write_bytes(original.replace(b"08:30", b"07:15"))
        return documents(project)  # type: ignore[arg-type]

    recorded = record_version(default_project, "Préf", "Première", render_while_someone_saves)
    data = manifest(default_project, recorded.numero)["donnees"]
    assert isinstance(data, dict)
    blob = default_project / "versions" / data[SALBRIS]["fichier"]
    assert blob.read_bytes() == original
    text = (default_project / "versions" / "0001" / "texte" / "annexe-4-salbris.txt").read_text()
    assert "8\u00a0h\u00a030" in text
    assert "7\u00a0h\u00a015" not in text


@pytest.mark.parametrize("plant", ["fifo-blob", "linked-data-folder"])
def test_a_planted_blob_or_data_folder_is_refused_not_followed(
    default_project: Path, plant: str
) -> None:
    """The data store's own entries are hostile too: a named pipe where a blob will go does
    not hang the recording, a link in place of donnees/ does not carry blobs out."""
    assert run_cli("version", "-C", str(default_project), "-m", "Première").exit_code == 0
    store = default_project / "versions"
    salbris = default_project / SALBRIS
    changed = salbris.read_bytes().replace(b"08:30", b"08:45")
    elsewhere = default_project.parent / "ailleurs"
    if plant == "fifo-blob":
        os.mkfifo(store / "donnees" / f"{hashlib.sha256(changed).hexdigest()}.yaml")
        expected = "ce n’est pas un fichier ordinaire"
    else:
        shutil.copytree(store / "donnees", elsewhere)
        for path in (store / "donnees").iterdir():
            path.chmod(0o644)
        shutil.rmtree(store / "donnees")
        (store / "donnees").symlink_to(elsewhere)
        expected = "versions/donnees/ n’est pas un dossier du registre"
    before = tree_hashes(elsewhere) if elsewhere.exists() else {}
    salbris.write_bytes(changed)
    result = run_cli("version", "-C", str(default_project), "-m", "Deuxième")
    assert result.exit_code == 1
    assert expected in result.output
    assert not (store / "0002").exists()
    assert (tree_hashes(elsewhere) if elsewhere.exists() else {}) == before
