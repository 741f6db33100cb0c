"""The ``fsdocs`` command: parses options, calls one library function, reports in French.

No YAML, Jinja or PDF logic lives here; heavy libraries are imported by the commands that
need them, so ``fsdocs --help`` and ``fsdocs check`` start instantly.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity

PROJECT_OPTION = click.option(
    "-C",
    "--projet",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Dossier du projet (celui qui contient convention.yaml).",
)


JOBS_OPTION = click.option(
    "-j",
    "--processus",
    "jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Nombre de processus de mise en page (par défaut : tous les cœurs).",
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["texte", "json"]),
    default="texte",
    show_default=True,
    help="json : les mêmes constats en un document JSON, pour d’autres outils.",
)
@click.option(
    "--strict", is_flag=True, help="Les avertissements comptent comme des erreurs (code 1)."
)
def check(root: Path, fmt: str, strict: bool) -> None:
    """Vérifie les fichiers YAML du projet et les règles de la convention ; liste tout."""
    from fsdocs.project.project import load_project

    try:
        problems = load_project(root).warnings
    except FsdocsError as exc:
        if fmt == "json":
            _json(exc.problems if isinstance(exc, ProjectError) else (), strict, exc)
            sys.exit(exc.exit_code)
        _fail(exc)
        return
    failed = strict and bool(problems)
    if fmt == "json":
        _json(problems, strict)
    elif failed:
        _report(problems, stream_err=True)
        click.echo(
            f"Échec : {_summary(problems)} (--strict : les avertissements sont des erreurs).",
            err=True,
        )
    else:
        _report(problems)
        click.echo(f"Projet valide : {_summary(problems)}.")
    if failed:
        sys.exit(1)


def _json(
    problems: list[Problem] | tuple[Problem, ...], strict: bool, exc: FsdocsError | None = None
) -> None:
    from fsdocs.rules.engine import report

    erreur = None if exc is None or isinstance(exc, ProjectError) else str(exc)
    document = report(problems, strict=strict, erreur=erreur)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@cli.command()
@PROJECT_OPTION
@click.option("--convention", "only_convention", is_flag=True, help="Ne produit que la convention.")
@click.option("--annexe", type=int, default=None, help="Ne produit que cette annexe (numéro).")
@click.option(
    "--structure",
    default=None,
    help="Ne produit que la page de cette structure (identifiant) dans l’annexe des modalités.",
)
@JOBS_OPTION
@click.option(
    "--formats",
    default="pdf,docx,html",
    show_default=True,
    help="Formats à produire, séparés par des virgules.",
)
def build(
    root: Path,
    only_convention: bool,
    annexe: int | None,
    structure: str | None,
    jobs: int | None,
    formats: str,
) -> None:
    """Produit la convention et ses annexes en PDF, DOCX et HTML dans output/.

    Seuls les documents dont une donnée, un modèle ou une police a changé sont remis en page
    (cache dans output/.cache), par plusieurs processus à la fois.
    """
    from fsdocs.production.build import build as run_build

    try:
        result = run_build(
            root,
            annexe=annexe,
            structure=structure,
            only_convention=only_convention,
            formats=[f.strip() for f in formats.split(",") if f.strip()],
            jobs=jobs,
            progress=True,
        )
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


@cli.command()
@PROJECT_OPTION
@click.option(
    "--depuis",
    default=None,
    metavar="VERSION",
    help="Version à laquelle comparer (par défaut : la précédente, ou la dernière si "
    "l’état actuel n’est pas enregistré).",
)
@JOBS_OPTION
def bundle(root: Path, depuis: str | None, jobs: int | None) -> None:
    """Produit le dossier de signature : un seul PDF, prêt pour la signature électronique.

    Si des versions sont enregistrées, il porte après le sommaire le tableau des
    modifications et les pages barrées/soulignées de chaque document modifié.
    """
    from fsdocs.bundle.assemble import bundle as run_bundle

    try:
        result = run_bundle(root, depuis, jobs=jobs, progress=True)
    except FsdocsError as exc:
        _fail(exc)
        return
    _report(result.warnings, stream_err=True)
    click.echo(
        f"écrit : {_relative(result.path, root)} ({result.pages} pages, "
        f"{result.size / 1024:.0f} Ko, {result.signatures} champs de signature)"
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

    from fsdocs.importing.scaffold import init_project

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
    from fsdocs.project.schema import write_schemas

    try:
        written = write_schemas(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    for path in written:
        click.echo(f"écrit : {path}")


@cli.command(name="import")
@click.argument("fichier", required=False, type=click.Path(path_type=Path))
@click.option(
    "--departement", "code", required=True, help="Code INSEE du département (41, 2A, 974…)."
)
@click.option(
    "--sans-ajout",
    is_flag=True,
    help="Met à jour les structures déjà présentes sans ajouter celles de la liste qui n’y "
    "sont pas.",
)
@PROJECT_OPTION
def import_(fichier: Path | None, code: str, sans_ajout: bool, root: Path) -> None:
    """Importe les structures d’un département depuis la liste nationale de l’ANCT.

    FICHIER est la liste au format CSV ; par défaut, celle du 1er août 2024 livrée avec fsdocs.
    Une structure déjà présente (même numéro « anct ») est mise à jour dans son fichier.
    """
    from fsdocs.importing.importer import import_departement

    try:
        report = import_departement(root, code, fichier, ajouter=not sans_ajout)
    except FsdocsError as exc:
        _fail(exc)
        return
    _report(report.avertissements, stream_err=True)
    for line in report.lignes():
        click.echo(line)


@cli.command()
@PROJECT_OPTION
@click.option("-m", "--message", required=True, help="Ce que cette version change, en une phrase.")
@click.option(
    "--auteur", default=None, help="Qui enregistre la version (par défaut : l’utilisateur)."
)
def version(root: Path, message: str, auteur: str | None) -> None:
    """Enregistre l’état actuel de la convention et de ses annexes comme nouvelle version."""
    from fsdocs.production.record import record_version

    try:
        recorded = record_version(root, auteur, message)
    except FsdocsError as exc:
        _fail(exc)
        return
    changed = ", ".join(recorded.modifiees) if recorded.modifiees else "aucune"
    click.echo(
        f"version {recorded.numero} enregistrée dans {_relative(recorded.path, root)} "
        f"({len(recorded.parties)} documents ; modifiés : {changed})"
    )


@cli.command()
@PROJECT_OPTION
def history(root: Path) -> None:
    """Liste les versions enregistrées : numéro, date, auteur, message, documents modifiés."""
    from fsdocs.versions.record import history as read_history

    try:
        versions = read_history(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    if not versions:
        click.echo("aucune version enregistrée : « fsdocs version -m MESSAGE » en crée une")
    for item in versions:
        changed = ", ".join(item.modifiees) if item.modifiees else "aucun document modifié"
        click.echo(f"{item.numero}  {item.date}  {item.auteur}  {item.message}")
        click.echo(f"    modifiés : {changed}")


@cli.command()
@PROJECT_OPTION
def verify(root: Path) -> None:
    """Vérifie l’empreinte SHA-256 de chaque fichier des versions enregistrées."""
    from fsdocs.versions.verify import verify as run_verify

    try:
        result = run_verify(root)
    except FsdocsError as exc:
        _fail(exc)
        return
    for problem in result.problemes:
        click.echo(problem, err=True)
    if result.problemes:
        click.echo(
            f"Échec : {len(result.problemes)} fichier(s) modifié(s) ou absent(s) "
            f"dans {result.versions} version(s).",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"Registre intact : {result.versions} version(s), {result.fichiers} fichiers vérifiés."
    )


@cli.command()
@PROJECT_OPTION
@click.option(
    "--de",
    "de",
    default=None,
    metavar="VERSION",
    help="État de départ : numéro de version (2 ou v2) ou « actuel » "
    "(par défaut : la dernière version).",
)
@click.option(
    "--a",
    "a",
    default=None,
    metavar="VERSION",
    help="État d’arrivée : numéro de version ou « actuel » (par défaut : actuel).",
)
@click.option("--convention", "only_convention", is_flag=True, help="La convention seule.")
@click.option("--annexe", type=int, default=None, help="Une annexe seule (numéro).")
@click.option("--structure", default=None, help="La page d’une structure seule (son id).")
@click.option(
    "--couleur/--sans-couleur",
    default=None,
    help="Couleurs dans le terminal (par défaut : seulement vers un terminal).",
)
def diff(
    root: Path,
    de: str | None,
    a: str | None,
    only_convention: bool,
    annexe: int | None,
    structure: str | None,
    couleur: bool | None,
) -> None:
    """Montre ce qui a changé entre deux versions, ou depuis la dernière version :
    dans les données et dans le texte de chaque document.

    Écrit aussi output/modifications-….html, .pdf (texte barré en rouge, ajouts soulignés en
    vert) et .docx (modifications suivies, à accepter ou refuser dans Word ou LibreOffice).
    """
    from fsdocs.changes.compare import Scope, compare_states
    from fsdocs.changes.modifications import short_title, span, write_files
    from fsdocs.changes.redline import lines_to_terminal, plural

    try:
        scope = Scope(annexe, structure, only_convention)
        comparison = compare_states(root, de, a, scope)
        written = write_files(root, comparison)
    except FsdocsError as exc:
        _fail(exc)
        return
    click.echo(f"Modifications {span(comparison)} :")
    if comparison.vide:
        click.echo("Aucune modification.")
        return
    if comparison.donnees:
        click.echo(f"Données ({plural(len(comparison.donnees))}) :")
        for change in comparison.donnees:
            click.echo(f"  {change}")
    for part in comparison.parties:
        click.echo(f"{short_title(part)} ({part.statut}) : {plural(part.modifications)}")
        for line in lines_to_terminal(part.lines).split("\n"):
            click.echo(f"    {line}", color=couleur)
    total = comparison.modifications
    click.echo(
        f"{len(comparison.parties)} document(s) modifié(s), {plural(total)} dans le texte, "
        f"{plural(len(comparison.donnees))} dans les données."
    )
    for path in written:
        click.echo(f"écrit : {_relative(path, root)}")


@cli.command()
@click.argument("dossier", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--liste",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Liste nationale de l’ANCT (par défaut : celle du 1er août 2024, livrée avec fsdocs).",
)
@JOBS_OPTION
@click.option(
    "--formats",
    default="pdf",
    show_default=True,
    help="Formats des documents (le dossier de signature est toujours produit).",
)
@click.option(
    "--verifier",
    is_flag=True,
    help="Vérifie seulement chaque projet (fichiers et règles), sans rien produire.",
)
def national(
    dossier: Path, liste: Path | None, jobs: int | None, formats: str, verifier: bool
) -> None:
    """Tous les départements de la liste nationale d’un coup : crée dans DOSSIER le projet de
    chacun (une fois), puis produit ses documents et son dossier de signature."""
    from fsdocs.importing.national import build_all, prepare, verify

    try:
        roots = prepare(dossier, liste)
        if verifier:
            checked = verify(dossier)
            for line in checked.echecs:
                click.echo(f"échec : {line}", err=True)
            click.echo(
                f"Bilan : {checked.projets} projets vérifiés en {_seconds(checked.secondes)} : "
                f"{checked.erreurs} erreur(s), {checked.avertissements} avertissement(s)."
            )
            if checked.echecs:
                sys.exit(1)
            return
        click.echo(f"{len(roots)} départements dans {dossier}")

        def report(done: Any) -> None:
            state = f"échec : {done.erreur}" if done.erreur else f"{done.pages} pages"
            click.echo(f"  {done.code} : {done.structures} structures, {state}")

        wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
        result = build_all(dossier, jobs, wanted, report)
    except FsdocsError as exc:
        _fail(exc)
        return
    rate = result.mises_en_page / result.secondes if result.secondes else 0.0
    click.echo(
        f"Bilan : {len(result.departements)} départements, {result.structures} structures, "
        f"{result.pages} pages produites ({result.mises_en_page} mises en page) en "
        f"{_seconds(result.secondes)} ({rate:.1f} pages mises en page/s), "
        f"{result.octets / 1e6:.1f} Mo de PDF."
    )
    if result.echecs:
        sys.exit(1)


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def main() -> None:
    cli(prog_name="fsdocs")
