"""The commands that create and fill projects: creer, importer, national, schemas."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fsdocs.cli.app import JOBS_OPTION, PROJECT_OPTION, fsdocs_command, seconds

if TYPE_CHECKING:
    from fsdocs.importing.national import Departement

DEPARTEMENT_OPTION = click.option(
    "--departement",
    "code",
    required=True,
    metavar="CODE",
    help="Code INSEE du département (41, 2A, 974…).",
)


@fsdocs_command("creer")
@click.argument("dossier", type=click.Path(file_okay=False, path_type=Path))
@DEPARTEMENT_OPTION
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de référence de la labellisation, AAAA-MM-JJ (par défaut : aujourd’hui).",
)
def creer(dossier: Path, code: str, day: datetime | None) -> None:
    """Crée un nouveau projet de convention dans DOSSIER, prêt à compléter."""
    from fsdocs.importing.scaffold import init_project

    written = init_project(dossier, code, day.date() if day else date.today())
    for path in written:
        click.echo(f"créé : {path}")
    click.echo(f"Complétez les champs « ~ », puis : fsdocs controler --projet {dossier}")


@fsdocs_command("schemas")
@PROJECT_OPTION
def schemas(root: Path) -> None:
    """Écrit les schémas JSON des fichiers YAML dans .schemas/ (complétion dans l’éditeur)."""
    from fsdocs.project.schema import write_schemas

    for path in write_schemas(root):
        click.echo(f"écrit : {path}")


@fsdocs_command("importer")
@click.argument("fichier", required=False, type=click.Path(path_type=Path))
@DEPARTEMENT_OPTION
@click.option(
    "--sans-ajout",
    is_flag=True,
    help="Met à jour les structures déjà présentes sans ajouter celles de la liste qui n’y "
    "sont pas.",
)
@click.option(
    "--detail",
    is_flag=True,
    help="Affiche chaque changement et chaque avertissement, au lieu du résumé par sorte.",
)
@PROJECT_OPTION
def importer(fichier: Path | None, code: str, sans_ajout: bool, detail: bool, root: Path) -> None:
    """Importe les structures d’un département depuis la liste nationale de l’ANCT.

    FICHIER est la liste au format CSV ; par défaut, celle du 1er août 2024 livrée avec fsdocs.
    Une structure déjà présente (même numéro « anct ») est mise à jour dans son fichier.
    Le rapport résume chaque sorte de changement et d’avertissement (nombre et premiers
    exemples) ; --detail les affiche tous.
    """
    from fsdocs.importing.importer import import_departement

    imported = import_departement(root, code, fichier, ajouter=not sans_ajout)
    for line in imported.avertissements_lignes(detail):
        click.echo(line, err=True)
    for line in imported.lignes(detail):
        click.echo(line)


@fsdocs_command("national")
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
    metavar="LISTE",
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
    from fsdocs.importing.progress import Progress

    roots = prepare(dossier, liste)
    if verifier:
        checked = verify(dossier)
        for line in checked.echecs:
            click.echo(f"échec : {line}", err=True)
        click.echo(
            f"Bilan : {checked.projets} projets vérifiés en {seconds(checked.secondes)} : "
            f"{checked.erreurs} erreur(s), {checked.avertissements} avertissement(s)."
        )
        if checked.echecs:
            sys.exit(1)
        return
    click.echo(f"{len(roots)} départements dans {dossier}")
    lines = Progress(len(roots))

    def progress(done: Departement) -> None:
        click.echo(lines.line(done))

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    result = build_all(dossier, jobs, wanted, progress)
    rate = result.mises_en_page / result.secondes if result.secondes else 0.0
    click.echo(
        f"Bilan : {len(result.departements)} départements, {result.structures} structures, "
        f"{result.pages} pages produites ({result.mises_en_page} mises en page) en "
        f"{seconds(result.secondes)} ({rate:.1f} pages mises en page/s), "
        f"{result.octets / 1e6:.1f} Mo de PDF."
    )
    if result.echecs:
        sys.exit(1)
