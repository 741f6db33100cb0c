"""A national PDF made fit for the signature dossier: its pages show what they showed, and
nothing in it can act — no script, program, form, attached file or multimedia — so that the
dossier's only form fields are fsdocs' own signature fields, and opening it runs nothing.

The PDF is read by qpdf (through pikepdf), which repairs what a damaged file can be repaired
of, under a time limit, and written back by it, unencrypted. Two decisions:

- A PDF protected by an *owner* password only (restrictions on printing, copying, changing,
  but opened without any password) is read and its copy written without protection, with a
  warning: anyone could already read it, and the dossier copies its pages, which such a file
  asks readers not to let users do, but which the national documents, published to be
  annexed to every convention, are meant for. A PDF that needs a password to be *opened* is
  refused, with the way to save an unprotected copy.
- A page with no valid /MediaBox (none on it nor on its parents, or not four numbers with a
  width and a height) gets an A4 box, with a warning that names it: qpdf (and PDF readers)
  would show it as US Letter, which cuts the top of a page laid out in A4, as French
  documents are. Refusing the file would stop the dossier for a page that the user can
  check in it.

Form fields are flattened before they go (qpdf draws each visible field's appearance into its
page), so a filled-in form keeps showing what it showed.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from fsdocs.errors import FsdocsError, UnreadableFileError
from fsdocs.files.deadline import deadline

if TYPE_CHECKING:
    from pikepdf import Pdf

A4 = (595.28, 841.89)  # points
LIMIT_S = 30.0
LIMIT_PER_MB_S = 2.0  # a 64 Mo national PDF (the largest read) gets two and a half minutes
_MB = 1024 * 1024
# qpdf gives a page without a box US Letter's, and says so (object number of the page).
_UNDEFINED_BOX = re.compile(r"object (\d+) (\d+)\b.*MediaBox is undefined")
RESAVE = "ouvrez-le et enregistrez-le de nouveau avec « Imprimer en PDF »"
PASSWORD = (
    "PDF protégé par un mot de passe d’ouverture : fsdocs ne peut pas le lire ; "
    "enregistrez-en une copie sans protection (qpdf --decrypt --password=MOT-DE-PASSE "
    "entree.pdf sortie.pdf, ou ouvrez-le avec son mot de passe et « Imprimer en PDF ») et "
    "indiquez cette copie dans « fichier: »"
)
XFA = "formulaire XFA retiré (vérifiez que ses pages s’affichent dans le dossier)"
NO_PAGE = "PDF sans aucune page : vérifiez qu’il s’agit du bon fichier"
PROTECTION = (
    "protection par mot de passe propriétaire retirée (le PDF s’ouvrait sans mot de passe ; "
    "ses pages sont reprises dans le dossier)"
)


def sanitize(data: bytes, shown: str) -> tuple[bytes, list[str]]:
    """``data`` (a PDF) without anything that acts, and one French warning, naming the file
    as ``shown``, per kind of thing removed. Raises UnreadableFileError (French, naming the
    file) when it cannot be read: damaged beyond repair, needs a password, has no page, or
    takes longer than its time limit to read."""
    import pikepdf

    seconds = LIMIT_S + LIMIT_PER_MB_S * len(data) / _MB
    try:
        with deadline(seconds, lambda s: UnreadableFileError(shown, _too_slow(s))):
            clean, warnings = _sanitize(data)
    except FsdocsError:
        raise
    except pikepdf.PasswordError:
        raise UnreadableFileError(shown, PASSWORD) from None
    except _NoPageError:
        raise UnreadableFileError(shown, NO_PAGE) from None
    # A hostile file can make the parser fail in any way: each is this file's fault, and says so.
    except Exception as exc:
        raise UnreadableFileError(shown, _damaged(exc)) from None
    return clean, [f"{shown} : {warning}" for warning in warnings]


class _NoPageError(Exception):
    pass


def _sanitize(data: bytes) -> tuple[bytes, list[str]]:
    import pikepdf

    from fsdocs.pdf import active

    found = active.Findings()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        undefined = {
            (int(m[1]), int(m[2]))
            for m in (_UNDEFINED_BOX.search(w) for w in pdf.get_warnings())
            if m is not None
        }
        if not len(pdf.pages):
            raise _NoPageError
        warnings = [PROTECTION] if pdf.is_encrypted else []
        warnings += _boxes(pdf, undefined)
        form = _form(pdf)
        active.remove_trees(pdf, found)
        active.remove_annotations(pdf, found)
        active.sweep(pdf, found)
        out = io.BytesIO()
        pdf.save(out, encryption=False, deterministic_id=True)
    return out.getvalue(), warnings + found.messages() + form


def _boxes(pdf: Pdf, undefined: set[tuple[int, int]]) -> list[str]:
    """Pages without a valid /MediaBox given A4's, and the warning that says which."""
    from pikepdf import Array

    boxed = []
    for number, page in enumerate(pdf.pages, start=1):
        if page.obj.objgen in undefined or not _valid_box(_inherited(page.obj, "/MediaBox")):
            page.obj.MediaBox = Array([0, 0, *A4])
            boxed.append(number)
    if not boxed:
        return []
    pages = ", ".join(str(n) for n in boxed)
    if len(boxed) == 1:
        where, its = f"à la page {pages}", "son"
    else:
        where, its = f"aux pages {pages}", "leur"
    return [
        f"format de page (/MediaBox) absent ou invalide {where} : format A4 appliqué, "
        f"vérifiez {its} rendu dans le dossier"
    ]


def _inherited(page: object, key: str) -> object:
    """``key`` of ``page`` or of the nearest node of the page tree above it that has it."""
    from pikepdf import Dictionary

    node = page
    for _ in range(64):  # deeper is no page tree
        if not isinstance(node, Dictionary):
            return None
        if key in node:
            return node.get(key)
        node = node.get("/Parent")
    return None


def _valid_box(box: object) -> bool:
    from pikepdf import Array

    if not isinstance(box, Array) or len(box) != 4:
        return False
    try:
        x1, y1, x2, y2 = (float(v) for v in box)
    except (TypeError, ValueError):
        return False
    return all(abs(v) < 1e6 for v in (x1, y1, x2, y2)) and x1 != x2 and y1 != y2


def _form(pdf: Pdf) -> list[str]:
    """The form's fields drawn into their pages and removed, with the form itself (and XFA)."""
    from pikepdf import Array, Dictionary, Name

    root = pdf.Root
    form = root.get("/AcroForm")
    xfa = isinstance(form, Dictionary) and "/XFA" in form
    fields = form.get("/Fields") if isinstance(form, Dictionary) else None
    widgets = 0
    others: list[tuple[Dictionary, Array]] = []  # each page's other annotations
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, Array):
            continue
        mine, rest = Array(), Array()
        for annotation in annotations:
            if isinstance(annotation, Dictionary):
                is_widget = annotation.get("/Subtype") == Name.Widget
                (mine if is_widget else rest).append(annotation)
        if len(mine):
            widgets += len(mine)
            others.append((page.obj, rest))
            page.obj.Annots = mine
    if widgets:
        if isinstance(form, Dictionary) and form.get("/NeedAppearances"):
            pdf.generate_appearance_streams()
        # Only the widgets are on the pages now: only they are drawn into them.
        pdf.flatten_annotations("all")
        for page_object, kept in others:  # hidden fields, which were not drawn, go too
            page_object.Annots = kept
    for key in ("/AcroForm", "/NeedsRendering", "/Perms"):
        if key in root:
            del root[key]
    count = widgets or (len(fields) if isinstance(fields, Array) else 0)
    warnings = []
    if count == 1:
        warnings.append("formulaire retiré (1 champ, figé dans la page tel qu’il s’affichait)")
    elif count:
        warnings.append(
            f"formulaire retiré ({count} champs, figés dans la page tels qu’ils s’affichaient)"
        )
    if xfa:
        warnings.append(XFA)
    return warnings


def _too_slow(seconds: float) -> str:
    return (
        f"lecture du PDF arrêtée après {seconds:.0f} s : il est démesuré ou construit pour "
        f"bloquer les lecteurs ; {RESAVE}"
    )


def _damaged(exc: Exception) -> str:
    detail = re.sub(r"^stream <[^>]*>:?\s*", "", str(exc).splitlines()[0] if str(exc) else "")
    detail = detail[:160] or type(exc).__name__
    return (
        f"PDF illisible ou endommagé ({detail}) : {RESAVE}, ou réparez-le avec "
        "« qpdf entree.pdf sortie.pdf »"
    )
