"""Files a project reads are hostile until read through the guard: a link leaving the project,
a named pipe, a device, a PDF path into what fsdocs writes, a stray file, an alias bomb in a
stored version, a huge font — each ends in a French, located refusal (or is simply not read),
nothing hangs, and nothing outside the project changes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_default_project, run_cli
from tests.versions.test_chain import move_head, rewrite, tree

FAILED_1 = "Échec : 1 erreur, "


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": avertissement : " not in line]


def point_annex_at(root: Path, index: int, fichier: str) -> None:
    """Give annex ``index`` (0-based) of convention.yaml the line ``fichier: …``."""
    path = root / "convention.yaml"
    lines = path.read_text("utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    lines.insert(starts[index] + 1, f"    fichier: {fichier}")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def fsdocs(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: a read that blocks would show as a timeout."""
    return subprocess.run(
        [sys.executable, "-m", "fsdocs", *args, "--projet", str(root)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1580990400"},
    )


@pytest.mark.parametrize(
    ("index", "fichier", "expected"),
    [
        (
            3,
            "/etc/passwd",
            "convention.yaml:{line}: annexes[3].fichier: fichier « /etc/passwd » de l’annexe 4 "
            "refusé : « fichier: » ne sert qu’aux annexes nationales (charte, bouquet, "
            "accord-cadre) ; l’annexe « modalites » est produite par fsdocs à partir des données "
            "du projet : retirez la ligne « fichier: »",
        ),
        (
            0,
            "/etc/passwd",
            "convention.yaml:{line}: annexes[0].fichier: fichier « /etc/passwd » de l’annexe 1 "
            "mène hors du projet (chemin absolu, « .. » ou lien symbolique) : copiez le PDF dans "
            "le dossier du projet et indiquez son chemin relatif",
        ),
        (
            0,
            "/dev/zero",
            "convention.yaml:{line}: annexes[0].fichier: fichier « /dev/zero » de l’annexe 1 "
            "mène hors du projet (chemin absolu, « .. » ou lien symbolique) : copiez le PDF dans "
            "le dossier du projet et indiquez son chemin relatif",
        ),
        (
            0,
            "output/dossier-signature.pdf",
            "convention.yaml:{line}: annexes[0].fichier: fichier « output/dossier-signature.pdf » "
            "de l’annexe 1 est dans output/, où fsdocs écrit : un document produit ne peut pas "
            "être une annexe (le dossier s’inclurait lui-même) ; placez le PDF national ailleurs "
            "dans le projet, par exemple dans annexes/",
        ),
        (
            1,
            "versions/donnees/x.pdf",
            "convention.yaml:{line}: annexes[1].fichier: fichier « versions/donnees/x.pdf » de "
            "l’annexe 2 est dans versions/, où fsdocs écrit : un document produit ne peut pas être "
            "une annexe (le dossier s’inclurait lui-même) ; placez le PDF national ailleurs dans "
            "le projet, par exemple dans annexes/",
        ),
        (
            0,
            "annexes/tube.pdf",
            "convention.yaml:{line}: annexes[0].fichier: fichier « annexes/tube.pdf » de l’annexe "
            "1 : ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : remplacez-le "
            "par un vrai fichier",
        ),
    ],
    ids=["annex-4-etc-passwd", "annex-1-etc-passwd", "device", "itself", "store", "pipe"],
)
def test_an_annex_pdf_path_is_judged_before_anything_is_read(
    default_project: Path, index: int, fichier: str, expected: str
) -> None:
    root = default_project
    os.mkfifo(root / "annexes" / "tube.pdf")
    (root / "output").mkdir()
    (root / "output" / "dossier-signature.pdf").write_bytes(b"%PDF-1.7\n")
    point_annex_at(root, index, fichier)
    line = next(
        n
        for n, text in enumerate((root / "convention.yaml").read_text("utf-8").splitlines(), 1)
        if text == f"    fichier: {fichier}"
    )
    for command in ("check", "bundle"):
        result = fsdocs(root, command, timeout=60)
        assert result.returncode == 1
        assert errors(result.stderr)[0] == expected.format(line=line), command
        assert "Traceback" not in result.stderr
    assert not (root / "versions").exists()


def test_a_link_to_a_system_file_is_not_copied_into_the_store(
    default_project: Path, tmp_path: Path
) -> None:
    root = default_project
    temoins = root / "signatories" / "temoins.yaml"
    temoins.unlink()
    temoins.symlink_to("/etc/passwd")
    before = {k: v for k, v in tree(tmp_path).items() if not k.startswith("projet/")}
    result = fsdocs(root, "version", "-m", "Première")
    assert result.returncode == 1
    assert errors(result.stderr) == [
        "signatories/temoins.yaml: mène hors du projet (chemin ou lien symbolique) : refusé ; "
        "copiez le fichier dans le dossier du projet",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert not (root / "versions" / "0001").exists()
    assert {k: v for k, v in tree(tmp_path).items() if not k.startswith("projet/")} == before


def test_a_named_pipe_does_not_hang_a_recording(default_project: Path) -> None:
    root = default_project
    mandat = root / "annexes" / "mandat.yaml"
    mandat.unlink()
    os.mkfifo(mandat)
    result = fsdocs(root, "version", "-m", "Première", timeout=60)
    assert result.returncode == 1
    assert errors(result.stderr) == [
        "annexes/mandat.yaml: ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : "
        "remplacez-le par un vrai fichier",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert not (root / "versions" / "0001").exists()


def test_files_outside_the_model_are_never_read(default_project: Path) -> None:
    """The files a project has come from the model, not from a search of its folder: a stray
    pipe or a link to a system file beside them is not even opened."""
    root = default_project
    model = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    os.mkfifo(root / "notes.yaml")
    (root / "annexes" / "copie.yaml").symlink_to("/etc/passwd")
    (root / "signatories" / "brouillon.yaml").write_text("nom: essai\n", "utf-8")
    result = fsdocs(root, "version", "-m", "Première", timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "versions" / "0001" / "manifest.json").read_text("utf-8"))
    assert sorted(manifest["donnees"]) == model
    assert len(model) == 13 and "signatories/brouillon.yaml" not in model
    for blob in (root / "versions" / "donnees").iterdir():
        assert b"root:x:0:0" not in blob.read_bytes()


def test_an_alias_bomb_in_a_stored_version_is_refused_without_exhausting_memory(
    tmp_path: Path,
) -> None:
    """A version rewritten consistently (blob, manifest, hash and head) with an alias bomb for
    data: the comparison reads it with the project's loader, which stops at the aliases."""
    root = copy_default_project(tmp_path / "projet")
    assert run_cli("version", "-C", str(root), "-m", "Première").exit_code == 0
    bomb = b"a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]\n".encode() for i in range(1, 30)
    )
    digest = hashlib.sha256(bomb).hexdigest()
    (root / "versions" / "donnees" / f"{digest}.yaml").write_bytes(bomb)

    def plant(data: dict[str, object]) -> None:
        donnees = data["donnees"]
        assert isinstance(donnees, dict)
        donnees["signatories/temoins.yaml"] = {
            "fichier": f"donnees/{digest}.yaml",
            "sha256": digest,
        }

    move_head(root, 1, rewrite(root, 1, plant))
    result = fsdocs(root, "diff", "--depuis", "1", timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Erreur : version 1 : ses données ne se chargent plus avec cette version de fsdocs "
        "(signatories/temoins.yaml:"
    )
    assert "plus de 20 alias « * » : lecture arrêtée" in result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            200 * 1024 * 1024,
            "Erreur : ressource des modèles refusée : Inter-Regular.otf : fichier trop "
            "volumineux : 200,0 Mo, la limite est 16 Mo ; une police fait moins de 2 Mo : "
            "vérifiez qu’il s’agit du bon fichier",
        ),
    ],
    ids=["huge"],
)
def test_a_hostile_font_in_the_project_templates_is_refused(
    default_project: Path, size: int, expected: str
) -> None:
    """A project's own ``Inter-Regular.otf`` replaces fsdocs' one: too big, it is not read —
    a French refusal, without a traceback, nothing written."""
    fonts = default_project / "templates" / "assets" / "fonts"
    fonts.mkdir(parents=True)
    with (fonts / "Inter-Regular.otf").open("wb") as handle:
        handle.truncate(size)  # sparse: no time to write
    result = fsdocs(default_project, "build", "--annexe", "4", timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith(expected), result.stderr[-600:]
    assert "Traceback" not in result.stderr
    assert not list((default_project / "output").glob("**/*.pdf"))
