"""The rendered wording as a document: typographied HTML for the PDF, paragraphs for the DOCX.

The wording templates produce a small, fixed vocabulary of HTML (below). This module applies
French typography to every text node, then reads the same fragment back as a list of
paragraphs with a named style and formatted runs, which the DOCX writer lays out. Because
both outputs come from one fragment, the PDF and the DOCX cannot say different things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser

from fsdocs.errors import RenderError
from fsdocs.french import typography

PLACEHOLDER = "[à compléter]"

# (tag, class) → paragraph style of the DOCX template. A class of None matches any element
# of that tag without a more specific entry. Headings are Word's built-in « Heading N » at their
# HTML level, as the PDF's bookmarks: a heading's class is its ``variant`` (docx/paragraphs.py).
PARAGRAPH_STYLES: dict[tuple[str, str | None], str] = {
    ("h1", None): "Heading 1",
    ("h2", None): "Heading 2",
    ("h3", None): "Heading 3",
    ("h4", None): "Heading 4",
    ("p", "sous-titre-structure"): "FsSousTitreStructure",
    ("p", "note"): "FsNote",
    ("p", "sous-titre"): "FsSousTitre",
    ("p", None): "FsCorps",
    ("p", "fait"): "FsFait",
    ("p", "temoin"): "FsTemoin",
    ("p", "annexe"): "FsAnnexe",
    ("p", "annexe-note"): "FsAnnexeNote",
    ("p", "sig-titre"): "FsSignatureTitre",
    ("p", "sig-pour"): "FsSignatureTitre",
    ("p", "sig-nom"): "FsSignatureNom",
    ("p", "sig-fonction"): "FsSignatureFonction",
    ("p", "sig-delegue"): "FsSignatureFonction",
    ("p", "sig-espace"): "FsSignatureEspace",
    ("li", None): "FsListe",
    ("li", "nested"): "FsListe2",
    # Annexe 8: the short codes of the partners × structures table, centred in their cells.
    ("p", "code"): "FsCelluleCode",
    ("p", "code-titre"): "FsCelluleCodeTitre",
    # Annexe 7: the mandate's subtitle and its tick boxes.
    ("p", "sous-titre-formulaire"): "FsSousTitreFormulaire",
    ("p", "case"): "FsCase",
}
CELL_STYLE = "FsCellule"
CELL_HEAD_STYLE = "FsCelluleTitre"
_CONTAINERS = {"section", "div", "ul"}
_HEADINGS = {"h1", "h2", "h3", "h4"}
# <div class="COLUMNS"> holds blocks side by side, each a <div class="COLUMN">.
_COLUMNS, _COLUMN = "blocs", "signature"
_FIRST_TAG = re.compile(r'\s*<(\w+)(?:\s+class="([^"]*)")?')
_FICHE = "page"  # a section printed on convention.css's named page « fiche »
_TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
_ORDINAL = re.compile(r"\b(1)(er|re)\b")
_LAYOUT_SPACE = re.compile(r"[ \t\r\n]+")
_INLINE = {"strong": "bold", "em": "italic", "sup": "superscript", "mark": "mark"}


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    mark: bool = False  # a fact still to fill in


@dataclass
class Paragraph:
    style: str
    runs: list[Run] = field(default_factory=list)
    variant: str | None = None  # a heading's HTML class: a look of its own at its level

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Cell:
    header: bool = False
    colspan: int = 1
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Row:
    header: bool = False  # repeated at the top of each page
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    css: str  # the HTML class, which also names its layout in the DOCX (widths, font size)
    rows: list[Row] = field(default_factory=list)


@dataclass
class Columns:
    """Blocks of paragraphs side by side, read left to right, then down: the signature blocks
    (``<div class="blocs">``, one ``<div class="signature">`` each). Layout, not a table of
    data: its text reads as the paragraphs it holds, block after block."""

    css: str  # the HTML class, which names its layout in the DOCX (how many columns)
    cells: list[list[Paragraph]] = field(default_factory=list)


@dataclass(frozen=True)
class PageBreak:
    """A new page: each structure's page of Annexe 4 starts on its own."""


Block = Paragraph | Table | Columns | PageBreak


def typographied(fragment: str) -> str:
    """The fragment with French typography applied to its text (never to its markup)."""
    out = _Typographer()
    out.feed(fragment)
    out.close()
    return "".join(out.parts)


def headed_from_first_page(fragment: str) -> bool:
    """Whether the document's first page carries the running header, as in the PDF: an annex,
    printed alone, still says which convention it belongs to (its ``<section class="page">``
    is on the named page « fiche » of convention.css); the convention opens without it."""
    first = _FIRST_TAG.match(fragment)
    if first is None or first[1] != "section":
        return False
    return _FICHE in (first[2] or "").split()


def blocks(fragment: str) -> list[Block]:
    """Read a typographied fragment back as styled paragraphs, tables, blocks side by side
    and page breaks."""
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    return reader.result


class _Typographer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = escape(typography(data), quote=False)
        # "1er", "1re": the ordinal's letters are superscript in French typography.
        text = _ORDINAL.sub(r"\1<sup>\2</sup>", text)
        # A fact still to fill in shows on paper, highlighted, in every output.
        text = text.replace(PLACEHOLDER, f'<mark class="a-completer">{PLACEHOLDER}</mark>')
        self.parts.append(text)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result: list[Block] = []
        self.current: Paragraph | None = None
        self.inline: list[str] = []
        self.list_depth = 0
        self.table: Table | None = None
        self.in_head = False
        self.cell: Cell | None = None
        self.divs: list[list[str]] = []  # the classes of each open <div>
        self.columns: Columns | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        css = values.get("class")
        if tag in _INLINE:
            self.inline.append(_INLINE[tag])
            return
        if tag in _TABLE_TAGS:
            self._table_start(tag, css, values)
            return
        if tag == "ul":
            self.list_depth += 1
            if self.current is not None and self.current.runs:
                self._close()  # a nested list ends the item's own line
            return
        if tag == "section" and css and "page" in css.split() and self.result:
            self._close()
            self.result.append(PageBreak())
            return
        if tag == "div":
            self._div_start((css or "").split())
            return
        if tag in _CONTAINERS:
            return
        if tag == "li" and self.list_depth > 1:
            css = "nested"
        style = PARAGRAPH_STYLES.get((tag, css)) or PARAGRAPH_STYLES.get((tag, None))
        if self.cell is not None and (css is None or (tag, css) not in PARAGRAPH_STYLES):
            style = CELL_HEAD_STYLE if self.cell.header else CELL_STYLE
        if style is None:
            raise RenderError(f"balise <{tag} class={css!r}> inconnue dans le texte du document")
        self._close()
        self.current = Paragraph(style, variant=css if tag in _HEADINGS else None)

    def _div_start(self, classes: list[str]) -> None:
        self._close()
        self.divs.append(classes)
        if _COLUMNS in classes:
            self.columns = Columns(_COLUMNS)
        elif _COLUMN in classes and self.columns is not None:
            self.columns.cells.append([])

    def _div_end(self) -> None:
        self._close()
        classes = self.divs.pop() if self.divs else []
        if _COLUMNS in classes and self.columns is not None:
            self.result.append(self.columns)
            self.columns = None

    def _table_start(self, tag: str, css: str | None, values: dict[str, str | None]) -> None:
        self._close()
        if tag == "table":
            self.table = Table(css or "")
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr" and self.table is not None:
            self.table.rows.append(Row(header=self.in_head))
        elif tag in {"th", "td"} and self.table is not None and self.table.rows:
            span = values.get("colspan") or "1"
            self.cell = Cell(header=tag == "th" or self.in_head, colspan=int(span))
            self.table.rows[-1].cells.append(self.cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            if self.inline:
                self.inline.pop()
            return
        if tag in _TABLE_TAGS:
            self._close()
            if tag in {"th", "td"}:
                self.cell = None
            elif tag == "table" and self.table is not None:
                self.result.append(self.table)
                self.table = None
            return
        if tag == "ul":
            self.list_depth -= 1
            return
        if tag == "div":
            self._div_end()
            return
        if tag not in _CONTAINERS:
            self._close()

    def handle_data(self, data: str) -> None:
        # Only the layout's own white space folds; non-breaking spaces are kept as typed.
        text = _LAYOUT_SPACE.sub(" ", data)
        if self.current is None and self.cell is not None and text.strip(" "):
            self.current = Paragraph(CELL_HEAD_STYLE if self.cell.header else CELL_STYLE)
        if self.current is None:
            if text.strip(" "):
                raise RenderError(f"texte hors paragraphe dans le document : {text[:40]!r}")
            return
        flags = set(self.inline)
        self.current.runs.append(
            Run(
                text,
                bold="bold" in flags,
                italic="italic" in flags,
                superscript="superscript" in flags,
                mark="mark" in flags,
            )
        )

    def _close(self) -> None:
        if self.current is not None:
            _trim(self.current)
            if self.current.runs or self.current.style == "FsSignatureEspace":
                if self.cell is not None:
                    self.cell.paragraphs.append(self.current)
                elif self.columns is not None and self.columns.cells:
                    self.columns.cells[-1].append(self.current)
                else:
                    self.result.append(self.current)
        self.current = None


def _trim(paragraph: Paragraph) -> None:
    runs = paragraph.runs
    while runs and not runs[0].text.strip(" "):
        runs.pop(0)
    while runs and not runs[-1].text.strip(" "):
        runs.pop()
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip(" "))
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip(" "))
