"""The Flask application of ``fsdocs servir``: made by :func:`create_app` for one project.

Flask for its plain, synchronous model — the engine under it (WeasyPrint, the version store)
is synchronous and CPU-bound —, Jinja for its pages (autoescaped), Flask-WTF for the CSRF
token of every form, waitress to serve it (cli/serving.py). Sessions are server-side
(sessions.py), every route declares who may open it (access.py).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from fsdocs.web import (
    access,
    auth,
    checks,
    documents,
    journal,
    pages,
    prefecture,
    review,
    structures,
)
from fsdocs.web.accounts import find_account
from fsdocs.web.database import Connections, setting
from fsdocs.web.previews import Previews
from fsdocs.web.sessions import DatabaseSessions

MAX_REQUEST = 2 * 1024 * 1024  # a form, never a file upload

# Pages are plain HTML with one local stylesheet and script; a document previewed in a frame
# comes from this server too. Nothing else loads, nothing frames these pages.
CSP = (
    "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)


class Service:
    """What the application's routes share: the project, its database and its engine."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.connections = Connections(root)
        # The project's lock (files/lock.py) is per process; the server's threads take
        # this one around everything that writes the project or its outputs.
        self.writing = threading.RLock()
        # One layout at a time in this process: Pango and fontconfig are not made to lay out
        # from several threads at once. The routes that produce, record or compare take it
        # (the previews' layouts run in a process of their own: previews.py, remote.py).
        self.rendering = threading.RLock()
        self.ready = threading.Event()
        self.ready.set()
        # The structures' previews (previews.py): /sante answers 503 from the engine's start
        # to its first build.
        self.previews = Previews(root, self.connections, self.ready)

    def db(self) -> sqlite3.Connection:
        return self.connections.get()

    def close(self) -> None:
        """Stop what runs beside the requests (the server is stopping)."""
        self.previews.close()


def create_app(
    root: Path,
    secure_cookies: bool = True,
    behind_proxy: bool = False,
    start_previews: bool = False,
) -> Flask:
    """The application for the project at ``root``. ``start_previews``: warm the previews'
    engine now (the server does); otherwise it starts with the first page that needs it."""
    app = Flask(__name__)
    service = Service(root)
    if start_previews:
        service.previews.start()
    app.extensions["fsdocs"] = service
    app.config.update(
        SECRET_KEY=setting(service.db(), "cle_csrf", lambda: secrets.token_hex(32)),
        MAX_CONTENT_LENGTH=MAX_REQUEST,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_FIELD_NAME="jeton_csrf",
    )
    app.session_interface = DatabaseSessions(service.connections, secure=secure_cookies)
    CSRFProtect(app)
    if behind_proxy:  # the préfecture's reverse proxy says who the client is
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    blueprints = (auth.bp, pages.bp, structures.bp, prefecture.bp, checks.bp, documents.bp)
    for blueprint in (*blueprints, review.bp, journal.bp):
        app.register_blueprint(blueprint)

    @app.before_request
    def _who() -> Response | None:
        view = app.view_functions.get(request.endpoint or "")
        if request.endpoint == "static":
            return None
        return access.load_account(view, service.db())

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.template_filter("moment")
    def _moment(iso: str | None) -> str:
        """A stored time (ISO 8601) as the history shows it: « 6 décembre 2026 à 14 h 05 »,
        in the server's time zone."""
        from fsdocs.changes.labels import moment

        try:
            return moment(iso) if iso else ""
        except ValueError:
            return iso or ""

    @app.template_filter("personne")
    def _person(identifiant: str) -> str:
        """An account's name (its identifier if it was removed since)."""
        account = find_account(service.db(), identifiant)
        return account.nom if account is not None else identifiant

    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(HTTPException, _http_error)
    return app


_TITLES = {
    400: "Demande incorrecte",
    401: "Connexion nécessaire",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non permise",
    413: "Envoi trop volumineux",
    429: "Trop de demandes",
}

_EXPLANATIONS = {
    400: "La demande envoyée n’est pas valide.",
    401: "Connectez-vous pour ouvrir cette page.",
    403: "Votre compte ne donne pas accès à cette page.",
    404: "Cette adresse ne correspond à aucune page.",
    405: "Cette page ne s’ouvre pas ainsi.",
    413: "Ce formulaire dépasse la taille permise.",
    429: "Attendez un peu avant de réessayer.",
}


def _http_error(error: HTTPException) -> Any:
    code = error.code or 500
    if code >= 500 or code not in _TITLES:
        return error
    return render_template(
        "erreur.html", titre=_TITLES[code], explication=_EXPLANATIONS[code], code=code
    ), code


def _csrf_refused(error: CSRFError) -> Any:
    current_app.logger.info("CSRF refusé : %s", error.description)
    explication = (
        "Le formulaire n’a pas de jeton de sécurité valide : il a peut-être expiré. "
        "Rechargez la page et envoyez-le de nouveau."
    )
    return render_template(
        "erreur.html", titre="Formulaire refusé", explication=explication, code=400
    ), 400
