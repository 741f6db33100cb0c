"""The application's SQLite database, ``.fsdocs/serveur.sqlite``: opened, and brought to the
current schema by numbered migrations (``PRAGMA user_version`` holds the last one applied).

A migration is appended, never edited: a database made by an older fsdocs is carried forward
step by step, in one transaction each. Connections are per thread (SQLite's own rule), in WAL
mode so that readers never wait for a writer, with a busy timeout for writers.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fsdocs.errors import FsdocsError

DATABASE = Path(".fsdocs") / "serveur.sqlite"
BUSY_TIMEOUT_MS = 10_000

# Each entry moves the schema from version N to N + 1 (its index + 1).
MIGRATIONS: tuple[str, ...] = (
    # 1: accounts, sessions, login attempts, settings (the key signing CSRF tokens), audit log
    """
    CREATE TABLE comptes (
        identifiant TEXT PRIMARY KEY,
        nom TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('prefecture', 'gestionnaire', 'relecteur')),
        empreinte TEXT NOT NULL,
        cree_le TEXT NOT NULL
    );
    CREATE TABLE comptes_structures (
        identifiant TEXT NOT NULL REFERENCES comptes(identifiant) ON DELETE CASCADE,
        structure TEXT NOT NULL,
        PRIMARY KEY (identifiant, structure)
    );
    CREATE TABLE sessions (
        jeton TEXT PRIMARY KEY,
        identifiant TEXT REFERENCES comptes(identifiant) ON DELETE CASCADE,
        donnees TEXT NOT NULL,
        expire_le REAL NOT NULL
    );
    CREATE TABLE tentatives (
        identifiant TEXT NOT NULL,
        adresse TEXT NOT NULL,
        moment REAL NOT NULL
    );
    CREATE INDEX tentatives_identifiant ON tentatives(identifiant, moment);
    CREATE INDEX tentatives_adresse ON tentatives(adresse, moment);
    CREATE TABLE reglages (
        nom TEXT PRIMARY KEY,
        valeur TEXT NOT NULL
    );
    CREATE TABLE journal (
        numero INTEGER PRIMARY KEY AUTOINCREMENT,
        moment TEXT NOT NULL,
        identifiant TEXT NOT NULL,
        adresse TEXT NOT NULL,
        action TEXT NOT NULL,
        objet TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: drafts and proposals of the managers
    """
    CREATE TABLE brouillons (
        structure TEXT PRIMARY KEY,
        contenu TEXT NOT NULL,
        base TEXT NOT NULL,
        revision INTEGER NOT NULL,
        auteur TEXT NOT NULL,
        modifie_le TEXT NOT NULL
    );
    CREATE TABLE propositions (
        numero INTEGER PRIMARY KEY AUTOINCREMENT,
        structure TEXT NOT NULL,
        contenu TEXT NOT NULL,
        base TEXT NOT NULL,
        auteur TEXT NOT NULL,
        commentaire TEXT NOT NULL,
        etat TEXT NOT NULL CHECK (etat IN ('en_attente', 'acceptee', 'renvoyee')),
        propose_le TEXT NOT NULL,
        decide_par TEXT,
        decide_le TEXT,
        reponse TEXT NOT NULL DEFAULT '',
        version INTEGER
    );
    CREATE INDEX propositions_etat ON propositions(etat, structure);
    """,
    # 3: the other files of a draft or a proposal (the partners' offers, Annexe 5), beside
    # the structure's own file; the draft's revision (brouillons) covers them all
    """
    CREATE TABLE brouillons_fichiers (
        structure TEXT NOT NULL,
        fichier TEXT NOT NULL,
        contenu TEXT NOT NULL,
        base TEXT NOT NULL,
        PRIMARY KEY (structure, fichier)
    );
    CREATE TABLE propositions_fichiers (
        numero INTEGER NOT NULL REFERENCES propositions(numero) ON DELETE CASCADE,
        fichier TEXT NOT NULL,
        contenu TEXT NOT NULL,
        base TEXT NOT NULL,
        PRIMARY KEY (numero, fichier)
    );
    """,
)


class DatabaseError(FsdocsError):
    """The application's database cannot be opened or is newer than this fsdocs."""


def database_path(root: Path) -> Path:
    return root / DATABASE


def connect(root: Path) -> sqlite3.Connection:
    """A connection to the project's database, migrated to the current schema."""
    path = database_path(root)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise DatabaseError(f"{DATABASE} : ce n’est pas un fichier ordinaire du projet")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Password hashes and session digests: readable by the server's account only (SQLite
    # gives its journal files the database's permissions).
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{DATABASE} : impossible à ouvrir ({exc})") from None
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations not yet applied; the schema's version after them."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise DatabaseError(
            f"{DATABASE} a été créée par une version plus récente de fsdocs "
            f"(schéma {current}, celle-ci connaît {len(MIGRATIONS)}) : mettez fsdocs à jour"
        )
    for number in range(current, len(MIGRATIONS)):
        with transaction(db):
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if db.execute("PRAGMA user_version").fetchone()[0] != number:
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
    return len(MIGRATIONS)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (BEGIN IMMEDIATE): committed, or rolled back on
    any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Connections:
    """One connection per thread to one project's database (the server's threads)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._local = threading.local()
        connect(root).close()  # migrated once, before any request

    def get(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.root)
        return db


def setting(db: sqlite3.Connection, name: str, make: Callable[[], str]) -> str:
    """A setting of the server kept across restarts, made by ``make`` the first time."""
    with transaction(db):
        row = db.execute("SELECT valeur FROM reglages WHERE nom = ?", (name,)).fetchone()
        if row is not None:
            return str(row[0])
        value = make()
        db.execute("INSERT INTO reglages VALUES (?, ?)", (name, value))
        return value
