"""The commands that check a project and produce its documents: controler, produire, dossier."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from fsdocs.cli.app import (
    ANNEX_OPTION,
    JOBS_OPTION,
    PROJECT_OPTION,
    fsdocs_command,
    grouped,
    relative,
    summary,
)
from fsdocs.errors import FsdocsError, IncompleteProjectError, Problem, ProjectError


@fsdocs_command("controler")
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
def controler(root: Path, fmt: str, strict: bool) -> None:
    """Vérifie les fichiers YAML du projet et les règles de la convention ; liste tout, y
    compris chaque fait que les documents imprimeraient « [à compléter] »."""
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.completeness import checked

    try:
        problems = checked(load_project(root)).warnings
    except FsdocsError as exc:
        if fmt != "json":
            raise
        _json(exc.problems if isinstance(exc, ProjectError) else (), strict, exc)
        sys.exit(exc.exit_code)
    failed = strict and bool(problems)
    if fmt == "json":
        _json(problems, strict)
    elif failed:
        grouped(problems, stream_err=True)
        click.echo(
            f"Échec : {summary(problems)} (--strict : les avertissements sont des erreurs).",
            err=True,
        )
    else:
        grouped(problems)
        click.echo(f"Projet valide : {summary(problems)}.")
    if failed:
        sys.exit(1)


def _json(problems: Sequence[Problem], strict: bool, exc: FsdocsError | None = None) -> None:
    from fsdocs.rules.groups import report as rules_report

    erreur = None if exc is None or isinstance(exc, ProjectError) else str(exc)
    document = rules_report(problems, strict=strict, erreur=erreur)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@fsdocs_command("produire")
@PROJECT_OPTION
@click.option("--convention", "only_convention", is_flag=True, help="Ne produit que la convention.")
@ANNEX_OPTION
@click.option(
    "--structure",
    default=None,
    metavar="ID",
    help="Ne produit que la page de cette structure (identifiant) dans l’annexe des modalités.",
)
@JOBS_OPTION
@click.option(
    "--formats",
    default="pdf,docx,html",
    metavar="LISTE",
    show_default=True,
    help="Formats à produire, séparés par des virgules.",
)
@click.option(
    "--pdfa",
    is_flag=True,
    help="PDF d’archivage : chaque PDF est aussi PDF/A-2b (en plus de PDF/UA-1, balisé).",
)
@click.option(
    "--surveiller",
    is_flag=True,
    help="Reste ouvert et refait, à chaque enregistrement d’un fichier du projet, les seuls "
    "documents qu’il change (Ctrl-C pour arrêter).",
)
@click.option(
    "--dossier",
    "with_bundle",
    is_flag=True,
    help="Avec --surveiller : refait aussi le dossier de signature après chaque changement "
    "(son projet, « dossier-projet.pdf », tant que des faits sont à compléter).",
)
@click.option("--arret-apres", "stop_after", type=int, default=None, hidden=True)
def produire(
    root: Path,
    only_convention: bool,
    annexe: int | None,
    structure: str | None,
    jobs: int | None,
    formats: str,
    pdfa: bool,
    surveiller: bool,
    with_bundle: bool,
    stop_after: int | None,
) -> None:
    """Produit la convention et ses annexes en PDF, DOCX et HTML dans output/.

    Seuls les documents dont une donnée, un modèle ou une police a changé sont remis en page
    (cache dans output/.cache), par plusieurs processus à la fois. Avec --surveiller, les
    documents sont refaits à chaque enregistrement, en quelques dixièmes de seconde.
    """
    from fsdocs.pdf.conformance import Archival
    from fsdocs.production.build import build

    archival = Archival.PDF_A_2B if pdfa else Archival.NONE
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    if with_bundle and not surveiller:
        raise FsdocsError("--dossier va avec --surveiller ; sinon : « fsdocs dossier »")
    if surveiller:
        if only_convention or annexe is not None or structure is not None:
            raise FsdocsError(
                "--surveiller refait tous les documents : sans --convention, "
                "--annexe ni --structure"
            )
        from fsdocs.cli.watching import watch_project

        watch_project(root, wanted, archival, jobs, stop_after, with_bundle)
        return
    result = build(
        root,
        annexe=annexe,
        structure=structure,
        only_convention=only_convention,
        formats=wanted,
        jobs=jobs,
        progress=True,
        archival=archival,
    )
    grouped(result.warnings, stream_err=True)
    for path in result.files:
        size = path.stat().st_size / 1024
        click.echo(f"écrit : {relative(path, root)} ({size:.0f} Ko)")
    if result.warnings:
        click.echo(
            f"{len(result.warnings)} avertissement(s) : lancez « fsdocs controler » pour le détail."
        )


@fsdocs_command("dossier")
@PROJECT_OPTION
@click.option(
    "--depuis",
    default=None,
    metavar="VERSION",
    help="Version à laquelle comparer (par défaut : la précédente, ou la dernière si "
    "l’état actuel n’est pas enregistré).",
)
@click.option(
    "--brouillon",
    is_flag=True,
    help="Produit un projet de dossier (output/dossier-projet.pdf) : « PROJET » sur chaque "
    "page, aucun champ de signature, même si des faits restent à compléter.",
)
@click.option(
    "--parapheur",
    is_flag=True,
    help="Écrit aussi output/dossier-parapheur.zip : la convention et chaque annexe en PDF "
    "séparés, le dossier de signature, signataires.csv et manifeste.json (taille et "
    "empreinte SHA-256 de chaque fichier, signataires dans l’ordre).",
)
@JOBS_OPTION
def dossier(
    root: Path, depuis: str | None, brouillon: bool, parapheur: bool, jobs: int | None
) -> None:
    """Produit le dossier de signature : un seul PDF, prêt pour la signature électronique,
    et la liste de ses signataires (output/signataires.csv, un champ de signature par ligne).

    Il est refusé tant qu’un fait reste à compléter (« fsdocs controler » les liste) ; avec
    --brouillon, un projet de dossier, à relire et non à signer, est produit à côté.
    Si des versions sont enregistrées, il porte après le sommaire le tableau des
    modifications et les pages barrées/soulignées de chaque document modifié.
    """
    from fsdocs.bundle.assemble import bundle

    try:
        result = bundle(
            root, depuis, jobs=jobs, progress=True, brouillon=brouillon, parapheur=parapheur
        )
    except IncompleteProjectError as exc:
        grouped(exc.problems, stream_err=True, only_to_fill=True)
        click.echo(f"Erreur : {exc}", err=True)
        sys.exit(exc.exit_code)
    grouped(result.warnings, stream_err=True)
    fields = f"{result.signatures} champs de signature" if not brouillon else "projet à relire"
    click.echo(
        f"écrit : {relative(result.path, root)} ({result.pages} pages, "
        f"{result.size / 1024:.0f} Ko, {fields})"
    )
    for path in result.others:
        click.echo(f"écrit : {relative(path, root)} ({path.stat().st_size / 1024:.0f} Ko)")
