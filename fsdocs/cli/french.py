"""Click's own texts in French: usage, help, and the messages of its usage errors.

Click marks its texts for translation with ``gettext``, bound at import time in each of its
modules (``from gettext import gettext as _``). Translating them through the process-wide
gettext catalogue would depend on the user's locale variables (a préfecture's server often
runs with ``LANG=C``), so fsdocs binds those names to this table instead, once, when its
command line is built: the command line is French whatever the locale. Texts missing here
stay in English; tests/cli/test_french.py lists the ones a user can meet.
"""

from __future__ import annotations

import importlib

FRENCH: dict[str, str] = {
    # Help pages
    "Usage:": "Utilisation :",
    # Click adds the colon to headings: the space gives French « Options : ».
    "Options": "Options ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Show this message and exit.": "Affiche cette aide et s’arrête.",
    "Show the version and exit.": "Affiche la version et s’arrête.",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d’environnement : {var}",
    "(dynamic)": "(dynamique)",
    "deprecated": "obsolète",
    # Errors
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l’aide.",
    "Aborted!": "Interrompu.",
    "Repeat for confirmation": "Confirmez",
    "Error: The two entered values do not match.": "Erreur : les deux saisies diffèrent.",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "argument": "argument",
    "option": "option",
    "parameter": "paramètre",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} does not take a value.": "L’option « {name} » ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "L’option « {name} » demande une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L’option « {name} » demande {nargs} valeurs.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "Argument {name!r} takes {nargs} values.": "L’argument « {name} » prend {nargs} valeurs.",
    "Takes {nargs} values but 1 was given.": "Prend {nargs} valeurs, mais 1 a été donnée.",
    "Takes {nargs} values but {len} were given.": (
        "Prend {nargs} valeurs, mais {len} ont été données."
    ),
    # Types
    "{value!r} is not a valid {number_type}.": "« {value} » n’est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n’est pas dans l’intervalle {range}.",
    "{value!r} is not {choice}.": "« {value} » n’est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n’est pas parmi {choices}.",
    "{value!r} does not match the format {format}.": (
        "« {value} » ne suit pas le format {format}."
    ),
    "{value!r} does not match the formats {formats}.": (
        "« {value} » ne suit aucun des formats {formats}."
    ),
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "« {value} » n’est pas une valeur oui/non ; valeurs reconnues : {states}"
    ),
    # {name} is also the metavar, upper-cased (FICHIER, DOSSIER); Click capitalises it here.
    "{name} {filename!r} does not exist.": "{name} « {filename} » n’existe pas.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » n’est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » n’est pas modifiable.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » n’est pas exécutable.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "Could not open file {filename!r}: {message}": (
        "Impossible d’ouvrir le fichier « {filename} » : {message}"
    ),
}

# Singular and plural, as ngettext receives them.
FRENCH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): ("Argument en trop : {args}", "Arguments en trop : {args}"),
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): ("L’option « {name} » demande une valeur.", "L’option « {name} » demande {nargs} valeurs."),
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): ("« {value} » n’est pas {choice}.", "« {value} » n’est pas parmi {choices}."),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "« {value} » ne suit pas le format {format}.",
        "« {value} » ne suit aucun des formats {formats}.",
    ),
    (
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
    ): ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire : {possibilities} ?)"),
    (
        "Takes {nargs} values but 1 was given.",
        "Takes {nargs} values but {len} were given.",
    ): (
        "Prend {nargs} valeurs, mais 1 a été donnée.",
        "Prend {nargs} valeurs, mais {len} ont été données.",
    ),
}

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def gettext(message: str) -> str:
    return FRENCH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    pair = FRENCH_PLURAL.get((singular, plural))
    if pair is None:
        return gettext(singular if count == 1 else plural)
    return pair[0] if count == 1 else pair[1]


def install() -> None:
    """Bind Click's ``_`` and ``ngettext`` to the French table, in each of its modules."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
