"""The préfecture's documents: ``/documents`` lists what ``output/`` holds, builds them as
``fsdocs produire`` and ``fsdocs dossier --parapheur`` (or ``--brouillon``) do, and gives each
for download — only the names of a fixed list, read from ``output/`` as regular files."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from fsdocs.errors import FsdocsError, IncompleteProjectError, ProjectError
from fsdocs.files.write import OUTPUT
from fsdocs.web import audit
from fsdocs.web.access import allowed, current
from fsdocs.web.accounts import Role

bp = Blueprint("documents", __name__)

PDF, DOCX = (
    "application/pdf",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)
# What may be downloaded, with its content type and what it is: nothing else of output/.
DOWNLOADS: dict[str, tuple[str, str]] = {
    "convention.pdf": (PDF, "Convention (PDF)"),
    "convention.docx": (DOCX, "Convention (DOCX)"),
    **{
        f"annexe-{n}.{ext}": (PDF if ext == "pdf" else DOCX, f"Annexe {n} ({ext.upper()})")
        for n in range(4, 9)
        for ext in ("pdf", "docx")
    },
    "dossier-signature.pdf": (PDF, "Dossier de signature (PDF)"),
    "dossier-projet.pdf": (PDF, "Projet de dossier, à relire (PDF)"),
    "dossier-parapheur.zip": ("application/zip", "Dossier pour le parapheur (ZIP)"),
    "signataires.csv": ("text/csv; charset=utf-8", "Liste des signataires (CSV)"),
}


@dataclass(frozen=True)
class Produced:
    nom: str
    libelle: str
    taille: str
    modifie_le: str


def read_output(root: Path, name: str) -> bytes | None:
    """The bytes of ``output/<name>`` if it is a regular file there (no link followed)."""
    if name not in DOWNLOADS:
        return None
    out = root / OUTPUT
    if out.is_symlink() or not out.is_dir():
        return None
    try:
        fd = os.open(out / name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def produced(root: Path) -> list[Produced]:
    found = []
    for name, (_, libelle) in DOWNLOADS.items():
        path = root / OUTPUT / name
        try:
            info = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        when = datetime.fromtimestamp(info.st_mtime).strftime("%d/%m/%Y %H:%M")
        size = f"{max(1, round(info.st_size / 1024))} Ko"
        found.append(Produced(name, libelle, size, when))
    return found


@bp.get("/documents")
@allowed(Role.PREFECTURE)
def documents() -> str:
    return _page()


@bp.post("/documents/produire")
@allowed(Role.PREFECTURE)
def produire() -> Response | tuple[str, int]:
    from fsdocs.production.build import build

    service = current_app.extensions["fsdocs"]
    try:
        with service.writing:
            result = build(service.root, formats=["pdf", "docx", "html"])
    except FsdocsError as exc:
        _log("production refusée", str(exc))
        return _page(erreur=_message(exc), problemes=_problems(exc)), 422
    detail = f"{len(result.files)} fichier(s), {len(result.warnings)} avertissement(s)"
    _log("production des documents", detail)
    flash(f"Documents produits : {detail}.", "succes")
    return redirect("/documents", 303)


@bp.post("/documents/dossier")
@allowed(Role.PREFECTURE)
def dossier() -> Response | tuple[str, int]:
    from fsdocs.bundle.assemble import bundle

    service = current_app.extensions["fsdocs"]
    draft = request.form.get("brouillon") == "1"
    try:
        with service.writing:
            result = bundle(service.root, brouillon=draft, parapheur=not draft)
    except IncompleteProjectError as exc:
        _log("dossier refusé (projet incomplet)", str(exc))
        facts = [str(p) for p in exc.problems]
        return _page(erreur=f"Erreur : {exc}", problemes=facts, incomplet=True), 422
    except FsdocsError as exc:
        _log("dossier refusé", str(exc))
        return _page(erreur=_message(exc), problemes=_problems(exc)), 422
    what = "Projet de dossier" if draft else "Dossier de signature"
    detail = f"{what} : {result.pages} pages"
    if not draft:
        detail += f", {result.signatures} champs de signature"
    _log("production du dossier", detail)
    flash(f"{detail}.", "succes")
    return redirect("/documents", 303)


@bp.get("/documents/<name>")
@allowed(Role.PREFECTURE)
def telecharger(name: str) -> Response:
    root = current_app.extensions["fsdocs"].root
    data = read_output(root, name)
    if data is None:
        abort(404)
    _log("téléchargement", name)
    response = Response(data, content_type=DOWNLOADS[name][0])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page(erreur: str = "", problemes: list[str] | None = None, incomplet: bool = False) -> str:
    return render_template(
        "documents.html",
        documents=produced(current_app.extensions["fsdocs"].root),
        erreur=erreur,
        problemes=problemes or [],
        incomplet=incomplet,
    )


def _message(exc: FsdocsError) -> str:
    if isinstance(exc, ProjectError):
        return f"Échec : {exc} Voyez la page Contrôle."
    return f"Erreur : {exc}"


def _problems(exc: FsdocsError) -> list[str]:
    return [str(p) for p in exc.problems] if isinstance(exc, ProjectError) else []


def _log(action: str, detail: str) -> None:
    audit.log(
        current_app.extensions["fsdocs"].db(),
        current().identifiant,
        request.remote_addr or "?",
        action,
        "documents",
        detail,
    )
