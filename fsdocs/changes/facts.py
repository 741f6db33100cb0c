"""What changed in the facts between two states of a project, one line per change.

Structures and referents are read from the typed project, so a line speaks as a reader would
(« Blois · adresse : 11 place René Coty → 133 rue Michel Bégon », « Salbris · horaires du
mardi : fermé → 08:30–12:30 »); every other data file (convention, signatories, offers,
mandate…) is compared key by key, and a national PDF by its content. Keys, files and ids are
named in French and dates written out (:mod:`fsdocs.changes.labels`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from fsdocs.changes.labels import bare_name, field_labels, file_label, value_label
from fsdocs.project.annexes_model import Referent
from fsdocs.project.load import Source
from fsdocs.project.paths import REFERENTS, STRUCTURES
from fsdocs.project.project import Project, Structure

ABSENT = "—"
CLOSED = "fermé"
# Hours are stored as « 08:30-12:30 »; a summary prints them as a person would, with an en dash.
_HOURS = re.compile(r"(\d\d:\d\d)-(\d\d:\d\d)")


@dataclass(frozen=True)
class Change:
    """One change of the data; ``champ`` is empty for a whole structure, referent or file."""

    sujet: str
    champ: tuple[str, ...]
    avant: str
    apres: str
    fichier: str = ""  # the data file it comes from, relative to the project
    libelles: tuple[str, ...] = ()  # ``champ`` in French (:func:`field_labels`)

    def __str__(self) -> str:
        where = " · ".join((self.sujet, *(self.libelles or field_labels(self.champ, {}, False))))
        if not self.champ:  # a whole structure, referent or file: the text says which way
            return f"{where} : {self.apres if self.avant == ABSENT else self.avant}"
        return f"{where} : {self.avant} → {self.apres}"


def data_changes(old: Project, new: Project) -> list[Change]:
    """Every structure and referent field that differs, in the new project's order."""
    changes: list[Change] = []
    labels = _labels(old.structures) | _labels(new.structures)
    known = names(old) | names(new)
    before = {s.id: s for s in old.structures}
    after = {s.id: s for s in new.structures}
    for ident in _new_then_gone(after, before):
        label = labels[ident]
        fichier = f"{STRUCTURES}/{ident}.yaml"
        if ident not in before:
            changes.append(_added(label, f"structure ajoutée ({after[ident].data.nom})", fichier))
        elif ident not in after:
            removed = f"structure retirée ({before[ident].data.nom})"
            changes.append(_removed(label, removed, fichier))
        else:
            changes += _fields(label, before[ident].data, after[ident].data, fichier, known)
    changes += _referents(old.referents.referents, new.referents.referents, known)
    return changes


def names(project: Project) -> dict[str, str]:
    """What a reader calls each id of the project: a structure by its commune, a signatory
    or a local partner by its name, an annex by its number."""
    found: dict[str, str] = {
        a.id: f"annexe {i}" for i, a in enumerate(project.convention.annexes, 1)
    }
    found |= _labels(project.structures)
    for signatory in (*project.gestionnaires, *project.partenaires):
        if signatory.organisation:
            found[signatory.id] = bare_name(signatory.organisation)
    found |= {p.id: bare_name(p.nom) for p in project.partenaires_locaux}
    return found


def file_changes(
    old: Mapping[str, bytes],
    new: Mapping[str, bytes],
    old_sources: Mapping[str, Source],
    new_sources: Mapping[str, Source],
    known: Mapping[str, str] | None = None,
) -> list[Change]:
    """Key-by-key changes of the data files that :func:`data_changes` does not read, from
    what the (guarded, alias-free) loader made of each file when its project loaded;
    ``known`` names the ids (:func:`names`)."""
    known = known or {}
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        if name.startswith(f"{STRUCTURES}/") or name == REFERENTS:
            continue
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        sujet = file_label(name, known)
        if before is None:
            changes.append(_added(sujet, "fichier ajouté", name))
        elif after is None:
            changes.append(_removed(sujet, "fichier retiré", name))
        elif name not in old_sources or name not in new_sources:  # a PDF, or not of the model
            changes.append(_removed(sujet, "fichier remplacé", name))
        else:
            old_data, new_data = old_sources[name].data, new_sources[name].data
            changes += _leaves(sujet, old_data, new_data, name, known, in_file=True)
    return changes


def _labels(structures: tuple[Structure, ...]) -> dict[str, str]:
    """A structure is named by its commune, or by its id when two share a commune."""
    communes = [s.data.commune for s in structures]
    return {
        s.id: s.data.commune if s.data.commune and communes.count(s.data.commune) == 1 else s.id
        for s in structures
    }


def _fields(
    sujet: str, old: BaseModel, new: BaseModel, fichier: str, known: Mapping[str, str]
) -> list[Change]:
    old_data, new_data = old.model_dump(mode="json"), new.model_dump(mode="json")
    return _leaves(sujet, old_data, new_data, fichier, known)


def _leaves(
    sujet: str,
    old: Any,
    new: Any,
    fichier: str,
    known: Mapping[str, str],
    in_file: bool = False,
) -> list[Change]:
    """Each leaf of two data trees that prints differently."""
    flat_old, flat_new = _flatten(old), _flatten(new)
    changes = []
    for path in _new_then_gone(flat_new, flat_old):
        # Compared as printed: hours left out and an empty day are both « fermé ».
        avant, apres = _show(path, flat_old.get(path)), _show(path, flat_new.get(path))
        if avant != apres:
            labels = tuple(field_labels(path, known, in_file))
            changes.append(Change(sujet, path, avant, apres, fichier, labels))
    return changes


def _new_then_gone(new: Mapping[Any, Any], old: Mapping[Any, Any]) -> list[Any]:
    """The keys in the new order, then those that are gone."""
    return [*new, *(k for k in old if k not in new)]


def _added(sujet: str, what: str, fichier: str) -> Change:
    return Change(sujet, (), ABSENT, what, fichier)


def _removed(sujet: str, what: str, fichier: str) -> Change:
    return Change(sujet, (), what, ABSENT, fichier)


def _flatten(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves by path; the street and its complement are one field, as people read them."""
    if path == ("adresse",) and isinstance(value, dict):
        street = ", ".join(str(p) for p in (value.get("voie"), value.get("complement")) if p)
        return {path: street or None, ("code_postal",): value.get("code_postal")}
    if isinstance(value, dict):
        return {
            k: v
            for key, item in value.items()
            for k, v in _flatten(item, (*path, str(key))).items()
        }
    if isinstance(value, list):
        found: dict[tuple[str, ...], Any] = {}
        for i, item in enumerate(value):
            # An item with an id is followed by it, wherever it moves in its list.
            ident = item.get("id") if isinstance(item, dict) else None
            key = ident if isinstance(ident, str) and ident else str(i + 1)
            found |= _flatten(item, (*path, key))
        return found
    return {path: value}


def _show(path: tuple[str, ...], value: Any) -> str:
    if path[:1] == ("horaires",) or path[-1:] == ("horaires",):
        return _HOURS.sub(r"\1–\2", value) if value else CLOSED
    if value is None or value == "":
        return ABSENT
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value_label(value)


def _referents(
    old: Mapping[str, Sequence[Referent]],
    new: Mapping[str, Sequence[Referent]],
    known: Mapping[str, str],
) -> list[Change]:
    changes: list[Change] = []
    for partner in _new_then_gone(new, old):
        before = {_who(p): p for p in old.get(partner, [])}
        after = {_who(p): p for p in new.get(partner, [])}
        sujet = f"référents · {known.get(partner, partner)}"
        for who in _new_then_gone(after, before):
            if who not in before:
                changes.append(_added(sujet, f"ajouté {_described(after[who])}", REFERENTS))
            elif who not in after:
                removed = f"retiré {_described(before[who])}"
                changes.append(_removed(sujet, removed, REFERENTS))
            else:
                changes += _fields(f"{sujet} · {who}", before[who], after[who], REFERENTS, known)
    return changes


def _described(person: Referent) -> str:
    """« Paul Durand (chargé de mission) »; a referent designated by function, by it alone."""
    who = _who(person)
    return f"{who} ({person.fonction})" if person.named and person.fonction else who


def _who(person: Referent) -> str:
    if not person.named:  # designated by function
        return person.fonction or "?"
    return f"{person.prenom or '?'} {person.nom or '?'}"
