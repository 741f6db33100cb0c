"""A wording paragraph as a DOCX paragraph: its style, its runs, and a heading's own look.

Headings carry Word's built-in « Heading N » styles, restyled in the template to the PDF's look
of their level. A few headings look otherwise than their level in the PDF (convention.css): the
convention's title, the signature page's headings, a structure's name… They keep the built-in
style, so that they stay in Word's navigation pane and tables of contents, and take their own
look as direct formatting, from :data:`VARIANTS`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from fsdocs.wording.document import Paragraph

BLUE = "000091"  # as template.BLUE, the PDF's #000091


@dataclass(frozen=True)
class Variant:
    """How a heading's look differs from its level's (sizes in points)."""

    size: float | None = None
    color: str | None = None  # RGB in hexadecimal
    centred: bool = False
    before: float | None = None
    after: float | None = None
    page_break: bool = False


# (style, the heading's HTML class) → its look, as convention.css gives it.
VARIANTS: dict[tuple[str, str], Variant] = {
    ("Heading 1", "titre"): Variant(size=19, centred=True, before=60, after=6),
    ("Heading 2", "signatures"): Variant(before=6),
    ("Heading 2", "annexes"): Variant(before=0, page_break=True),
    # Annexes 4 and 7: a structure's name, the mandate's title.
    ("Heading 2", "structure"): Variant(size=15, before=0, after=2),
    ("Heading 2", "formulaire"): Variant(size=15, centred=True, before=0, after=3),
    ("Heading 3", "groupe"): Variant(color=BLUE, before=14),
    ("Heading 3", "rubrique"): Variant(size=10, color=BLUE, before=9, after=3),
}


def paragraph(target: Any, block: Paragraph) -> Any:
    """Fill the python-docx paragraph ``target`` with ``block``; return it."""
    from docx.enum.text import WD_COLOR_INDEX

    set_style(target._p, target.part, block.style)
    for run in block.runs:
        piece = target.add_run(run.text)
        piece.bold = run.bold or None
        piece.italic = run.italic or None
        if run.superscript:
            piece.font.superscript = True
        if run.mark:
            piece.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if block.variant is not None and (block.style, block.variant) in VARIANTS:
        _vary(target, VARIANTS[block.style, block.variant])
    return target


def _vary(target: Any, variant: Variant) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    fmt = target.paragraph_format
    if variant.centred:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if variant.before is not None:
        fmt.space_before = Pt(variant.before)
    if variant.after is not None:
        fmt.space_after = Pt(variant.after)
    if variant.page_break:
        fmt.page_break_before = True
    for run in target.runs:
        if variant.size is not None:
            run.font.size = Pt(variant.size)
        if variant.color is not None:
            run.font.color.rgb = RGBColor.from_string(variant.color)


# Style ids by name, per document. python-docx looks a name up among all the styles, then
# compares with the default style, on every assignment: it was 65 % of a DOCX's rendering time.
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[tuple[str, bool], str | None]] = (
    weakref.WeakKeyDictionary()
)


def share_style_ids(part: Any, ids: dict[tuple[str, bool], str | None]) -> None:
    """Let the document of ``part`` use ``ids``, the style ids already found in another
    document made from the same template (the same styles part)."""
    _STYLE_IDS[part] = ids


def set_style(element: Any, part: Any, name: str, table: bool = False) -> None:
    """Give a paragraph (``w:p``) or table properties (``w:tblPr``) the style ``name``."""
    from docx.enum.style import WD_STYLE_TYPE

    ids = _STYLE_IDS.setdefault(part, {})
    key = (name, table)
    if key not in ids:
        kind = WD_STYLE_TYPE.TABLE if table else WD_STYLE_TYPE.PARAGRAPH
        ids[key] = part.get_style_id(name, kind)
    element.style = ids[key]
