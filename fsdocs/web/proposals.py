"""The managers' proposals as the préfecture reviews them: read from the database, compared
with the project's current file (the facts and the Annex 4 page's words), accepted — the file
written and a version recorded, or neither — or returned with a reply.

A proposal carries the whole proposed text of ``annexes/structures/<id>.yaml`` and of each
partner's offers file it changes (``propositions_fichiers``), each with the SHA-256 of the file
it started from (``base``): accepting it over any file changed meanwhile is refused, never a
lost update. The proposed project is loaded by the same reader as ``fsdocs controler``
(``load_project`` over the project's files with these files replaced), in memory.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from fsdocs.changes.compare import Comparison, Scope, compare
from fsdocs.errors import FsdocsError, Problem, ProjectError
from fsdocs.files.lock import project_lock
from fsdocs.files.read import Kind, ProjectFiles
from fsdocs.project.paths import STRUCTURES
from fsdocs.project.project import Project
from fsdocs.web.database import transaction
from fsdocs.web.overlay import Overlay, sha256

PENDING, ACCEPTED, RETURNED = "en_attente", "acceptee", "renvoyee"
ETATS = {PENDING: "en attente", ACCEPTED: "acceptée", RETURNED: "renvoyée"}
_IDENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,100}$")


class StaleProposalError(FsdocsError):
    """The structure's file changed since the proposal was made."""


class DecidedError(FsdocsError):
    """The proposal was already accepted or returned."""


@dataclass(frozen=True)
class Proposal:
    numero: int
    structure: str
    contenu: str
    base: str
    auteur: str  # the manager's account
    auteur_nom: str  # their name (the account may have been removed: then the identifiant)
    commentaire: str
    etat: str
    propose_le: str
    decide_par: str | None
    decide_le: str | None
    reponse: str
    version: int | None
    autres: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → text, base

    @property
    def fichier(self) -> str:
        return structure_file(self.structure)

    @property
    def fichiers(self) -> dict[str, tuple[str, str]]:
        """Every file the proposal writes, the structure's first: name → (text, base)."""
        return {self.fichier: (self.contenu, self.base)} | self.autres

    @property
    def libelle_etat(self) -> str:
        return ETATS.get(self.etat, self.etat)

    @property
    def propose_le_affiche(self) -> str:
        return _shown(self.propose_le)

    @property
    def decide_le_affiche(self) -> str:
        return _shown(self.decide_le) if self.decide_le else ""


_SELECT = (
    "SELECT p.numero, p.structure, p.contenu, p.base, p.auteur, COALESCE(c.nom, p.auteur), "
    "p.commentaire, p.etat, p.propose_le, p.decide_par, p.decide_le, p.reponse, p.version "
    "FROM propositions p LEFT JOIN comptes c ON c.identifiant = p.auteur"
)


def all_proposals(db: sqlite3.Connection) -> list[Proposal]:
    """Pending proposals first (oldest first), then the decided ones (latest first)."""
    pending = db.execute(f"{_SELECT} WHERE p.etat = ? ORDER BY p.numero", (PENDING,)).fetchall()
    decided = db.execute(
        f"{_SELECT} WHERE p.etat != ? ORDER BY p.decide_le DESC, p.numero DESC", (PENDING,)
    ).fetchall()
    return [_with_files(db, row) for row in [*pending, *decided]]


def structure_proposals(db: sqlite3.Connection, structure: str) -> list[Proposal]:
    """The structure's pending and returned proposals, newest first (its manager's page)."""
    rows = db.execute(
        f"{_SELECT} WHERE p.structure = ? AND p.etat IN (?, ?) ORDER BY p.numero DESC",
        (structure, PENDING, RETURNED),
    ).fetchall()
    return [_with_files(db, row) for row in rows]


def find_proposal(db: sqlite3.Connection, numero: int) -> Proposal | None:
    row = db.execute(f"{_SELECT} WHERE p.numero = ?", (numero,)).fetchone()
    return _with_files(db, row) if row is not None else None


def _with_files(db: sqlite3.Connection, row: sqlite3.Row) -> Proposal:
    files = db.execute(
        "SELECT fichier, contenu, base FROM propositions_fichiers WHERE numero = ? "
        "ORDER BY fichier",
        (row[0],),
    ).fetchall()
    return replace(Proposal(*row), autres={n: (t, b) for n, t, b in files})


def structure_file(structure: str) -> str:
    if not _IDENT.match(structure):
        raise FsdocsError(f"« {structure} » : identifiant de structure invalide")
    return f"{STRUCTURES}/{structure}.yaml"


def current_bytes(root: Path, name: str) -> bytes:
    return ProjectFiles(root).read(name, Kind.YAML)


def stale_files(root: Path, proposal: Proposal) -> list[str]:
    """The proposal's files changed on disk since it was made."""
    return [
        name
        for name, (_, base) in proposal.fichiers.items()
        if sha256(current_bytes(root, name)) != base
    ]


def proposed_project(root: Path, proposal: Proposal) -> Project:
    """The project as it would be with the proposal: raises ProjectError with the messages of
    ``fsdocs controler`` when it would be invalid."""
    from fsdocs.rules.checked import load_project

    replaced = {name: text.encode("utf-8") for name, (text, _) in proposal.fichiers.items()}
    return load_project(root, Overlay(ProjectFiles(root), replaced))


@dataclass(frozen=True)
class Review:
    """What the préfecture sees of a proposal before deciding."""

    comparison: Comparison | None  # None when the proposed project does not load
    problems: tuple[Problem, ...]  # its errors then
    stale: bool  # the file changed since the proposal was made


def review(root: Path, proposal: Proposal) -> Review:
    """A pending proposal against the current files; an accepted one as the version it made
    changed the previous one: the changed facts and the structure's page."""
    from fsdocs.changes.compare import compare_states
    from fsdocs.production.snapshot import texts
    from fsdocs.rules.checked import load_project
    from fsdocs.versions.record import current_snapshot

    if proposal.etat == ACCEPTED and proposal.version is not None:
        if proposal.version < 2:
            return Review(None, (), False)  # the first version: nothing recorded before it
        previous, made = str(proposal.version - 1), str(proposal.version)
        return Review(compare_states(root, previous, made, _scope(proposal)), (), False)
    stale = bool(stale_files(root, proposal))
    try:
        after = proposed_project(root, proposal)
    except ProjectError as exc:
        return Review(None, tuple(exc.problems), stale)
    before = load_project(root)
    comparison = compare(
        current_snapshot(before, texts(before)),
        current_snapshot(after, texts(after)),
        _scope(proposal),
    )
    return Review(comparison, (), stale)


def _scope(proposal: Proposal) -> Scope:
    """The structure's page, or the whole project when partners' files change too (their
    offer is Annexe 5's, and every annex that prints it)."""
    return Scope() if proposal.autres else Scope(structure=proposal.structure)


def accept(root: Path, db: sqlite3.Connection, numero: int, decider: str, decider_name: str) -> int:
    """Write the proposal's file and record it as a version signed by its author; the number
    of that version. The caller holds the server's writing lock."""
    from fsdocs.production.snapshot import documents
    from fsdocs.versions.record import record_version

    with project_lock(root):
        proposal = _pending(db, numero)
        paths = {name: _regular_file(root, name) for name in proposal.fichiers}
        if stale := stale_files(root, proposal):
            raise StaleProposalError(
                f"{' et '.join(stale)} {'ont' if len(stale) > 1 else 'a'} été modifié"
                f"{'s' if len(stale) > 1 else ''} depuis cette proposition : elle ne peut "
                "plus être acceptée telle quelle ; renvoyez-la pour que le gestionnaire la "
                "refasse sur l’état actuel"
            )
        proposed_project(root, proposal)  # raises ProjectError: nothing written
        written: dict[Path, bytes] = {}
        try:
            for name, (text, _) in proposal.fichiers.items():
                old, new = current_bytes(root, name), text.encode("utf-8")
                if new != old:  # a file the proposal leaves as it is stays untouched
                    _replace(paths[name], new)
                    written[paths[name]] = old
            version = record_version(
                root, proposal.auteur_nom, _message(proposal, decider_name), documents
            )
        except BaseException:
            for path, old in written.items():  # never a changed file without its version
                _replace(path, old)
            raise
        with transaction(db):
            db.execute(
                "UPDATE propositions SET etat = ?, decide_par = ?, decide_le = ?, version = ? "
                "WHERE numero = ?",
                (ACCEPTED, decider, _now(), version.numero, numero),
            )
        return version.numero


def send_back(db: sqlite3.Connection, numero: int, decider: str, reponse: str) -> None:
    with transaction(db):
        done = db.execute(
            "UPDATE propositions SET etat = ?, decide_par = ?, decide_le = ?, reponse = ? "
            "WHERE numero = ? AND etat = ?",
            (RETURNED, decider, _now(), reponse, numero, PENDING),
        ).rowcount
    if not done:
        raise DecidedError(f"la proposition n° {numero} a déjà été traitée")


def _pending(db: sqlite3.Connection, numero: int) -> Proposal:
    proposal = find_proposal(db, numero)
    if proposal is None or proposal.etat != PENDING:
        raise DecidedError(f"la proposition n° {numero} a déjà été traitée")
    return proposal


def _message(proposal: Proposal, decider_name: str) -> str:
    comment = " ".join(proposal.commentaire.split())
    said = f" : {comment}" if comment else ""
    return (
        f"Proposition n° {proposal.numero} ({proposal.structure}){said} — "
        f"acceptée par {decider_name}"
    )


def _regular_file(root: Path, name: str) -> Path:
    """The project's file ``name``: a regular file inside the project, not a link."""
    path = root / name
    try:
        mode = path.lstat().st_mode
    except OSError:
        raise FsdocsError(f"{name} : fichier absent du projet") from None
    real = path.parent.resolve()
    if not stat.S_ISREG(mode) or not real.is_relative_to(root.resolve()):
        raise FsdocsError(f"{name} : ce n’est pas un fichier ordinaire du projet : refusé")
    return path


def _replace(path: Path, data: bytes) -> None:
    """``data`` in ``path`` at once: a temporary sibling, flushed, renamed over it (as the
    import writes the project's files, byte for byte here)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FsdocsError(f"{path.name} : écriture impossible ({exc.strerror})") from None


def _shown(moment_iso: str) -> str:
    """« 1 décembre 2026 à 11 h 00 », in the machine's time zone, as the history shows it."""
    from fsdocs.changes.labels import moment

    try:
        return moment(moment_iso)
    except ValueError:
        return moment_iso


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
