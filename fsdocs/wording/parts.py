"""The documents a project produces — the convention, each annex, each structure's page —
and which of them a build asks for.

Each :class:`Part` names its wording template and carries the values that template prints;
rendering (render.py, pdf.py, docx.py) knows nothing of conventions or annexes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from fsdocs.errors import FsdocsError
from fsdocs.project.project import Project
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.jinja import context_values

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


# Annex kind → function giving its parts. Annexes 1 to 3 are national documents supplied as
# PDF files: they have no part of their own here.
AnnexBuilder = Callable[[Project, ConventionContext, Annex], list[Part]]
ANNEX_BUILDERS: dict[str, AnnexBuilder] = {}


def annex_builder(kind: str) -> Callable[[AnnexBuilder], AnnexBuilder]:
    """Register the function that makes the parts of annexes of ``kind``."""

    def register(function: AnnexBuilder) -> AnnexBuilder:
        ANNEX_BUILDERS[kind] = function
        return function

    return register


def all_parts(project: Project, ctx: ConventionContext) -> list[Part]:
    # Importing these modules registers their annex builders.
    from fsdocs.wording import (
        annexes,  # noqa: F401
        annexes_partenaires,  # noqa: F401
    )

    parts = [
        Part(
            CONVENTION,
            "wording/convention.html.j2",
            f"{ctx.titre} {ctx.departement_de}",
            ctx.entete,
            context_values(ctx),
        )
    ]
    for annex in ctx.annexes:
        builder = ANNEX_BUILDERS.get(annex.id)
        if builder is not None:
            parts += builder(project, ctx, annex)
    return parts


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
