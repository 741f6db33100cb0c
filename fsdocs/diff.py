"""What changed between two states of a project: in the facts, and in the words.

The data summary reads two loaded projects field by field and prints one line per change
(« Blois · adresse : 11 place René Coty → 133 rue Michel Bégon »). The word redline compares
two rendered texts word by word and renders the result for a terminal (ANSI colours) or as an
HTML fragment; :mod:`fsdocs.redline` writes it as a DOCX with tracked changes.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import Personne
from .project import Project, Structure

ABSENT = "—"
CLOSED = "fermé"
# Hours are stored as « 08:30-12:30 »; a summary prints them as a person would, with an en dash.
_HOURS = re.compile(r"(\d\d:\d\d)-(\d\d:\d\d)")
# A word (with its inner apostrophes and hyphens: « l’accueil », « Loir-et-Cher »), a run of
# spaces, or one punctuation mark: deleting « Blois » must not strike the space after it.
_TOKEN = re.compile(r"\w+(?:[’'\-]\w+)*|\s+|[^\w\s]", re.UNICODE)
# YAML keys whose spelled-out form is not just the key with spaces.
_LABELS = {"rendez_vous": "rendez-vous", "accessibilite_pmr": "accessibilité PMR"}


@dataclass(frozen=True)
class Change:
    """One change of the data; ``champ`` is empty for a whole structure or referent."""

    sujet: str
    champ: tuple[str, ...]
    avant: str
    apres: str

    def __str__(self) -> str:
        where = " · ".join((self.sujet, *(_LABELS.get(c, c.replace("_", " ")) for c in self.champ)))
        if not self.champ:  # a whole structure or referent: the text says which way
            return f"{where} : {self.apres if self.avant == ABSENT else self.avant}"
        return f"{where} : {self.avant} → {self.apres}"


def data_changes(old: Project, new: Project) -> list[Change]:
    """Every structure and referent field that differs, in the new project's order."""
    changes: list[Change] = []
    labels = _labels(old.structures) | _labels(new.structures)
    before = {s.id: s for s in old.structures}
    after = {s.id: s for s in new.structures}
    for ident in [*after, *(i for i in before if i not in after)]:
        label = labels[ident]
        if ident not in before:
            changes.append(
                Change(label, (), ABSENT, f"structure ajoutée ({after[ident].data.nom})")
            )
        elif ident not in after:
            changes.append(
                Change(label, (), f"structure retirée ({before[ident].data.nom})", ABSENT)
            )
        else:
            changes += _fields(label, before[ident].data, after[ident].data)
    changes += _referents(old.referents.referents, new.referents.referents)
    return changes


def _labels(structures: tuple[Structure, ...]) -> dict[str, str]:
    """A structure is named by its commune, or by its id when two share a commune."""
    communes = [s.data.commune for s in structures]
    return {
        s.id: s.data.commune if s.data.commune and communes.count(s.data.commune) == 1 else s.id
        for s in structures
    }


def _fields(sujet: str, old: BaseModel, new: BaseModel) -> list[Change]:
    flat_old, flat_new = (
        _flatten(old.model_dump(mode="json")),
        _flatten(new.model_dump(mode="json")),
    )
    changes = []
    for path in [*flat_new, *(p for p in flat_old if p not in flat_new)]:
        # Compared as printed: hours left out and an empty day are both « fermé ».
        avant, apres = _show(path, flat_old.get(path)), _show(path, flat_new.get(path))
        if avant != apres:
            changes.append(Change(sujet, path, avant, apres))
    return changes


def _flatten(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves by path; the street and its complement are one field, as people read them."""
    if path == ("adresse",) and isinstance(value, dict):
        street = ", ".join(str(p) for p in (value.get("voie"), value.get("complement")) if p)
        return {path: street or None, ("code_postal",): value.get("code_postal")}
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in _flatten(item, (*path, key)).items()
        }
    if isinstance(value, list):
        found: dict[tuple[str, ...], Any] = {}
        for i, item in enumerate(value):
            found |= _flatten(item, (*path, str(i + 1)))
        return found
    return {path: value}


def _show(path: tuple[str, ...], value: Any) -> str:
    if path[:1] == ("horaires",) or path[-1:] == ("horaires",):
        return _HOURS.sub(r"\1–\2", value) if value else CLOSED
    if value is None or value == "":
        return ABSENT
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _referents(old: dict[str, list[Personne]], new: dict[str, list[Personne]]) -> list[Change]:
    changes: list[Change] = []
    for partner in [*new, *(p for p in old if p not in new)]:
        before = {_who(p): p for p in old.get(partner, [])}
        after = {_who(p): p for p in new.get(partner, [])}
        sujet = f"référents · {partner}"
        for who in [*after, *(w for w in before if w not in after)]:
            if who not in before:
                changes.append(Change(sujet, (), ABSENT, f"ajouté {who} ({after[who].fonction})"))
            elif who not in after:
                changes.append(Change(sujet, (), f"retiré {who} ({before[who].fonction})", ABSENT))
            else:
                changes += _fields(f"{sujet} · {who}", before[who], after[who])
    return changes


def _who(person: Personne) -> str:
    return f"{person.prenom or '?'} {person.nom or '?'}"


class Kind(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


@dataclass(frozen=True)
class Op:
    kind: Kind
    text: str


def word_diff(old_text: str, new_text: str) -> list[Op]:
    """The new text as kept, deleted and inserted stretches; a replacement is both.

    A lone space between two changes joins them, so « 11 place René Coty » → « 133 rue Michel
    Bégon » reads as one replacement rather than four.
    """
    old, new = _TOKEN.findall(old_text), _TOKEN.findall(new_text)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    # Each piece is (kept, deleted, inserted); a change has an empty ``kept``.
    pieces: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            pieces.append((before, "", ""))
        elif len(pieces) >= 2 and not pieces[-2][0] and pieces[-1][0].isspace():
            space = pieces.pop()[0]
            _, deleted, inserted = pieces.pop()
            pieces.append(("", deleted + space + before, inserted + space + after))
        else:
            pieces.append(("", before, after))
    ops: list[Op] = []
    for kept, deleted, inserted in pieces:
        ops += [Op(Kind.EQUAL, kept)] if kept else []
        ops += [Op(Kind.DELETE, deleted)] if deleted else []
        ops += [Op(Kind.INSERT, inserted)] if inserted else []
    return ops


def old_text(ops: list[Op]) -> str:
    return "".join(op.text for op in ops if op.kind is not Kind.INSERT)


def new_text(ops: list[Op]) -> str:
    return "".join(op.text for op in ops if op.kind is not Kind.DELETE)


def change_count(ops: list[Op]) -> int:
    """Changes as a reader counts them: a deletion followed by its insertion is one."""
    count, previous = 0, Kind.EQUAL
    for op in ops:
        if op.kind is not Kind.EQUAL and previous is Kind.EQUAL:
            count += 1
        previous = op.kind
    return count


_ANSI = {Kind.DELETE: "\x1b[31;9m", Kind.INSERT: "\x1b[32;4m"}
_RESET = "\x1b[0m"


def to_terminal(ops: list[Op]) -> str:
    """Red struck deletions, green underlined insertions (ANSI escapes)."""
    return "".join(
        op.text if op.kind is Kind.EQUAL else f"{_ANSI[op.kind]}{op.text}{_RESET}" for op in ops
    )


REDLINE_CSS = """\
.redline del { color: #b00020; text-decoration: line-through; }
.redline ins { color: #1b7a1b; text-decoration: underline; }
.redline .compte { font-style: italic; }
.redline p { white-space: pre-wrap; }
"""


def to_html(ops: list[Op], titre: str = "") -> str:
    """An HTML fragment (``<section class="redline">``) with its change count."""
    body = "".join(_html_op(op) for op in ops)
    count = change_count(ops)
    compte = "aucune modification" if not count else f"{count} modification" + "s" * (count > 1)
    heading = f"<h2>{html.escape(titre)}</h2>" if titre else ""
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return f'<section class="redline">{heading}<p class="compte">{compte}</p>{paragraphs}</section>'


def _html_op(op: Op) -> str:
    text = html.escape(op.text, quote=False)
    if op.kind is Kind.EQUAL:
        return text
    tag = "del" if op.kind is Kind.DELETE else "ins"
    # A change spanning paragraphs is closed and reopened at each break.
    return "\n".join(f"<{tag}>{part}</{tag}>" if part else "" for part in text.split("\n"))


def html_page(fragment: str) -> str:
    """A complete page around a redline fragment, ready for WeasyPrint."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<style>{REDLINE_CSS}</style></head><body>{fragment}</body></html>"
    )


def redline_pdf(fragment: str, project_root: Path) -> bytes:
    """The redline as PDF, through the same WeasyPrint pipeline and resource guard as a build."""
    from .pdf import html_to_pdf
    from .render import template_dirs

    dirs = template_dirs(project_root)
    page = html_page(fragment)
    identifier = hashlib.sha256(page.encode()).hexdigest()[:32].encode()
    return html_to_pdf(page, dirs[0], dirs, identifier)


def diff_projects(avant: Path, apres: Path) -> list[Change]:
    """The data changes from the project at ``avant`` to the one at ``apres``."""
    from .project import load_project

    return data_changes(load_project(avant), load_project(apres))
