"""The form of a structure, generated from its model (annexes_model.StructureFile): what it
shows, read from the structure's YAML, and what a posted form asks to write.

Scalars are text inputs labelled in French, with the model's description as a hint; opening
hours are a week grid of two slots a day (``09:00-12:00 / 13:30-17:30``); a day written in a
way the grid cannot show (a third slot, words) stays a text input, so nothing is lost.
Equipment and the yes/no facts are choices (« Valeur commune du département » removes the
key); the agents and the stops are lists of rows (fsdocs/web/lists.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from fsdocs.project.annexes_model import Adresse, StructureFile, TypeStructure
from fsdocs.project.horaires import JOURS, ecrire_creneaux, lire_creneaux
from fsdocs.project.model import Equipements
from fsdocs.web import lists

# Path of the value → its label. The model's description, where it has one, is the hint.
SCALARS: tuple[tuple[str, str], ...] = (
    ("nom", "Nom"),
    ("appellation", "Appellation dans la convention"),
    ("commune", "Commune"),
    ("adresse.voie", "Adresse : numéro et voie"),
    ("adresse.complement", "Complément d’adresse"),
    ("adresse.code_postal", "Code postal"),
    ("rendez_vous", "Accueil et rendez-vous"),
    ("telephone", "Téléphone"),
    ("courriel", "Courriel"),
    ("formulaire", "Formulaire de contact en ligne"),
)
LONG_TEXTS: tuple[tuple[str, str], ...] = (
    ("modalites", "Modalités de gestion propres à la structure"),
)
FLAGS: tuple[tuple[str, str], ...] = (
    ("equipements.internet", "Accès à internet"),
    ("equipements.ordinateur", "Ordinateur"),
    ("equipements.imprimante_scanner", "Imprimante / scanner"),
    ("equipements.photocopieur", "Photocopieur"),
    ("equipements.telephone", "Téléphone"),
    ("equipements.visioconference", "Visioconférence"),
    ("equipements.wifi", "Wifi"),
    ("equipements.tablette", "Tablette"),
    ("accessibilite_pmr", "Accessible aux personnes à mobilité réduite"),
    ("espace_confidentiel", "Espace confidentiel"),
)
FLAG_CHOICES = (
    ("", "Valeur commune du département"),
    ("oui", "Oui"),
    ("non", "Non"),
    ("~", "À compléter"),
)
TYPES = tuple(t.value for TYPE in (TypeStructure,) for t in TYPE)
JOUR_LIBELLES = {j: j.capitalize() for j in JOURS}
SLOTS = 2


class Removed:
    """A change that removes its key (the département's common value applies again)."""


REMOVE = Removed()

# The order of the keys in the model, for a key the file did not have to take its place.
ORDER: dict[tuple[str, ...], tuple[str, ...]] = {
    (): tuple(StructureFile.model_fields),
    ("adresse",): tuple(Adresse.model_fields),
    ("horaires",): JOURS,
    ("equipements",): tuple(Equipements.model_fields),
}


def description(path: str) -> str | None:
    """The model's description of the field at dotted ``path``, if it has one."""
    model: type[BaseModel] = StructureFile
    *parents, last = path.split(".")
    for name in parents:
        annotation = model.model_fields[name].annotation
        candidates: tuple[Any, ...] = getattr(annotation, "__args__", (annotation,))
        found: list[type[BaseModel]] = [a for a in candidates if _is_model(a)]
        if not found:
            return None
        model = found[0]
    info = model.model_fields.get(last)
    return info.description if info is not None else None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def lookup(data: Any, path: str) -> tuple[bool, Any]:
    """Whether dotted ``path`` is written in ``data`` (plain YAML), and its value."""
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


@dataclass
class Day:
    """One day of the week grid: two slots, or the text the grid cannot show."""

    jour: str
    libelle: str
    grille: bool
    creneaux: list[tuple[str, str]]  # SLOTS pairs of "hh:mm" ("" when empty)
    texte: str = ""
    erreurs: list[str] = field(default_factory=list)


def day_text(data: Any, jour: str) -> str:
    written, value = lookup(data, f"horaires.{jour}")
    return "" if not written or value is None else str(value)


def grid_day(jour: str, text: str) -> Day:
    """``text`` as the grid shows it, or as text when the grid cannot say it exactly."""
    reading = lire_creneaux(text)
    if reading.problemes or reading.reste or len(reading.creneaux) > SLOTS:
        return Day(jour, JOUR_LIBELLES[jour], False, [("", "")] * SLOTS, text)
    slots = [(f"{s.debut:%H:%M}", f"{s.fin:%H:%M}") for s in reading.creneaux]
    return Day(jour, JOUR_LIBELLES[jour], True, slots + [("", "")] * (SLOTS - len(slots)))


def posted_day(form: Mapping[str, str], jour: str) -> str | None:
    """The day's value as the posted form writes it (None: the day is not in the form)."""
    if f"horaires.{jour}" in form:  # a day shown as text
        return form[f"horaires.{jour}"].strip()
    if f"horaires-{jour}-1-debut" not in form:
        return None
    pieces = []
    for n in range(1, SLOTS + 1):
        start = form.get(f"horaires-{jour}-{n}-debut", "").strip()
        end = form.get(f"horaires-{jour}-{n}-fin", "").strip()
        if start or end:
            pieces.append(f"{start}-{end}")
    text = " / ".join(pieces)
    reading = lire_creneaux(text)
    if reading.problemes or reading.reste:
        return text  # written as typed: the reader says what is wrong with it
    return ecrire_creneaux(reading.creneaux)  # « 9h » and « 09:00 » alike: 09:00


def flag_choice(data: Any, path: str) -> str:
    written, value = lookup(data, path)
    if not written:
        return ""
    return "~" if value is None else ("oui" if value is True else "non")


@dataclass
class FormView:
    """What the page shows: each input's value and its errors, by path."""

    valeurs: dict[str, str]
    jours: list[Day]
    erreurs: dict[str, list[str]]
    listes: list[lists.ListView]
    avertissements: dict[str, list[str]] = field(default_factory=dict)


def form_view(
    data: Any, posted: Mapping[str, str] | None = None, errors: Mapping[str, list[str]] = {}
) -> FormView:
    """The form for the structure's values ``data``; with ``posted``, the person's input
    shown again (a refused save keeps what they typed)."""
    values: dict[str, str] = {}
    for path, _ in (*SCALARS, *LONG_TEXTS):
        written, value = lookup(data, path)
        values[path] = "" if not written or value is None else str(value)
    values["type"] = str(lookup(data, "type")[1] or TypeStructure.FIXE.value)
    for path, _ in FLAGS:
        values[path] = flag_choice(data, path)
    days = [grid_day(jour, day_text(data, jour)) for jour in JOURS]
    if posted is not None:
        values |= {k: posted[k] for k in values if k in posted}
        for day in days:
            if day.grille:
                day.creneaux = [
                    (
                        posted.get(f"horaires-{day.jour}-{n}-debut", a),
                        posted.get(f"horaires-{day.jour}-{n}-fin", b),
                    )
                    for n, (a, b) in enumerate(day.creneaux, start=1)
                ]
            else:
                day.texte = posted.get(f"horaires.{day.jour}", day.texte)
    for day in days:
        day.erreurs = list(errors.get(f"horaires.{day.jour}", []))
    rows = [lists.list_view(data, f, posted) for f in lists.LISTS]
    return FormView(values, days, dict(errors), rows)


def wanted(form: Mapping[str, str], data: Any) -> dict[str, Any]:
    """The values the posted form asks to change, by path, compared with ``data``: a value
    left as it was is not written again; a cleared text is « ~ »; a flag set back to the
    département's common value is REMOVE; a list changed is its ListEdit."""
    changes: dict[str, Any] = {}
    for path, _ in (*SCALARS, *LONG_TEXTS):
        if path not in form:
            continue
        written, old = lookup(data, path)
        new = form[path].replace("\r\n", "\n").strip()
        if not new:
            if written and old is not None:
                changes[path] = None
        elif not written or str(old) != new:
            changes[path] = new
    if "type" in form and form["type"] != (lookup(data, "type")[1] or TypeStructure.FIXE.value):
        changes["type"] = form["type"]
    for path, _ in FLAGS:
        choice = form.get(path)
        if choice not in ("", "oui", "non", "~") or choice == flag_choice(data, path):
            continue
        changes[path] = REMOVE if choice == "" else {"oui": True, "non": False}.get(choice)
    for jour in JOURS:
        day = posted_day(form, jour)
        old = day_text(data, jour)
        if day is None or day == old or _same_slots(day, old):
            continue
        changes[f"horaires.{jour}"] = day
    return changes | lists.changes(form, data)


def _same_slots(new: str, old: str) -> bool:
    a, b = lire_creneaux(new), lire_creneaux(old)
    clean = not (a.problemes or a.reste or b.problemes or b.reste)
    return clean and a.creneaux == b.creneaux
