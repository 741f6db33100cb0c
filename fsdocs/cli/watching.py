"""``fsdocs produire --surveiller``: one French line per rebuild, errors as ``produire`` shows
them, Ctrl-C to stop (« Surveillance arrêtée. », code 0)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import click

from fsdocs.cli.app import relative, report, summary
from fsdocs.errors import ProjectError
from fsdocs.pdf.conformance import Archival
from fsdocs.production.warm import WarmBuild
from fsdocs.production.watch import Event, watch

_NBSP = "\u00a0"  # French typography: before « : » and a unit
_SHOWN = 6  # files named on a line; the others are counted


def watch_project(
    root: Path,
    formats: Sequence[str],
    archival: Archival,
    jobs: int | None,
    stop_after: int | None,
    with_bundle: bool = False,
) -> None:
    build = WarmBuild(root, formats, archival, jobs)
    click.echo(f"Surveillance de {relative(root, Path.cwd()) or '.'}{_NBSP}: Ctrl-C pour arrêter.")
    try:
        for event in watch(build, stop_after):
            _show(event, build.out)
            if with_bundle and event.report is not None and event.report.written:
                _bundle(root, build.out)
    except KeyboardInterrupt:
        pass
    click.echo("Surveillance arrêtée.")


def _show(event: Event, out: Path) -> None:
    clock = time.strftime("%H:%M:%S")
    cause = ", ".join(event.changed) if event.changed else "démarrage"
    if event.error is not None:
        click.echo(f"{clock}  {cause} → rien refait{_NBSP}:", err=True)
        if isinstance(event.error, ProjectError):
            report(event.error.problems, stream_err=True)
            click.echo(f"Échec{_NBSP}: {summary(event.error.problems)}.", err=True)
        else:
            click.echo(f"Erreur{_NBSP}: {event.error}", err=True)
        return
    result = event.report
    assert result is not None
    names = [relative(path, out) for path in result.written]
    if not names:
        done = "aucun document changé"
    elif len(names) > _SHOWN:
        done = f"{', '.join(names[:_SHOWN])} et {len(names) - _SHOWN} autres"
    else:
        done = ", ".join(names)
    timing = _seconds(result.seconds)
    if result.first_seconds is not None and len(names) > 1:
        timing = f"{names[0]} en {_seconds(result.first_seconds)}, tout en {timing}"
    click.echo(f"{clock}  {cause} → {done} ({timing})")


def _bundle(root: Path, out: Path) -> None:
    """The dossier after a rebuild that changed documents: the dossier to sign when every
    fact is filled in, its draft otherwise (as ``fsdocs national`` does); a failure (a signed
    dossier is never replaced) is said, and the watching goes on."""
    from fsdocs.bundle.assemble import bundle
    from fsdocs.errors import FsdocsError
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.completeness import checked, missing

    start = time.perf_counter()
    try:
        draft = bool(missing(checked(load_project(root))))
        made = bundle(root, brouillon=draft)
    except FsdocsError as exc:
        click.echo(f"{time.strftime('%H:%M:%S')}  dossier non refait{_NBSP}: {exc}", err=True)
        return
    seconds = _seconds(time.perf_counter() - start)
    click.echo(f"{time.strftime('%H:%M:%S')}  → {relative(made.path, out)} ({seconds})")


def _seconds(value: float) -> str:
    return f"{value:.2f} s".replace(".", ",").replace(" s", f"{_NBSP}s")
