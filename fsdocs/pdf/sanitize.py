"""National PDFs made safe to pass on: what could act when the dossier is opened is removed.

A PDF supplied for annexes 1 to 3 goes into the dossier that every signatory opens. Whatever
in it could run or open something — JavaScript, launching a program, an attached or embedded
file, multimedia, a link to anything but a web page or an e-mail address, a form and its
fields — is removed before assembly, and each kind of removal is reported. The dossier's only
form fields are then fsdocs' own signature fields. Pages keep their content: nothing that
draws is touched.

A PDF protected by an owner password only (restrictions, but readable by anyone) is opened and
passed on unprotected, with a warning; one that needs a password to be read is refused with
how to fix it. A page without any size gets the PDF default (qpdf gives it one on reading).
Parsing runs under a time limit: a hostile file cannot hang the bundle.
"""

from __future__ import annotations

import io
from typing import Any

from fsdocs.errors import FsdocsError
from fsdocs.files.deadline import deadline

LIMIT_S = 60.0
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that play, attach or take input: none stays in a national annex.
_ACTIVE_ANNOTATIONS = {
    "/Widget": "champ de formulaire",
    "/FileAttachment": "fichier joint",
    "/RichMedia": "média",
    "/Screen": "média",
    "/Movie": "média",
    "/Sound": "média",
    "/3D": "média",
}


class Removals:
    """What was removed, each kind once, in French."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)


def sanitize(data: bytes, shown: str) -> tuple[bytes, list[str]]:
    """The PDF without its active content, and what was removed (each kind once, in French,
    in the order found); ``shown`` names the file in messages."""
    import pikepdf

    def expired(seconds: float) -> FsdocsError:
        return FsdocsError(
            f"{shown} : lecture du PDF arrêtée après {seconds:.0f} s (fichier démesuré ou "
            "malformé) ; enregistrez-le de nouveau (« Imprimer en PDF ») et réessayez"
        )

    removals = Removals()
    try:
        with deadline(LIMIT_S, expired), _open(data, shown) as pdf:
            if pdf.is_encrypted:
                removals.add("la protection par mot de passe propriétaire (restrictions)")
            _clean_document(pdf, removals)
            for page in pdf.pages:
                _clean_page(page, removals)
            out = io.BytesIO()
            pdf.save(out, encryption=False, linearize=False)
    except pikepdf.PdfError as exc:
        raise FsdocsError(
            f"{shown} : PDF illisible ({str(exc).splitlines()[0][:160]}) ; enregistrez-le de "
            "nouveau (« Imprimer en PDF ») et réessayez"
        ) from None
    return out.getvalue(), removals.found


def _open(data: bytes, shown: str) -> Any:
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))  # an empty user password is tried by qpdf
    except pikepdf.PasswordError:
        raise FsdocsError(
            f"{shown} : ce PDF est protégé par un mot de passe d’ouverture ; fsdocs ne peut pas "
            "l’insérer. Demandez la version non protégée du document national, ou enlevez la "
            "protection : qpdf --password=MOT_DE_PASSE --decrypt protege.pdf libre.pdf"
        ) from None


def _clean_document(pdf: Any, removals: Removals) -> None:
    from pikepdf import Array, Dictionary, Name

    root = pdf.Root
    opening = root.get("/OpenAction")
    if isinstance(opening, Dictionary) and not _safe_action(opening, removals):
        del root["/OpenAction"]
    if "/AA" in root:
        del root["/AA"]
        removals.add("JavaScript (actions du document)")
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key, what in (
            ("/JavaScript", "JavaScript (scripts du document)"),
            ("/EmbeddedFiles", "fichier incorporé"),
            ("/AlternatePresentations", "média"),
        ):
            if key in names:
                del names[key]
                removals.add(what)
    if "/AcroForm" in root:
        form = root.AcroForm
        if "/XFA" in form:
            removals.add("formulaire XFA")
        if len(form.get("/Fields", Array())) > 0:
            removals.add("champ de formulaire")
        del root["/AcroForm"]
    for key in ("/AF", "/Collection"):
        if key in root:
            del root[key]
            removals.add("fichier incorporé")
    for key in ("/Threads", "/SpiderInfo"):
        if key in root:
            del root[key]
    _clean_outline(root.get("/Outlines"), removals)
    if Name("/Perms") in root:
        del root["/Perms"]


def _clean_outline(outlines: Any, removals: Removals) -> None:
    """Bookmarks keep their destinations; an action other than a safe one goes."""
    from pikepdf import Dictionary

    seen: set[tuple[int, int]] = set()
    stack = [outlines.get("/First")] if isinstance(outlines, Dictionary) else []
    while stack:
        item = stack.pop()
        if not isinstance(item, Dictionary) or item.objgen in seen:
            continue
        if item.objgen != (0, 0):
            seen.add(item.objgen)
        action = item.get("/A")
        if isinstance(action, Dictionary) and not _safe_action(action, removals):
            del item["/A"]
        stack += [item.get("/First"), item.get("/Next")]


def _clean_page(page: Any, removals: Removals) -> None:
    from pikepdf import Array, Dictionary

    obj = page.obj
    if "/AA" in obj:
        del obj["/AA"]
        removals.add("JavaScript (actions de page)")
    if "/AF" in obj:
        del obj["/AF"]
        removals.add("fichier incorporé")
    annotations = obj.get("/Annots")
    if not isinstance(annotations, Array):
        if annotations is not None:
            del obj["/Annots"]
        return
    kept = Array()
    for annotation in annotations:
        if not isinstance(annotation, Dictionary):
            continue
        subtype = str(annotation.get("/Subtype", ""))
        if subtype in _ACTIVE_ANNOTATIONS:
            removals.add(_ACTIVE_ANNOTATIONS[subtype])
            continue
        if "/AA" in annotation:
            del annotation["/AA"]
            removals.add("JavaScript (actions d’annotation)")
        action = annotation.get("/A")
        if isinstance(action, Dictionary) and not _safe_action(action, removals):
            del annotation["/A"]
            if "/Dest" not in annotation:
                continue  # a link that led nowhere safe: the link goes, the page stays
        kept.append(annotation)
    obj.Annots = kept


def _safe_action(action: Any, removals: Removals) -> bool:
    """Whether ``action`` (and every action chained after it) only goes to a page of the
    document or opens a web page or an e-mail: otherwise, say what it was."""
    from pikepdf import Array, Dictionary

    seen: set[tuple[int, int]] = set()
    pending = [action]
    safe = True
    while pending:
        current = pending.pop()
        if not isinstance(current, Dictionary):
            continue
        if current.objgen != (0, 0):
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        kind = str(current.get("/S", ""))
        if kind == "/URI":
            target = bytes(current.get("/URI", b"")).decode("latin-1").strip().lower()
            if not target.startswith(_SAFE_SCHEMES):
                removals.add(f"lien « {target.split(':', 1)[0] or '?'}: »")
                safe = False
        elif kind != "/GoTo":
            removals.add(_ACTION_NAMES.get(kind, f"action {kind.lstrip('/')}"))
            safe = False
        following = current.get("/Next")
        pending += list(following) if isinstance(following, Array) else [following]
    return safe


_ACTION_NAMES = {
    "/JavaScript": "JavaScript",
    "/Launch": "lancement de programme (action Launch)",
    "/ImportData": "import de données (action ImportData)",
    "/SubmitForm": "envoi de formulaire (action SubmitForm)",
    "/ResetForm": "action de formulaire (ResetForm)",
    "/Rendition": "média",
    "/Sound": "média",
    "/Movie": "média",
    "/RichMediaExecute": "média",
    "/GoToR": "lien vers un autre fichier (action GoToR)",
    "/GoToE": "lien vers un fichier incorporé (action GoToE)",
    "/Hide": "action Hide",
    "/SetOCGState": "action SetOCGState",
    "/Trans": "action Trans",
    "/GoTo3DView": "média",
}
