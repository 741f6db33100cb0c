"""One row of an ANCT list into one :class:`Fiche`: the structure as the list describes it.

Every value of a fiche has passed the model's own validator. A value the model would refuse
is not kept: it is reported with its CSV line and column and quoted in a note, which the
importer writes as a YAML comment for a person to settle. Reading the file and telling its
layout apart is :mod:`fsdocs.importing.anct`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any

import phonenumbers
from pydantic import TypeAdapter, ValidationError

from fsdocs.errors import Problem, Severity
from fsdocs.french import clean_spaces
from fsdocs.project.annexes_model import Postcode, TypeStructure
from fsdocs.project.contacts import Email, Phone
from fsdocs.project.fields import LongText, Text, invisible_codes
from fsdocs.project.horaires import JOURS, ecrire_creneaux, lire_creneaux, reunir_creneaux

DAYS = JOURS[:6]  # the lists give no Sunday
NOTE = "liste ANCT"  # every note starts so: a re-import knows which comments are its own
ACCUEIL_LIBRE = "Accueil sans rendez-vous"
SUR_RENDEZ_VOUS = "Accueil sur rendez-vous"
# Overseas numbers are read in their own region: "05 90 …" is Guadeloupe, not France.
_REGION = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT", "978": "MF"}
_RDV = re.compile(r"rendez|\brdv\b|\brv\b", re.IGNORECASE)
_STREET = re.compile(
    r"^(\d+(?:\s*[-/]\s*\d+)?(?:\s*(?:bis|ter|quater))?\s*,?\s+)(rue|route|avenue|boulevard|place|placette|allée|"
    r"allées|chemin|impasse|quai|cours|square|esplanade|passage|promenade|faubourg|sentier|"
    r"ruelle|traverse|montée|parvis|rond-point|cité|clos|hameau|lotissement)(?=\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fiche:
    """One structure as the list describes it; ``None``: the list says nothing usable."""

    ligne: int
    anct: int
    nom: str | None = None
    type: TypeStructure | None = None
    commune: str | None = None
    voie: str | None = None
    complement: str | None = None
    code_postal: str | None = None
    horaires: dict[str, str] = field(default_factory=dict)  # unreadable days are left out
    rendez_vous: str | None = None
    telephone: str | None = None
    courriel: str | None = None
    labellisation: date | None = None
    commentaire: str | None = None
    porteuse: str | None = None  # the 2020 list's gestionnaire
    notes: dict[str, str] = field(default_factory=dict)  # field path → YAML comment
    problemes: tuple[Problem, ...] = ()

    def champs(self) -> Iterator[tuple[str, Any]]:
        """(path, value) of each fact the list gives, or that it gives wrong (value None)."""
        facts: dict[str, Any] = {
            "nom": self.nom,
            "type": self.type.value if self.type else None,
            "commune": self.commune,
            "adresse.voie": self.voie,
            "adresse.complement": self.complement,
            "adresse.code_postal": self.code_postal,
            **{f"horaires.{day}": self.horaires.get(day) for day in DAYS},
            "rendez_vous": self.rendez_vous,
            "telephone": self.telephone,
            "courriel": self.courriel,
            "labellisation": self.labellisation,
            "commentaire": self.commentaire,
        }
        for path, value in facts.items():
            if value is not None or path in self.notes:
                yield path, value


class Row:
    """One row being read: its values, and the problems and notes found on the way."""

    def __init__(self, nom: str, numero: int, valeurs: dict[str, str], code: str) -> None:
        """Line ``numero`` of list ``nom``, a structure of département ``code``."""
        self.nom, self.numero, self.valeurs, self.code = nom, numero, valeurs, code
        self.notes: dict[str, str] = {}
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        return self.valeurs.get(column, "").strip()

    def warn(self, column: str, message: str) -> None:
        where = (self.nom, self.numero, column)
        self.problems.append(Problem(*where, message, Severity.WARNING))

    def name(self, column: str) -> str | None:
        """The structure's name, on one line. One made only of invisible characters refuses
        the row: it would print as a blank, and whatever is meant cannot be guessed."""
        raw = self.valeurs.get(column, "").strip(" \t\r\n")
        codes = invisible_codes(raw)
        if codes:
            self.problems.append(
                Problem(
                    self.nom,
                    self.numero,
                    column,
                    f"nom fait seulement d’espaces ou de caractères invisibles ({codes}) : "
                    "ligne refusée ; écrivez le nom de la structure, ou videz la case",
                )
            )
            return None
        return self.one_line(column)

    def one_line(self, column: str) -> str | None:
        """The column's text on one line, if the model takes it as a text."""
        return self.checked(column, "text", clean_spaces(self.text(column)))

    def checked(self, column: str, kind: str, value: str | None) -> str | None:
        """``value`` as the model's validator ``kind`` writes it; None, reported, if refused."""
        if not value:
            return None
        try:
            return str(_adapters()[kind].validate_python(value))
        except ValidationError as exc:
            self.warn(column, f"{exc.errors()[0]['msg']} : valeur non reprise")
            return None

    def fiche(self, anct: int, **facts: Any) -> Fiche:
        return Fiche(self.numero, anct, notes=self.notes, problemes=tuple(self.problems), **facts)


@cache
def _adapters() -> dict[str, TypeAdapter[Any]]:
    kinds: dict[str, Any] = {"text": Text, "long": LongText, "postcode": Postcode}
    kinds |= {"email": Email, "phone": Phone}
    return {name: TypeAdapter(kind) for name, kind in kinds.items()}


def fiche_2024(row: Row, anct: int) -> Fiche:
    comment = _comment(row.text("commentaire"))
    rendez_vous, comment = _rendez_vous(row, comment)
    return row.fiche(
        anct,
        nom=row.name("lib_fs"),
        type=_type(row),
        commune=row.one_line("lib_com"),
        voie=row.checked("adresse", "text", _voie(row.text("adresse"))),
        complement=row.one_line("complement_adresse"),
        code_postal=row.checked("code_postal", "postcode", row.text("code_postal")),
        horaires=_horaires(row),
        rendez_vous=rendez_vous,
        telephone=_telephone(row, "telephone"),
        courriel=_courriel(row, "mail"),
        labellisation=_date(row, "labellisation_fs", r"(\d{1,2})/(\d{1,2})/(\d{4})"),
        commentaire=row.checked("commentaire", "long", comment) and comment,
    )


def fiche_2020(row: Row, anct: int) -> Fiche:
    name = row.name("lib_france_services")
    if name and not name.casefold().startswith("france services"):
        name = f"France services {name}"
    city = row.text("result_city")  # the national address base's spelling of the commune
    city = city if city and city != "NA" else row.text("lib_com").title()
    return row.fiche(
        anct,
        nom=row.checked("lib_france_services", "text", name),
        type=TypeStructure.ITINERANTE if row.text("ITINERANCE") == "Oui" else TypeStructure.FIXE,
        commune=row.checked("lib_com", "text", clean_spaces(city)),
        voie=row.checked("ADRESSE", "text", _voie(row.text("ADRESSE"))),
        complement=row.one_line("COMPLEMENT.D.ADRESSE"),
        code_postal=row.checked("CODE_POSTAL", "postcode", row.text("CODE_POSTAL")),
        horaires=_horaires(row),
        telephone=_telephone(row, "TELEPHONE"),
        courriel=_courriel(row, "CONTACT.MAIL"),
        labellisation=_date(row, "LABELISATION", r"()(\d{1,2})/(\d{4})"),
        porteuse=row.one_line("STRUCTURE.PORTEUSE"),
    )


def _voie(text: str) -> str:
    """One line, the kind of street in lower case as French typography writes it."""
    return _STREET.sub(lambda m: m.group(1) + m.group(2).lower(), clean_spaces(text))


def _comment(text: str) -> str:
    """Line breaks kept; the list's exports triple them, so runs of blank lines become one."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _rendez_vous(row: Row, comment: str) -> tuple[str | None, str]:
    """The appointment policy, and what is left of the comment for ``commentaire``.

    ``prise_rdv`` says whether appointments are taken. When they are and the comment is one
    line about appointments ("Exclusivement sur rendez-vous"), that line is the policy itself.
    """
    answer = row.text("prise_rdv")
    if answer == "Non":
        return ACCUEIL_LIBRE, comment
    if answer != "Oui":
        row.warn("prise_rdv", f"« {answer} » au lieu de Oui ou Non : non repris")
        return None, comment
    if comment and "\n" not in comment and _RDV.search(comment) and len(comment) <= 300:
        return clean_spaces(comment), ""
    return SUR_RENDEZ_VOUS, comment


def _type(row: Row) -> TypeStructure | None:
    # The list's "format" says how the structure is organised and its "type" whether it is a
    # main site or an antenna. A multi-site structure stays multisites for each of its sites
    # ("… multisites … - Site de …"), even those typed Antenne. "Fixe_antenne(s)" rows are
    # antennas even when typed Principal: both such rows are named "… - Antenne de …". A bus
    # (or an equivalent vehicle) travels from stop to stop: the convention's itinérante.
    kind, fmt = row.text("type_fs"), row.text("format_fs")
    if fmt == "Multisites":
        return TypeStructure.MULTISITES
    if fmt == "Fixe_antenne(s)" or kind == "Antenne":
        return TypeStructure.ANTENNE
    if fmt in ("Bus_équivalent", "Itinérante"):
        return TypeStructure.ITINERANTE
    if fmt == "Fixe":
        return TypeStructure.FIXE
    row.warn("format_fs", f"format « {fmt} » inconnu : type non repris, à vérifier")
    return None


def _horaires(row: Row) -> dict[str, str]:
    """The slots of each day; none at all when the list gives no hours."""
    days: dict[str, str] = {}
    for day in DAYS:
        column, text = f"h_{day}", row.text(f"h_{day}")
        reading = lire_creneaux(text)
        overlaps = sum(1 for a, b in pairwise(reading.creneaux) if b.debut < a.fin)
        shown = clean_spaces(text)
        # lire_creneaux reports each overlap once, after any other problem: more problems
        # than overlaps means a time it could not pair or order.
        if reading.reste or len(reading.problemes) > overlaps:
            why = "; ".join(reading.problemes) or f"texte « {reading.reste} » hors des horaires"
            row.warn(column, f"horaires « {shown} » illisibles ({why}) : non repris, à compléter")
            row.notes[f"horaires.{day}"] = f"{NOTE} : « {shown} », illisible : à compléter"
        elif overlaps:
            merged = ecrire_creneaux(reunir_creneaux(reading.creneaux))
            row.warn(column, f"créneaux « {shown} » qui se chevauchent : réunis en {merged}")
            row.notes[f"horaires.{day}"] = f"{NOTE} : « {shown} », créneaux réunis"
            days[day] = merged
        else:
            days[day] = ecrire_creneaux(reading.creneaux)
    unreadable = any(key.startswith("horaires.") for key in row.notes)
    return days if any(days.values()) or unreadable else {}


def _telephone(row: Row, column: str) -> str | None:
    text = row.text(column)
    if not text:
        return None
    region = _REGION.get(row.code, "FR")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        row.notes["telephone"] = f"{NOTE} : « {clean_spaces(text)} », numéro invalide à corriger"
        return row.checked(column, "phone", text)  # refused: the model's message says why
    style = phonenumbers.PhoneNumberFormat
    # The model reads numbers as French: overseas ones are written with their country code.
    written = phonenumbers.format_number(
        number, style.NATIONAL if region == "FR" else style.INTERNATIONAL
    )
    return written if row.checked(column, "phone", written) else None


def _courriel(row: Row, column: str) -> str | None:
    text = row.text(column)
    found = row.checked(column, "email", text)
    if text and found is None:
        row.notes["courriel"] = f"{NOTE} : « {clean_spaces(text)} », adresse invalide à corriger"
    return found


def _date(row: Row, column: str, pattern: str) -> date | None:
    text = row.text(column)
    found = re.search(pattern, text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1] or 1))
    except ValueError:
        pass
    if text:
        row.warn(column, f"date de labellisation « {text} » illisible : non reprise")
    return None
