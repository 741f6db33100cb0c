"""Signing in and out: ``/connexion`` (fields ``identifiant`` and ``mot_de_passe``) and
``/deconnexion``. Failures are rate-limited (throttle.py) and logged with the address."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from fsdocs.web import audit, throttle
from fsdocs.web.access import EVERYONE, allowed, current, public, safe_next
from fsdocs.web.accounts import MAX_PASSWORD, authenticate
from fsdocs.web.sessions import ServerSession

bp = Blueprint("auth", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
@public
def connexion() -> str | Response | tuple[str, int]:
    suite = safe_next(request.values.get("suite"))
    if request.method == "GET":
        return render_template("connexion.html", suite=suite, erreur="")
    db = current_app.extensions["fsdocs"].db()
    identifiant = request.form.get("identifiant", "").strip().lower()[:64]
    password = request.form.get("mot_de_passe", "")[: MAX_PASSWORD + 1]
    address = request.remote_addr or "?"
    if throttle.blocked(db, identifiant, address):
        audit.log(db, identifiant or "?", address, "connexion bloquée")
        message = (
            f"Trop de tentatives de connexion : réessayez dans {throttle.WINDOW_S // 60} minutes."
        )
        return render_template("connexion.html", suite=suite, erreur=message), 429
    account = authenticate(db, identifiant, password) if identifiant else None
    if account is None:
        throttle.failed(db, identifiant or "?", address)
        audit.log(db, identifiant or "?", address, "connexion refusée")
        message = "Identifiant ou mot de passe incorrect."
        return render_template("connexion.html", suite=suite, erreur=message), 401
    throttle.succeeded(db, identifiant)
    assert isinstance(session, ServerSession)
    session.clear()
    session.regenerate()
    session["compte"] = account.identifiant
    audit.log(db, account.identifiant, address, "connexion")
    return redirect(suite)


@bp.post("/deconnexion")
@allowed(*EVERYONE)
def deconnexion() -> Response:
    db = current_app.extensions["fsdocs"].db()
    audit.log(db, current().identifiant, request.remote_addr or "?", "déconnexion")
    session.clear()
    return redirect("/connexion")
