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
from pathlib import Path
from typing import Any

import jinja2

from fsdocs.docx.paragraphs import paragraph
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
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(str(template))
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        tpl.render({"corps": BODY_MARKER, "entete": entete}, jinja_env=env, autoescape=True)
    except (jinja2.TemplateError, OSError, KeyError, ValueError) as exc:
        raise RenderError(f"{template.name} : rendu DOCX impossible ({exc})") from exc
    doc = tpl.docx
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


def reproducible(package: bytes, when: datetime) -> bytes:
    """The package with every entry dated ``when``: python-docx dates them with the clock, so
    the same document made a second later was other bytes (and another digest)."""
    import zipfile

    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


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
