"""The text fields of the project's files: what a text, an identifier or a field still to fill
in accepts, with the French message for what it refuses; and the frozen base of every model.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_TEXT = 2000
MAX_LONG_TEXT = 4000

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
LongText = Annotated[str, Field(min_length=1, max_length=MAX_LONG_TEXT), AfterValidator(_text)]
Flag = Annotated[bool | None, TO_FILL]
Ident = Annotated[
    str,
    Field(max_length=64),
    AfterValidator(_identifier),
    # Lets editors underline a bad id as it is typed (JSON Schema only; _identifier decides).
    WithJsonSchema({"type": "string", "pattern": _ID.pattern, "maxLength": 64}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
