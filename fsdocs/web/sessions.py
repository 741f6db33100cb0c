"""Server-side sessions: the cookie holds a random token and nothing else; what a session
holds (the account signed in, the CSRF secret) stays in the database, under the token's
SHA-256 — a copy of the database gives no usable cookie.

A session ends after ``IDLE_S`` without a request, at sign-out, or when its account is
removed. Signing in gives a new token (no session fixation).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from fsdocs.web.database import Connections, transaction

COOKIE = "fsdocs_session"
IDLE_S = 2 * 60 * 60
REFRESH_S = 60  # an unchanged session's end is pushed back at most this often


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(self, data: dict[str, Any] | None = None, token: str | None = None) -> None:
        def changed(_: CallbackDict[str, Any]) -> None:
            self.modified = True

        super().__init__(data or {}, changed)
        self.token = token
        self.expires = 0.0  # when it ends if nothing is asked meanwhile (stored sessions)
        self.modified = False
        self.renew = False

    def regenerate(self) -> None:
        """A new token at the next response, the old one forgotten (after signing in)."""
        self.renew = True
        self.modified = True


class DatabaseSessions(SessionInterface):
    def __init__(self, connections: Connections, secure: bool = True) -> None:
        self.connections = connections
        self.secure = secure

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(COOKIE)
        if not token or len(token) > 100:
            return ServerSession()
        row = (
            self.connections.get()
            .execute(
                "SELECT donnees, expire_le FROM sessions WHERE jeton = ? AND expire_le > ?",
                (_digest(token), time.time()),
            )
            .fetchone()
        )
        if row is None:
            return ServerSession()
        found = ServerSession(json.loads(row[0]), token)
        found.expires = float(row[1])
        return found

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        db = self.connections.get()
        if session.token and (session.renew or not session):
            with transaction(db):
                db.execute("DELETE FROM sessions WHERE jeton = ?", (_digest(session.token),))
            if not session:
                response.delete_cookie(
                    COOKIE, path="/", secure=self.secure, httponly=True, samesite="Lax"
                )
                return
            session.token = None
        if not session:
            return
        if (
            session.token
            and not session.modified
            and session.expires - time.time() > IDLE_S - REFRESH_S
        ):
            return  # unchanged and refreshed less than REFRESH_S ago: no write on every request
        token = session.token or secrets.token_urlsafe(32)
        expires = time.time() + IDLE_S
        with transaction(db):
            db.execute("DELETE FROM sessions WHERE expire_le <= ?", (time.time(),))
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?) ON CONFLICT(jeton) DO UPDATE SET "
                "identifiant = excluded.identifiant, donnees = excluded.donnees, "
                "expire_le = excluded.expire_le",
                (_digest(token), session.get("compte"), json.dumps(dict(session)), expires),
            )
        response.set_cookie(
            COOKIE,
            token,
            max_age=IDLE_S,
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="Lax",
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
