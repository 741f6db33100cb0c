"""What a rule of the convention yields: a located :class:`Finding`, most often in a structure's
file. :func:`fsdocs.rules.engine.check_rules` turns each into a problem carrying its article."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from fsdocs.project.yaml_nodes import Loc, format_loc

if TYPE_CHECKING:
    from fsdocs.project.project import Project, Structure


class Finding(NamedTuple):
    """Where a rule is broken and why; :func:`~fsdocs.rules.engine.check_rules` adds article and
    severity."""

    file: str
    line: int | None
    path: str
    message: str


def structure_name(structure: Structure) -> str:
    """How a message names a structure: its name, or its id while the name is to fill in."""
    return structure.data.nom or structure.id


def in_structure(project: Project, structure: Structure, loc: Loc, message: str) -> Finding:
    """A finding in a structure's file, on the line of ``loc`` (or of its nearest ancestor)."""
    return Finding(
        structure.fichier, project.line_of(structure.fichier, loc), format_loc(loc), message
    )
