"""What changed in the words: two texts compared paragraph by paragraph, then word by word.

A text is a list of paragraphs (one line each: :func:`fsdocs.versions.record.plain_text`).
Paragraphs
are matched as a whole first; an old paragraph still resembling a new one (half its words or
more) is compared word by word, otherwise it is deleted whole and the new one inserted whole.
The result — a list of :class:`Line`, whose table rows :mod:`fsdocs.changes.tables` compares
cell by cell — is printed for a terminal or as HTML (:mod:`fsdocs.changes.views`) and as DOCX
tracked changes (:mod:`fsdocs.changes.tracked`), so they always show the same changes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

SIMILAR = 0.5
CONTEXT = 1  # unchanged paragraphs shown around a change in the HTML and terminal redlines
# A word (with its inner apostrophes and hyphens: « l’accueil », « Loir-et-Cher »), a run of
# spaces, or one punctuation mark: deleting « Blois » must not strike the space after it.
# A time or a duration (« 8 h 30 », « 7 h », and « 08:30 » as older versions wrote it) is one
# word too: « 8 h ~~30~~ __45__ » would read as half a change.
_TOKEN = re.compile(
    r"\d+[\u00a0\u202f ]h(?:[\u00a0\u202f ]\d\d)?\b|\d+(?::\d+)+|\w+(?:[’'\-]\w+)*|\s+|[^\w\s]",
    re.UNICODE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
# Beyond this many old × new paragraphs in one changed stretch, they are replaced whole.
_PAIRING_LIMIT = 40_000
# Two changes this close (« ~~8~~ __7__ h __45__ ») read better as one: « ~~8 h~~ __7 h 45__ ».
_JOIN = 3


class Kind(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


@dataclass(frozen=True)
class Op:
    kind: Kind
    text: str


@dataclass(frozen=True)
class Line:
    """One paragraph of the redline; ``whole`` marks a paragraph added or removed whole."""

    ops: tuple[Op, ...]
    whole: Kind = Kind.EQUAL

    @property
    def changed(self) -> bool:
        return self.whole is not Kind.EQUAL or any(op.kind is not Kind.EQUAL for op in self.ops)


def word_diff(old_text: str, new_text: str) -> list[Op]:
    """The new text as kept, deleted and inserted stretches; a replacement is both.

    A space or a very short word between two changes joins them, so « 11 place René Coty » →
    « 133 rue Michel Bégon » reads as one replacement rather than four.
    """
    old, new = _TOKEN.findall(old_text), _TOKEN.findall(new_text)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    # Each piece is (kept, deleted, inserted); a change has an empty ``kept``.
    pieces: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            pieces.append((before, "", ""))
        elif len(pieces) >= 2 and not pieces[-2][0] and len(pieces[-1][0].strip()) <= _JOIN:
            space = pieces.pop()[0]
            _, deleted, inserted = pieces.pop()
            pieces.append(("", deleted + space + before, inserted + space + after))
        else:
            pieces.append(("", before, after))
    ops: list[Op] = []
    for kept, deleted, inserted in pieces:
        ops += [Op(Kind.EQUAL, kept)] if kept else []
        ops += [Op(Kind.DELETE, deleted)] if deleted else []
        ops += [Op(Kind.INSERT, inserted)] if inserted else []
    return ops


def paragraph_diff(old: list[str], new: list[str]) -> list[Line]:
    """The redline of two texts given as paragraphs, in reading order."""
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [Line((Op(Kind.EQUAL, text),)) for text in new[j1:j2]]
        else:
            lines += _changed(old[i1:i2], new[j1:j2])
    return lines


def _changed(old: list[str], new: list[str]) -> list[Line]:
    """A changed stretch: old and new paragraphs paired in order so that the pairs resemble each
    other most (half their words or more, or the same row of a table); a pair is edited in
    place, the others are removed or added whole."""
    lines: list[Line] = []
    i = j = 0
    for pi, pj in _pairs(old, new):
        lines += [Line((Op(Kind.DELETE, t),), Kind.DELETE) for t in old[i:pi]]
        lines += [Line((Op(Kind.INSERT, t),), Kind.INSERT) for t in new[j:pj]]
        lines.append(Line(tuple(word_diff(old[pi], new[pj]))))
        i, j = pi + 1, pj + 1
    lines += [Line((Op(Kind.DELETE, t),), Kind.DELETE) for t in old[i:]]
    lines += [Line((Op(Kind.INSERT, t),), Kind.INSERT) for t in new[j:]]
    return lines


def _pairs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """The order-preserving pairing of greatest total resemblance (dynamic programming)."""
    if len(old) == len(new) == 1:
        return [(0, 0)]  # one paragraph rewritten: an edit, however deep
    if not old or not new or len(old) * len(new) > _PAIRING_LIMIT:
        return []
    words_old = [_WORD.findall(t.casefold()) for t in old]
    words_new = [_WORD.findall(t.casefold()) for t in new]
    n, m = len(old), len(new)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            ratio = difflib.SequenceMatcher(None, words_old[x], words_new[y]).ratio()
            if _row_key(old[x]) is not None and _row_key(old[x]) == _row_key(new[y]):
                ratio = max(ratio, SIMILAR)  # the same row of a table, whatever its values
            paired = best[x + 1][y + 1] + ratio if ratio >= SIMILAR else -1.0
            best[x][y] = max(best[x + 1][y], best[x][y + 1], paired)
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:
        if best[x][y] == best[x + 1][y]:
            x += 1
        elif best[x][y] == best[x][y + 1]:
            y += 1
        else:
            pairs.append((x, y))
            x, y = x + 1, y + 1
    return pairs


def _row_key(paragraph: str) -> str | None:
    """A table row's first cell (« Adresse » in « Adresse | 11 place… »), None for a paragraph."""
    key, bar, _ = paragraph.partition(" | ")
    return key if bar and key else None


def old_text(ops: list[Op] | tuple[Op, ...]) -> str:
    return "".join(op.text for op in ops if op.kind is not Kind.INSERT)


def new_text(ops: list[Op] | tuple[Op, ...]) -> str:
    return "".join(op.text for op in ops if op.kind is not Kind.DELETE)


def change_count(ops: list[Op] | tuple[Op, ...]) -> int:
    """Changes as a reader counts them: a deletion followed by its insertion is one."""
    count, previous = 0, Kind.EQUAL
    for op in ops:
        if op.kind is not Kind.EQUAL and previous is Kind.EQUAL:
            count += 1
        previous = op.kind
    return count


def line_count(lines: list[Line]) -> int:
    """Changes in a redline: a run of paragraphs added or removed whole counts as one."""
    count, in_run = 0, False
    for line in lines:
        if line.whole is not Kind.EQUAL:
            count += not in_run
            in_run = True
        else:
            count += change_count(line.ops)
            in_run = False
    return count


def plural(count: int, word: str = "modification") -> str:
    return f"aucune {word}" if not count else f"{count} {word}" + "s" * (count > 1)
