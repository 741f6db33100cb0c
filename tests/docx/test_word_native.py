"""The DOCX as Word sees it: headings in its outline, page numbers, signature blocks in columns.

Read back from the default build's DOCX files with python-docx and their XML, and held against
the PDF where the PDF says the same thing (its bookmarks, its first page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from tests.conftest import RUNNING_HEADER, Built
from tests.readback import docx_paragraphs, normalize

# The documents of the default build that say something different about headings and pages:
# the convention, an annex of tables, a structure's page alone and all of them, the mandate.
DOCUMENTS = (
    "convention", "annexe-4", "structures/annexe-4-blois", "annexe-6", "annexe-7", "annexe-8"
)  # fmt: skip

# The convention's parts and articles, in order (templates/wording/convention.html.j2).
CONVENTION_OUTLINE = [
    (1, "Convention départementale France services"),
    (2, "Préambule"),
    (2, "Article 1er – Objet de la convention"),
    (2, "Article 2 – Missions"),
    (2, "Article 3 – Adhésion à la « Charte nationale d’engagement »"),
    (2, "Article 4 – Obligations des gestionnaires France services"),
    (2, "Article 5 – Obligations des partenaires"),
    (2, "Article 6 – Comité de pilotage"),
    (2, "Article 7 – Adhésion ou retrait de partenaires locaux"),
    (2, "Article 8 – Modalités de gestion de la structure France services"),
    (2, "Article 9 – Durée de la présente convention"),
    (2, "Article 10 – Attribution de juridiction"),
    (2, "Article 11 – Composition de la convention"),
    (2, "Les signataires"),
    (2, "Liste des annexes"),
]


def _outline_level(paragraph: Paragraph) -> int | None:
    """The paragraph's outline level (1 for Word's « Heading 1 »), set on it or on its style
    or a style that one is based on; None for body text."""
    own = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if own is not None:
        return int(own.get(qn("w:val"))) + 1
    style = paragraph.style
    while style is not None:
        level = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if level is not None:
            return int(level.get(qn("w:val"))) + 1
        style = style.base_style
    return None


def docx_outline(path: Path) -> list[tuple[int, str]]:
    """Each paragraph with an outline level, as Word's navigation pane lists it."""
    document = Document(str(path))
    found = []
    for element in document.element.body.iter(qn("w:p")):
        paragraph = Paragraph(element, document)
        level = _outline_level(paragraph)
        if level is not None and level <= 9:  # 10 is Word's « body text »
            found.append((level, normalize(paragraph.text)))
    return found


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    def walk(items: list[Any], depth: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                found += walk(item, depth + 1)
            else:
                found.append((depth, normalize(str(item.title))))
        return found

    return walk(PdfReader(path).outline, 1)


@pytest.fixture(scope="module")
def convention(built_default: Built) -> DocxDocument:
    return Document(str(built_default.docx))


# --- Headings -------------------------------------------------------------------------------


def test_the_convention_outline_is_its_parts_and_articles(built_default: Built) -> None:
    outline = docx_outline(built_default.docx)
    assert [(level, text) for level, text in outline if level <= 2] == CONVENTION_OUTLINE
    assert [text for level, text in outline if level == 3][:2] == [
        "2.1 Missions principales",
        "2.2 Prestations rendues au public",
    ]
    assert [text.split()[0] for level, text in outline if level == 4] == [
        "5.2.1",
        "5.2.2",
        "5.2.3",
        "5.2.4",
    ]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_docx_outline_is_the_pdf_bookmarks(built_default: Built, name: str) -> None:
    out = built_default.root / "output"
    outline = docx_outline(out / f"{name}.docx")
    assert outline, name
    assert outline == pdf_outline(out / f"{name}.pdf")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_headings_carry_words_built_in_styles(built_default: Built, name: str) -> None:
    """« Titre 1 » … in a French Word: what its tables of contents collect by default."""
    document = Document(str(built_default.root / "output" / f"{name}.docx"))
    headings = [
        (paragraph.style.name, paragraph.style.builtin, _outline_level(paragraph))
        for paragraph in document.paragraphs
        if paragraph.style is not None and _outline_level(paragraph) is not None
    ]
    assert headings
    assert [(style, builtin) for style, builtin, _ in headings] == [
        (f"Heading {level}", True) for _, _, level in headings
    ]


def test_headings_keep_the_pdf_look(convention: DocxDocument) -> None:
    """The built-in styles, restyled: the body's font and the PDF's blue, not Word's theme."""
    looks = {}
    for level in (1, 2, 3, 4):
        style = convention.styles[f"Heading {level}"]
        fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        looks[level] = (style.font.size, style.font.bold, style.font.color.rgb, fonts)
    blue = RGBColor(0x00, 0x00, 0x91)
    assert looks == {
        1: (Pt(11), True, blue, None),
        2: (Pt(12), True, blue, None),
        3: (Pt(10.5), True, None, None),
        4: (Pt(10), True, None, None),
    }
    title = next(p for p in convention.paragraphs if p.style.name == "Heading 1")
    assert {run.font.size for run in title.runs} == {Pt(19)}  # the convention's own title


# --- Running header and page numbers --------------------------------------------------------


def _has_page_field(part_element: Any) -> bool:
    """Whether a header or footer holds PAGE and NUMPAGES fields, simple or complex."""
    instructions = [
        *(field.get(qn("w:instr")) for field in part_element.iter(qn("w:fldSimple"))),
        *(text.text for text in part_element.iter(qn("w:instrText"))),
    ]
    return {"PAGE", "NUMPAGES"} <= {(i or "").split()[0] for i in instructions if i}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_page_has_its_number_and_the_header_the_pdf_has(
    built_default: Built, name: str
) -> None:
    out = built_default.root / "output"
    (section,) = Document(str(out / f"{name}.docx")).sections
    first_page = section.different_first_page_header_footer
    first_footer = section.first_page_footer if first_page else section.footer
    first_header = section.first_page_header if first_page else section.header
    assert _has_page_field(section.footer._element)
    assert _has_page_field(first_footer._element)
    assert normalize(first_footer.paragraphs[0].text) == "Page sur"  # around the two fields
    assert normalize(section.header.paragraphs[0].text).startswith(RUNNING_HEADER)
    headed = normalize(" ".join(p.text for p in first_header.paragraphs))
    pdf_first_page = normalize(PdfReader(out / f"{name}.pdf").pages[0].extract_text())
    assert bool(headed) == (RUNNING_HEADER in pdf_first_page)
    assert (not headed) or headed in pdf_first_page


# --- Signature blocks -----------------------------------------------------------------------


def _blocks(table: Table) -> list[list[str]]:
    """Each row's blocks: the names signed (FsSignatureNom) in each cell, cell by cell."""
    return [
        [
            " ".join(normalize(p.text) for p in cell.paragraphs if p.style.name == "FsSignatureNom")
            for cell in row.cells
        ]
        for row in table.rows
    ]


def _header_list(document: DocxDocument) -> list[str]:
    """The parties as the convention's opening list names them, before the preamble."""
    texts = []
    for paragraph in document.paragraphs:
        if paragraph.text == "Préambule":
            break
        if paragraph.style.name == "FsListe":
            texts.append(normalize(paragraph.text))
    return texts


def test_the_signature_blocks_are_two_a_row_in_the_header_lists_order(
    built_default: Built, convention: DocxDocument
) -> None:
    prefet, gestionnaires, partenaires = (_blocks(table) for table in convention.tables)
    assert prefet == [["Yves Rousset", ""]]  # alone on its row, as in the PDF
    assert all(len(row) == 2 and row[0] for row in (*gestionnaires, *partenaires))
    names = [name for rows in (prefet, gestionnaires, partenaires) for r in rows for name in r]
    names = [name for name in names if name]
    listed = _header_list(convention)
    assert len(names) == len(listed) == 13
    assert [name in entry for name, entry in zip(names, listed, strict=True)] == [True] * 13
    # Each block printed once: a name is in the list and in its block, nowhere else.
    paragraphs = docx_paragraphs(built_default.docx)
    assert {name: sum(name in normalize(p) for p in paragraphs) for name in names} == dict.fromkeys(
        names, 2
    )


def test_signature_rows_never_split_and_have_no_grid(convention: DocxDocument) -> None:
    assert len(convention.tables) == 3  # the Préfet, the gestionnaires, the partenaires
    for table in convention.tables:
        properties = table._tbl.tblPr
        borders = properties.find(qn("w:tblBorders"))
        assert borders is not None
        assert {side.get(qn("w:val")) for side in borders} == {"nil"}
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        widths = {cell.width for row in table.rows for cell in row.cells}
        assert len(widths) == 1  # two equal columns


def test_word_hyphenates_in_french_as_the_pdf_does(built_default: Built) -> None:
    document = Document(str(built_default.root / "output" / "convention.docx"))
    settings = document.settings.element
    assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:val")) == "fr-FR"
