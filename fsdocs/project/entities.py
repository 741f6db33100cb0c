"""Legal entities: the SIREN that identifies one, and the folded name that recognises one
however it is typed.

One legal entity signs the convention once, whatever number of structures it manages: two
gestionnaires with one SIREN, or with names that differ only by case, accents, apostrophes or
a leading article (« la communauté de communes du Blaisois » and « Communauté de communes du
Blaisois »), are one signatory written twice. The rule that says so is
:mod:`fsdocs.rules.gestionnaires`; ``fsdocs importer`` merges them when it safely can.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic_core import PydanticCustomError

# The SIRENs INSEE gives outside the Luhn key. La Poste's, 356 000 000, passes the key; its
# establishments' SIRETs (356 000 000 + 5 digits) do not, and follow a rule of their own. It
# is listed all the same, so that no future change of the check can refuse the most frequent
# gestionnaire of the national list.
OUTSIDE_LUHN = frozenset({"356000000"})
LA_POSTE = "356000000"

_ARTICLE = re.compile(r"^(?:la|le|les|l)\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def luhn(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn key (every second digit from the right doubled)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def valid_siren(value: str | int) -> str:
    """A SIREN as written (« 213 701 097 », or a number): its 9 digits, or a French error."""
    text = str(value)
    digits = re.sub(r"[\s\u00a0\u202f.]", "", text)
    if not re.fullmatch(r"[0-9]+", digits) or len(digits) != 9:
        count = len(re.sub(r"[^0-9]", "", digits))
        raise PydanticCustomError(
            "fs_siren",
            "SIREN « {value} » invalide : 9 chiffres attendus (ex. « 213 701 097 »), espaces "
            "permis ; trouvé {count} chiffre(s){extra}",
            {
                "value": text[:40],
                "count": count,
                "extra": " et d’autres caractères" if count != len(digits) else "",
            },
        )
    if digits not in OUTSIDE_LUHN and not luhn(digits):
        raise PydanticCustomError(
            "fs_siren",
            "SIREN « {value} » invalide : sa clé de contrôle (formule de Luhn) ne correspond "
            "pas, un chiffre est sans doute mal recopié ; vérifiez-le sur "
            "annuaire-entreprises.data.gouv.fr",
            {"value": text},
        )
    return digits


def entity_key(name: str | None) -> str:
    """What two spellings of one legal entity's name share: no case, accents, apostrophes,
    punctuation or leading article (« L’Association Pimms » → « association pimms »)."""
    if not name:
        return ""
    text = name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _NOT_WORD.sub(" ", text).strip()
    return _ARTICLE.sub("", text)
