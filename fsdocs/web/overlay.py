"""The project's files with some of them replaced by new text, in memory: what a draft or a
proposal would make of the project, read by the same reader as ``fsdocs controler``
(``load_project``) without writing anything."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from fsdocs.errors import FsdocsError, Problem, ProjectError, Severity
from fsdocs.files.read import Files, Kind, ProjectFiles


class Overlay:
    """The project's ``files``, those named in ``replaced`` read from it instead."""

    def __init__(self, files: Files, replaced: Mapping[str, bytes]) -> None:
        self.files, self.replaced = files, dict(replaced)

    def read(self, name: str, kind: Kind) -> bytes:
        found = self.replaced.get(name)
        return found if found is not None else self.files.read(name, kind)

    def exists(self, name: str) -> bool:
        return name in self.replaced or self.files.exists(name)

    def listing(self, folder: str, suffix: str) -> list[str]:
        return self.files.listing(folder, suffix)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def project_file(root: Path, name: str) -> tuple[str, str]:
    """The project's file ``name`` as text, and the SHA-256 of its bytes."""
    data = ProjectFiles(root).read(name, Kind.YAML)
    return data.decode("utf-8"), sha256(data)


def errors_with(root: Path, texts: Mapping[str, str]) -> list[Problem]:
    """The errors ``fsdocs controler`` reports of the project with the files of ``texts``
    (name → text) replaced; a failure to read at all is one problem of the first file."""
    from fsdocs.rules.checked import load_project

    files = Overlay(ProjectFiles(root), {n: t.encode("utf-8") for n, t in texts.items()})
    try:
        load_project(root, files)
    except ProjectError as exc:
        return [p for p in exc.problems if p.severity is Severity.ERROR]
    except FsdocsError as exc:
        return [Problem(next(iter(texts), ""), None, "", str(exc))]
    return []
