"""Accounts of the web application: who may sign in, with which role, on which structures.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
setting); a hash made with older parameters is replaced at the next successful sign-in. An
unknown identifier costs the same work as a wrong password, so the answer's time does not tell
which accounts exist.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fsdocs.errors import FsdocsError
from fsdocs.project.paths import STRUCTURES
from fsdocs.web.database import transaction

MIN_PASSWORD = 12  # ANSSI's recommendation for a password alone (no second factor)
MAX_PASSWORD = 1024  # hashing is costly: no megabyte passwords
_IDENT = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("fsdocs: aucun compte de ce nom")


class Role(StrEnum):
    PREFECTURE = "prefecture"
    GESTIONNAIRE = "gestionnaire"
    RELECTEUR = "relecteur"

    @property
    def libelle(self) -> str:
        return {
            Role.PREFECTURE: "préfecture",
            Role.GESTIONNAIRE: "gestionnaire de structure",
            Role.RELECTEUR: "relecteur",
        }[self]


class AccountError(FsdocsError):
    """An account cannot be created, found or removed as asked."""


@dataclass(frozen=True)
class Account:
    identifiant: str
    nom: str
    role: Role
    structures: tuple[str, ...]  # the managers'; empty for the other roles

    def may_edit(self, structure: str) -> bool:
        return self.role is Role.PREFECTURE or (
            self.role is Role.GESTIONNAIRE and structure in self.structures
        )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court : au moins {MIN_PASSWORD} caractères")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"mot de passe trop long : au plus {MAX_PASSWORD} caractères")


def add_account(
    db: sqlite3.Connection,
    root: Path,
    identifiant: str,
    role: Role,
    password: str,
    nom: str = "",
    structures: tuple[str, ...] = (),
) -> Account:
    """Create an account; refused if the identifier is taken or malformed, if a manager has no
    structure or names one the project lacks, or if another role is given structures."""
    check_request(root, identifiant, role, structures)
    check_password(password)
    empreinte = _HASHER.hash(password)
    with transaction(db):
        if db.execute("SELECT 1 FROM comptes WHERE identifiant = ?", (identifiant,)).fetchone():
            raise AccountError(f"le compte « {identifiant} » existe déjà")
        db.execute(
            "INSERT INTO comptes VALUES (?, ?, ?, ?, ?)",
            (identifiant, nom or identifiant, role.value, empreinte, _now()),
        )
        db.executemany(
            "INSERT INTO comptes_structures VALUES (?, ?)",
            [(identifiant, s) for s in dict.fromkeys(structures)],
        )
    return Account(identifiant, nom or identifiant, role, tuple(dict.fromkeys(structures)))


def check_request(root: Path, identifiant: str, role: Role, structures: tuple[str, ...]) -> None:
    """What can be said wrong of a new account before its password is asked."""
    if not _IDENT.fullmatch(identifiant):
        raise AccountError(
            f"identifiant « {identifiant} » : de 2 à 64 caractères, lettres minuscules sans "
            "accent, chiffres, point, tiret ou tiret bas, en commençant par une lettre ou un "
            "chiffre"
        )
    if role is Role.GESTIONNAIRE and not structures:
        raise AccountError("un compte de gestionnaire doit avoir au moins une --structure")
    if role is not Role.GESTIONNAIRE and structures:
        raise AccountError(f"--structure ne vaut que pour un gestionnaire, pas pour « {role} »")
    for structure in structures:
        if not _structure_exists(root, structure):
            raise AccountError(
                f"structure « {structure} » inconnue : aucun fichier "
                f"{STRUCTURES}/{structure}.yaml dans le projet"
            )


def remove_account(db: sqlite3.Connection, identifiant: str) -> None:
    """Remove an account, its structures and its sessions."""
    with transaction(db):
        if not db.execute("DELETE FROM comptes WHERE identifiant = ?", (identifiant,)).rowcount:
            raise AccountError(f"aucun compte « {identifiant} »")


def list_accounts(db: sqlite3.Connection) -> list[Account]:
    rows = db.execute("SELECT identifiant FROM comptes ORDER BY role, identifiant").fetchall()
    return [a for a in (find_account(db, r[0]) for r in rows) if a is not None]


def find_account(db: sqlite3.Connection, identifiant: str) -> Account | None:
    row = db.execute(
        "SELECT identifiant, nom, role FROM comptes WHERE identifiant = ?", (identifiant,)
    ).fetchone()
    if row is None:
        return None
    structures = db.execute(
        "SELECT structure FROM comptes_structures WHERE identifiant = ? ORDER BY structure",
        (identifiant,),
    ).fetchall()
    return Account(row[0], row[1], Role(row[2]), tuple(s[0] for s in structures))


def authenticate(db: sqlite3.Connection, identifiant: str, password: str) -> Account | None:
    """The account if ``password`` is its own; None otherwise (same work either way)."""
    row = db.execute(
        "SELECT empreinte FROM comptes WHERE identifiant = ?", (identifiant,)
    ).fetchone()
    empreinte = row[0] if row is not None else _DUMMY
    try:
        _HASHER.verify(empreinte, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(empreinte):
        with transaction(db):
            db.execute(
                "UPDATE comptes SET empreinte = ? WHERE identifiant = ?",
                (_HASHER.hash(password), identifiant),
            )
    return find_account(db, identifiant)


def _structure_exists(root: Path, structure: str) -> bool:
    if not _IDENT.fullmatch(structure):
        return False
    path = root / STRUCTURES / f"{structure}.yaml"
    return path.is_file() and not path.is_symlink()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
