"""French language helpers: typography, dates, gender agreement of titles, "de" contractions.

Everything a document prints passes through :func:`typography`, so template wording and user
data get the same rules: non-breaking spaces before ; : ! ? and inside « », typographic
apostrophes, ellipsis.
"""

from __future__ import annotations

import re
from datetime import date, time
from enum import StrEnum

from babel.dates import format_date
from num2words import num2words

NBSP = "\u00a0"  # before a colon, inside guillemets, in "6 février"
NNBSP = "\u202f"  # narrow, before ; ! ?


class Genre(StrEnum):
    MASCULIN = "masculin"
    FEMININ = "féminin"


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=\s)'(?=\w)|^'(?=\w)")
_DOUBLE_QUOTED = re.compile(r'"\s*([^"]*?)\s*"')
_BEFORE_HIGH = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\]])")
# No look-behind: the match must start at the first space, or "2020 :" keeps its space
# beside the inserted NBSP. Times ("09:00") are safe: their colon is not followed by a space.
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_GUILLEMET_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_GUILLEMET_CLOSE = re.compile(r"[ \u00a0\u202f]*»")
_ELLIPSIS = re.compile(r"\.\.\.")
_SPACES = re.compile(r"[ \t\r\n]+")
# Spaces no line may break: a number and the unit or noun it counts (« 72 heures », « 10 % »,
# « 41000 Blois »), an ordinal and its noun (« 1er janvier »), the word a number completes
# (« article 8 », « annexe 4 », « n° 2000-321 ») and a month and its year.
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_LINKS = r"(?:et|ou|à|au|aux|du|de|des|d|le|la|les|l|en|sur|par|pour|dans|avec)"  # not counted
_UNBREAKABLE = (
    # not after a year: « en 2020 les maisons » may break
    re.compile(rf"(?<!\d)(\d{{1,3}}|\d{{5,}}) (?=%|€|(?!{_LINKS}\b)[^\W\d_])"),
    re.compile(r"\b(\d+(?:er|re|e|ème)) (?=[^\W\d_])"),
    re.compile(r"\b(articles?|annexes?|n°|pages?|alinéas?|chapitres?) (?=\d)", re.IGNORECASE),
    re.compile(rf"\b({_MONTHS}) (?=\d{{4}}\b)", re.IGNORECASE),
)


def typography(text: str) -> str:
    """Apply French typographic rules to a piece of running text (see the module, and
    ``_UNBREAKABLE`` for the spaces no line may break).

    Idempotent: applying it twice changes nothing more. Times ("09:00") and addresses
    ("https://…") are left alone because their colon is not followed by a space.
    """
    text = _APOSTROPHE.sub("’", text)
    text = _DOUBLE_QUOTED.sub(lambda m: f"«{NBSP}{m.group(1)}{NBSP}»", text)
    text = _ELLIPSIS.sub("…", text)
    text = _BEFORE_HIGH.sub(lambda m: f"{NNBSP}{m.group(1)}", text)
    text = _BEFORE_COLON.sub(f"{NBSP}:", text)
    text = _GUILLEMET_OPEN.sub(f"«{NBSP}", text)
    text = _GUILLEMET_CLOSE.sub(f"{NBSP}»", text)
    for rule in _UNBREAKABLE:
        text = rule.sub(rf"\1{NBSP}", text)
    return text


def clean_spaces(text: str) -> str:
    """Collapse the spaces and newlines a person typed into single spaces."""
    return _SPACES.sub(" ", text).strip()


def long_date(day: date) -> str:
    """``6 février 2020``; ``1er janvier 2020`` (the first of the month is an ordinal)."""
    month_year = format_date(day, "MMMM y", locale="fr_FR")
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first}{NBSP}{month_year}"


def heure(moment: time) -> str:
    """``9 h``, ``12 h 30``: the French administrative notation of a time of day."""
    return (
        f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
        if moment.minute
        else f"{moment.hour}{NBSP}h"
    )


def plage(debut: time, fin: time) -> str:
    """``9 h – 12 h 30``, never broken across lines."""
    return f"{heure(debut)}{NBSP}–{NBSP}{heure(fin)}"


def duree(minutes: int) -> str:
    """``1650`` → ``27 h 30``; ``1440`` → ``24 h``."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}{NBSP}h{NBSP}{rest:02d}" if rest else f"{hours}{NBSP}h"


def number_words(number: int) -> str:
    """``9`` → ``neuf``."""
    return str(num2words(number, lang="fr"))


# Title words of French functions, masculine → feminine. Only the leading words of a function
# are inflected ("Directeur départemental des Finances publiques"): the complement that follows
# the first preposition belongs to the organisation and never agrees with the person.
_FEMININE = {
    "préfet": "préfète",
    "sous-préfet": "sous-préfète",
    "président": "présidente",
    "vice-président": "vice-présidente",
    "directeur": "directrice",
    "sous-directeur": "sous-directrice",
    "chef": "cheffe",
    "délégué": "déléguée",
    "adjoint": "adjointe",
    "général": "générale",
    "généraux": "générales",
    "départemental": "départementale",
    "régional": "régionale",
    "territorial": "territoriale",
    "interdépartemental": "interdépartementale",
    "national": "nationale",
    "local": "locale",
    "principal": "principale",
    "conseiller": "conseillère",
    "coordinateur": "coordinatrice",
    "coordonnateur": "coordonnatrice",
    "animateur": "animatrice",
    "administrateur": "administratrice",
    "inspecteur": "inspectrice",
    "procureur": "procureure",
    "premier": "première",
    "maire": "maire",
    "responsable": "responsable",
    "secrétaire": "secrétaire",
    "gérant": "gérante",
    "agent": "agente",
    "manager": "manageuse",
    "élu": "élue",
    "représentant": "représentante",
    "intérimaire": "intérimaire",
}
_MASCULINE = {fem: masc for masc, fem in _FEMININE.items()}
_WORD = re.compile(r"[\w’'-]+|[^\w’'-]+")
_STOP_WORDS = {"de", "du", "des", "d", "en", "à", "au", "aux", "pour", "chargé", "chargée"}


def agree(function: str, genre: Genre) -> str:
    """Make the leading title words of ``function`` agree with ``genre``.

    ``agree("Directeur départemental des Finances publiques", Genre.FEMININE)`` gives
    ``"Directrice départementale des Finances publiques"``. Words are inflected until the
    first one that is not a known title word (a preposition, a name, a comma).
    """
    table = _FEMININE if genre is Genre.FEMININ else _MASCULINE
    parts = _WORD.findall(function)
    out: list[str] = []
    inflecting = True
    for part in parts:
        if inflecting and part[0].isalpha():
            lower = part.lower()
            if lower in _STOP_WORDS or (lower.startswith("d’") or lower.startswith("d'")):
                inflecting = False
            elif lower in table:
                part = _same_case(table[lower], part)
            elif lower not in table.values():
                inflecting = False
        elif part.strip() == ",":
            # A comma starts a new title ("Préfet de la région X, Préfet du Loiret") or a
            # complement whose first word is not a title ("Chef de projet, réseau La Poste").
            inflecting = True
        elif part.strip():
            inflecting = False
        out.append(part)
    return "".join(out)


def _same_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[0].isupper():
        return word[0].upper() + word[1:]
    return word


def past_participle(stem: str, genre: Genre) -> str:
    """``représenté`` / ``représentée``."""
    return stem + ("e" if genre is Genre.FEMININ else "")
