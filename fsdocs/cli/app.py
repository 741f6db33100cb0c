"""What every command shares: the French group, the error decorator, the common options and
the way results are reported. Commands themselves live in documents.py, versions.py and
projects.py; main.py puts them together.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from fsdocs.cli import french
from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity

french.install()

INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)

F = TypeVar("F", bound=Callable[..., Any])


class FrenchGroup(click.Group):
    """The ``fsdocs`` group: French names, the English ones of the first versions kept as
    hidden aliases (scripts keep working, help lists only the French), and Ctrl-C answered
    with « Interrompu. » and code 130."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aliases: dict[str, str] = {}

    def add_alias(self, alias: str, name: str) -> None:
        self.aliases[alias] = name

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order of a project's life, not alphabetical

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else name), command, rest  # usage shows French

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    # Click's own main(), with Ctrl-C and usage errors reported here, in French.
    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.Abort:  # Click's name for KeyboardInterrupt and EOF on input
            click.echo("Interrompu.", err=True)
            sys.exit(INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def fsdocs_command(name: str) -> Callable[[F], click.Command]:
    """A command named ``name`` whose :class:`FsdocsError` becomes its French message and
    exit code: the one place where the library's errors meet the user."""

    def make(function: F) -> click.Command:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except FsdocsError as exc:
                fail(exc)

        return click.command(name)(VERBOSE_OPTION(run))

    return make


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:  # after the command: adds to what the group set, never takes it back
        configure_logging(True)


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(format="%(levelname)s %(name)s : %(message)s")
    logging.getLogger().setLevel(logging.INFO if verbose else logging.WARNING)
    # WeasyPrint reports every CSS property it ignores; only its errors concern our users.
    logging.getLogger("weasyprint").setLevel(logging.INFO if verbose else logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


# Accepted before the command (fsdocs -v produire) and after it (fsdocs produire -v).
VERBOSE_OPTION = click.option(
    "-v",
    "--verbeux",
    is_flag=True,
    expose_value=False,
    callback=_verbose,
    help="Affiche aussi les informations.",
)


class WholeNumber(click.types.IntParamType):
    name = "nombre entier"  # also the metavar: NOMBRE ENTIER


class WholeNumberRange(click.types.IntRange):
    name = "nombre entier"


PROJECT_OPTION = click.option(
    "-C",
    "--projet",
    "root",
    # Absolute from here on: paths of the project become file URIs for WeasyPrint.
    type=click.Path(file_okay=False, path_type=Path, resolve_path=True),
    default=Path(),
    show_default=True,
    help="Dossier du projet (celui qui contient convention.yaml).",
)

JOBS_OPTION = click.option(
    "-j",
    "--processus",
    "jobs",
    type=WholeNumberRange(1, 64),
    default=None,
    help="Nombre de processus de mise en page (par défaut : tous les cœurs).",
)

ANNEX_OPTION = click.option(
    "--annexe", type=WholeNumber(), default=None, help="Une annexe seule (numéro)."
)


def report(problems: Sequence[Problem], stream_err: bool = False) -> None:
    for problem in problems:
        click.echo(str(problem), err=stream_err)


def grouped(
    problems: Sequence[Problem], stream_err: bool = False, only_to_fill: bool = False
) -> None:
    """The warnings by kind, with counts, then each kind's located lines (errors first)."""
    from fsdocs.rules.groups import groups, report_lines

    report([p for p in problems if p.severity is Severity.ERROR], stream_err)
    found = [g for g in groups(problems) if g.a_completer or not only_to_fill]
    for line in report_lines(found):
        click.echo(line, err=stream_err)


def summary(problems: Sequence[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return (
        f"{errors} erreur{'s' if errors > 1 else ''}, "
        f"{warnings} avertissement{'s' if warnings > 1 else ''}"
    )


def fail(exc: FsdocsError) -> NoReturn:
    if isinstance(exc, ProjectError):
        report(exc.problems, stream_err=True)
        click.echo(f"Échec : {summary(exc.problems)}.", err=True)
    else:
        click.echo(f"Erreur : {exc}", err=True)
    sys.exit(exc.exit_code)


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


def seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")
