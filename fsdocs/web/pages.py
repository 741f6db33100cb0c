"""The pages every role starts from: the home page, the list of structures, the health
check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from werkzeug.wrappers import Response

from fsdocs.web.access import EVERYONE, allowed, current, public
from fsdocs.web.accounts import Role

bp = Blueprint("pages", __name__)


@bp.get("/sante")
@public
def sante() -> tuple[Response, int]:
    """200 once the application can answer (its engine warm), 503 before."""
    service = current_app.extensions["fsdocs"]
    service.db().execute("SELECT 1").fetchone()
    ready = service.ready.is_set()
    body = {"etat": "pret" if ready else "demarrage", "projet": service.root.name}
    return jsonify(body), 200 if ready else 503


@bp.get("/")
@allowed(*EVERYONE)
def accueil() -> str:
    account = current()
    return render_template("accueil.html", compte=account, Role=Role)
