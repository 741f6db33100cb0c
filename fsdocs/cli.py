"""The ``fsdocs`` command: parses options, calls one library function, reports in French.

No YAML, Jinja or PDF logic lives here; heavy libraries are imported by the commands that
need them, so ``fsdocs --help`` and ``fsdocs check`` start instantly.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .errors import FsdocsError, Problem, ProjectError, Severity

PROJECT_OPTION = click.option(
    "-C",
    "--projet",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Dossier du projet (celui qui contient convention.yaml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fsdocs", message="fsdocs %(version)s")
@click.option("-v", "--verbeux", "verbose", is_flag=True, help="Affiche aussi les informations.")
def cli(verbose: bool) -> None:
    """Génère la convention départementale France services et ses annexes."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s : %(message)s",
    )
    # WeasyPrint reports every CSS property it ignores; only its errors concern our users.
    logging.getLogger("weasyprint").setLevel(logging.INFO if verbose else logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _report(problems: list[Problem] | tuple[Problem, ...], stream_err: bool = False) -> None:
    for problem in problems:
        click.echo(str(problem), err=stream_err)


def _summary(problems: list[Problem] | tuple[Problem, ...]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return (
        f"{errors} erreur{'s' if errors > 1 else ''}, "
        f"{warnings} avertissement{'s' if warnings > 1 else ''}"
    )


def _fail(exc: FsdocsError) -> None:
    if isinstance(exc, ProjectError):
        _report(exc.problems, stream_err=True)
        click.echo(f"Échec : {_summary(exc.problems)}.", err=True)
    else:
        click.echo(f"Erreur : {exc}", err=True)
    sys.exit(exc.exit_code)


@cli.command()
@PROJECT_OPTION
def check(root: Path) -> None:
    """Vérifie les fichiers YAML du projet et liste tous les problèmes."""
    from .project import load_project

    try:
        project = load_project(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    _report(project.warnings)
    click.echo(f"Projet valide : {_summary(project.warnings)}.")


@cli.command()
@PROJECT_OPTION
def build(root: Path) -> None:
    """Produit la convention en PDF, DOCX et HTML dans output/."""
    from .build import build as run_build

    try:
        result = run_build(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    _report(result.warnings, stream_err=True)
    for path in result.files:
        size = path.stat().st_size / 1024
        click.echo(f"écrit : {_relative(path, root)} ({size:.0f} Ko)")
    if result.warnings:
        click.echo(
            f"{len(result.warnings)} avertissement(s) : lancez « fsdocs check » pour le détail."
        )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


@cli.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--departement", "code", required=True, help="Code INSEE du département (41, 2A, 974…)."
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de référence de la labellisation, AAAA-MM-JJ (par défaut : aujourd’hui).",
)
def init(target: Path, code: str, day: object) -> None:
    """Crée un nouveau projet de convention dans TARGET, prêt à compléter."""
    from datetime import date, datetime

    from .scaffold import init_project

    when = day.date() if isinstance(day, datetime) else date.today()
    try:
        written = init_project(target, code, when)
    except FsdocsError as exc:
        _fail(exc)
        return
    for path in written:
        click.echo(f"créé : {path}")
    click.echo(f"Complétez les champs « ~ », puis : fsdocs check --projet {target}")


@cli.command()
@PROJECT_OPTION
def schema(root: Path) -> None:
    """Écrit les schémas JSON des fichiers YAML dans .schemas/ (complétion dans l’éditeur)."""
    from .schema import write_schemas

    try:
        written = write_schemas(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    for path in written:
        click.echo(f"écrit : {path}")


def main() -> None:
    cli(prog_name="fsdocs")
