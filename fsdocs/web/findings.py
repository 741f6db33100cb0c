"""Where a finding of ``fsdocs controler`` shows on a structure's page, and the warnings of a
structure's text.

One scheme names the page's elements: a field path (``adresse.code_postal``,
``agents[1].nom``) becomes the id ``champ-adresse-code_postal``, ``champ-agents-1-nom`` (dots
and brackets turned into hyphens); its error ``erreur-…``, its warning ``avertissement-…``,
its hint ``aide-…``. A path the page has no input for is shown at the nearest element that
holds it: an agent's row (``champ-agents-1``), the day of the week grid
(``champ-horaires-samedi``), the list or the grid itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity
from fsdocs.files.read import ProjectFiles
from fsdocs.project.horaires import JOURS
from fsdocs.project.project import Project
from fsdocs.web import forms, offres
from fsdocs.web.drafts import file_name
from fsdocs.web.lists import BY_PATH, item_path
from fsdocs.web.overlay import Overlay

# The paths with an input of their own, and those with an element holding a group of them.
FIELDS = frozenset(
    {p for p, _ in (*forms.SCALARS, *forms.LONG_TEXTS, *forms.FLAGS)}
    | {"type"}
    | {f"horaires.{jour}" for jour in JOURS}
)
SECTIONS = frozenset({"horaires", "equipements", *BY_PATH})


def slug(path: str) -> str:
    """``agents[1].nom`` → ``agents-1-nom``: the part of the ids that names a path."""
    return re.sub(r"[.\[\]]+", "-", path).strip("-")


def anchor(path: str) -> str:
    """The path whose element on the structure's page shows ``path``; "" for none."""
    if path in FIELDS:
        return path
    if path.startswith("offres."):
        return offres.anchor(path)
    where = item_path(path)
    if where is not None:
        list_field, index, key, rest = where
        keys = {c.key for c in list_field.columns}
        return path if key in keys and not rest else f"{list_field.path}[{index}]"
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    return head if head in SECTIONS else ""


def field_id(path: str) -> str:
    """The id on the structure's page of the element showing ``path`` ("" for none)."""
    shown = anchor(path)
    return f"champ-{slug(shown)}" if shown else ""


def by_anchor(problems: list[Problem]) -> tuple[dict[str, list[str]], list[Problem]]:
    """The messages of ``problems`` by the path of the element showing them (the key named
    when it is not that element's own), and those with no place on the page."""
    placed: dict[str, list[str]] = {}
    others: list[Problem] = []
    for problem in problems:
        shown = anchor(problem.path)
        if not shown:
            others.append(problem)
            continue
        rest = problem.path[len(shown) :].lstrip(".")
        message = f"{rest} : {problem.message}" if rest else problem.message
        placed.setdefault(shown, []).append(message)
    return placed, others


def checked_project(root: Path, structure: str, text: str) -> Project | None:
    """The project with the structure's file being ``text``, read and judged as ``fsdocs
    controler`` does (None when it does not read: its errors are shown instead)."""
    from fsdocs.production.shared import drawing
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.completeness import checked

    files = Overlay(ProjectFiles(root), {file_name(structure): text.encode("utf-8")})
    try:
        # The process's Jinja environment for these templates: compiled once, not per page.
        return checked(load_project(root, files), drawing(root).env)
    except (ProjectError, FsdocsError):
        return None


def warnings(project: Project | None, structure: str) -> list[Problem]:
    """The warnings of ``project`` (checked_project) on the structure's file."""
    if project is None:
        return []
    name = file_name(structure)
    return [p for p in project.warnings if p.file == name and p.severity is Severity.WARNING]
