"""The words a list of changes speaks: French labels for the YAML keys and the data files,
French dates and times, never an internal key or an ISO date.

A field is named by the titles the JSON Schemas give the keys
(:data:`fsdocs.project.schema.KEY_TITLES`), with what reads better in a sentence: a day's
hours are « horaires du lundi », an equipment is named alone (« wifi »), an item of a list is
« agent 1 », and an item known by its id (a partner, a structure, an annex) by its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from fsdocs.french import NBSP, long_date, plage
from fsdocs.project.horaires import lire_creneaux
from fsdocs.project.paths import (
    CONVENTION,
    GESTIONNAIRES,
    MANDAT,
    OFFRES,
    PARTENAIRES,
    PARTENAIRES_LOCAUX,
    PREFET,
    TEMOINS,
)
from fsdocs.project.schema import KEY_TITLES

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLOTS = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(?: / \d{2}:\d{2}-\d{2}:\d{2})*$")
_ARTICLE = re.compile(r"^(?:le |la |les |l’|l')", re.IGNORECASE)
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Keys whose title reads badly inside a sentence of the list.
_OVERRIDES = {
    "accessibilite_pmr": "accès des personnes à mobilité réduite",
    "labellisation": "date de labellisation",
    "partenaire": "partenaire national",
}
# A list's item is « agent 1 »: the singular of each list key.
_ITEMS = {
    "agents": "agent",
    "arrets": "arrêt",
    "permanences": "permanence",
    "gestionnaires": "gestionnaire",
    "partenaires": "partenaire",
    "partenaires_locaux": "partenaire local",
    "temoins": "témoin",
    "annexes": "annexe",
}
# What each data file is, for a reader; the folder of offers names its partner.
FILES = {
    CONVENTION: "Convention",
    PREFET: "Préfet",
    GESTIONNAIRES: "Gestionnaires signataires",
    PARTENAIRES: "Partenaires signataires",
    TEMOINS: "Témoins",
    MANDAT: "Modèle de mandat",
    PARTENAIRES_LOCAUX: "Partenaires locaux",
}
# The one key at the top of a file, which its name already says.
_ROOTS = {"prefet", "gestionnaires", "partenaires", "temoins", "offres", "partenaires_locaux"}


def file_label(name: str, names: Mapping[str, str]) -> str:
    """« Convention », « Préfet », « Offre de la CAF de Loir-et-Cher »; a PDF by its file name."""
    if name in FILES:
        return FILES[name]
    if name.startswith(f"{OFFRES}/") and name.endswith(".yaml"):
        ident = name.rsplit("/", 1)[-1].removesuffix(".yaml")
        return f"Offre de {names.get(ident, ident)}"
    return name


def field_labels(path: tuple[str, ...], names: Mapping[str, str], in_file: bool) -> list[str]:
    """The labels of a field's path: ``("horaires", "lundi")`` → « horaires du lundi »,
    ``("equipements", "wifi")`` → « wifi », ``("agents", "1", "nom")`` → « agent 1 », « nom »."""
    rooted = in_file and path[:1] and path[0] in _ROOTS
    keys = list(path[1:] if rooted else path)
    labels: list[str] = []
    i = 0
    if rooted and keys and keys[0] in names:  # the id of a list item, or of an offer's key
        labels.append(names[keys[0]])
        i = 1
    while i < len(keys):
        key = keys[i]
        following = keys[i + 1] if i + 1 < len(keys) else None
        if key == "horaires" and following in _DAYS:
            labels.append(f"horaires du {following}")
            i += 2
            continue
        if key == "signature" and following in ("date", "lieu"):
            labels.append(f"{following} de signature")
            i += 2
            continue
        if key == "equipements" and following is not None:
            i += 1  # the equipment's own name says it
            continue
        if key in _ITEMS and following is not None and following.isdigit():
            labels.append(f"{_ITEMS[key]} {following}")
            i += 2
            continue
        if key in _ITEMS and following is not None and following in names:
            labels.append(names[following])
            i += 2
            continue
        labels.append(key_label(key))
        i += 1
    return labels


def key_label(key: str) -> str:
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    title = KEY_TITLES.get(key)
    if title is None:
        return key.replace("_", " ")
    return title[:1].lower() + title[1:]


def value_label(value: Any) -> str:
    """A value as printed: a date in French (« 6 février 2020 »), the rest as it is."""
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and _SLOTS.match(value):  # hours as the YAML writes them
        return ", ".join(plage(c.debut, c.fin) for c in lire_creneaux(value).creneaux)
    return str(value)


def bare_name(name: str) -> str:
    """An organisation's name without its article, as a list heading reads it:
    « le Tribunal judiciaire de Blois » → « Tribunal judiciaire de Blois »."""
    bare = _ARTICLE.sub("", name.strip())
    return bare[:1].upper() + bare[1:]


def moment(when: datetime | str) -> str:
    """A moment in the machine's time zone, in French: « 5 décembre 2026 à 19 h 32 »."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    local = when.astimezone()  # a naive moment is taken as the machine's local time
    hour = f"{local.hour}{NBSP}h" + (f"{NBSP}{local.minute:02d}" if local.minute else "")
    return f"{long_date(local.date())} à {hour}"
