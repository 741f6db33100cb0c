"""DOCX rendering: the wording's blocks laid into the layout template.

docxtpl renders the template (running header, footer, styles); the body is then built with
python-docx from the same blocks as the PDF (see document.py), so the DOCX says exactly what
the PDF says: paragraphs and headings (paragraphs.py), tables and the signature blocks side by
side (tables.py). Every page has its number, the first included; the running header starts on
the second page of the convention and on the first of an annex, as in the PDF.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from fsdocs.docx.paragraphs import paragraph, share_style_ids
from fsdocs.docx.tables import add_columns, add_table
from fsdocs.errors import RenderError
from fsdocs.wording.document import Block, Columns, PageBreak, Paragraph, Table

BODY_MARKER = "⟦corps⟧"  # what {{ corps }} renders to; replaced by the document's blocks


def blocks_to_docx(
    template: Path,
    content: list[Block],
    entete: str,
    meta: dict[str, str],
    created: datetime,
    landscape: bool = False,
    header_on_first_page: bool = False,
) -> bytes:
    """Render the DOCX; ``meta`` fills its core properties (title, author, subject…)."""
    from docx import Document

    package, styles = _rendered(template, entete)
    doc = Document(io.BytesIO(package))
    share_style_ids(doc.part, styles)
    marker = next((p for p in doc.paragraphs if p.text == BODY_MARKER), None)
    if marker is None:
        raise RenderError(f"{template.name} : le paragraphe « {{{{ corps }}}} » est absent")
    if landscape:
        _landscape(doc)  # first: tables take their widths from the page
    if header_on_first_page:
        for section in doc.sections:
            section.different_first_page_header_footer = False
    previous: Block | None = None
    try:
        for block in content:
            if isinstance(block, Table | Columns) and isinstance(previous, Table | Columns):
                # Word and LibreOffice join adjacent tables into one: keep them apart.
                spacer = paragraph(doc.add_paragraph(), Paragraph("FsCellule"))
                marker._p.addprevious(spacer._p)
            marker._p.addprevious(_add(doc, block))
            previous = block
    except KeyError as exc:  # python-docx: a style the template does not define
        raise RenderError(
            f"{template.name} : style absent du modèle ({exc}) ; régénérez le modèle avec "
            "« python -m fsdocs.docx.template » ou ajoutez-lui ce style"
        ) from exc
    marker._p.getparent().remove(marker._p)
    _properties(doc, meta, created)
    out = io.BytesIO()
    doc.save(out)
    return reproducible(out.getvalue(), created)


def _rendered(template: Path, entete: str) -> tuple[bytes, dict[tuple[str, bool], str | None]]:
    """The template rendered with ``entete`` and the body's marker, as a package: rendered
    once per running header (all of Annexe 4's pages share one), then opened per document."""
    try:
        stamp = template.stat()
    except OSError as exc:
        raise RenderError(f"{template.name} : rendu DOCX impossible ({exc})") from exc
    version = (str(template), stamp.st_mtime_ns, stamp.st_size)
    return _render_template(*version, entete), _style_ids(*version)


@lru_cache(maxsize=8)
def _style_ids(template: str, mtime_ns: int, size: int) -> dict[tuple[str, bool], str | None]:
    """The style ids by name of one template's documents, filled as they are looked up."""
    return {}


@lru_cache(maxsize=32)
def _render_template(template: str, mtime_ns: int, size: int, entete: str) -> bytes:
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(template)
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        tpl.render({"corps": BODY_MARKER, "entete": entete}, jinja_env=env, autoescape=True)
        out = io.BytesIO()
        tpl.docx.save(out)
    except (jinja2.TemplateError, OSError, KeyError, ValueError) as exc:
        raise RenderError(f"{Path(template).name} : rendu DOCX impossible ({exc})") from exc
    return out.getvalue()


def reproducible(package: bytes, when: datetime) -> bytes:
    """The package with every entry dated ``when``: python-docx dates them with the clock, so
    the same document made a second later was other bytes (and another digest). The dates are
    set where the entries' headers keep them: nothing is compressed twice."""
    import struct
    import zipfile

    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    dos_time = stamp[3] << 11 | stamp[4] << 5 | stamp[5] // 2
    dos_date = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    dated = struct.pack("<HH", dos_time, dos_date)
    data = bytearray(package)
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        entries = source.infolist()
        central = source.start_dir
    for entry in entries:
        local = entry.header_offset
        if data[local : local + 4] != b"PK\x03\x04" or data[central : central + 4] != b"PK\x01\x02":
            raise RenderError("paquet DOCX inattendu : ses en-têtes ne sont pas où il les dit")
        data[local + 10 : local + 14] = dated
        data[central + 12 : central + 16] = dated
        names, extra, comment = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + names + extra + comment
    return bytes(data)


def _add(doc: Any, block: Block) -> Any:
    """Create ``block`` at the end of the body and return its XML element."""
    if isinstance(block, Paragraph):
        return paragraph(doc.add_paragraph(), block)._p
    if isinstance(block, PageBreak):
        created = doc.add_paragraph()
        created.paragraph_format.page_break_before = True
        created.paragraph_format.space_after = 0
        return created._p
    if isinstance(block, Columns):
        return add_columns(doc, block)._tbl
    return add_table(doc, block)._tbl


def _landscape(doc: Any) -> None:
    from docx.enum.section import WD_ORIENT

    for section in doc.sections:
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width


# python-docx refuses a core property longer than this (as Word's own limit).
_PROPERTY_MAX = 255


def _short(text: str) -> str:
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1].rstrip() + "…"


def _properties(doc: Any, meta: dict[str, str], created: datetime) -> None:
    props = doc.core_properties
    props.title = _short(meta["title"])
    props.author = _short(meta["author"])
    props.subject = _short(meta["subject"])
    props.keywords = _short(meta["keywords"])
    props.comments = meta["generator"]
    props.last_modified_by = _short(meta["author"])
    props.created = created
    props.modified = datetime.fromisoformat(meta["modified"])  # see pdf/metadata.py
    props.revision = 1
