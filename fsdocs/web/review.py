"""The reviewers' page (and the préfecture's): ``/comparer`` — two recorded versions, or a
version and the current state, compared as ``fsdocs comparer`` compares them; the redline side
by side, the changed facts, and the redline as PDF and DOCX (the files ``fsdocs comparer``
writes: a PDF with struck and underlined words, a DOCX of tracked changes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from fsdocs.changes.compare import Comparison, Scope, compare_states
from fsdocs.changes.modifications import short_title, span
from fsdocs.changes.redline import plural
from fsdocs.errors import FsdocsError
from fsdocs.web import audit
from fsdocs.web.access import allowed, current
from fsdocs.web.accounts import Role
from fsdocs.web.documents import DOCX, PDF
from fsdocs.web.sidebyside import side_by_side

bp = Blueprint("revue", __name__)

CURRENT = "courant"
_SPEC = re.compile(r"^(courant|[0-9]{1,4})$")
_TYPES = {"pdf": PDF, "docx": DOCX}


@dataclass(frozen=True)
class Choice:
    valeur: str
    libelle: str


@dataclass(frozen=True)
class PartView:
    titre: str
    compte: str
    html: Markup


@bp.get("/comparer")
@allowed(Role.PREFECTURE, Role.RELECTEUR)
def comparer() -> str | tuple[str, int]:
    choices, erreur = _choices()
    de, a = request.args.get("de"), request.args.get("a")
    default_de = choices[-2].valeur if len(choices) > 1 else CURRENT
    context: dict[str, Any] = {
        "choix": choices,
        "de": de or default_de,
        "a": a or CURRENT,
        "erreur": erreur,
        "comparaison": None,
    }
    if de is None or a is None:
        return render_template("comparer.html", **context)
    try:
        comparison = _compare(de, a)
    except FsdocsError as exc:
        context["erreur"] = f"Comparaison impossible : {exc}."
        return render_template("comparer.html", **context), 422
    context["comparaison"] = {
        "periode": span(comparison),
        "donnees": [str(change) for change in comparison.donnees],
        "parties": [
            PartView(
                f"{short_title(part)} ({part.statut})",
                plural(part.modifications),
                Markup(side_by_side(part.lines, short_title(part))),
            )
            for part in comparison.parties
        ],
        "vide": comparison.vide,
    }
    return render_template("comparer.html", **context)


@bp.get("/comparer/<de>/<a>.pdf")
@allowed(Role.PREFECTURE, Role.RELECTEUR)
def comparer_pdf(de: str, a: str) -> Response:
    return _download(de, a, "pdf")


@bp.get("/comparer/<de>/<a>.docx")
@allowed(Role.PREFECTURE, Role.RELECTEUR)
def comparer_docx(de: str, a: str) -> Response:
    return _download(de, a, "docx")


def _download(de: str, a: str, fmt: str) -> Response:
    from fsdocs.changes.modifications import write_files

    service = current_app.extensions["fsdocs"]
    try:
        with service.writing:  # the files go to output/, as « fsdocs comparer » writes them
            comparison = _compare(de, a)
            written = write_files(service.root, comparison)
    except FsdocsError:
        abort(404)
    found = [path for path in written if path.suffix == f".{fmt}"]
    if not found:
        abort(404)  # nothing changed: no redline
    path = found[0]
    data = path.read_bytes()
    audit.log(
        service.db(),
        current().identifiant,
        request.remote_addr or "?",
        "téléchargement",
        "comparaison",
        path.name,
    )
    response = Response(data, content_type=_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response


def _compare(de: str, a: str) -> Comparison:
    for value in (de, a):
        if not _SPEC.match(value):
            raise FsdocsError(f"« {value[:20]} » : numéro de version ou « {CURRENT} » attendu")
    root = current_app.extensions["fsdocs"].root
    return compare_states(root, _spec(de), _spec(a), Scope())


def _spec(value: str) -> str:
    return "actuel" if value == CURRENT else value


def _choices() -> tuple[list[Choice], str]:
    from fsdocs.changes.labels import moment
    from fsdocs.versions.record import history

    try:
        versions = history(current_app.extensions["fsdocs"].root)
    except FsdocsError as exc:
        return [Choice(CURRENT, "état actuel")], f"Versions illisibles : {exc}."
    found = [
        Choice(str(v.numero), f"version {v.numero} du {moment(v.date)} ({v.auteur})")
        for v in versions
    ]
    return [*found, Choice(CURRENT, "état actuel")], ""
