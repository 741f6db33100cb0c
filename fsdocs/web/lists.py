"""The lists of a structure's form: its agents and, for an itinerant structure, its stops.

Each item is a row of text inputs named by the item's path (``agents[1].nom``), followed by
empty rows to add items; a row whose inputs are all emptied removes its item. An item kept is
written back in place by the comment-keeping editor, its keys the form does not show with it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fsdocs.errors import Problem
from fsdocs.project.annexes_model import Arret
from fsdocs.project.model import Agent

EMPTY_ROWS = 2  # rows offered to add items, after the existing ones


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: type = str  # str, int or date: how a typed value is written


@dataclass(frozen=True)
class ListField:
    path: str
    legend: str
    item: str  # one item, for the rows' labels: « Agent 2 »
    new_item: str  # an empty row's label: « Nouvel agent »
    hint: str
    columns: tuple[Column, ...]
    order: tuple[str, ...]  # the model's key order, for a key an item did not have


AGENTS = ListField(
    "agents",
    "Agents France services",
    "Agent",
    "Nouvel agent",
    "Un agent nommé (prénom et nom, « ~ » s’ils restent à compléter), ou des agents comptés "
    "par leur fonction (nombre et fonction, sans nom). Videz toutes les cases d’une ligne pour "
    "retirer l’agent ; sans aucun agent, ceux communs au département s’appliquent.",
    (
        Column("prenom", "Prénom"),
        Column("nom", "Nom"),
        Column("fonction", "Fonction"),
        Column("nombre", "Nombre", int),
        Column("formation", "Formation initiale (AAAA-MM-JJ)", date),
    ),
    tuple(Agent.model_fields),
)
ARRETS = ListField(
    "arrets",
    "Arrêts de la France services itinérante",
    "Arrêt",
    "Nouvel arrêt",
    "Pour une structure itinérante : chaque arrêt, son jour (lundi … dimanche), ses horaires "
    "(« 09:00-12:00 / 13:30-17:00 »), son lieu et sa commune. Videz toutes les cases d’une "
    "ligne pour retirer l’arrêt.",
    (
        Column("jour", "Jour"),
        Column("horaires", "Horaires"),
        Column("lieu", "Lieu"),
        Column("commune", "Commune"),
        Column("frequence", "Fréquence"),
    ),
    tuple(Arret.model_fields),
)
LISTS = (AGENTS, ARRETS)
BY_PATH = {f.path: f for f in LISTS}
_ITEM = re.compile(r"([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?(.*)")


def item_path(path: str) -> tuple[ListField, int, str | None, str] | None:
    """``agents[1].nom`` → (AGENTS, 1, "nom", ""); None for a path outside the lists."""
    found = _ITEM.fullmatch(path)
    if not found or found.group(1) not in BY_PATH:
        return None
    return BY_PATH[found.group(1)], int(found.group(2)), found.group(3), found.group(4)


def shown(value: Any) -> str:
    """A written value as its input shows it (« ~ »: empty)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def written(column: Column, text: str) -> Any:
    """What a typed ``text`` writes: a number or a date when it reads as one, « ~ » as
    to-fill, else the text itself (the reader then says what is wrong with it)."""
    if text == "~":
        return None
    if column.kind is int and re.fullmatch(r"\d{1,6}", text):
        return int(text)
    if column.kind is date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


@dataclass
class Cell:
    key: str
    label: str
    path: str
    value: str


@dataclass
class Row:
    path: str
    label: str
    cells: list[Cell]
    new: bool


@dataclass
class ListView:
    field: ListField
    rows: list[Row] = dataclasses.field(default_factory=list)


def _items(data: Any, list_field: ListField) -> list[Any]:
    found = data.get(list_field.path) if isinstance(data, dict) else None
    return found if isinstance(found, list) else []


def posted_rows(form: Mapping[str, str], list_field: ListField) -> dict[int, dict[str, str]]:
    """The rows of ``list_field`` in the posted form, by index: each input's text."""
    rows: dict[int, dict[str, str]] = {}
    cell = re.compile(re.escape(list_field.path) + r"\[(\d{1,4})\]\.([a-z_]+)")
    for name, value in form.items():
        if found := cell.fullmatch(name):
            text = value.replace("\r\n", "\n").strip()
            rows.setdefault(int(found.group(1)), {})[found.group(2)] = text
    return rows


def list_view(data: Any, list_field: ListField, posted: Mapping[str, str] | None) -> ListView:
    """The rows of ``list_field``: its items, then empty rows; the posted text over them."""
    items = _items(data, list_field)
    again = posted_rows(posted, list_field) if posted is not None else {}
    count = max(len(items) + EMPTY_ROWS, max(again, default=-1) + 1)
    view = ListView(list_field)
    for i in range(count):
        item = items[i] if i < len(items) and isinstance(items[i], dict) else {}
        cells = []
        for column in list_field.columns:
            path = f"{list_field.path}[{i}].{column.key}"
            value = again.get(i, {}).get(column.key, shown(item.get(column.key)))
            cells.append(Cell(column.key, column.label, path, value))
        new = i >= len(items)
        label = f"{list_field.new_item if new else list_field.item} (ligne {i + 1})"
        view.rows.append(Row(f"{list_field.path}[{i}]", label, cells, new))
    return view


@dataclass(frozen=True)
class ListEdit:
    """A list's new items, each ``(index of the item it was, or None, its keys)``, and the
    form row each comes from (so that the reader's ``agents[1]`` names the row typed)."""

    items: tuple[tuple[int | None, dict[str, Any]], ...]
    rows: tuple[int, ...]


def list_edit(form: Mapping[str, str], data: Any, list_field: ListField) -> ListEdit | None:
    """What the posted rows ask of ``list_field``; None when they change nothing."""
    posted = posted_rows(form, list_field)
    if not posted:
        return None
    old = _items(data, list_field)
    items: list[tuple[int | None, dict[str, Any]]] = []
    rows: list[int] = []
    changed = False
    for i in sorted(set(posted) | set(range(len(old)))):
        before = old[i] if i < len(old) else None
        mapping = before if isinstance(before, dict) else {}
        was = {c.key: shown(mapping.get(c.key)) for c in list_field.columns}
        typed = {c.key: posted.get(i, {}).get(c.key, was[c.key]) for c in list_field.columns}
        if i < len(old) and (typed == was or not isinstance(before, dict)):
            items.append((i, dict(mapping)))
            rows.append(i)
            continue
        if not any(typed.values()):
            changed = changed or i < len(old)  # an item emptied is removed
            continue
        changed = True
        values = dict(mapping)
        for column in list_field.columns:
            text = typed[column.key]
            if text == was[column.key]:
                continue
            if text:
                values[column.key] = written(column, text)
            else:
                values.pop(column.key, None)
        items.append((i if i < len(old) else None, values))
        rows.append(i)
    return ListEdit(tuple(items), tuple(rows)) if changed else None


def changes(form: Mapping[str, str], data: Any) -> dict[str, ListEdit]:
    """The lists the posted form changes, by path."""
    return {f.path: edit for f in LISTS if (edit := list_edit(form, data, f)) is not None}


def renumbered(problems: list[Problem], edits: Mapping[str, Any]) -> list[Problem]:
    """``problems`` of the new text with each list item's path (``agents[1]``, its index in
    the new list) turned into the form row it was typed in."""
    found = []
    for problem in problems:
        where = item_path(problem.path)
        edit = edits.get(where[0].path) if where else None
        if where and isinstance(edit, ListEdit) and where[1] < len(edit.rows):
            list_field, index, key, rest = where
            tail = f".{key}{rest}" if key else rest
            path = f"{list_field.path}[{edit.rows[index]}]{tail}"
            problem = dataclasses.replace(problem, path=path)
        found.append(problem)
    return found
