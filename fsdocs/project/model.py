"""The shape of every YAML file of a project, as frozen pydantic models.

Field names are the YAML keys (French), so one concept has one name from the file a person
edits to the template that prints it. A text field typed ``Fill`` may be left empty (``~``) while
a convention is being drafted: ``fsdocs controler`` lists it and documents print « [à compléter] ».
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from fsdocs.french import Genre

MAX_TEXT = 2000

_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
# Letters that print as nothing: the Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_RESERVED_IDS = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def _text(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    bad = _FORBIDDEN_CHARS.search(value)
    if bad:
        raise PydanticCustomError(
            "fs_control_char",
            "caractère invisible ou de contrôle interdit (U+{code}) : retapez ce texte",
            {"code": f"{ord(bad.group()):04X}"},
        )
    codes = invisible_codes(value)
    if codes:
        raise PydanticCustomError(
            "fs_invisible",
            "texte invisible : seulement des espaces ou des caractères invisibles ({codes}) ; "
            "écrivez une valeur",
            {"codes": codes},
        )
    if "\n" in value.strip() or "\t" in value:
        value = " ".join(value.split())
    return value.strip()


def invisible_codes(value: str) -> str | None:
    """« U+200B, U+00A0 » when ``value`` has characters but none that prints (only spaces,
    zero-width, format or control characters, lone combining marks, fillers); else None.
    A name made of them looks empty on paper yet is not, and no one can retype it."""
    if not value or any(
        unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS for char in value
    ):
        return None
    codes = list(dict.fromkeys(f"U+{ord(char):04X}" for char in value))
    return ", ".join(codes[:4]) + (", …" if len(codes) > 4 else "")


def _identifier(value: str) -> str:
    if value in _RESERVED_IDS:
        raise PydanticCustomError(
            "fs_id",
            "identifiant « {value} » réservé : Windows ne peut pas créer de fichier à ce nom "
            "(CON, PRN, AUX, NUL, COM1 à COM9, LPT1 à LPT9) ; choisissez-en un autre",
            {"value": value},
        )
    if not _ID.match(value):
        raise PydanticCustomError(
            "fs_id",
            "identifiant « {value} » invalide : lettres minuscules sans accent, chiffres et "
            "tirets uniquement (ex. « cc-beauce-val-de-loire »)",
            {"value": value[:80]},
        )
    return value


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise PydanticCustomError(
            "fs_email",
            "adresse électronique « {value} » invalide : {why} (attendu : nom@domaine.fr)",
            {"value": value, "why": _email_fault(value)},
        ) from None


def _email_fault(value: str) -> str:
    # email_validator explains in English; the common slips are named here in French.
    local, _, domain = value.partition("@")
    if "@" not in value:
        return "il manque « @ »"
    if "@" in domain:
        return "une adresse ne contient qu’un seul « @ »"
    if any(char.isspace() for char in value):
        return "une adresse ne contient pas d’espace"
    if not local:
        return "rien avant « @ »"
    if "." not in domain:
        return "le domaine après « @ » doit contenir un point"
    return "caractère non permis ou domaine mal formé"


# Metropolitan France first, then the overseas départements and collectivities, whose
# numbers ("05 90 …" in Guadeloupe) are national numbers of their own region.
_PHONE_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def _phone(value: str | int) -> str:
    text = str(value)
    number = None
    for region in _PHONE_REGIONS:
        try:
            candidate = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    if number is None:
        raise PydanticCustomError(
            "fs_phone",
            "numéro de téléphone « {value} » invalide "
            "(attendu : 02 54 45 34 54 ou +33 2 54 45 34 54)",
            {"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _departement_code(value: object) -> object:
    # YAML reads `41` as a number and `01` as 1: codes are strings, zero-padded.
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:02d}"
    return value


class ToFill:
    """Marks a field that may stay empty (``~``) while a convention is drafted."""

    def __repr__(self) -> str:
        return "ToFill()"


TO_FILL = ToFill()

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_text)]
Fill = Annotated[Text | None, TO_FILL]  # None: still to fill in, printed « [à compléter] »
Ident = Annotated[
    str,
    Field(max_length=64),
    AfterValidator(_identifier),
    # Lets editors underline a bad id as it is typed (JSON Schema only; _identifier decides).
    WithJsonSchema({"type": "string", "pattern": _ID.pattern, "maxLength": 64}),
]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str | int, AfterValidator(_phone)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Civilite(StrEnum):
    MONSIEUR = "Monsieur"
    MADAME = "Madame"

    @property
    def genre(self) -> Genre:
        return Genre.FEMININ if self is Civilite.MADAME else Genre.MASCULIN


class Personne(Model):
    """A person who signs, represents someone, or witnesses."""

    civilite: Annotated[Civilite | None, TO_FILL] = Field(
        description="Monsieur ou Madame : accorde les titres"
    )
    prenom: Fill
    nom: Fill
    fonction: Fill = Field(
        description="Fonction telle qu’elle s’imprime, accordée automatiquement à la civilité "
        "(ex. « Directeur départemental des Finances publiques »)"
    )
    telephone: Phone | None = None
    courriel: Email | None = None


class Prefet(Model):
    civilite: Annotated[Civilite | None, TO_FILL]
    prenom: Fill
    nom: Fill
    fonction: Text | None = Field(
        default=None,
        description="Laisser vide pour « Préfet de <département> » ; sinon titre complet "
        "(ex. « Préfet de la région Centre-Val de Loire, Préfet du Loiret »)",
    )


class Signataire(Model):
    id: Ident
    organisation: Fill = Field(
        description="Nom de l’organisme avec son article : « la communauté de communes … »"
    )
    representant: Personne
    represente_par: Personne | None = Field(
        default=None, description="Délégataire qui signe pour le représentant"
    )


class Gestionnaire(Signataire):
    pass


class RepresentantPartenaire(Personne):
    fonction: Text | None = Field(
        default=None,
        description="Vide : le titre usuel du catalogue de fsdocs à la date de signature (ex. "
        "« Directeur territorial de France Travail »), accordé à la civilité ; écrit, il le "
        "remplace",
    )


class PartenaireSignataire(Signataire):
    representant: RepresentantPartenaire
    partenaire: Ident | None = Field(
        default=None,
        description="Identifiant du partenaire national (catalogue de fsdocs) ; vide pour un "
        "partenaire local",
    )


class Duree(Model):
    annees: int | None = Field(
        default=None,
        ge=1,
        le=10,
        description="Durée en années ; vide : celle de l’Accord cadre national",
    )
    tacite_reconduction: bool = True


class Signature(Model):
    lieu: Fill
    date: Annotated[date | None, TO_FILL]


class AnnexeRef(Model):
    id: Literal[
        "charte",
        "bouquet",
        "accord-cadre",
        "modalites",
        "offre",
        "referents",
        "mandat",
        "partenaires",
    ]
    titre: Text | None = None
    fichier: Text | None = Field(
        default=None, description="PDF national fourni (annexes 1 à 3), relatif au projet"
    )
    reference: Text | None = Field(
        default=None,
        description="Annexe nationale jointe par référence, sans son PDF : où la consulter, "
        "imprimé sur son intercalaire (« publiée par l’Agence nationale de la cohésion des "
        "territoires »)",
    )


class ConventionFile(Model):
    departement: Annotated[
        str, BeforeValidator(_departement_code, json_schema_input_type=str | int)
    ] = Field(description="Code INSEE du département (« 41 », « 2A », « 974 »)")
    forme_departement: Text | None = Field(
        default=None,
        description="Complément « de … » si l’usage diffère de celui de fsdocs "
        "(« de Loir-et-Cher »)",
    )
    labellisation: date = Field(description="Date de référence : structures labellisées au …")
    signature: Signature
    duree: Duree = Duree()
    annexes: list[AnnexeRef] = Field(min_length=1)

    @field_validator("annexes")
    @classmethod
    def _cited_annexes(cls, annexes: list[AnnexeRef]) -> list[AnnexeRef]:
        ids = [annexe.id for annexe in annexes]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"annexe(s) en double : {', '.join(twice)} ; gardez-en une")
        if missing := [(i, where) for i, where in CITED_ANNEXES.items() if i not in ids]:
            cited = " ; ".join(f"« {i} » ({where})" for i, where in missing)
            raise ValueError(f"la convention renvoie à ces annexes, gardez-les : {cited}")
        return annexes


# The annexes the convention's articles refer to by number (templates/wording/).
CITED_ANNEXES = {"bouquet": "article 3", "referents": "article 5", "modalites": "article 8"}


class PrefetFile(Model):
    prefet: Prefet


class GestionnairesFile(Model):
    gestionnaires: list[Gestionnaire] = Field(min_length=1)


class PartenairesFile(Model):
    partenaires: list[PartenaireSignataire] = Field(min_length=1)


class TemoinsFile(Model):
    temoins: list[Personne] = Field(default_factory=list)
