"""A manager's draft of a structure: the posted form turned into the structure's new YAML,
and the partners' offers files whose entry for the structure it changes (Annexe 5), by the
comment-keeping editor (importing/yamledit.py); validated by the reader of ``fsdocs
controler`` with those files replaced in memory, and kept in the ``brouillons`` table (the
structure's file and the revision) and ``brouillons_fichiers`` (the partners' files) — never
in the project, whose files only the préfecture's acceptance writes.

Saves are optimistic: the form carries the revision it was shown at, and a save made on an
older revision is refused with the other person's changes (never a lost update).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.error import YAMLError

from fsdocs.errors import FsdocsError, Problem
from fsdocs.files.read import ProjectFiles
from fsdocs.importing.yamledit import (
    delete_value,
    dump_document,
    load_document,
    set_items,
    set_value,
)
from fsdocs.project.paths import STRUCTURES
from fsdocs.web import offres
from fsdocs.web.database import transaction
from fsdocs.web.forms import ORDER, REMOVE, wanted
from fsdocs.web.lists import BY_PATH, ListEdit, renumbered
from fsdocs.web.overlay import errors_with, project_file

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
    return project_file(root, file_name(structure))


@dataclass(frozen=True)
class Draft:
    structure: str
    contenu: str
    base: str
    revision: int
    auteur: str
    modifie_le: str
    fichiers: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → text, base


def find_draft(db: sqlite3.Connection, structure: str) -> Draft | None:
    row = db.execute(
        "SELECT structure, contenu, base, revision, auteur, modifie_le FROM brouillons "
        "WHERE structure = ?",
        (structure,),
    ).fetchone()
    if not row:
        return None
    files = db.execute(
        "SELECT fichier, contenu, base FROM brouillons_fichiers WHERE structure = ? "
        "ORDER BY fichier",
        (structure,),
    ).fetchall()
    return dataclasses.replace(Draft(*row), fichiers={n: (t, b) for n, t, b in files})


def revision_of(db: sqlite3.Connection, structure: str) -> int:
    """The structure's current revision: its draft's, or, with no draft, the last one it had
    (a proposal removed it), so that a form shown before the proposal is stale, not fresh."""
    draft = find_draft(db, structure)
    if draft is not None:
        return draft.revision
    row = db.execute("SELECT valeur FROM reglages WHERE nom = ?", (LAST + structure,)).fetchone()
    return int(row[0]) if row else 0


LAST = "revision-brouillon:"


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


def partner_texts(root: Path, draft: Draft | None) -> dict[str, str]:
    """Each partner offers file as the structure's manager sees it: the draft's, or the
    project's (a file that does not read is left out: ``controler`` says why)."""
    found = {}
    for name in offres.partner_files(root):
        if draft is not None and name in draft.fichiers:
            found[name] = draft.fichiers[name][0]
            continue
        with contextlib.suppress(FsdocsError, UnicodeDecodeError):
            found[name] = project_file(root, name)[0]
    return found


def replaced_texts(root: Path, structure: str, draft: Draft | None) -> dict[str, str]:
    """Every file of the draft, the structure's first: name → text."""
    if draft is None:
        return {}
    return {file_name(structure): draft.contenu} | {
        name: text for name, (text, _) in draft.fichiers.items()
    }


def problems_with(root: Path, texts: dict[str, str]) -> list[Problem]:
    """The errors ``fsdocs controler`` reports with the files of ``texts`` replaced, those of
    these files (they block the save)."""
    return [p for p in errors_with(root, texts) if p.file in texts]


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
    partners = partner_texts(root, draft)
    changes = wanted(form, plain(text))
    offers = offres.wanted(form, structure, {n: plain(t) for n, t in partners.items()})
    if not changes and not offers:
        return Saved(revision, ())
    name = file_name(structure)
    try:
        new_text = apply(text, changes) if changes else text
        edited = {n: offres.apply(partners[n], structure, c) for n, c in offers.items()}
    except (YAMLError, ValueError) as exc:  # a file the editor cannot keep: said, not broken
        raise Invalid([Problem(name, None, "", f"YAML illisible : {exc}")]) from None
    texts = replaced_texts(root, structure, draft) | {name: new_text} | edited
    if found := problems_with(root, texts):
        mine = [p for p in found if p.file == name or p.file in offers]
        raise Invalid(
            renumbered([p for p in mine if p.file == name], changes)
            + offres.on_form(mine, structure, offers)
            or found
        )
    base = draft.base if draft else project_text(root, structure)[1]
    files = _drafted_files(root, draft, edited)
    with transaction(db):
        if revision_of(db, structure) != revision:  # saved meanwhile, by someone else
            latest = find_draft(db, structure)
            raise Conflict(latest, differences(root, structure, latest))
        db.execute(
            "INSERT OR REPLACE INTO brouillons VALUES (?, ?, ?, ?, ?, ?)",
            (structure, new_text, base, revision + 1, author, now()),
        )
        db.execute("DELETE FROM brouillons_fichiers WHERE structure = ?", (structure,))
        db.executemany(
            "INSERT INTO brouillons_fichiers VALUES (?, ?, ?, ?)",
            [(structure, n, t, b) for n, (t, b) in files.items()],
        )
    said = [*changes, *(f"offres.{offres.partner(n)}.{k}" for n, c in offers.items() for k in c)]
    return Saved(revision + 1, tuple(said))


def _drafted_files(
    root: Path, draft: Draft | None, edited: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """The partner files the draft now holds (name → text, base): those it held, those just
    edited; one edited back to the project's text is dropped."""
    files = dict(draft.fichiers) if draft else {}
    for name, text in edited.items():
        now, sha = project_file(root, name)
        if text == now and (name not in files or files[name][1] == sha):
            files.pop(name, None)
        else:
            files[name] = (text, files[name][1] if name in files else sha)
    return files


def differences(root: Path, structure: str, draft: Draft | None) -> list[tuple[str, str, str]]:
    """The fields where ``draft`` differs from the project's files: (field, draft, project);
    a partner's offer at ``offres.<partenaire>.<key>``."""
    if draft is None:
        return []
    pairs = [("", plain(project_text(root, structure)[0]), plain(draft.contenu))]
    for name, (text, _) in draft.fichiers.items():
        before: Any = {}
        with contextlib.suppress(FsdocsError, UnicodeDecodeError):
            before = offres.entry(plain(project_file(root, name)[0]), structure)
        after = offres.entry(plain(text), structure)
        pairs.append((f"offres.{offres.partner(name)}.", before, after))
    found = []
    for prefix, old, new in pairs:
        flat_old, flat_new = _flat(old, prefix), _flat(new, prefix)
        found += [
            (path, _shown(flat_new.get(path)), _shown(flat_old.get(path)))
            for path in sorted(flat_old.keys() | flat_new.keys())
            if flat_old.get(path) != flat_new.get(path)
        ]
    return found


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


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
