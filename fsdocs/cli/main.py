"""The ``fsdocs`` command line: the group, its commands (an explicit list) and their English
names of the first versions, kept as hidden aliases so that existing scripts keep working.

No YAML, Jinja or PDF logic lives here; heavy libraries are imported by the commands that
need them, so ``fsdocs --help`` and ``fsdocs controler`` start instantly.
"""

from __future__ import annotations

import click

from fsdocs.cli import documents, projects, serving, versions
from fsdocs.cli.app import FrenchGroup, configure_logging

# French name → (command, English alias of the first versions).
COMMANDS: dict[str, tuple[click.Command, str]] = {
    "creer": (projects.creer, "init"),
    "importer": (projects.importer, "import"),
    "controler": (documents.controler, "check"),
    "produire": (documents.produire, "build"),
    "dossier": (documents.dossier, "bundle"),
    "version": (versions.version, "version"),
    "historique": (versions.historique, "history"),
    "verifier": (versions.verifier, "verify"),
    "comparer": (versions.comparer, "diff"),
    "national": (projects.national, "national"),
    "schemas": (projects.schemas, "schema"),
    "servir": (serving.servir, "serve"),
    "comptes": (serving.comptes, "comptes"),
}


@click.group(
    cls=FrenchGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[OPTIONS]",
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="fsdocs", message="fsdocs %(version)s")
@click.option("-v", "--verbeux", "verbose", is_flag=True, help="Affiche aussi les informations.")
def cli(verbose: bool) -> None:
    """Génère la convention départementale France services et ses annexes."""
    configure_logging(verbose)


for _name, (_command, _alias) in COMMANDS.items():
    cli.add_command(_command, _name)
    if _alias != _name:
        cli.add_alias(_alias, _name)


def main() -> None:
    cli(prog_name="fsdocs")
