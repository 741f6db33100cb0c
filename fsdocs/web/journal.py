"""``/journal``: the audit log as the préfecture reads it — who did what, when, from where:
sign-ins (refused ones too), saves, proposals, decisions, builds and downloads."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from fsdocs.web import audit
from fsdocs.web.access import allowed
from fsdocs.web.accounts import Role

bp = Blueprint("journal", __name__)
PAGE = 200


@bp.get("/journal")
@allowed(Role.PREFECTURE)
def journal() -> str:
    db = current_app.extensions["fsdocs"].db()
    who = request.args.get("compte", "").strip()[:64]
    entries = audit.recent(db, PAGE, who or None)
    return render_template("journal.html", entrees=entries, compte=who, taille=PAGE)
