"""The structure managers' pages: their structures, each one's form and live preview of its
Annexe 4 page, and « Proposer ». A manager opens only their own structures (403 for any other
id, known or not, before anything about it is revealed); the préfecture opens them all; the
reviewers none.
"""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from fsdocs.errors import FsdocsError, Problem
from fsdocs.web import audit, drafts, findings, forms, lists, offres, proposing
from fsdocs.web.access import allowed, current
from fsdocs.web.accounts import Role
from fsdocs.web.overlay import project_file
from fsdocs.web.previews import PAGE, PDF
from fsdocs.web.proposals import structure_proposals

bp = Blueprint("structures", __name__)
EDITORS = (Role.PREFECTURE, Role.GESTIONNAIRE)
SAVE_WAIT_S = 5.0  # a save waits this long for its preview before showing the page
PDF_WAIT_S = 15.0  # the preview's PDF, asked for after a save, waits this long for its layout
FIRST_BUILD_WAIT_S = 60.0
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"
)
_GRID_KEY = re.compile(r"horaires-([a-z]+)-\d-(?:debut|fin)")


def _service() -> Any:
    return current_app.extensions["fsdocs"]


def _structure(structure: str) -> str:
    """``structure`` if the account may open it: 403 for a manager's other ids (known or
    not), 404 for an id the project does not have."""
    account = current()
    if account.role is Role.GESTIONNAIRE and structure not in account.structures:
        abort(403)
    if not account.may_edit(structure):
        abort(403)
    if structure not in drafts.structure_ids(_service().root):
        abort(404)
    return structure


bp.add_app_template_filter(findings.slug, "slug")


def _revision() -> int:
    """The revision the posted form was shown at (400 if it is not a number)."""
    try:
        return int(request.form.get("revision", ""))
    except ValueError:
        abort(400)


def _address() -> str:
    return request.remote_addr or ""


@bp.get("/structures")
@allowed(*EDITORS)
def liste() -> str:
    account = current()
    service = _service()
    ids = drafts.structure_ids(service.root)
    if account.role is Role.GESTIONNAIRE:
        ids = [s for s in ids if s in account.structures]
    db = service.db()
    rows = []
    for ident in ids:
        text, draft = drafts.current(service.root, db, ident)
        name = drafts.plain(text).get("nom") or ident
        rows.append({"id": ident, "nom": str(name), "brouillon": draft})
    return render_template("structures.html", structures=rows)


@bp.get("/structures/<structure>")
@allowed(*EDITORS)
def page(structure: str) -> str:
    return _page(_structure(structure))


def _page(
    structure: str,
    posted: dict[str, str] | None = None,
    problems: tuple[Problem, ...] = (),
    conflict: drafts.Conflict | None = None,
    comment_error: str | None = None,
) -> str:
    service = _service()
    db = service.db()
    text, draft = drafts.current(service.root, db, structure)
    data = drafts.plain(text)
    errors, others = findings.by_anchor(list(problems))
    for section in ("horaires", "equipements"):  # no place of their own on the page
        others += [Problem("", None, section, m) for m in errors.pop(section, [])]
    project = findings.checked_project(service.root, structure, text)  # read once a page
    warned, other_warnings = findings.by_anchor(findings.warnings(project, structure))
    project_text, project_hash = drafts.project_text(service.root, structure)
    partners = {n: drafts.plain(t) for n, t in drafts.partner_texts(service.root, draft).items()}
    if conflict is not None and posted is not None:
        before = drafts.partner_texts(service.root, None)
        posted = _mine(posted, drafts.plain(project_text)) | offres.mine(
            posted, structure, {n: drafts.plain(t) for n, t in before.items()}
        )
    view = forms.form_view(data, posted, errors)
    view.avertissements = warned
    return render_template(
        "structure.html",
        id=structure,
        nom=str(data.get("nom") or structure),
        vue=view,
        scalaires=forms.SCALARS,
        textes=forms.LONG_TEXTS,
        drapeaux=forms.FLAGS,
        choix_drapeaux=forms.FLAG_CHOICES,
        types=forms.TYPES,
        aides={
            path: help_text
            for path, label in (*forms.SCALARS, *forms.LONG_TEXTS)
            if (help_text := forms.description(path)) and help_text != label
        },
        revision=drafts.revision_of(db, structure),
        brouillon=draft,
        base_perimee=draft is not None
        and (draft.base, *(b for _, b in draft.fichiers.values()))
        != (project_hash, *(project_file(service.root, n)[1] for n in draft.fichiers)),
        autres_erreurs=others,
        autres_avertissements=other_warnings,
        conflit=conflict,
        offres=offres.views(partners, structure, offres.labels(project), posted),
        choix_offres=offres.CHOICES,
        propositions=structure_proposals(db, structure),
        etat=service.previews.state(structure),
        erreur_commentaire=comment_error,
    )


def _mine(posted: dict[str, str], base: Any) -> dict[str, str]:
    """Of a form refused for a conflict, the inputs the person changed (from the project's
    file): shown again over the values saved meanwhile, so that nothing of either is lost."""
    changed = set(forms.wanted(posted, base))
    kept = {}
    for key, value in posted.items():
        grid = _GRID_KEY.fullmatch(key)
        item = lists.item_path(key)
        path = f"horaires.{grid.group(1)}" if grid else item[0].path if item else key
        if path in changed:
            kept[key] = value
    return kept


@bp.post("/structures/<structure>")
@allowed(*EDITORS)
def enregistrer(structure: str) -> Any:
    structure = _structure(structure)
    service = _service()
    account = current()
    form = {k: v for k, v in request.form.items() if k not in ("jeton_csrf", "revision")}
    revision = _revision()
    try:
        saved = drafts.save(
            service.root, service.db(), structure, form, revision, account.identifiant
        )
    except drafts.Invalid as exc:
        return _page(structure, form, tuple(exc.problems)), 422
    except drafts.Conflict as exc:
        audit.log(service.db(), account.identifiant, _address(), "conflit", structure)
        return _page(structure, form, conflict=exc), 409
    except FsdocsError as exc:
        return _page(structure, form, (Problem("", None, "", str(exc)),)), 422
    if not saved.changed:
        flash("Aucune modification : le formulaire est identique à ce qui est enregistré.", "info")
        return redirect(url_for("structures.page", structure=structure), 303)
    audit.log(
        service.db(),
        account.identifiant,
        _address(),
        "enregistrement",
        structure,
        f"révision {saved.revision} : {', '.join(saved.changed)}",
    )
    generation = service.previews.ask(structure)
    service.previews.wait(structure, generation, SAVE_WAIT_S)
    flash("Modifications enregistrées.", "succes")
    return redirect(url_for("structures.page", structure=structure), 303)


@bp.post("/structures/<structure>/proposer")
@allowed(*EDITORS)
def proposer(structure: str) -> Any:
    structure = _structure(structure)
    service = _service()
    account = current()
    comment = request.form.get("commentaire", "").strip()
    revision = _revision()
    if not comment:
        message = "Commentaire obligatoire : dites à la préfecture ce que vous avez changé."
        return _page(structure, comment_error=message), 422
    try:
        number = proposing.propose(service.db(), structure, revision, account.identifiant, comment)
    except proposing.NothingToPropose:
        flash(
            "Rien à proposer : enregistrez d’abord vos modifications dans le formulaire.",
            "erreur",
        )
        return redirect(url_for("structures.page", structure=structure), 303)
    except drafts.Conflict as exc:
        return _page(structure, conflict=exc), 409
    audit.log(
        service.db(), account.identifiant, _address(), "proposition", structure, f"n° {number}"
    )
    flash(f"Proposition n° {number} envoyée à la préfecture.", "succes")
    return redirect(url_for("structures.page", structure=structure), 303)


def _preview(structure: str, extension: str) -> bytes:
    previews = _service().previews
    lane = PDF if extension == "pdf" else PAGE
    if not previews.wait_built(FIRST_BUILD_WAIT_S, lane):
        abort(503)
    if lane == PDF:  # laid out after the page: the PDF of the last save, not an older one
        previews.wait(structure, previews.asked(structure), PDF_WAIT_S, PDF)
    try:
        return bytes(previews.document(structure, extension).read_bytes())
    except OSError:
        abort(503)


@bp.get("/structures/<structure>/apercu.pdf")
@allowed(*EDITORS)
def apercu_pdf(structure: str) -> Response:
    structure = _structure(structure)
    data = _preview(structure, "pdf")
    account = current()
    audit.log(_service().db(), account.identifiant, _address(), "apercu", structure, "PDF")
    response = Response(data, mimetype="application/pdf")
    name = f"apercu-annexe-4-{structure}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.get("/structures/<structure>/apercu.html")
@allowed(*EDITORS)
def apercu_html(structure: str) -> Response:
    structure = _structure(structure)
    response = Response(_preview(structure, "html"), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


@bp.get("/structures/<structure>/apercu/etat")
@allowed(*EDITORS)
def apercu_etat(structure: str) -> Response:
    structure = _structure(structure)
    state = _service().previews.state(structure)
    return jsonify(
        {
            "generation": state.generation,
            "pret": state.pret,
            "delai_ms": state.delai_ms,
            "erreur": state.erreur,
            "generation_pdf": state.generation_pdf,
            "delai_pdf_ms": state.delai_pdf_ms,
        }
    )
