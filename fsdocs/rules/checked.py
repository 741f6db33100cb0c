"""A project as every command needs it: read, validated, and judged by the convention's rules.

The rules look at a loaded project (they import its types), so loading cannot call them: this
function, one stage up, puts the two together, once, so that check and build agree.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fsdocs.errors import ProjectError, Severity, problem_order
from fsdocs.files.read import Files
from fsdocs.project.project import Project
from fsdocs.project.reading import read_project
from fsdocs.rules.engine import check_rules


def load_project(root: Path, files: Files | None = None) -> Project:
    """Read the project at ``root`` (its files on disk, or ``files``) and check the
    convention's rules; raise ProjectError listing every error, or return the project with
    every warning (files and rules)."""
    project, problems = read_project(root, files)
    problems += check_rules(project)
    if any(p.severity is Severity.ERROR for p in problems):
        raise ProjectError(problems)
    return replace(project, warnings=tuple(sorted(problems, key=problem_order)))
