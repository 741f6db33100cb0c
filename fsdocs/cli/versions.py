"""The commands of the version store: version, historique, verifier, comparer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fsdocs.cli.app import ANNEX_OPTION, PROJECT_OPTION, fsdocs_command, relative


@fsdocs_command("version")
@PROJECT_OPTION
@click.option(
    "-m",
    "--message",
    required=True,
    metavar="TEXTE",
    help="Ce que cette version change, en une phrase.",
)
@click.option(
    "--auteur",
    default=None,
    metavar="NOM",
    help="Qui enregistre la version (par défaut : l’utilisateur).",
)
def version(root: Path, message: str, auteur: str | None) -> None:
    """Enregistre l’état actuel de la convention et de ses annexes comme nouvelle version."""
    from fsdocs.production.snapshot import documents
    from fsdocs.versions.record import record_version

    recorded = record_version(root, auteur, message, documents)
    changed = ", ".join(recorded.modifiees) if recorded.modifiees else "aucune"
    click.echo(
        f"version {recorded.numero} enregistrée dans {relative(recorded.path, root)} "
        f"({len(recorded.parties)} documents ; modifiés : {changed})"
    )


@fsdocs_command("historique")
@PROJECT_OPTION
def historique(root: Path) -> None:
    """Liste les versions enregistrées : numéro, date et heure (du fuseau de la machine),
    auteur, message, documents modifiés."""
    from fsdocs.changes.labels import moment
    from fsdocs.versions.record import history

    versions = history(root)
    if not versions:
        click.echo("aucune version enregistrée : « fsdocs version -m MESSAGE » en crée une")
    for item in versions:
        changed = ", ".join(item.modifiees) if item.modifiees else "aucun document modifié"
        click.echo(f"{item.numero}  {moment(item.date)}  {item.auteur}  {item.message}")
        click.echo(f"    modifiés : {changed}")


@fsdocs_command("verifier")
@PROJECT_OPTION
@click.option(
    "--sceller",
    is_flag=True,
    help="Scelle le registre intact avec la clé indiquée par FSDOCS_CLE_REGISTRE.",
)
def verifier(root: Path, sceller: bool) -> None:
    """Vérifie la chaîne des versions enregistrées, l’empreinte SHA-256 de chacun de leurs
    fichiers et des documents de output/."""
    from fsdocs.versions.verify import seal_store, verify

    if sceller:
        count = seal_store(root)
        click.echo(f"Registre intact et scellé : {count} version(s).")
        return
    result = verify(root)
    for problem in result.problemes:
        click.echo(problem, err=True)
    if result.problemes:
        click.echo(
            f"Échec : {len(result.problemes)} problème(s) dans le registre "
            f"({result.versions} version(s) lisibles).",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"Registre intact : {result.versions} version(s), {result.fichiers} fichiers vérifiés."
    )


@fsdocs_command("comparer")
@PROJECT_OPTION
@click.option(
    "--depuis",
    default=None,
    metavar="VERSION",
    help="État de départ : numéro de version (2 ou v2) ou « actuel » "
    "(par défaut : la dernière version).",
)
@click.option(
    "--vers",
    default=None,
    metavar="VERSION",
    help="État d’arrivée : numéro de version ou « actuel » (par défaut : actuel).",
)
@click.option("--convention", "only_convention", is_flag=True, help="La convention seule.")
@ANNEX_OPTION
@click.option(
    "--structure", default=None, metavar="ID", help="La page d’une structure seule (son id)."
)
@click.option(
    "--couleur/--sans-couleur",
    default=None,
    help="Modifications en couleurs (par défaut : seulement vers un terminal) ; sinon "
    "marquées [-supprimé-] et {+ajouté+}.",
)
def comparer(
    root: Path,
    depuis: str | None,
    vers: str | None,
    only_convention: bool,
    annexe: int | None,
    structure: str | None,
    couleur: bool | None,
) -> None:
    """Montre ce qui a changé entre deux versions, ou depuis la dernière version :
    dans les données et dans le texte de chaque document.

    Dans un terminal, le texte supprimé est barré en rouge, l’ajout souligné en vert ; écrit
    dans un fichier ou un tube, ils sont marqués [-supprimé-] et {+ajouté+}.

    Écrit aussi output/modifications-….html, .pdf (texte barré en rouge, ajouts soulignés en
    vert, tableaux modifiés cellule par cellule) et .docx (modifications suivies, signées de
    l’auteur et de la date de la version, à accepter ou refuser dans Word ou LibreOffice).
    """
    from fsdocs.changes.compare import Scope, compare_states
    from fsdocs.changes.modifications import short_title, span, write_files
    from fsdocs.changes.redline import plural
    from fsdocs.changes.views import lines_to_terminal

    colour = couleur if couleur is not None else sys.stdout.isatty()

    comparison = compare_states(root, depuis, vers, Scope(annexe, structure, only_convention))
    written = write_files(root, comparison)
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
        for line in lines_to_terminal(part.lines, colour).split("\n"):
            click.echo(f"    {line}", color=colour)
    click.echo(
        f"{len(comparison.parties)} document(s) modifié(s), "
        f"{plural(comparison.modifications)} dans le texte, "
        f"{plural(len(comparison.donnees))} dans les données."
    )
    for path in written:
        click.echo(f"écrit : {relative(path, root)}")
