"""Generate the DOCX layout template, ``templates/docx/convention.docx``.

The template holds only layout: page size, styles, running header and page numbers. The text
comes from the wording, laid where the ``{{ corps }}`` paragraph stands. Run
``python -m fsdocs.docx.template`` after changing a style here; préfectures may also restyle
the .docx in Word directly.

Headings are Word's built-in « Heading 1 » to « Heading 4 » (« Titre 1 »… in a French Word),
restyled to the PDF's look: their outline levels feed Word's navigation pane and tables of
contents. The few headings that look otherwise than their level (the convention's title, the
signatures' groups…) get that look from the writer (paragraphs.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from fsdocs.docx import paragraphs

BLUE = RGBColor.from_string(paragraphs.BLUE)
GREY = RGBColor(0x55, 0x55, 0x55)
# The PDF embeds Inter; a DOCX cannot carry it portably, so it asks for Arial, which Word has
# everywhere and LibreOffice maps to the metric-compatible Liberation Sans.
FONT = "Arial"
SMALL = Pt(8)


def _style(
    doc: Any,
    name: str,
    base: str = "Normal",
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: RGBColor | None = None,
    align: Any = None,
    before: float | None = None,
    after: float | None = None,
    keep_next: bool = False,
    keep_together: bool = False,
    page_break: bool = False,
    indent: float | None = None,
) -> Any:
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next or None
    fmt.keep_together = keep_together or None
    fmt.page_break_before = page_break or None
    if indent is not None:
        fmt.left_indent = Mm(indent)
    return style


def _heading(
    doc: Any,
    level: int,
    size: float,
    italic: bool = False,
    color: RGBColor | None = None,
    **spacing: Any,
) -> None:
    """Give Word's « Heading ``level`` » the PDF's look, keeping its outline level.

    The built-in style takes its font and colour from the theme (Calibri Light, accent blue):
    both are dropped, so that the heading is in the body's font and the PDF's colour.
    """
    style = doc.styles[f"Heading {level}"]
    style.hidden = False  # python-docx's template hides Heading 4 until it is used
    properties = style.element.get_or_add_rPr()
    for name in ("w:rFonts", "w:color", "w:szCs"):
        for child in properties.findall(qn(name)):
            properties.remove(child)
    _style(
        doc,
        style.name,
        size=size,
        bold=True,
        italic=italic,
        color=color,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        keep_next=True,
        keep_together=True,
        **spacing,
    )


def _page_numbers(paragraph: Any) -> None:
    """« Page N sur M », centred, as the PDF's footer."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Page ", "PAGE"), (" sur ", "NUMPAGES")):
        run = paragraph.add_run(text)
        run.font.size = SMALL
        run.font.color.rgb = GREY
        _field(paragraph, field)


def _field(paragraph: Any, instruction: str) -> None:
    """A PAGE / NUMPAGES field whose result is styled like the text around it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = paragraph.add_run("1")
    run.font.size = SMALL
    run.font.color.rgb = GREY
    run._r.getparent().remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)


def _dash_bullets(doc: Any) -> None:
    """French lists use a dash, not a bullet: retarget the List Bullet numberings."""
    numbering = doc.part.numbering_part.element
    for style_name in ("List Bullet", "List Bullet 2"):
        num_id = doc.styles[style_name].element.pPr.numPr.numId.val
        num = numbering.num_having_numId(num_id)
        abstract_id = num.abstractNumId.val
        for abstract in numbering.findall(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) != str(abstract_id):
                continue
            for level in abstract.findall(qn("w:lvl")):
                level.find(qn("w:lvlText")).set(qn("w:val"), "–")
                fonts = level.find(qn("w:rPr") + "/" + qn("w:rFonts"))
                if fonts is not None:
                    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                        fonts.set(qn(attribute), FONT)


def _box_list(doc: Any, style: Any) -> None:
    """Paragraphs of ``style`` open with an empty box to tick (Annexe 7).

    The box is the numbering's marker, as list dashes are, so it is layout, not text: the
    DOCX reads as the PDF, whose box the stylesheet draws. Word's own check boxes draw it
    the same way, U+2610 in MS Gothic; LibreOffice takes it from a font that has it.
    """
    numbering = doc.part.numbering_part.element
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\u2610"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="340" w:hanging="340"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" '
        'w:hint="eastAsia"/></w:rPr></w:lvl></w:abstractNum>'
    )
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(abstract_id)
    numbers = style.element.get_or_add_pPr().get_or_add_numPr()
    numbers.get_or_add_ilvl().val = 0
    numbers.get_or_add_numId().val = num.numId


def _hyphenation(settings: Any) -> None:
    """Word hyphenates the text in its language (French), as the PDF does; in the schema's
    place, after the default tab stop."""
    hyphenate = OxmlElement("w:autoHyphenation")
    hyphenate.set(qn("w:val"), "true")
    tab = settings.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.addnext(hyphenate)
    else:
        settings.append(hyphenate)


def build(target: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.left_margin = section.right_margin = Mm(22)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2
    normal.paragraph_format.widow_control = True
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    normal.element.rPr.append(lang)
    _hyphenation(doc.settings.element)

    center, left, justify = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    _style(doc, "FsCorps", align=justify)
    # The annex titles; the convention's is their variant (paragraphs.py).
    _heading(doc, 1, 11, color=BLUE, before=0, after=10)
    # The parts and articles of the convention.
    _heading(doc, 2, 12, color=BLUE, before=16, after=6)
    # Their sections (« 2.1 Missions principales »), then sub-sections (« 5.2.1 … »).
    _heading(doc, 3, 10.5, before=10, after=4)
    _heading(doc, 4, 10, italic=True, before=8, after=3)
    _style(doc, "FsSousTitre", size=13, color=BLUE, align=center, after=36)
    _style(doc, "FsFait", align=left, before=0, after=12, keep_next=True, page_break=True)
    _style(doc, "FsTemoin", align=left, before=14)
    _style(doc, "FsAnnexe", align=left, after=2)
    _style(doc, "FsAnnexeNote", italic=True, align=left, after=6, indent=6)
    _style(
        doc, "FsSignatureTitre", bold=True, align=left, after=1, keep_next=True, keep_together=True
    )
    _style(
        doc,
        "FsSignatureNom",
        bold=True,
        align=left,
        before=4,
        after=1,
        keep_next=True,
        keep_together=True,
    )
    _style(doc, "FsSignatureFonction", align=left, after=1, keep_next=True, keep_together=True)
    _style(doc, "FsSignatureEspace", align=left, before=0, after=60)
    _style(doc, "FsSousTitreStructure", italic=True, align=left, after=8, keep_next=True)
    _style(doc, "FsNote", size=9, italic=True, align=left)
    _style(doc, "FsCellule", size=8.5, align=left, before=0, after=0)
    _style(doc, "FsCelluleTitre", base="FsCellule", bold=True)
    _style(doc, "FsCelluleCode", base="FsCellule", align=center)
    _style(doc, "FsCelluleCodeTitre", base="FsCelluleTitre", align=center)
    # Annexe 7 (fsdocs/wording/annexe_mandat.py).
    _style(doc, "FsSousTitreFormulaire", align=center, after=12)
    _box_list(doc, _style(doc, "FsCase", align=left, before=3, after=3))
    _dash_bullets(doc)
    _style(doc, "FsListe", base="List Bullet", align=justify, after=4)
    _style(doc, "FsListe2", base="List Bullet 2", align=justify, after=4)

    header = section.header.paragraphs[0]
    header.text = "{{ entete }}"
    header.alignment = center
    header.runs[0].font.size = SMALL
    header.runs[0].font.color.rgb = GREY

    # The first page has no running header, as in the PDF (the writer gives it one where the
    # PDF does), but its page number like every other page.
    section.first_page_header.is_linked_to_previous = False
    _page_numbers(section.footer.paragraphs[0])
    section.first_page_footer.is_linked_to_previous = False
    _page_numbers(section.first_page_footer.paragraphs[0])

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.text = "{{ corps }}"
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "fsdocs"
    doc.save(str(target))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/docx/convention.docx"))
