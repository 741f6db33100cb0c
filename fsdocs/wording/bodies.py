"""Who signs for whom: a signatory's function, completed by the body they sign for.

The parties list and the signature blocks must let a reader tell which CPAM or which court
signs. A function often names its body already (« Président de la communauté de communes
Beauce Val de Loire »), or names its kind and the body completes it (« Président du Tribunal
judiciaire » + « le Tribunal judiciaire de Blois » → « Président du Tribunal judiciaire de
Blois »). Otherwise the body is printed beside the function (« pour la Direction
départementale des Finances publiques de Loir-et-Cher »).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A lower-case article opens an organisation's name (« la communauté de communes … »); a
# capitalised one belongs to a proper name (« La Poste ») and stays.
_ARTICLE = re.compile(r"^(?:la|le|les)\s+|^l[’']\s*")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
# Before a body's kind, « du Conseil », « de l’Agence »: one shared word is then enough.
_STEM = 6  # letters: « direct(eur) », « direct(ion) »
_LINKS = {"du", "de", "des", "d", "la", "le", "les", "l"}


@dataclass(frozen=True)
class Qualite:
    """How a signatory's office prints."""

    fonction: str  # the function, completed by the body when it names its kind
    pour: str  # the body, when the function does not name it (« la Direction … »), else ""


def _folded(text: str) -> list[str]:
    """The words of ``text`` as two spellings of one body share them: without case or
    accents, cut to their stem, so that the « Directeur départemental des Finances publiques
    de Loir-et-Cher » names the « Direction départementale des Finances publiques de
    Loir-et-Cher »."""
    bare = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return [word[:_STEM] for word in _WORDS.findall(bare)]


def _body(organisation: str) -> str:
    """The organisation's name without its article: « Tribunal judiciaire de Blois »."""
    return _ARTICLE.sub("", organisation, count=1)


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _overlap(fonction: list[str], body: list[str]) -> int:
    """How many words end the function and begin the body: at least two, or one led by
    « du », « de l’ »… (« Président du Conseil »); none otherwise."""
    for size in range(min(len(fonction), len(body)), 0, -1):
        if fonction[-size:] != body[:size]:
            continue
        if size > 1 or (len(fonction) > 1 and fonction[-2] in _LINKS):
            return size
    return 0


def _remainder(body: str, skipped: int) -> str:
    """What follows the first ``skipped`` words of ``body``, as written."""
    matches = list(_WORDS.finditer(body))
    return body[matches[skipped - 1].end() :] if skipped <= len(matches) else ""


def qualite(fonction: str, organisation: str | None) -> Qualite:
    """``fonction`` with the body it is exercised for (see the module)."""
    if not organisation:
        return Qualite(fonction, "")
    body = _body(organisation)
    words, body_words = _folded(fonction), _folded(body)
    if not body_words or _contains(words, body_words):
        return Qualite(fonction, "")
    if size := _overlap(words, body_words):
        return Qualite(fonction.rstrip() + _remainder(body, size), "")
    return Qualite(fonction, organisation)
