"""Sign-in attempts, limited: after too many failures in a window, for one identifier or from
one address, further attempts are refused until the window has passed — whatever the password.

Failures are counted in the database, so a restart of the server does not forget them and
every thread of it sees the same count.
"""

from __future__ import annotations

import sqlite3
import time

from fsdocs.web.database import transaction

WINDOW_S = 15 * 60
PER_IDENTIFIER = 5  # failures on one account
PER_ADDRESS = 20  # failures from one address, whatever the account


def blocked(
    db: sqlite3.Connection, identifiant: str, adresse: str, now: float | None = None
) -> bool:
    since = (time.time() if now is None else now) - WINDOW_S
    by_ident = db.execute(
        "SELECT COUNT(*) FROM tentatives WHERE identifiant = ? AND moment > ?",
        (identifiant, since),
    ).fetchone()[0]
    by_address = db.execute(
        "SELECT COUNT(*) FROM tentatives WHERE adresse = ? AND moment > ?", (adresse, since)
    ).fetchone()[0]
    return bool(by_ident >= PER_IDENTIFIER or by_address >= PER_ADDRESS)


def failed(db: sqlite3.Connection, identifiant: str, adresse: str) -> None:
    now = time.time()
    with transaction(db):
        db.execute("DELETE FROM tentatives WHERE moment <= ?", (now - WINDOW_S,))
        db.execute("INSERT INTO tentatives VALUES (?, ?, ?)", (identifiant, adresse, now))


def succeeded(db: sqlite3.Connection, identifiant: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM tentatives WHERE identifiant = ?", (identifiant,))
