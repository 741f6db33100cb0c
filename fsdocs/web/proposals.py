"""The managers' proposals as the préfecture reviews them: read from the database, compared
with the project's current file (the facts and the Annex 4 page's words), accepted — the file
written and a version recorded, or neither — or returned with a reply.

A proposal carries the whole proposed text of ``annexes/structures/<id>.yaml`` and the SHA-256
of the file it started from (``base``): accepting it over a file changed meanwhile is refused,
never a lost update. The proposed project is loaded by the same reader as ``fsdocs controler``
(``load_project`` over the project's files with this one file replaced), in memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fsdocs.changes.compare import Comparison, Scope, compare
from fsdocs.errors import FsdocsError, Problem, ProjectError
from fsdocs.files.lock import project_lock
from fsdocs.files.read import Kind, ProjectFiles
from fsdocs.project.paths import STRUCTURES
from fsdocs.project.project import Project
from fsdocs.web.database import transaction

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

    @property
    def fichier(self) -> str:
        return structure_file(self.structure)

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
    return [Proposal(*row) for row in [*pending, *decided]]


def find_proposal(db: sqlite3.Connection, numero: int) -> Proposal | None:
    row = db.execute(f"{_SELECT} WHERE p.numero = ?", (numero,)).fetchone()
    return Proposal(*row) if row is not None else None


def structure_file(structure: str) -> str:
    if not _IDENT.match(structure):
        raise FsdocsError(f"« {structure} » : identifiant de structure invalide")
    return f"{STRUCTURES}/{structure}.yaml"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ReplacedFiles(ProjectFiles):
    """The project's files on disk, one of them replaced by the proposed bytes."""

    def __init__(self, root: Path, name: str, data: bytes) -> None:
        super().__init__(root)
        self.name, self.data = name, data

    def read(self, name: str, kind: Kind) -> bytes:
        return self.data if name == self.name else super().read(name, kind)

    def exists(self, name: str) -> bool:
        return name == self.name or super().exists(name)


def current_bytes(root: Path, structure: str) -> bytes:
    return ProjectFiles(root).read(structure_file(structure), Kind.YAML)


def proposed_project(root: Path, proposal: Proposal) -> Project:
    """The project as it would be with the proposal: raises ProjectError with the messages of
    ``fsdocs controler`` when it would be invalid."""
    from fsdocs.rules.checked import load_project

    files = ReplacedFiles(root, proposal.fichier, proposal.contenu.encode("utf-8"))
    return load_project(root, files)


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
        scope = Scope(structure=proposal.structure)
        return Review(compare_states(root, previous, made, scope), (), False)
    stale = sha256(current_bytes(root, proposal.structure)) != proposal.base
    try:
        after = proposed_project(root, proposal)
    except ProjectError as exc:
        return Review(None, tuple(exc.problems), stale)
    before = load_project(root)
    comparison = compare(
        current_snapshot(before, texts(before)),
        current_snapshot(after, texts(after)),
        Scope(structure=proposal.structure),
    )
    return Review(comparison, (), stale)


def accept(root: Path, db: sqlite3.Connection, numero: int, decider: str, decider_name: str) -> int:
    """Write the proposal's file and record it as a version signed by its author; the number
    of that version. The caller holds the server's writing lock."""
    from fsdocs.production.snapshot import documents
    from fsdocs.versions.record import record_version

    with project_lock(root):
        proposal = _pending(db, numero)
        path = _regular_file(root, proposal.fichier)
        old = current_bytes(root, proposal.structure)
        if sha256(old) != proposal.base:
            raise StaleProposalError(
                f"{proposal.fichier} a été modifié depuis cette proposition : elle ne peut "
                "plus être acceptée telle quelle ; renvoyez-la pour que le gestionnaire la "
                "refasse sur l’état actuel"
            )
        proposed_project(root, proposal)  # raises ProjectError: nothing written
        _replace(path, proposal.contenu.encode("utf-8"))
        try:
            version = record_version(
                root, proposal.auteur_nom, _message(proposal, decider_name), documents
            )
        except BaseException:
            _replace(path, old)  # never a changed file without its version
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
