"""A DOCX redline with real tracked changes (``w:ins`` / ``w:del``).

A reviewer opens it in Word or LibreOffice and accepts or rejects each change; accepting them
all gives the new text, rejecting them all the old one. Paragraphs are first matched as a whole,
then the words of a changed paragraph; a paragraph added or removed whole carries its change
on its paragraph mark too, so accepting or rejecting it leaves no empty paragraph behind.
"""

from __future__ import annotations

import difflib
import io
from datetime import datetime
from itertools import count
from typing import Any

from .diff import Kind, Op, word_diff

AUTHOR = "fsdocs"
# Fixed, so that two redlines of the same texts are the same file.
DATE = "2020-02-06T12:00:00Z"
SIMILAR = 0.5


def redline_docx(old_paragraphs: list[str], new_paragraphs: list[str], date: str = DATE) -> bytes:
    """A DOCX whose tracked changes turn ``old_paragraphs`` into ``new_paragraphs``."""
    import docx

    document = docx.Document()
    # The template's own dates and author would make each redline a different file.
    when = datetime.fromisoformat(date)
    properties = document.core_properties
    properties.created = properties.modified = when
    properties.author = properties.last_modified_by = AUTHOR
    body = document.element.body
    for paragraph in list(body.iterchildren(_w("p"))):
        body.remove(paragraph)
    writer = _Writer(body, date)
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for text in new_paragraphs[j1:j2]:
                writer.paragraph([Op(Kind.EQUAL, text)])
            continue
        _changed(writer, old_paragraphs[i1:i2], new_paragraphs[j1:j2])
    # Keep the section properties last, as Word requires.
    sect = body.find(_w("sectPr"))
    if sect is not None:
        body.remove(sect)
        body.append(sect)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _changed(writer: _Writer, old: list[str], new: list[str]) -> None:
    """A changed stretch: each old paragraph is edited in place when a later new one still
    resembles it (half its words or more), else removed; the new ones left are added."""
    cursor = 0
    for before in old:
        words = before.split()
        match = next(
            (
                j
                for j in range(cursor, len(new))
                if difflib.SequenceMatcher(None, words, new[j].split()).ratio() >= SIMILAR
            ),
            None,
        )
        if match is None:
            writer.paragraph([Op(Kind.DELETE, before)], mark=Kind.DELETE)
            continue
        for added in new[cursor:match]:
            writer.paragraph([Op(Kind.INSERT, added)], mark=Kind.INSERT)
        writer.paragraph(word_diff(before, new[match]))
        cursor = match + 1
    for added in new[cursor:]:
        writer.paragraph([Op(Kind.INSERT, added)], mark=Kind.INSERT)


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


class _Writer:
    def __init__(self, body: Any, date: str) -> None:
        self.body = body
        self.date = date
        self.ids = count(1)

    def paragraph(self, ops: list[Op], mark: Kind = Kind.EQUAL) -> None:
        from docx.oxml import OxmlElement

        paragraph = OxmlElement("w:p")
        if mark is not Kind.EQUAL:
            properties = OxmlElement("w:pPr")
            run_properties = OxmlElement("w:rPr")
            run_properties.append(self._change(mark))
            properties.append(run_properties)
            paragraph.append(properties)
        for op in ops:
            if not op.text:
                continue
            run = OxmlElement("w:r")
            text = OxmlElement("w:delText" if op.kind is Kind.DELETE else "w:t")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = op.text
            run.append(text)
            if op.kind is Kind.EQUAL:
                paragraph.append(run)
            else:
                change = self._change(op.kind)
                change.append(run)
                paragraph.append(change)
        self.body.append(paragraph)

    def _change(self, kind: Kind) -> Any:
        from docx.oxml import OxmlElement

        change = OxmlElement("w:del" if kind is Kind.DELETE else "w:ins")
        change.set(_w("id"), str(next(self.ids)))
        change.set(_w("author"), AUTHOR)
        change.set(_w("date"), self.date)
        return change
