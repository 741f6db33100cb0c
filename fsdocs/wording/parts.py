"""The documents a project produces — the convention, each annex, each structure's page —
and which of them a build asks for.

Each :class:`Part` names its wording template and carries the values that template prints;
rendering (wording.jinja, pdf, docx) knows nothing of conventions or annexes. Which parts a
project has is the registry's business (wording.registry).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from fsdocs.errors import FsdocsError

CONVENTION = "convention"


@dataclass(frozen=True)
class Part:
    name: str  # output file name without extension: "convention", "annexe-4-blois"
    template: str  # wording template, relative to templates/
    titre: str  # the document's title (PDF and DOCX metadata)
    entete: str  # running header
    values: Mapping[str, Any] = field(default_factory=dict)
    paysage: bool = False
    annexe: int | None = None
    structure: str | None = None
    # Parts whose PDF pages, put together, are this part's (Annexe 4 and its structures).
    made_of: tuple[Part, ...] = ()


class Located(Protocol):
    """Whatever says where it belongs: a part, or a stored part's text."""

    @property
    def name(self) -> str: ...
    @property
    def annexe(self) -> int | None: ...
    @property
    def structure(self) -> str | None: ...


L = TypeVar("L", bound=Located)


def select(
    parts: list[L], annexe: int | None, structure: str | None, only_convention: bool = False
) -> list[L]:
    """The parts a build asked for: all, the convention, one annex, or one structure's page."""
    if only_convention:
        if annexe is not None or structure is not None:
            raise FsdocsError("--convention ne se combine ni avec --annexe ni avec --structure")
        return [p for p in parts if p.name == CONVENTION]
    if annexe is None and structure is None:
        return parts
    numbers = sorted({p.annexe for p in parts if p.annexe is not None})
    if annexe is not None and annexe not in numbers:
        raise FsdocsError(
            f"annexe {annexe} : aucun document à produire ; annexes produites par fsdocs : "
            + ", ".join(map(str, numbers))
        )
    chosen = [p for p in parts if annexe is None or p.annexe == annexe]
    if structure is None:
        return chosen
    pages = [p for p in chosen if p.structure is not None]
    if not pages:
        raise FsdocsError(f"l’annexe {annexe} n’a pas de page par structure")
    found = [p for p in pages if p.structure == structure]
    if not found:
        known = ", ".join(sorted({p.structure for p in pages if p.structure}))
        raise FsdocsError(f"structure « {structure} » inconnue ; structures : {known}")
    return found
