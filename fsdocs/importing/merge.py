"""Gestionnaires that are one legal entity, merged by ``fsdocs importer`` when it is safe.

Two entries of signatories/gestionnaires.yaml with one SIREN, or one name however typed
(:func:`fsdocs.rules.gestionnaires.same_entity`), are one signatory written twice. When one of
them is still a placeholder the import made (its representative all « ~ », no delegate, no
other SIREN), nothing a person wrote is lost by dropping it: its structures are re-pointed to
the other and it goes. Otherwise both stay, and ``fsdocs controler`` reports them (rule
``personne-morale``) for a person to decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from fsdocs.project.model import Gestionnaire
from fsdocs.rules.gestionnaires import same_entity


@dataclass(frozen=True)
class Fusion:
    retire: str  # the placeholder dropped
    garde: str  # the gestionnaire its structures now name
    motif: str  # « même nom « La Poste » »
    structures: tuple[str, ...]  # the files re-pointed

    def __str__(self) -> str:
        count = len(self.structures)
        return (
            f"{self.retire} → {self.garde} ({self.motif}) : {count} structure"
            f"{'s' if count > 1 else ''} rattachée{'s' if count > 1 else ''}, une seule signature"
        )


def placeholder(entry: Gestionnaire) -> bool:
    """Whether nothing of ``entry`` but its id, organisation and SIREN was written."""
    person = entry.representant
    return entry.represente_par is None and all(
        getattr(person, key) is None for key in type(person).model_fields
    )


def merge_entities(entries: CommentedSeq, structures: Iterable[tuple[str, Any]]) -> list[Fusion]:
    """Drop from ``entries`` each placeholder that repeats another entry's legal entity, and
    re-point the structures (file name, document) that named it; the merges done."""
    typed = [_typed(entry) for entry in entries]
    dropped: dict[int, tuple[int, str]] = {}  # index → (index kept, why)
    for i, other in enumerate(typed):
        for j in range(i):
            first = typed[j]
            if first is None or other is None or j in dropped:
                continue
            why = same_entity(first, other)
            if why is None:
                continue
            if placeholder(other) and (other.siren is None or first.siren is not None):
                dropped[i] = (j, why)
            elif placeholder(first) and (first.siren is None or other.siren is not None):
                dropped[j] = (i, why)
            break
    fusions: list[Fusion] = []
    docs = list(structures)
    for index, (kept, why) in dropped.items():
        old, new = str(entries[index]["id"]), str(entries[kept]["id"])
        moved = []
        for name, doc in docs:
            if isinstance(doc, dict) and doc.get("gestionnaire") == old:
                doc["gestionnaire"] = new
                moved.append(name)
        fusions.append(Fusion(old, new, why, tuple(moved)))
    for index in sorted(dropped, reverse=True):
        _remove(entries, index)
    return fusions


def _typed(entry: Any) -> Gestionnaire | None:
    try:
        return Gestionnaire.model_validate(dict(entry))
    except (ValidationError, TypeError, ValueError):
        return None  # a person's entry still in the making: not judged here


def _remove(entries: CommentedSeq, index: int) -> None:
    """Remove entry ``index`` with the comment that introduces it. The comment before an
    entry is stored after the last key of the entry before: the one that introduced the next
    entry moves there."""
    if index > 0:
        before, after = _tail(entries[index - 1]), _tail(entries[index])
        if before is not None and after is not None:
            token = after[0].ca.items.get(after[1], [None, None, None, None])[2]
            before[0].ca.items.setdefault(before[1], [None, None, None, None])[2] = token
    del entries[index]


def _tail(node: Any) -> tuple[CommentedMap, Any] | None:
    """The innermost mapping and key that end ``node`` in the file."""
    if not isinstance(node, CommentedMap) or not node:
        return None
    key = list(node)[-1]
    return _tail(node[key]) or (node, key)
