"""What a PDF can *do* rather than show, found and removed: actions (JavaScript, launching a
program, sending form data, playing media, opening another file or a non-web address),
embedded and associated files, multimedia annotations. Used by :mod:`fsdocs.pdf.sanitize`.

Actions are judged by an allow-list, not a deny-list: a click may go to a page of the document
(GoTo), to a web or mail address, or turn the page (the four standard named actions); an
automatic action (on opening the document or a page, on any event of /AA) may only go to a
page. Everything else goes, and a chain of actions (/Next) goes whole if any link of it would.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pikepdf import Array, Dictionary, Object, Pdf, Stream

# Kinds of removal, in the order their warnings are given.
JAVASCRIPT = "JavaScript retiré"
LAUNCH = "lancement de programme retiré"
FORM_DATA = "envoi, import ou effacement de données de formulaire retiré"
OTHER_FILE = "ouverture d’un autre fichier retirée"
BAD_URI = "lien vers une adresse autre que web ou courriel retiré"
AUTOMATIC_URI = "ouverture automatique d’une adresse web retirée"
OTHER_ACTION = "autre action retirée"
FILES = "fichiers joints retirés"
MEDIA = "contenu multimédia (son, vidéo, 3D) retiré"
KINDS = (
    JAVASCRIPT,
    LAUNCH,
    FORM_DATA,
    OTHER_FILE,
    BAD_URI,
    AUTOMATIC_URI,
    OTHER_ACTION,
    FILES,
    MEDIA,
)

# Where they were found, in the order they are listed.
ON_OPEN = "action à l’ouverture du document"
SCRIPTS = "scripts du document"
DOCUMENT_EVENTS = "actions automatiques du document"
PAGE_EVENTS = "actions automatiques des pages"
OUTLINE = "signets"
LINKS = "liens"
ANNOTATIONS = "annotations"
ATTACHMENTS = "pièces jointes du document"
ASSOCIATED = "fichiers associés"
ELSEWHERE = "autres éléments"
PLACES = (
    ON_OPEN,
    SCRIPTS,
    DOCUMENT_EVENTS,
    PAGE_EVENTS,
    OUTLINE,
    LINKS,
    ANNOTATIONS,
    ATTACHMENTS,
    ASSOCIATED,
    ELSEWHERE,
)

_BY_TYPE = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": FORM_DATA,
    "/ImportData": FORM_DATA,
    "/ResetForm": FORM_DATA,
    "/Rendition": MEDIA,
    "/Sound": MEDIA,
    "/Movie": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/GoTo3DView": MEDIA,
    "/GoToR": OTHER_FILE,
    "/GoToE": OTHER_FILE,
}
_WEB = {"http", "https", "mailto"}
_PAGE_TURNS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
_MEDIA_ANNOTATIONS = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
_CHAIN_LIMIT = 100  # actions in one chain; a longer one is not a document's, it is an attack


class Findings:
    """Each kind of removal, with the places it was found in."""

    def __init__(self) -> None:
        self.places: dict[str, set[str]] = {}

    def add(self, kind: str, place: str) -> None:
        self.places.setdefault(kind, set()).add(place)

    def messages(self) -> list[str]:
        return [
            f"{kind} ({', '.join(p for p in PLACES if p in self.places[kind])})"
            for kind in KINDS
            if kind in self.places
        ]


def judge(action: Object, automatic: bool) -> set[str]:
    """The kinds of removal that ``action`` and the actions chained to it call for; empty
    when they may stay."""
    kinds: set[str] = set()
    pending: list[Object] = [action]
    seen: set[tuple[int, int]] = set()
    count = 0
    while pending:
        current = pending.pop()
        count += 1
        if count > _CHAIN_LIMIT:
            kinds.add(OTHER_ACTION)
            break
        if not isinstance(current, Dictionary):
            kinds.add(OTHER_ACTION)
            continue
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        kind = _kind(current, automatic)
        if kind is not None:
            kinds.add(kind)
        following = current.get("/Next")
        if isinstance(following, Array):
            pending.extend(following)
        elif following is not None:
            pending.append(following)
    return kinds


def _kind(action: Object, automatic: bool) -> str | None:
    """Why one action goes (a kind of removal), or None if it may stay."""
    subtype = str(action.get("/S", ""))
    if "/JS" in action:
        return JAVASCRIPT
    if subtype in _BY_TYPE:
        return _BY_TYPE[subtype]
    if subtype == "/GoTo":
        return None
    if subtype == "/URI":
        target = action.get("/URI")
        scheme = urlsplit(str(target).strip()).scheme.lower() if target is not None else ""
        if scheme not in _WEB:
            return BAD_URI
        return AUTOMATIC_URI if automatic else None
    if subtype == "/Named" and not automatic and str(action.get("/N", "")) in _PAGE_TURNS:
        return None
    return OTHER_ACTION


def remove_trees(pdf: Pdf, found: Findings) -> None:
    """The document's scripts and attached files (its name trees)."""
    names = pdf.Root.get("/Names")
    if not isinstance(names, Dictionary):
        return
    for key, kind, place in (
        ("/JavaScript", JAVASCRIPT, SCRIPTS),
        ("/EmbeddedFiles", FILES, ATTACHMENTS),
    ):
        if key in names:
            del names[key]
            found.add(kind, place)
    if "/Collection" in pdf.Root:  # a portfolio: the files it presented are gone
        del pdf.Root["/Collection"]


def remove_annotations(pdf: Pdf, found: Findings) -> None:
    """Attached files, multimedia, form widgets left after flattening (hidden ones), and links
    whose action would go: the annotation itself goes."""
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = Array()
        for annotation in annotations if isinstance(annotations, Array) else ():
            if not isinstance(annotation, Dictionary):
                continue
            subtype = str(annotation.get("/Subtype", ""))
            if subtype == "/FileAttachment":
                found.add(FILES, ANNOTATIONS)
            elif subtype in _MEDIA_ANNOTATIONS:
                found.add(MEDIA, ANNOTATIONS)
            elif subtype == "/Widget":
                pass  # counted with the form
            elif subtype == "/Link" and _bad_link(annotation, found):
                pass
            else:
                kept.append(annotation)
        page.obj.Annots = kept


def _bad_link(link: Object, found: Findings) -> bool:
    action = link.get("/A")
    kinds = judge(action, automatic=False) if action is not None else set()
    for kind in kinds:
        found.add(kind, LINKS)
    return bool(kinds)


def sweep(pdf: Pdf, found: Findings) -> None:
    """Every object the document still reaches, once: actions that would go are taken off
    what holds them, associated (/AF) and embedded (/EF) files are cut off."""
    root = pdf.Root
    pending: list[Object] = [root]
    seen: set[tuple[int, int]] = set()
    while pending:
        current = pending.pop()
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        if isinstance(current, Array):
            pending.extend(v for v in current if isinstance(v, Array | Dictionary | Stream))
            continue
        if not isinstance(current, Dictionary | Stream):
            continue
        _clean_holder(current, current.objgen == root.objgen, found)
        for key in sorted(current.keys()):
            value = current.get(key)
            if isinstance(value, Array | Dictionary | Stream):
                pending.append(value)


_HELD = ("/OpenAction", "/A", "/PA", "/AA", "/AF", "/EF")


def _clean_holder(holder: Object, is_root: bool, found: Findings) -> None:
    if not any(key in holder for key in _HELD):
        return
    place = _place(holder, is_root)
    opening = holder.get("/OpenAction")
    if isinstance(opening, Dictionary):
        _drop(holder, "/OpenAction", judge(opening, automatic=True), ON_OPEN, found)
    for key in ("/A", "/PA"):
        action = holder.get(key)
        # /A of a structure element holds its attributes, not an action: those have no /S.
        if isinstance(action, Dictionary) and ("/S" in action or "/JS" in action):
            _drop(holder, key, judge(action, automatic=False), place, found)
    events = holder.get("/AA")
    if events is not None:
        where = place
        if is_root:
            where = DOCUMENT_EVENTS
        elif str(holder.get("/Type", "")) == "/Page":
            where = PAGE_EVENTS
        if not isinstance(events, Dictionary):
            _drop(holder, "/AA", {OTHER_ACTION}, where, found)
        else:
            for trigger in sorted(events.keys()):
                _drop(events, trigger, judge(events[trigger], automatic=True), where, found)
            if not events.keys():
                del holder["/AA"]
    for key, place_of_file in (("/AF", ASSOCIATED), ("/EF", ELSEWHERE)):
        if key in holder:
            _drop(holder, key, {FILES}, place_of_file, found)


def _drop(holder: Object, key: str, kinds: set[str], place: str, found: Findings) -> None:
    if kinds:
        del holder[key]
        for kind in kinds:
            found.add(kind, place)


def _place(holder: Object, is_root: bool) -> str:
    """Where an action held by ``holder`` is, as its warning says it."""
    if is_root:
        return DOCUMENT_EVENTS
    subtype = str(holder.get("/Subtype", ""))
    if subtype == "/Link":
        return LINKS
    if subtype and "/Rect" in holder:
        return ANNOTATIONS
    if "/Title" in holder and ("/Parent" in holder or "/First" in holder):
        return OUTLINE
    return ELSEWHERE
