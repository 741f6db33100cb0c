"""``fsdocs servir`` (the web application) and ``fsdocs comptes`` (its accounts)."""

from __future__ import annotations

import signal
import sys
from contextlib import closing
from pathlib import Path

import click

from fsdocs.cli.app import PROJECT_OPTION, WholeNumberRange, fsdocs_command


@fsdocs_command("servir")
@PROJECT_OPTION
@click.option(
    "--hote",
    default="127.0.0.1",
    show_default=True,
    metavar="ADRESSE",
    help="Adresse d’écoute (derrière le mandataire inverse de la préfecture).",
)
@click.option(
    "--port",
    type=WholeNumberRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port d’écoute.",
)
@click.option(
    "--fils",
    type=WholeNumberRange(1, 128),
    default=24,
    show_default=True,
    help="Nombre de requêtes servies à la fois.",
)
@click.option(
    "--mandataire",
    is_flag=True,
    help="Derrière un mandataire inverse : croire ses en-têtes X-Forwarded-*.",
)
@click.option(
    "--sans-https",
    is_flag=True,
    help="Cookies de session sans l’attribut Secure (essai local en http seulement).",
)
def servir(root: Path, hote: str, port: int, fils: int, mandataire: bool, sans_https: bool) -> None:
    """Lance l’application web sur le projet : les gestionnaires y modifient leurs
    structures, la préfecture accepte et produit le dossier, les relecteurs comparent."""
    import waitress

    from fsdocs.production.workers import forbid_fork
    from fsdocs.project.project import find_root
    from fsdocs.web.app import create_app

    find_root(root)
    forbid_fork()  # the server runs threads: layouts stay in its process
    app = create_app(
        root, secure_cookies=not sans_https, behind_proxy=mandataire, start_previews=True
    )
    click.echo(f"fsdocs sert {root} sur http://{hote}:{port}/ (Ctrl-C pour arrêter)")
    signal.signal(signal.SIGTERM, _stop)  # a service manager's way of saying Ctrl-C
    try:
        waitress.serve(app, host=hote, port=port, threads=fils, ident="fsdocs", _quiet=True)
    except KeyboardInterrupt:  # Ctrl-C: the way to stop it
        pass
    finally:
        app.extensions["fsdocs"].close()
    click.echo("Serveur arrêté.")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.group("comptes", subcommand_metavar="COMMANDE [ARGUMENTS]...")
def comptes() -> None:
    """Gère les comptes de l’application web (fsdocs servir)."""


@fsdocs_command("ajouter")
@PROJECT_OPTION
@click.argument("identifiant")
@click.option(
    "--role",
    type=click.Choice(["prefecture", "gestionnaire", "relecteur"]),
    required=True,
    help="Ce que le compte peut faire.",
)
@click.option(
    "--structure",
    "structures",
    multiple=True,
    metavar="ID",
    help="Structure d’un gestionnaire (répétable).",
)
@click.option(
    "--nom",
    default="",
    metavar="NOM",
    help="Nom affiché et porté dans les versions (par défaut : l’identifiant).",
)
def ajouter(root: Path, identifiant: str, role: str, structures: tuple[str, ...], nom: str) -> None:
    """Crée un compte. Le mot de passe est demandé deux fois, ou lu sur l’entrée standard."""
    from fsdocs.project.project import find_root
    from fsdocs.web.accounts import (
        AccountError,
        Role,
        add_account,
        check_password,
        check_request,
        find_account,
    )
    from fsdocs.web.database import connect

    find_root(root)
    check_request(root, identifiant, Role(role), structures)
    with closing(connect(root)) as db:
        if find_account(db, identifiant) is not None:  # said before the password is typed
            raise AccountError(f"le compte « {identifiant} » existe déjà")
        if sys.stdin.isatty():
            password = click.prompt(
                "Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe"
            )
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        check_password(password)
        account = add_account(db, root, identifiant, Role(role), password, nom, structures)
    where = f", structures : {', '.join(account.structures)}" if account.structures else ""
    click.echo(f"compte « {account.identifiant} » créé ({account.role.libelle}{where})")


@fsdocs_command("lister")
@PROJECT_OPTION
def lister(root: Path) -> None:
    """Liste les comptes : identifiant, nom, rôle, structures."""
    from fsdocs.project.project import find_root
    from fsdocs.web.accounts import list_accounts
    from fsdocs.web.database import connect

    find_root(root)
    with closing(connect(root)) as db:
        accounts = list_accounts(db)
    if not accounts:
        click.echo("aucun compte : « fsdocs comptes ajouter IDENTIFIANT --role prefecture »")
    for account in accounts:
        where = f"  {', '.join(account.structures)}" if account.structures else ""
        click.echo(f"{account.identifiant}  {account.nom}  {account.role.libelle}{where}")


@fsdocs_command("supprimer")
@PROJECT_OPTION
@click.argument("identifiant")
def supprimer(root: Path, identifiant: str) -> None:
    """Supprime un compte et ferme ses sessions."""
    from fsdocs.project.project import find_root
    from fsdocs.web.accounts import remove_account
    from fsdocs.web.database import connect

    find_root(root)
    with closing(connect(root)) as db:
        remove_account(db, identifiant)
    click.echo(f"compte « {identifiant} » supprimé")


for _command in (ajouter, lister, supprimer):
    comptes.add_command(_command)
