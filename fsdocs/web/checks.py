"""What the préfecture checks of the project: ``/controle`` (the findings of ``fsdocs
controler``, grouped as it groups them, each linked to the field to fix), ``/versions`` (the
history of ``fsdocs historique``) with ``/versions/verifier`` (``fsdocs verifier``), and
``/partenaires`` (the partners and local partners, read only)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request

from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity
from fsdocs.project.paths import STRUCTURES
from fsdocs.web import audit
from fsdocs.web.access import allowed, current
from fsdocs.web.accounts import Role
from fsdocs.web.findings import field_id

bp = Blueprint("controle", __name__)


@dataclass(frozen=True)
class Finding:
    texte: str  # as ``fsdocs controler`` prints it: file:line: field: message
    lien: str  # the field on its structure's page, or ""


@dataclass(frozen=True)
class FindingGroup:
    titre: str
    constats: list[Finding]


def field_link(problem: Problem) -> str:
    """``/structures/blois#champ-agents-1-nom`` for a field of a structure's file: the id
    its structure's page gives the element showing it (fsdocs/web/findings.py)."""
    prefix, suffix = f"{STRUCTURES}/", ".yaml"
    name = problem.file
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return ""
    ident = name[len(prefix) : -len(suffix)]
    if "/" in ident or not ident:
        return ""
    shown = field_id(problem.path) if problem.path else ""
    return f"/structures/{ident}{'#' + shown if shown else ''}"


def finding(problem: Problem) -> Finding:
    return Finding(str(problem), field_link(problem))


def grouped(problems: list[Problem]) -> tuple[list[Finding], list[FindingGroup]]:
    """The errors (ungrouped: they stop everything), then the warnings by kind with counts,
    as ``fsdocs controler`` prints them."""
    from fsdocs.rules.groups import groups

    errors = [finding(p) for p in problems if p.severity is Severity.ERROR]
    kinds = [
        FindingGroup(f"{g.libelle} ({g.nombre} {g.unite})", [finding(p) for p in g.problems])
        for g in groups(problems)
    ]
    return errors, kinds


@bp.get("/controle")
@allowed(Role.PREFECTURE)
def controle() -> str:
    from fsdocs.rules.checked import load_project
    from fsdocs.rules.groups import groups, summary_lines
    from fsdocs.wording.completeness import checked

    root = current_app.extensions["fsdocs"].root
    erreur = ""
    try:
        problems = list(checked(load_project(root)).warnings)
    except ProjectError as exc:
        problems = list(exc.problems)
    except FsdocsError as exc:
        problems, erreur = [], str(exc)
    errors, kinds = grouped(problems)
    warnings = len(problems) - len(errors)
    return render_template(
        "controle.html",
        erreur=erreur,
        erreurs=errors,
        groupes=kinds,
        resume=summary_lines(groups(problems)),
        nombre_erreurs=len(errors),
        nombre_avertissements=warnings,
    )


@bp.get("/versions")
@allowed(Role.PREFECTURE, Role.RELECTEUR)
def versions() -> str:
    return _versions_page()


@bp.post("/versions/verifier")
@allowed(Role.PREFECTURE)
def verifier() -> tuple[str, int]:
    from fsdocs.versions.verify import verify

    root = current_app.extensions["fsdocs"].root
    try:
        result = verify(root)
        problems = list(result.problemes)
        if problems:
            bilan = (
                f"Échec : {len(problems)} problème(s) dans le registre "
                f"({result.versions} version(s) lisibles)."
            )
        else:
            bilan = (
                f"Registre intact : {result.versions} version(s), "
                f"{result.fichiers} fichiers vérifiés."
            )
    except FsdocsError as exc:
        problems, bilan = [str(exc)], "Échec : le registre ne peut pas être vérifié."
    audit.log(
        current_app.extensions["fsdocs"].db(),
        current().identifiant,
        request.remote_addr or "?",
        "vérification des versions",
        "versions",
        bilan,
    )
    return _versions_page(bilan, problems), 200


def _versions_page(bilan: str = "", problems: list[str] | None = None) -> str:
    from fsdocs.changes.labels import moment
    from fsdocs.versions.record import history

    root = current_app.extensions["fsdocs"].root
    erreur = ""
    try:
        found = list(reversed(history(root)))
    except FsdocsError as exc:
        found, erreur = [], str(exc)
    rows = [
        {
            "numero": v.numero,
            "date": moment(v.date),
            "auteur": v.auteur,
            "message": v.message,
            "modifies": ", ".join(v.modifiees) if v.modifiees else "aucun document modifié",
        }
        for v in found
    ]
    return render_template(
        "versions.html",
        versions=rows,
        erreur=erreur,
        bilan=bilan,
        problemes=problems or [],
        prefecture=current().role is Role.PREFECTURE,
    )


@bp.get("/partenaires")
@allowed(Role.PREFECTURE)
def partenaires() -> str:
    from fsdocs.project.reading import read_project

    try:
        project, _ = read_project(current_app.extensions["fsdocs"].root)
    except ProjectError as exc:
        erreur = f"Le projet ne se lit pas ({exc}) : voyez la page Contrôle."
        return render_template("partenaires.html", signataires=[], locaux=[], erreur=erreur)
    signataires = [
        {
            "id": p.id,
            "organisation": p.organisation or "[à compléter]",
            "representant": _person(p.representant.prenom, p.representant.nom),
            "fonction": p.representant.fonction or "",
            "catalogue": p.partenaire or "partenaire local",
        }
        for p in project.partenaires
    ]
    locaux = [
        {"id": p.id, "nom": p.nom, "court": p.court or ""} for p in project.partenaires_locaux
    ]
    return render_template(
        "partenaires.html",
        signataires=signataires,
        locaux=locaux,
        erreur="",
    )


def _person(prenom: str | None, nom: str | None) -> str:
    return " ".join(part for part in (prenom, nom) if part) or "[à compléter]"
