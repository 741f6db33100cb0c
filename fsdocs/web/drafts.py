"""A manager's draft of a structure: the posted form turned into the structure's new YAML by
the comment-keeping editor (importing/yamledit.py), validated by the reader of ``fsdocs
controler`` with that one file replaced in memory, and kept in the ``brouillons`` table —
never in the project, whose files only the préfecture's acceptance writes.

Saves are optimistic: the form carries the revision it was shown at, and a save made on an
older revision is refused with the other person's changes (never a lost update).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.error import YAMLError

from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity
from fsdocs.files.read import Files, Kind, ProjectFiles
from fsdocs.importing.yamledit import (
    delete_value,
    dump_document,
    load_document,
    set_items,
    set_value,
)
from fsdocs.project.paths import STRUCTURES
from fsdocs.rules.checked import load_project
from fsdocs.web.database import transaction
from fsdocs.web.forms import ORDER, REMOVE, wanted
from fsdocs.web.lists import BY_PATH, ListEdit, renumbered

_IDENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def structure_ids(root: Path) -> list[str]:
    """The project's structures: the files of annexes/structures/, by identifier."""
    names = ProjectFiles(root).listing(STRUCTURES, ".yaml")
    stems = [name.rsplit("/", 1)[1].removesuffix(".yaml") for name in names]
    return [s for s in stems if _IDENT.fullmatch(s) and len(s) <= 64]


def file_name(structure: str) -> str:
    """The structure's file, relative to the project; ``structure`` must be a known id."""
    if not _IDENT.fullmatch(structure):
        raise ValueError(structure)
    return f"{STRUCTURES}/{structure}.yaml"


def project_text(root: Path, structure: str) -> tuple[str, str]:
    """The structure's file as the project holds it, and the sha256 of its bytes."""
    data = ProjectFiles(root).read(file_name(structure), Kind.YAML)
    return data.decode("utf-8"), hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Draft:
    structure: str
    contenu: str
    base: str
    revision: int
    auteur: str
    modifie_le: str


def find_draft(db: sqlite3.Connection, structure: str) -> Draft | None:
    row = db.execute(
        "SELECT structure, contenu, base, revision, auteur, modifie_le FROM brouillons "
        "WHERE structure = ?",
        (structure,),
    ).fetchone()
    return Draft(*row) if row else None


def revision_of(db: sqlite3.Connection, structure: str) -> int:
    """The structure's current revision: its draft's, or, with no draft, the last one it had
    (a proposal removed it), so that a form shown before the proposal is stale, not fresh."""
    draft = find_draft(db, structure)
    if draft is not None:
        return draft.revision
    row = db.execute("SELECT valeur FROM reglages WHERE nom = ?", (_LAST + structure,)).fetchone()
    return int(row[0]) if row else 0


_LAST = "revision-brouillon:"


def current(root: Path, db: sqlite3.Connection, structure: str) -> tuple[str, Draft | None]:
    """The structure's text as its manager sees it: the draft's, or the project's."""
    draft = find_draft(db, structure)
    return (draft.contenu if draft else project_text(root, structure)[0]), draft


def plain(text: str) -> Any:
    """The YAML as fsdocs' reader sees it (plain values), {} if unreadable."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


class Overlay:
    """The project's files, with one of them replaced by new text (not written anywhere)."""

    def __init__(self, files: Files, name: str, data: bytes) -> None:
        self.files, self.name, self.data = files, name, data

    def read(self, name: str, kind: Kind) -> bytes:
        return self.data if name == self.name else self.files.read(name, kind)

    def exists(self, name: str) -> bool:
        return name == self.name or self.files.exists(name)

    def listing(self, folder: str, suffix: str) -> list[str]:
        return self.files.listing(folder, suffix)


def problems_with(root: Path, structure: str, text: str) -> list[Problem]:
    """The errors ``fsdocs controler`` would report with the structure's file being ``text``:
    those of this file (they block the save), then any other that this text causes."""
    name = file_name(structure)
    files = Overlay(ProjectFiles(root), name, text.encode("utf-8"))
    try:
        load_project(root, files)
    except ProjectError as exc:
        errors = [p for p in exc.problems if p.severity is Severity.ERROR]
        return [p for p in errors if p.file == name]
    except FsdocsError as exc:
        return [Problem(name, None, "", str(exc))]
    return []


def apply(text: str, changes: dict[str, Any]) -> str:
    """``text`` with ``changes`` (path → value, a list's edit, or REMOVE) made, its comments
    and layout kept."""
    doc = load_document(text)
    for path, value in changes.items():
        if value is REMOVE:
            delete_value(doc, path)
        elif isinstance(value, ListEdit):
            set_items(doc, path, value.items, BY_PATH[path].order, parent_order=ORDER)
        else:
            set_value(doc, path, value, None, order=ORDER)
    return str(dump_document(doc))


class Invalid(Exception):
    """The posted form gives a structure that ``fsdocs controler`` refuses."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} erreur(s)")
        self.problems = problems


class Conflict(Exception):
    """Someone saved the structure since the form was shown."""

    def __init__(self, draft: Draft | None, changes: list[tuple[str, str, str]]) -> None:
        super().__init__("conflit")
        self.draft = draft
        self.changes = changes  # (field, their value, value before) of the draft now stored


@dataclass(frozen=True)
class Saved:
    revision: int
    changed: tuple[str, ...]


def save(
    root: Path,
    db: sqlite3.Connection,
    structure: str,
    form: dict[str, str],
    revision: int,
    author: str,
) -> Saved:
    """Store the posted ``form`` as the structure's draft; raise Conflict when ``revision``
    is not the current one, Invalid when the result does not pass ``fsdocs controler``."""
    text, draft = current(root, db, structure)
    if revision_of(db, structure) != revision:
        raise Conflict(draft, differences(root, structure, draft))
    changes = wanted(form, plain(text))
    if not changes:
        return Saved(revision, ())
    try:
        new_text = apply(text, changes)
    except (YAMLError, ValueError) as exc:  # a file the editor cannot keep: said, not broken
        raise Invalid(
            [Problem(file_name(structure), None, "", f"YAML illisible : {exc}")]
        ) from None
    if found := problems_with(root, structure, new_text):
        raise Invalid(renumbered(found, changes))
    base = draft.base if draft else project_text(root, structure)[1]
    with transaction(db):
        if revision_of(db, structure) != revision:  # saved meanwhile, by someone else
            now = find_draft(db, structure)
            raise Conflict(now, differences(root, structure, now))
        db.execute(
            "INSERT OR REPLACE INTO brouillons VALUES (?, ?, ?, ?, ?, ?)",
            (structure, new_text, base, revision + 1, author, _now()),
        )
    return Saved(revision + 1, tuple(changes))


def differences(root: Path, structure: str, draft: Draft | None) -> list[tuple[str, str, str]]:
    """The fields where ``draft`` differs from the project's file: (field, draft, project)."""
    if draft is None:
        return []
    before = _flat(plain(project_text(root, structure)[0]))
    after = _flat(plain(draft.contenu))
    return [
        (path, _shown(after.get(path)), _shown(before.get(path)))
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        found: dict[str, Any] = {}
        for key, value in data.items():
            found |= _flat(value, f"{prefix}{key}.")
        return found
    if isinstance(data, list):
        found = {}
        for i, value in enumerate(data):
            found |= _flat(value, f"{prefix.rstrip('.')}[{i}].")
        return found
    return {prefix.rstrip("."): data}


def _shown(value: Any) -> str:
    if value is None:
        return "(vide)"
    if value is True or value is False:
        return "oui" if value else "non"
    return str(value)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class NothingToPropose(Exception):
    """No draft: the structure is as the project holds it."""


def propose(
    db: sqlite3.Connection, structure: str, revision: int, author: str, comment: str
) -> int:
    """Send the structure's draft to the préfecture; the proposal's number."""
    with transaction(db):
        draft = find_draft(db, structure)
        if draft is None:
            raise NothingToPropose(structure)
        if draft.revision != revision:
            raise Conflict(draft, [])
        cursor = db.execute(
            "INSERT INTO propositions (structure, contenu, base, auteur, commentaire, etat, "
            "propose_le) VALUES (?, ?, ?, ?, ?, 'en_attente', ?)",
            (structure, draft.contenu, draft.base, author, comment, _now()),
        )
        db.execute("DELETE FROM brouillons WHERE structure = ?", (structure,))
        db.execute(
            "INSERT OR REPLACE INTO reglages VALUES (?, ?)", (_LAST + structure, str(revision))
        )
        return int(cursor.lastrowid or 0)


@dataclass(frozen=True)
class Proposal:
    numero: int
    auteur: str
    commentaire: str
    etat: str
    propose_le: str
    decide_par: str | None
    decide_le: str | None
    reponse: str


def proposals(db: sqlite3.Connection, structure: str) -> list[Proposal]:
    """The structure's pending and returned proposals, newest first."""
    rows = db.execute(
        "SELECT numero, auteur, commentaire, etat, propose_le, decide_par, decide_le, reponse "
        "FROM propositions WHERE structure = ? AND etat IN ('en_attente', 'renvoyee') "
        "ORDER BY numero DESC",
        (structure,),
    ).fetchall()
    return [Proposal(*row) for row in rows]
