"""DOCX rendering with docxtpl: the wording's paragraphs poured into the layout template.

The paragraphs come from the same typographied fragment as the PDF (see document.py), so the
DOCX says exactly what the PDF says; the template brings only styles, header and footer.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import jinja2

from .document import Paragraph
from .errors import RenderError

MARK_COLOUR = "FFE552"


def _rich(paragraphs: list[Paragraph]):  # type: ignore[no-untyped-def]
    from docxtpl import RichText, RichTextParagraph

    body = RichTextParagraph()
    for paragraph in paragraphs:
        text = RichText()
        for run in paragraph.runs:
            text.add(
                run.text,
                bold=run.bold,
                italic=run.italic,
                superscript=run.superscript or None,
                highlight=MARK_COLOUR if run.mark else None,
            )
        body.add(text, parastyle=paragraph.style)
    return body


def paragraphs_to_docx(
    template: Path,
    paragraphs: list[Paragraph],
    entete: str,
    meta: dict[str, str],
    created: datetime,
) -> bytes:
    """Render the DOCX; ``meta`` fills its core properties (title, author, subject…)."""
    from docxtpl import DocxTemplate

    try:
        doc = DocxTemplate(str(template))
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        doc.render({"corps": _rich(paragraphs), "entete": entete}, jinja_env=env, autoescape=True)
    except (jinja2.TemplateError, OSError, KeyError, ValueError) as exc:
        raise RenderError(f"{template.name} : rendu DOCX impossible ({exc})") from exc
    props = doc.docx.core_properties
    props.title = meta["title"]
    props.author = meta["author"]
    props.subject = meta["subject"]
    props.keywords = meta["keywords"]
    props.comments = meta["generator"]
    props.last_modified_by = meta["author"]
    props.created = created
    props.modified = datetime.fromisoformat(meta["modified"])  # honours SOURCE_DATE_EPOCH
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
