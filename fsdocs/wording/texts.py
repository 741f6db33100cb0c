"""A part's wording as a diff reads it: plain text, one line per paragraph.

Both what production renders and what the version store keeps are compared in this form, so
it lives with the wording, below both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fsdocs.wording.document import Columns, Paragraph, Table, blocks

if TYPE_CHECKING:
    from fsdocs.wording.parts import Part


@dataclass(frozen=True)
class PartText:
    """One part as a diff sees it: its wording as plain text, and where it belongs."""

    name: str
    titre: str
    annexe: int | None
    structure: str | None
    texte: str
    empreinte: str  # SHA-256 of the typographied HTML fragment


def plain_text(fragment: str) -> str:
    """The wording as plain text: one line per paragraph, table cells separated by « | »."""
    lines: list[str] = []
    for block in blocks(fragment):
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Columns):  # layout: its paragraphs, block after block
            lines += [p.text for cell in block.cells for p in cell]
        elif isinstance(block, Table):
            for row in block.rows:
                cells = (" / ".join(p.text for p in cell.paragraphs) for cell in row.cells)
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def part_text(part: Part, fragment: str) -> PartText:
    return PartText(
        part.name,
        part.titre,
        part.annexe,
        part.structure,
        plain_text(fragment),
        hashlib.sha256(fragment.encode()).hexdigest(),
    )
