"""What a process works out once for every project drawn with the same templates: the Jinja
environment (its templates compiled once), the stylesheet, and the digest of the template
directories. A national run builds a hundred départements with fsdocs' own templates; each
used to compile them, render the stylesheet and hash every font again.

Reused only while every file of the template directories is as it was (same size, same
modification time): a template edited between two builds of one process is read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from fsdocs.production.cache import assets_digest
from fsdocs.wording.jinja import environment, render_template, template_dirs

_KEPT = 4  # sets of templates kept at once (a process seldom sees more than one)


@dataclass(frozen=True)
class Drawing:
    """A project's template directories, and what is made of them once."""

    env: Environment
    dirs: list[Path]
    stylesheet: str
    assets: str  # digest of the template directories and of fsdocs' and WeasyPrint's versions


_known: dict[tuple[object, ...], Drawing] = {}


def drawing(project_root: Path) -> Drawing:
    """The templates of the project at ``project_root``, made once per state of their files."""
    dirs = template_dirs(project_root)
    state = _state(dirs)
    found = _known.get(state)
    if found is None:
        env = environment(project_root)
        found = Drawing(
            env, dirs, render_template(env, "html/convention.css", {}), assets_digest(dirs)
        )
        if len(_known) >= _KEPT:
            _known.pop(next(iter(_known)))
        _known[state] = found
    return found


def _state(dirs: list[Path]) -> tuple[object, ...]:
    state: list[object] = []
    for directory in dirs:
        state.append(str(directory))
        for path in sorted(directory.rglob("*")):
            try:
                info = path.stat()
            except OSError:  # a broken link: refused when read, if it is ever read
                info = path.lstat()
            state.append((path.relative_to(directory).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(state)
