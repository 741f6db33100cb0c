"""``fsdocs comptes``: accounts of the web application, made, listed and removed from the
command line, with the password read from standard input (as a script gives it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fsdocs.web.database import DATABASE, MIGRATIONS, connect
from tests.conftest import run_cli

PASSWORD = "un-mot-de-passe-long"


def _add(root: Path, *args: str, password: str = PASSWORD) -> tuple[int, str]:
    from click.testing import CliRunner

    from fsdocs.cli.main import cli

    result = CliRunner().invoke(
        cli, ["comptes", "ajouter", "-C", str(root), *args], input=password + "\n"
    )
    return result.exit_code, result.output


def test_accounts_are_added_listed_and_removed(default_project: Path) -> None:
    root = str(default_project)
    code, out = _add(
        default_project,
        "jdupont",
        "--role",
        "gestionnaire",
        "--structure",
        "blois",
        "--nom",
        "Jeanne Dupont",
    )
    assert code == 0, out
    assert "compte « jdupont » créé (gestionnaire de structure, structures : blois)" in out
    assert _add(default_project, "prefecture", "--role", "prefecture")[0] == 0
    listed = run_cli("comptes", "lister", "-C", root)
    assert listed.exit_code == 0
    assert "jdupont  Jeanne Dupont  gestionnaire de structure  blois" in listed.output
    assert "prefecture  prefecture  préfecture" in listed.output
    with sqlite3.connect(default_project / DATABASE) as db:
        (stored,) = db.execute("SELECT empreinte FROM comptes WHERE identifiant = 'jdupont'")
    assert stored[0].startswith("$argon2id$") and PASSWORD not in stored[0]
    assert (default_project / DATABASE).stat().st_mode & 0o077 == 0  # the server's alone
    removed = run_cli("comptes", "supprimer", "-C", root, "jdupont")
    assert removed.exit_code == 0 and "compte « jdupont » supprimé" in removed.output
    assert "jdupont" not in run_cli("comptes", "lister", "-C", root).output
    again = run_cli("comptes", "supprimer", "-C", root, "jdupont")
    assert again.exit_code == 1 and "aucun compte « jdupont »" in again.stderr


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["Jean Dupont", "--role", "relecteur"], PASSWORD, "identifiant « Jean Dupont »"),
        (["jd", "--role", "gestionnaire"], PASSWORD, "au moins une --structure"),
        (
            ["jd", "--role", "gestionnaire", "--structure", "paris"],
            PASSWORD,
            "structure « paris » inconnue : aucun fichier annexes/structures/paris.yaml",
        ),
        (
            ["jd", "--role", "gestionnaire", "--structure", "../convention"],
            PASSWORD,
            "structure « ../convention » inconnue",
        ),
        (
            ["jd", "--role", "relecteur", "--structure", "blois"],
            PASSWORD,
            "--structure ne vaut que pour un gestionnaire",
        ),
        (["jd", "--role", "relecteur"], "court", "mot de passe trop court : au moins 12"),
    ],
)
def test_a_bad_account_is_refused_in_french(
    default_project: Path, args: list[str], password: str, message: str
) -> None:
    code, out = _add(default_project, *args, password=password)
    assert code == 1
    assert message in out
    assert "Traceback" not in out
    db = connect(default_project)
    assert db.execute("SELECT COUNT(*) FROM comptes").fetchone()[0] == 0
    db.close()


def test_an_identifier_is_taken_once(default_project: Path) -> None:
    assert _add(default_project, "jd", "--role", "relecteur")[0] == 0
    code, out = _add(default_project, "jd", "--role", "prefecture")
    assert code == 1 and "le compte « jd » existe déjà" in out


def test_the_database_is_migrated_forward_and_refused_when_newer(tmp_path: Path) -> None:
    root = tmp_path / "projet"
    (root / ".fsdocs").mkdir(parents=True)
    with sqlite3.connect(root / DATABASE) as db:  # a database of the first schema
        for statement in MIGRATIONS[0].split(";"):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
    db = connect(root)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("SELECT COUNT(*) FROM propositions").fetchone()[0] == 0
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    from fsdocs.web.database import DatabaseError

    with pytest.raises(DatabaseError, match="version plus récente de fsdocs"):
        connect(root)
