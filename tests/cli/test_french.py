"""The command line speaks French, Click's own texts included, and keeps the English names of
the first versions as hidden aliases."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fsdocs.cli import cli
from fsdocs.cli.main import COMMANDS

ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message",
    "Show the version",
    "default:",
    "TEXT",
    "INTEGER",
    "DIRECTORY",
    "[ARGS]",
)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="fsdocs")
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_page_is_in_french(command: str) -> None:
    code, output = _run(*([command] if command else []), "--help")
    assert code == 0, output
    assert output.startswith(f"Utilisation : fsdocs {command}".rstrip() + " ")
    assert "Options :" in output
    assert "-h, --help" in output and "Affiche cette aide et s’arrête." in output
    for english in ENGLISH:
        assert not re.search(rf"(?<!\w){re.escape(english)}(?!\w)", output), (english, output)


def test_the_group_lists_french_names_only_in_a_project_s_order() -> None:
    _, output = _run("--help")
    listed = [line.split()[0] for line in output.split("Commandes :\n", 1)[1].splitlines()]
    assert listed == list(COMMANDS)
    for _, alias in COMMANDS.values():
        if alias not in COMMANDS:
            assert f"  {alias} " not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["produire", "--inconnue"], "Erreur : Option inconnue : « --inconnue »."),
        (["version"], "Erreur : Option manquante '-m' / '--message'."),
        (
            ["produire", "-j", "deux"],
            "Erreur : Valeur invalide pour '-j' / '--processus' : « deux » n’est pas un "
            "nombre entier valide.",
        ),
        (
            ["produire", "-j", "0"],
            "Erreur : Valeur invalide pour '-j' / '--processus' : 0 n’est pas dans "
            "l’intervalle 1<=x<=64.",
        ),
        (
            ["controler", "--format", "xml"],
            "Erreur : Valeur invalide pour '--format' : « xml » n’est pas parmi 'texte', 'json'.",
        ),
        (["creer"], "Erreur : Argument manquant 'DOSSIER'."),
        (["produire", "en-trop"], "Erreur : Argument en trop : en-trop"),
        (["produir"], "Erreur : Commande inconnue : « produir ». Vouliez-vous dire 'produire' ?"),
        (["comparer", "--a", "2"], "Erreur : Option inconnue : « --a »."),
        (["comparer", "--de", "1"], "Erreur : Option inconnue : « --de »."),
    ],
)
def test_usage_errors_are_in_french(args: list[str], message: str) -> None:
    code, output = _run(*args)
    assert code == 2
    assert any(line.startswith(message) for line in output.splitlines()), output
    assert "Essayez « fsdocs" in output and "--help » pour l’aide." in output


def test_a_folder_given_for_a_file_is_refused_in_french(tmp_path: Path) -> None:
    afile = tmp_path / "fichier.txt"
    afile.write_text("x")
    code, output = _run("produire", "--projet", str(afile))
    assert code == 2
    assert f"Dossier « {afile} » est un fichier." in output


@pytest.mark.parametrize(("name", "alias"), [(n, a) for n, (_, a) in COMMANDS.items()])
def test_english_names_still_work(name: str, alias: str) -> None:
    code, output = _run(alias, "--help")
    assert code == 0
    assert output.startswith(f"Utilisation : fsdocs {name} ")


@pytest.fixture
def _quiet_again() -> Iterator[None]:
    loggers = [logging.getLogger(), logging.getLogger("weasyprint")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.usefixtures("_quiet_again")
@pytest.mark.parametrize("position", ["before", "after"])
def test_verbose_before_or_after_the_command(position: str, default_project: Path) -> None:
    args = ["-v", "controler"] if position == "before" else ["controler", "-v"]
    logging.getLogger().setLevel(logging.WARNING)
    code, output = _run(*args, "--projet", str(default_project))
    assert code == 0, output
    assert logging.getLogger().level == logging.INFO
    assert logging.getLogger("weasyprint").level == logging.INFO
