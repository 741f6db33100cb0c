"""What changed in the words: the word and paragraph redline, in the terminal, in HTML, and in
the DOCX whose tracked changes a reviewer accepts or rejects."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from lxml import etree  # untyped: elements are Any here

from fsdocs.changes.redline import (
    Kind,
    Line,
    change_count,
    line_count,
    new_text,
    old_text,
    paragraph_diff,
    word_diff,
)
from fsdocs.changes.tables import shown
from fsdocs.changes.tracked import redline_docx
from fsdocs.changes.views import lines_to_terminal, to_html, to_terminal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD = "La France services de Blois, 11 place René Coty, est ouverte le mardi."
NEW = "La France services de Blois, 133 rue Michel Bégon, est ouverte le mardi et le jeudi."


def test_word_diff_marks_the_changed_words() -> None:
    ops = word_diff(OLD, NEW)
    assert old_text(ops) == OLD and new_text(ops) == NEW
    assert [(op.kind, op.text) for op in ops if op.kind is not Kind.EQUAL] == [
        (Kind.DELETE, "11 place René Coty"),
        (Kind.INSERT, "133 rue Michel Bégon"),
        (Kind.INSERT, " et le jeudi"),
    ]
    assert change_count(ops) == 2
    terminal = to_terminal(ops)
    assert "\x1b[31;9m11 place René Coty\x1b[0m" in terminal
    assert "\x1b[32;4m133 rue Michel Bégon\x1b[0m" in terminal
    page = to_html([Line(tuple(ops))], "Annexe 4")
    assert "<del>11 place René Coty</del><ins>133 rue Michel Bégon</ins>" in page
    assert "<ins> et le jeudi</ins>" in page
    assert "2 modifications" in page
    assert "aucune modification" in to_html(paragraph_diff([OLD], [OLD]))


def test_times_and_durations_change_as_a_whole() -> None:
    ops = word_diff("Lundi | 08:30 – 12:30 | 8 h", "Lundi | 08:45 – 12:30 | 7 h 45")
    changed = [(op.kind, op.text) for op in ops if op.kind is not Kind.EQUAL]
    assert changed == [
        (Kind.DELETE, "08:30"),
        (Kind.INSERT, "08:45"),
        (Kind.DELETE, "8 h"),
        (Kind.INSERT, "7 h 45"),
    ]
    assert change_count(ops) == 2


def test_html_escapes_the_texts() -> None:
    page = to_html(paragraph_diff(["a < b"], ["a < c & d"]))
    assert "<del>b</del><ins>c &amp; d</ins>" in page and "a &lt; " in page


OLD_PARAGRAPHS = [
    "Annexe 4 : les structures",
    "La France services de Blois, 11 place René Coty.",
    "Un paragraphe qui disparaît.",
    "Ouverte le mardi.",
]
NEW_PARAGRAPHS = [
    "Annexe 4 : les structures",
    "La France services de Blois, 133 rue Michel Bégon.",
    "Ouverte le mardi et le jeudi.",
    "Un paragraphe nouveau.",
]


def test_paragraphs_are_edited_in_place_or_added_and_removed_whole() -> None:
    lines = paragraph_diff(OLD_PARAGRAPHS, NEW_PARAGRAPHS)
    assert [line.whole for line in lines] == [
        Kind.EQUAL,
        Kind.EQUAL,
        Kind.DELETE,
        Kind.EQUAL,
        Kind.INSERT,
    ]
    assert [new_text(line.ops) for line in lines if line.whole is not Kind.DELETE] == (
        NEW_PARAGRAPHS
    )
    assert [old_text(line.ops) for line in lines if line.whole is not Kind.INSERT] == (
        OLD_PARAGRAPHS
    )
    # Blois's address, the removed paragraph, « et le jeudi », the added paragraph.
    assert line_count(lines) == 4


def test_unchanged_stretches_are_elided_around_the_changes() -> None:
    old = [f"Paragraphe {n}." for n in range(1, 11)]
    new = [*old[:5], "Paragraphe six, réécrit.", *old[6:]]
    lines = paragraph_diff(old, new)
    kept = shown(lines)
    assert kept[0] is None and kept[-1] is None
    assert [new_text(line.ops) for line in kept if line is not None] == [
        "Paragraphe 5.",
        "Paragraphe six, réécrit.",
        "Paragraphe 7.",
    ]
    terminal = lines_to_terminal(lines).splitlines()
    assert terminal[0] == terminal[-1] == "[…]" and len(terminal) == 5
    assert to_html(lines).count('<p class="elision">[…]</p>') == 2


def _document_xml(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _remove(element: Any) -> None:
    element.getparent().remove(element)


def _paragraph_texts(root: Any) -> list[str]:
    """The body's paragraphs, and each table row as one line of its cells joined by « | »
    (as a part's plain text has it)."""
    texts = []
    for element in root.find(f"{W}body"):
        if element.tag == f"{W}p":
            texts.append("".join(element.itertext()))
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                texts.append(" | ".join("".join(c.itertext()) for c in row.iter(f"{W}tc")))
    return texts


def resolve(data: bytes, accept: bool) -> list[str]:
    """Accept (keep ins) or reject (keep del) every tracked change on the XML, as Word does: a
    paragraph whose mark is dropped goes with it, a kept mark loses its change."""
    root = _document_xml(data)
    keep, drop = (f"{W}ins", f"{W}del") if accept else (f"{W}del", f"{W}ins")
    for paragraph in list(root.iter(f"{W}p")):
        if paragraph.find(f"{W}pPr/{W}rPr/{drop}") is not None:
            _remove(paragraph)
    for row in list(root.iter(f"{W}tr")):
        if row.find(f"{W}trPr/{drop}") is not None:
            _remove(row)
    for element in list(root.iter(drop)):
        _remove(element)
    for element in list(root.iter(f"{W}delText")):
        element.tag = f"{W}t"
    for element in list(root.iter(keep)):
        if element.getparent().tag in (f"{W}rPr", f"{W}trPr"):
            _remove(element)
        else:
            _unwrap(element)
    return _paragraph_texts(root)


def test_accepting_gives_the_new_text_and_rejecting_the_old() -> None:
    data = redline_docx([("", paragraph_diff(OLD_PARAGRAPHS, NEW_PARAGRAPHS))])
    root = _document_xml(data)
    changes = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert changes and {c.get(f"{W}author") for c in changes} == {"fsdocs"}
    assert len({c.get(f"{W}id") for c in changes}) == len(changes)
    assert resolve(data, accept=True) == NEW_PARAGRAPHS
    assert resolve(data, accept=False) == OLD_PARAGRAPHS
    opened = docx.Document(io.BytesIO(data))
    assert len(opened.paragraphs) == 5  # one kept, two changed in place, one removed, one added
    assert redline_docx([("", paragraph_diff(OLD_PARAGRAPHS, NEW_PARAGRAPHS))]) == data


def test_headings_stay_whichever_way_the_changes_go() -> None:
    sections = [
        ("Annexe 4 – Blois", paragraph_diff(OLD_PARAGRAPHS[:2], NEW_PARAGRAPHS[:2])),
        ("Annexe 6", paragraph_diff(["Un référent."], ["Deux référents."])),
    ]
    data = redline_docx(sections, "Modifications")
    titles = ["Modifications", "Annexe 4 – Blois"]
    assert resolve(data, accept=True) == [
        *titles,
        *NEW_PARAGRAPHS[:2],
        "Annexe 6",
        "Deux référents.",
    ]
    assert resolve(data, accept=False) == [*titles, *OLD_PARAGRAPHS[:2], "Annexe 6", "Un référent."]
    styles = [p.style.name for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert styles[:2] == ["Title", "Heading 1"]


def test_identical_texts_give_a_redline_without_change() -> None:
    data = redline_docx([("", paragraph_diff(OLD_PARAGRAPHS, OLD_PARAGRAPHS))])
    root = _document_xml(data)
    assert not [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert _paragraph_texts(root) == OLD_PARAGRAPHS
