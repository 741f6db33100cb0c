"""The préfecture's review of the managers' proposals: ``/propositions`` (pending first),
``/propositions/<n>`` (the changed facts and the redline of the structure's Annex 4 page),
accepting one (its file written, a version recorded in its author's name) or returning it with
a reply. Every decision goes to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from fsdocs.changes.facts import Change
from fsdocs.changes.labels import field_labels
from fsdocs.changes.modifications import short_title
from fsdocs.changes.redline import plural
from fsdocs.changes.views import to_html
from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity
from fsdocs.web import audit
from fsdocs.web.access import allowed, current
from fsdocs.web.accounts import Role
from fsdocs.web.proposals import (
    PENDING,
    DecidedError,
    Proposal,
    Review,
    StaleProposalError,
    accept,
    all_proposals,
    find_proposal,
    review,
    send_back,
)

bp = Blueprint("prefecture", __name__)
MAX_REPLY = 4000


@dataclass(frozen=True)
class FieldRow:
    champ: str
    avant: str
    apres: str


def field_rows(changes: list[Change]) -> list[FieldRow]:
    """The changed facts as the table shows them: field, before, after."""
    rows = []
    for change in changes:
        labels = change.libelles or tuple(field_labels(change.champ, {}, False))
        rows.append(FieldRow(" · ".join(labels) or change.sujet, change.avant, change.apres))
    return rows


@bp.get("/propositions")
@allowed(Role.PREFECTURE)
def propositions() -> str:
    db = current_app.extensions["fsdocs"].db()
    found = all_proposals(db)
    pending = [p for p in found if p.etat == PENDING]
    decided = [p for p in found if p.etat != PENDING]
    return render_template("propositions.html", en_attente=pending, traitees=decided)


@bp.get("/propositions/<int:numero>")
@allowed(Role.PREFECTURE)
def proposition(numero: int) -> str:
    return _page(_found(numero))


@bp.post("/propositions/<int:numero>/accepter")
@allowed(Role.PREFECTURE)
def accepter(numero: int) -> Response | tuple[str, int]:
    service = current_app.extensions["fsdocs"]
    proposal = _found(numero)
    account = current()
    db = service.db()
    try:
        with service.writing:
            version = accept(service.root, db, numero, account.identifiant, account.nom)
    except StaleProposalError as exc:
        _log("proposition refusée (fichier modifié)", proposal, str(exc))
        return _page(proposal, erreur=f"{exc}."), 409
    except DecidedError as exc:
        return _page(proposal, erreur=f"Impossible : {exc}."), 409
    except ProjectError as exc:
        _log("proposition refusée (invalide)", proposal, str(exc))
        errors = [p for p in exc.problems if p.severity is Severity.ERROR]
        message = "La proposition rendrait le projet invalide ; elle n’a pas été acceptée."
        return _page(proposal, erreur=message, problemes=errors), 422
    except FsdocsError as exc:
        _log("proposition non acceptée", proposal, str(exc))
        return _page(proposal, erreur=f"Échec : {exc}"), 500
    _log("proposition acceptée", proposal, f"version {version}")
    flash(f"Proposition n° {numero} acceptée : version {version} enregistrée.", "succes")
    return redirect(f"/propositions/{numero}", 303)


@bp.post("/propositions/<int:numero>/renvoyer")
@allowed(Role.PREFECTURE)
def renvoyer(numero: int) -> Response | tuple[str, int]:
    service = current_app.extensions["fsdocs"]
    proposal = _found(numero)
    reponse = request.form.get("reponse", "").strip()
    if not reponse or len(reponse) > MAX_REPLY:
        message = (
            "Écrivez au gestionnaire ce qu’il faut revoir."
            if not reponse
            else f"Réponse trop longue : {MAX_REPLY} caractères au plus."
        )
        return _page(proposal, erreur_reponse=message, reponse=reponse), 422
    try:
        send_back(service.db(), numero, current().identifiant, reponse)
    except DecidedError as exc:
        return _page(proposal, erreur=f"Impossible : {exc}."), 409
    _log("proposition renvoyée", proposal, reponse)
    flash(f"Proposition n° {numero} renvoyée au gestionnaire.", "succes")
    return redirect(f"/propositions/{numero}", 303)


def _found(numero: int) -> Proposal:
    proposal = find_proposal(current_app.extensions["fsdocs"].db(), numero)
    if proposal is None:
        abort(404)
    return proposal


def _page(
    proposal: Proposal,
    erreur: str = "",
    problemes: list[Problem] | None = None,
    erreur_reponse: str = "",
    reponse: str = "",
) -> str:
    service = current_app.extensions["fsdocs"]
    try:
        seen = review(service.root, proposal)
    except FsdocsError as exc:  # the current project itself does not load, for one
        seen = Review(None, (), False)
        erreur = erreur or f"Différences indisponibles : {exc}"
    context: dict[str, Any] = {
        "proposition": proposal,
        "en_attente": proposal.etat == PENDING,
        "perimee": seen.stale,
        "erreur": erreur,
        "problemes": [str(p) for p in (problemes or seen.problems)],
        "erreur_reponse": erreur_reponse,
        "reponse": reponse,
        "champs": [],
        "redlines": [],
    }
    if seen.comparison is not None:
        context["champs"] = field_rows(seen.comparison.donnees)
        context["redlines"] = [
            (short_title(part), Markup(to_html(part.lines, "", plural(part.modifications))))
            for part in seen.comparison.parties
        ]
    return render_template("proposition.html", **context)


def _log(action: str, proposal: Proposal, detail: str = "") -> None:
    db = current_app.extensions["fsdocs"].db()
    audit.log(
        db,
        current().identifiant,
        request.remote_addr or "?",
        action,
        f"proposition {proposal.numero} ({proposal.structure})",
        detail,
    )
