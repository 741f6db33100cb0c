"""The partners' complementary offer at a structure (Annexe 5) on the structure's form: for
each file ``annexes/offres/<partenaire>.yaml`` of the project, the entry of THIS structure
(``offres: {<structure>: …}``) — its appointments, its video link, whether the agents are
trained, its permanences as rows (fsdocs/web/lists.py).

Inputs are named ``offres.<partenaire>.<key>`` (``offres.caf-41.permanences[0].jour``): the
structure is never in the name, so a form can only reach the entry of the structure whose page
it posts to. A partner's file is edited by the comment-keeping editor, its entry for the
structure created in its place if absent, removed once emptied.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from fsdocs.errors import Problem
from fsdocs.files.read import ProjectFiles
from fsdocs.importing.yamledit import (
    delete_value,
    dump_document,
    get_value,
    load_document,
    set_items,
    set_value,
)
from fsdocs.project.annexes_model import Offre, Permanence
from fsdocs.project.paths import OFFRES
from fsdocs.project.project import Project
from fsdocs.web.lists import Column, ListEdit, ListField, ListView, list_edit, list_view

_IDENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEXTS: tuple[tuple[str, str], ...] = (
    ("rendez_vous", "Rendez-vous"),
    ("visio", "Visioconférence"),
)
CHOICES = (("", "Valeur par défaut (oui)"), ("oui", "Oui"), ("non", "Non"))
_PATH = re.compile(
    r"offres\.([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(rendez_vous|visio|agents_formes)"
    r"|\.permanences(?:\[(\d+)\](?:\.(jour|frequence|horaires|lieu))?)?)?(.*)"
)


class Removed:
    """A change that removes its key from the structure's entry."""


REMOVE = Removed()


def partner_files(root: Path) -> list[str]:
    """The partners' offers files of the project, by name."""
    names = ProjectFiles(root).listing(OFFRES, ".yaml")
    return [n for n in names if _IDENT.fullmatch(partner(n)) and len(partner(n)) <= 64]


def partner(name: str) -> str:
    """``annexes/offres/caf-41.yaml`` → ``caf-41``."""
    return name.rsplit("/", 1)[-1].removesuffix(".yaml")


def permanences(partner_id: str) -> ListField:
    """The rows of a partner's permanences at the structure."""
    return ListField(
        f"offres.{partner_id}.permanences",
        "Permanences",
        "Permanence",
        "Nouvelle permanence",
        "Chaque permanence : son jour (lundi … dimanche), sa fréquence (« chaque semaine », "
        "« 1er mardi du mois »), ses horaires (« 09:00-12:00 ») et son lieu (vide : dans les "
        "locaux de la structure). Videz toutes les cases d’une ligne pour la retirer.",
        (
            Column("jour", "Jour"),
            Column("frequence", "Fréquence"),
            Column("horaires", "Horaires"),
            Column("lieu", "Lieu"),
        ),
        tuple(Permanence.model_fields),
    )


def entry(data: Any, structure: str) -> dict[str, Any]:
    """The structure's entry in a partner's file (plain YAML), {} when it has none."""
    offres = data.get("offres") if isinstance(data, dict) else None
    found = offres.get(structure) if isinstance(offres, dict) else None
    return found if isinstance(found, dict) else {}


def flag_choice(found: dict[str, Any]) -> str:
    value = found.get("agents_formes")
    return "oui" if value is True else "non" if value is False else ""


@dataclass
class OfferView:
    partenaire: str
    libelle: str
    valeurs: dict[str, str]
    liste: ListView


def views(
    data: Mapping[str, Any],
    structure: str,
    labels: Mapping[str, str],
    posted: Mapping[str, str] | None = None,
) -> list[OfferView]:
    """The form's part for each partner file (name → plain data)."""
    found = []
    for name, content in data.items():
        ident = partner(name)
        mine = entry(content, structure)
        values = {key: _text(mine.get(key)) for key, _ in TEXTS}
        values["agents_formes"] = flag_choice(mine)
        if posted is not None:
            values |= {
                k: posted[f"offres.{ident}.{k}"] for k in values if f"offres.{ident}.{k}" in posted
            }
        rows = list_view(_rows_data(ident, mine), permanences(ident), posted)
        found.append(OfferView(ident, labels.get(ident, ident), values, rows))
    return found


def _rows_data(ident: str, mine: dict[str, Any]) -> dict[str, Any]:
    return {f"offres.{ident}.permanences": mine.get("permanences")}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def wanted(
    form: Mapping[str, str], structure: str, data: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """What the posted form changes in each partner file (name → plain data): by file, the
    changed keys of the structure's entry (a value, REMOVE, or the permanences' ListEdit)."""
    changes: dict[str, dict[str, Any]] = {}
    for name, content in data.items():
        ident = partner(name)
        mine = entry(content, structure)
        found: dict[str, Any] = {}
        for key, _ in TEXTS:
            typed = form.get(f"offres.{ident}.{key}")
            if typed is None:
                continue
            new = typed.replace("\r\n", "\n").strip()
            if not new and mine.get(key) is not None:
                found[key] = REMOVE
            elif new and _text(mine.get(key)) != new:
                found[key] = new
        choice = form.get(f"offres.{ident}.agents_formes")
        if choice in ("", "oui", "non") and choice != flag_choice(mine):
            found["agents_formes"] = REMOVE if choice == "" else choice == "oui"
        edit = list_edit(form, _rows_data(ident, mine), permanences(ident))
        if edit is not None:
            found["permanences"] = edit
        if found:
            changes[name] = found
    return changes


def apply(text: str, structure: str, changes: Mapping[str, Any]) -> str:
    """A partner file's ``text`` with the structure's entry changed, comments kept."""
    doc = load_document(text)
    offres = doc.get("offres")
    if isinstance(offres, CommentedMap) and not offres:
        offres.fa.set_block_style()  # « offres: {} » grows into a block
    order = {
        (): ("offres",),
        ("offres",): (),
        ("offres", structure): tuple(Offre.model_fields),
    }
    for key, value in changes.items():
        path = f"offres.{structure}.{key}"
        if value is REMOVE:
            delete_value(doc, path)
        elif isinstance(value, ListEdit):
            if value.items and not isinstance(get_value(doc, f"offres.{structure}"), dict):
                if not isinstance(doc.get("offres"), CommentedMap):
                    doc["offres"] = CommentedMap()
                doc["offres"][structure] = CommentedMap()
            fields = tuple(Permanence.model_fields)
            set_items(doc, path, value.items, fields, parent_order=order)
        else:
            set_value(doc, path, value, None, order=order)
    if "offres" not in doc:  # the last entry removed: the file says « none » again
        set_value(doc, "offres", CommentedMap(), None)
        doc["offres"].fa.set_flow_style()
    return str(dump_document(doc))


def anchor(path: str) -> str:
    """The path of the form's element showing ``path`` (``offres.<partenaire>…``)."""
    found = _PATH.fullmatch(path)
    if not found:
        return ""
    ident, key, row, column, rest = found.groups()
    if key and not rest:
        return path
    if row is not None:
        base = f"offres.{ident}.permanences[{row}]"
        return f"{base}.{column}" if column and not rest else base
    return f"offres.{ident}"


def on_form(
    problems: list[Problem], structure: str, changes: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    """The errors of the changed partner files, each at the form path of its input
    (``offres.blois.permanences[0].horaires`` of caf-41.yaml → ``offres.caf-41.
    permanences[<row typed>].horaires``); errors outside the structure's entry unmoved."""
    found = []
    for problem in problems:
        if problem.file not in changes:
            continue
        prefix = f"offres.{structure}"
        if problem.path == prefix or problem.path.startswith((prefix + ".", prefix + "[")):
            rest = problem.path[len(prefix) :]
            edit = changes[problem.file].get("permanences")
            row = re.match(r"\.permanences\[(\d+)\]", rest)
            if row and isinstance(edit, ListEdit) and int(row.group(1)) < len(edit.rows):
                typed = edit.rows[int(row.group(1))]
                rest = f".permanences[{typed}]{rest[row.end() :]}"
            path = f"offres.{partner(problem.file)}{rest}"
            problem = dataclasses.replace(problem, path=path)
        found.append(problem)
    return found


def mine(form: Mapping[str, str], structure: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Of a form refused for a conflict, the offers' inputs the person changed from the
    project's files (name → plain data)."""
    changed = {
        f"offres.{partner(name)}.{key}"
        for name, keys in wanted(form, structure, data).items()
        for key in keys
    }
    kept = {}
    for name, value in form.items():
        found = _PATH.fullmatch(name)
        if found and (found.group(2) or found.group(3) is not None):
            key = found.group(2) or "permanences"
            if f"offres.{found.group(1)}.{key}" in changed:
                kept[name] = value
    return kept


def labels(project: Project | None) -> dict[str, str]:
    """The partners' names by id, as the annexes print them ({} without a project that
    reads: the files' ids are shown instead)."""
    from fsdocs.wording.annexes_partenaires import partenaires

    if project is None:
        return {}
    return {p.id: str(p.court or p.nom) for p in partenaires(project)}
