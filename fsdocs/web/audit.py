"""The audit log: who did what, when, from where — every sign-in (failed ones too), save,
proposal, decision, build and download that changes or reveals the project."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from fsdocs.web.database import transaction


@dataclass(frozen=True)
class Entry:
    moment: str
    identifiant: str
    adresse: str
    action: str
    objet: str
    detail: str


def log(
    db: sqlite3.Connection,
    identifiant: str,
    adresse: str,
    action: str,
    objet: str = "",
    detail: str = "",
) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO journal (moment, identifiant, adresse, action, objet, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="seconds"),
                identifiant,
                adresse,
                action,
                objet,
                detail[:2000],
            ),
        )


def recent(db: sqlite3.Connection, limit: int = 200, identifiant: str | None = None) -> list[Entry]:
    """The last ``limit`` entries, latest first (of one account's if ``identifiant``)."""
    where, args = ("WHERE identifiant = ?", (identifiant,)) if identifiant else ("", ())
    rows = db.execute(
        "SELECT moment, identifiant, adresse, action, objet, detail FROM journal "
        f"{where} ORDER BY numero DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    return [Entry(*row) for row in rows]
