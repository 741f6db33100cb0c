"""The tamper-evident store: each way of altering recorded versions — an edit, a re-hash, a swap,
a deletion, a renumbering, paths that lead out — is named by ``fsdocs verifier`` and refused by
every command that reads versions, and nothing is ever written outside the project."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsdocs.cli import cli
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli

SALBRIS = "annexes/structures/salbris.yaml"
REFUSED = "Erreur : registre des versions altéré : "
ADVICE = (
    " ; aucune version n’est lue tant qu’il ne l’est pas : lancez « fsdocs verifier » pour la "
    "liste complète, et restaurez versions/ depuis une sauvegarde\n"
)
# Every command that reads versions, with what it is asked.
READERS = {
    "historique": ("history",),
    "comparer": ("diff",),
    "comparer --depuis 1": ("diff", "--depuis", "1", "--vers", "2"),
    "dossier": ("bundle",),
    "version": ("version", "-m", "Encore"),
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A default project with two versions (Salbris's hours change in between)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("chaine") / "projet")
    assert run_cli("version", "-C", str(root), "-m", "Première").exit_code == 0
    salbris = root / SALBRIS
    salbris.write_text(salbris.read_text("utf-8").replace("08:30", "08:45"), "utf-8")
    assert run_cli("version", "-C", str(root), "-m", "Horaires").exit_code == 0
    yield root
    mp.undo()


@pytest.fixture
def copy(recorded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "projet"
    shutil.copytree(recorded, target)
    return target


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def manifest_path(root: Path, number: int) -> Path:
    return root / "versions" / f"{number:04d}" / "manifest.json"


def rewrite(root: Path, number: int, change: Callable[[dict[str, object]], None]) -> str:
    """Edit version ``number``'s manifest and re-hash it, as a careful forger would; the new
    manifest's hash."""
    path = manifest_path(root, number)
    data = json.loads(path.read_text("utf-8"))
    change(data)
    text = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    digest = hashlib.sha256(text).hexdigest()
    for name, content in (
        ("manifest.json", text),
        ("manifest.sha256", f"{digest}  manifest.json\n".encode()),
    ):
        (path.parent / name).chmod(0o644)
        (path.parent / name).write_bytes(content)
    return digest


def move_head(root: Path, number: int, digest: str) -> None:
    """Point the head at ``digest``, as a forger who knows the format would."""
    head = root / "versions" / "tete.json"
    head.chmod(0o644)
    head.write_text(json.dumps({"numero": number, "manifest_sha256": digest}) + "\n")


def assert_refused_everywhere(root: Path, first: str, outside: Path) -> None:
    """Every reader refuses with ``first`` as the first problem; ``verify`` names it; nothing
    outside the project changes, and the store itself is left as it is."""
    before_outside = {k: v for k, v in tree(outside).items() if not k.startswith("projet/")}
    before_store = tree(root / "versions")
    verified = run_cli("verify", "-C", str(root))
    assert verified.exit_code == 1
    assert verified.output.splitlines()[0] == first
    assert verified.output.splitlines()[-1].startswith("Échec : ")
    for name, args in READERS.items():
        result = run_cli(*args, "-C", str(root))
        assert result.exit_code == 1, name
        assert result.output.startswith(REFUSED + first), (name, result.output)
        assert result.output.endswith(ADVICE), name
    assert {k: v for k, v in tree(outside).items() if not k.startswith("projet/")} == (
        before_outside
    )
    assert tree(root / "versions") == before_store


def test_an_intact_store_is_read_by_every_command(copy: Path) -> None:
    assert run_cli("verify", "-C", str(copy)).output.startswith("Registre intact : 2 version(s)")
    history = run_cli("history", "-C", str(copy))
    assert history.exit_code == 0 and "Horaires" in history.output
    head = json.loads((copy / "versions" / "tete.json").read_text())
    digest = hashlib.sha256(manifest_path(copy, 2).read_bytes()).hexdigest()
    assert head == {"manifest_sha256": digest, "numero": 2}


@pytest.mark.parametrize(
    "key",
    ["../../../../pwned.yaml", "/tmp/fsdocs-pwned.yaml", "annexes/../../pwned.yaml"],
)
def test_a_data_path_leading_out_is_refused_even_when_re_hashed(copy: Path, key: str) -> None:
    def escape(data: dict[str, object]) -> None:
        donnees = data["donnees"]
        assert isinstance(donnees, dict)
        donnees[key] = donnees.pop("convention.yaml")

    move_head(copy, 2, rewrite(copy, 2, escape))
    first = (
        f"versions/0002/manifest.json refusé (champ « donnees » : fichier de données « {key} » "
        "refusé : chemin non relatif ou non normalisé) : lancez « fsdocs verifier »"
    )
    assert_refused_everywhere(copy, first, copy.parent)
    assert not Path("/tmp/fsdocs-pwned.yaml").exists()
    assert not (copy.parent.parent / "pwned.yaml").exists()


def test_a_part_name_leading_out_is_refused(copy: Path) -> None:
    def escape(data: dict[str, object]) -> None:
        parties = data["parties"]
        assert isinstance(parties, dict)
        parties["../../dehors"] = parties.pop("convention")

    move_head(copy, 2, rewrite(copy, 2, escape))
    first = (
        "versions/0002/manifest.json refusé (champ « parties » : nom de document « ../../dehors "
        "» refusé) : lancez « fsdocs verifier »"
    )
    assert_refused_everywhere(copy, first, copy.parent)


def test_a_manifest_edited_without_re_hashing_is_refused(copy: Path) -> None:
    path = manifest_path(copy, 1)
    path.chmod(0o644)
    path.write_text(path.read_text("utf-8").replace("Première", "Signée le 1er mars"), "utf-8")
    found = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = (path.parent / "manifest.sha256").read_text().split()[0]
    first = (
        f"versions/0001/manifest.json : modifié (SHA-256 attendu dans manifest.sha256 : "
        f"{expected[:12]}…, trouvé {found[:12]}…)"
    )
    assert_refused_everywhere(copy, first, copy.parent)


@pytest.mark.parametrize(
    ("number", "first"),
    [
        (
            1,
            "versions/0001/manifest.json : ne correspond plus à celui que la version 2 a "
            "enregistré (version 1 modifiée ou remplacée)",
        ),
        (
            2,
            "versions/0002/manifest.json : ne correspond plus à celui que versions/tete.json a "
            "enregistré (version 2 modifiée ou remplacée)",
        ),
    ],
    ids=["older-breaks-the-chain", "last-no-longer-matches-the-head"],
)
def test_a_manifest_edited_and_re_hashed_is_refused(copy: Path, number: int, first: str) -> None:
    rewrite(copy, number, lambda data: data.update(message="Signée le 1er mars"))
    assert_refused_everywhere(copy, first, copy.parent)


def test_two_versions_swapped_are_refused(copy: Path) -> None:
    store = copy / "versions"
    (store / "0001").rename(store / "echange")
    (store / "0002").rename(store / "0001")
    (store / "echange").rename(store / "0002")
    first = (
        "versions/0001/manifest.json : enregistré comme version 2, rangé comme version 1 "
        "(versions échangées ou renumérotées)"
    )
    assert_refused_everywhere(copy, first, copy.parent)


def test_a_renumbered_version_is_refused(copy: Path) -> None:
    store = copy / "versions"
    (store / "0002").rename(store / "0003")
    first = "versions/0003 : numéro inattendu, la version 2 manque (supprimée ou renumérotée)"
    assert_refused_everywhere(copy, first, copy.parent)


def test_the_last_version_deleted_is_refused(copy: Path) -> None:
    store = copy / "versions"
    for path in (store / "0002").rglob("*"):
        path.chmod(0o644)
    shutil.rmtree(store / "0002")
    first = (
        "versions/tete.json : la dernière version enregistrée est la 2, le registre s’arrête à "
        "la 1 (version supprimée ou ajoutée hors de fsdocs)"
    )
    assert_refused_everywhere(copy, first, copy.parent)


@pytest.mark.parametrize(
    ("damage", "first"),
    [
        ("delete", "versions/0001/manifest.sha256 : fichier absent"),
        ("empty", "versions/0001/manifest.sha256 : vide ou mal formé"),
    ],
)
def test_a_deleted_or_emptied_hash_file_is_refused(copy: Path, damage: str, first: str) -> None:
    path = copy / "versions" / "0001" / "manifest.sha256"
    path.chmod(0o644)
    if damage == "delete":
        path.unlink()
    else:
        path.write_bytes(b"")
    assert_refused_everywhere(copy, first, copy.parent)


def test_a_deleted_head_is_refused(copy: Path) -> None:
    (copy / "versions" / "tete.json").unlink()
    first = "versions/tete.json : absent alors que 2 version(s) sont enregistrées"
    assert_refused_everywhere(copy, first, copy.parent)


def test_a_manifest_replaced_by_a_link_is_refused(copy: Path, tmp_path: Path) -> None:
    path = manifest_path(copy, 1)
    outside = tmp_path / "manifest.json"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    first = "versions/0001/manifest.json : illisible ou lien symbolique"
    assert_refused_everywhere(copy, first, copy.parent)


def test_verify_on_a_folder_that_is_not_a_project_fails(tmp_path: Path) -> None:
    for where in (tmp_path / "absent", tmp_path):
        result = run_cli("verify", "-C", str(where))
        assert result.exit_code == 1
        assert "aucun projet fsdocs dans" in result.output
        assert "Registre intact" not in result.output


def test_a_recording_stopped_between_its_two_renames_is_completed_by_the_next(
    copy: Path,
) -> None:
    """The new head waits aside; the next recording finds its version arrived and puts it in
    place (here: version 2 arrived, the head still names version 1)."""
    store = copy / "versions"
    head = store / "tete.json"
    (store / ".tete-nouvelle.json").write_bytes(head.read_bytes())
    digest = hashlib.sha256(manifest_path(copy, 1).read_bytes()).hexdigest()
    move_head(copy, 1, digest)
    assert run_cli("verify", "-C", str(copy)).exit_code == 1
    salbris = copy / SALBRIS
    salbris.write_text(salbris.read_text("utf-8").replace("08:45", "09:00"), "utf-8")
    result = run_cli("version", "-C", str(copy), "-m", "Troisième")
    assert result.exit_code == 0, result.output
    assert run_cli("verify", "-C", str(copy)).output.startswith("Registre intact : 3 version(s)")


def test_a_sealed_store_refuses_a_consistent_rewrite(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the key kept outside the project, even a rewrite of manifest, hash and head is
    found: the forger cannot compute the seal."""
    key = tmp_path / "cle"
    key.write_text("une clé de test assez longue pour sceller\n")
    monkeypatch.setenv("FSDOCS_CLE_REGISTRE", str(key))
    unsealed = run_cli("verify", "-C", str(copy))
    assert unsealed.exit_code == 1
    assert unsealed.output.splitlines()[0] == (
        "versions/tete.json : non scellé alors qu’une clé est configurée (FSDOCS_CLE_REGISTRE) ; "
        "si le registre est sûr, « fsdocs verifier --sceller » le scelle"
    )
    sealed = run_cli("verify", "-C", str(copy), "--sceller")
    assert sealed.output == "Registre intact et scellé : 2 version(s).\n"
    assert run_cli("verify", "-C", str(copy)).exit_code == 0
    move_head(copy, 2, rewrite(copy, 2, lambda data: data.update(auteur="Faussaire")))
    head = json.loads((copy / "versions" / "tete.json").read_text())
    assert "sceau" not in head  # the forger's head: unsealed
    first = (
        "versions/tete.json : non scellé alors qu’une clé est configurée (FSDOCS_CLE_REGISTRE) ; "
        "si le registre est sûr, « fsdocs verifier --sceller » le scelle"
    )
    assert_refused_everywhere(copy, first, copy.parent)
    head["sceau"] = "0" * 64
    (copy / "versions" / "tete.json").write_text(json.dumps(head))
    result = run_cli("history", "-C", str(copy))
    assert result.output.startswith(
        REFUSED + "versions/tete.json : sceau faux (registre réécrit, ou autre clé)"
    )


def test_a_key_inside_the_project_is_refused(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = copy / "cle"
    key.write_text("une clé de test assez longue pour sceller\n")
    monkeypatch.setenv("FSDOCS_CLE_REGISTRE", str(key))
    result = run_cli("history", "-C", str(copy))
    assert result.exit_code == 1
    assert "la clé « " in result.output and "» est dans le projet" in result.output


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.text(max_size=40)
    | st.sampled_from(["../x.yaml", "/etc/passwd", "donnees/../../x", "0" * 64, "pdf/x.pdf"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    return found


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_forged_manifest_is_refused_without_a_traceback(
    recorded: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """A field of version 2's manifest (or a key) replaced by any JSON, manifest re-hashed and
    head moved: every reader either reads a store that is still consistent or refuses in
    French — no traceback, nothing written outside the project."""
    root = tmp_path_factory.mktemp("forge") / "projet"
    shutil.copytree(recorded, root)
    original = json.loads(manifest_path(root, 2).read_text("utf-8"))
    where = data.draw(st.sampled_from(_paths(original)[1:]), label="champ")
    value = data.draw(JSON_VALUES, label="valeur")
    rename = data.draw(st.booleans(), label="renommer la clé")

    def forge(manifest: dict[str, object]) -> None:
        parent: Any = manifest
        for key in where[:-1]:
            parent = parent[key]
        if rename:
            parent[str(value)[:60]] = parent.pop(where[-1])
        else:
            parent[where[-1]] = value

    move_head(root, 2, rewrite(root, 2, forge))
    for args in (("verify",), ("history",), ("diff", "--depuis", "1", "--vers", "2")):
        result = CliRunner().invoke(cli, [*args, "-C", str(root)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.output,
        )
        assert "Traceback" not in result.output
        if args == ("verify",) and result.exit_code == 0:
            # Still consistent: only a change that means nothing passes (a renamed, unused key
            # is refused, a title or message edit is the forger's own text in a sound chain).
            assert result.output.startswith("Registre intact : 2 version(s)")
    assert sorted(p.name for p in root.parent.iterdir()) == ["projet"]


def test_a_forged_text_that_is_not_utf8_is_refused(copy: Path) -> None:
    """A stored text replaced by bytes that are not UTF-8, its hash carried through the
    manifest and the head: the comparison refuses it in French."""
    text = copy / "versions" / "0002" / "texte" / "convention.txt"
    text.chmod(0o644)
    text.write_bytes(b"Convention \xff\xfe\n")
    digest = hashlib.sha256(text.read_bytes()).hexdigest()

    def carry(data: dict[str, object]) -> None:
        parties = data["parties"]
        assert isinstance(parties, dict)
        parties["convention"]["texte"]["sha256"] = digest

    move_head(copy, 2, rewrite(copy, 2, carry))
    result = run_cli("diff", "--depuis", "1", "--vers", "2", "-C", str(copy))
    assert result.exit_code == 1
    assert result.output == (
        "Erreur : versions/0002/texte/convention.txt : texte illisible (pas en UTF-8)\n"
    )
