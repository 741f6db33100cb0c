"""A manager's « Proposer »: the structure's draft — its file and the partners' offers files
it changed — sent to the préfecture as one proposal, and the structure's proposals as its page
lists them."""

from __future__ import annotations

import sqlite3

from fsdocs.web.database import transaction
from fsdocs.web.drafts import LAST, Conflict, find_draft, now


class NothingToPropose(Exception):
    """No draft: the structure is as the project holds it."""


def propose(
    db: sqlite3.Connection, structure: str, revision: int, author: str, comment: str
) -> int:
    """Send the structure's draft, all its files, to the préfecture; the proposal's number."""
    with transaction(db):
        draft = find_draft(db, structure)
        if draft is None:
            raise NothingToPropose(structure)
        if draft.revision != revision:
            raise Conflict(draft, [])
        cursor = db.execute(
            "INSERT INTO propositions (structure, contenu, base, auteur, commentaire, etat, "
            "propose_le) VALUES (?, ?, ?, ?, ?, 'en_attente', ?)",
            (structure, draft.contenu, draft.base, author, comment, now()),
        )
        numero = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO propositions_fichiers VALUES (?, ?, ?, ?)",
            [(numero, name, text, base) for name, (text, base) in draft.fichiers.items()],
        )
        db.execute("DELETE FROM brouillons_fichiers WHERE structure = ?", (structure,))
        db.execute("DELETE FROM brouillons WHERE structure = ?", (structure,))
        db.execute(
            "INSERT OR REPLACE INTO reglages VALUES (?, ?)", (LAST + structure, str(revision))
        )
        return numero
