"""Every command of the README, typed as a user types it: from the project's folder, with
relative paths, through the installed ``fsdocs`` program. No traceback, ever."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fsdocs.importing.anct import liste_par_defaut
from tests.conftest import REPO, SOURCE_DATE_EPOCH, copy_default_project


def fsdocs(cwd: Path, *args: str, code: int = 0, given: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fsdocs", *args],
        cwd=cwd,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        capture_output=True,
        text=True,
        timeout=300,
        input=given,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == code, (args, output)
    return output


def lines(output: str) -> list[str]:
    return output.splitlines()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The default project as it is in the checkout: with its own templates/ folder."""
    root = copy_default_project(tmp_path / "projet")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def test_a_project_s_life_from_its_folder(project: Path) -> None:
    assert "Projet valide : 0 erreur, " in fsdocs(project, "controler")
    built = fsdocs(project, "produire")
    assert any(line.startswith("écrit : output/convention.pdf (") for line in lines(built))
    one = fsdocs(project, "produire", "--annexe", "4", "--structure", "salbris")
    assert [line.split(" (")[0] for line in lines(one) if line.startswith("écrit")] == [
        f"écrit : output/structures/annexe-4-salbris.{ext}" for ext in ("pdf", "docx", "html")
    ]
    bundled = fsdocs(project, "dossier")
    assert re.search(
        r"^écrit : output/dossier-signature\.pdf \(30 pages, \d+ Ko, 13 champs", bundled, re.M
    )

    recorded = fsdocs(project, "version", "-m", "Première version", "--auteur", "Préfecture")
    assert recorded.startswith("version 1 enregistrée dans versions/0001 (10 documents")
    assert re.search(
        r"^1  \S+.*  Préfecture  Première version$", fsdocs(project, "historique"), re.M
    )
    assert "Registre intact : 1 version(s)" in fsdocs(project, "verifier")

    salbris = project / "annexes" / "structures" / "salbris.yaml"
    salbris.write_text(salbris.read_text("utf-8").replace("08:30-12:30", "08:45-12:30", 1), "utf-8")
    changed = fsdocs(project, "comparer")
    assert "Modifications de la version 1 à l’état actuel" in changed or "version 1" in changed
    assert re.search(r"Salbris · horaires du \w+ : 08:30–12:30.* → 08:45–12:30", changed), changed
    assert "écrit : output/modifications-v1-actuel.pdf" in lines(changed)
    scoped = fsdocs(
        project,
        "comparer",
        "--depuis",
        "1",
        "--vers",
        "actuel",
        "--annexe",
        "4",
        "--structure",
        "salbris",
    )
    assert "1 document(s) modifié(s)" in scoped
    revised = fsdocs(project, "dossier", "--depuis", "1")
    assert re.search(r"^écrit : output/dossier-signature\.pdf \(3\d pages", revised, re.M)

    schemas = fsdocs(project, "schemas")
    assert any(
        line.startswith("écrit : ") and line.endswith(".schema.json") for line in lines(schemas)
    )
    # The names of the first versions still work, from the same folder.
    assert "écrit : output/annexe-6.pdf" in fsdocs(project, "build", "--annexe", "6")


def test_a_new_departement_from_the_national_list(tmp_path: Path) -> None:
    created = fsdocs(tmp_path, "creer", "belfort", "--departement", "90", "--date", "2024-09-01")
    assert created.rstrip().endswith(
        "Complétez les champs « ~ », puis : fsdocs controler --projet belfort"
    )
    project = tmp_path / "belfort"
    imported = fsdocs(project, "importer", "--departement", "90")
    assert "Bilan : 4 structures ajoutées" in imported
    report = fsdocs(project, "controler", "--format", "json")
    assert '"valide": true' in report
    assert "écrit : output/annexe-4.pdf" in fsdocs(project, "produire", "--formats", "pdf")

    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with (tmp_path / "liste.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(
            [rows[0], *(row for row in rows[1:] if row[1] == "90")]
        )
    checked = fsdocs(tmp_path, "national", "pays", "--liste", "liste.csv", "--verifier")
    assert re.search(r"Bilan : 1 projets vérifiés en [\d,]+ s : 0 erreur\(s\)", checked)


def fsdocs_running(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "fsdocs", *args],
        cwd=cwd,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_web_application_with_its_first_account(project: Path) -> None:
    """The README's third block: a first préfecture account, then the server, which answers
    its health check and the sign-in page in French, and stops on Ctrl-C."""
    made = fsdocs(
        project,
        "comptes",
        "ajouter",
        "prefecture",
        "--role",
        "prefecture",
        "--nom",
        "Préfecture de Loir-et-Cher",
        given="un mot de passe solide\n",
    )
    assert "compte « prefecture » créé (préfecture)" in made
    assert "prefecture  Préfecture de Loir-et-Cher  préfecture" in fsdocs(
        project, "comptes", "lister"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    server = fsdocs_running(project, "servir", "--port", port)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=5) as answer:
                    assert json.load(answer)["etat"] == "pret"
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion", timeout=5) as answer:
            page = answer.read().decode("utf-8")
        assert '<html lang="fr">' in page and '<label for="mot_de_passe">' in page
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert f"fsdocs sert {project} sur http://127.0.0.1:{port}/" in output
    assert output.rstrip().endswith("Serveur arrêté.") and "Traceback" not in output
    assert "compte « prefecture » supprimé" in fsdocs(project, "comptes", "supprimer", "prefecture")


def test_every_readme_command_is_typed_in_this_file() -> None:
    """The README's table of commands, each one typed by a test above."""
    readme = (REPO / "README.md").read_text("utf-8")
    table = re.findall(r"^\| `fsdocs ([a-z]+)[^`]*`(?: / `fsdocs ([a-z]+))?", readme, re.M)
    commands = {name for row in table for name in row if name}
    assert len(commands) == 13, commands
    typed = set(
        re.findall(
            r"fsdocs(?:_running)?\(\s*\w+,\s*\"([a-z]+)\"", Path(__file__).read_text("utf-8")
        )
    )
    assert commands <= typed, commands - typed
