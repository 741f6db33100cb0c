"""The project's files as the import reads and writes them: each YAML file both round-trip
(ruamel, comments kept) and as fsdocs reads it; checked by the model before anything is
written; then all written (temporary file, then rename), or none.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from fsdocs.errors import ImportationError, Problem, ProjectError, Severity, UnreadableFileError
from fsdocs.files.read import Kind, ProjectFiles, os_message
from fsdocs.importing.yamledit import load_document
from fsdocs.project.annexes_model import StructureFile
from fsdocs.project.load import load_yaml, parse_yaml
from fsdocs.project.model import GestionnairesFile
from fsdocs.project.paths import GESTIONNAIRES, STRUCTURES
from fsdocs.project.validate import validate


@dataclass
class ProjectFile:
    name: str  # relative to the project
    doc: Any  # ruamel's round-trip document
    data: Any  # the same file as fsdocs reads it


def load_file(root: Path, name: str) -> ProjectFile:
    source, problems = load_yaml(ProjectFiles(root), name)
    if source is None or problems:
        raise ProjectError(problems)
    try:
        doc = load_document(source.raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, YAMLError) as exc:
        raise ImportationError(f"{name} : illisible ({exc})") from None
    return ProjectFile(name, doc, source.data)


def read_structures(root: Path) -> dict[str, ProjectFile]:
    files: dict[str, ProjectFile] = {}
    problems: list[Problem] = []
    for name in ProjectFiles(root).listing(STRUCTURES, ".yaml"):  # as the loader lists them
        try:
            files[Path(name).stem] = load_file(root, name)
        except ProjectError as exc:
            problems += exc.problems
    if problems:
        raise ProjectError(problems)
    return files


def anct_number(value: Any) -> int | None:
    # ASCII digits only: « ² » passes str.isdigit() and int() refuses it.
    return int(value) if re.fullmatch(r"[0-9]+", str(value)) else None


def by_number(files: dict[str, ProjectFile]) -> dict[int, str]:
    found: dict[int, str] = {}
    for ident, file in files.items():
        number = anct_number(file.data.get("anct")) if isinstance(file.data, dict) else None
        if number is not None and number in found:
            raise ImportationError(
                f"{file.name} : n° ANCT {number} déjà donné dans "
                f"{files[found[number]].name} : une structure n’a qu’un fichier"
            )
        if number is not None:
            found[number] = ident
    return found


def read_bytes(root: Path, name: str) -> bytes | None:
    """The file's bytes through the guarded reader; None when it cannot be read (reading it
    for its model then says why)."""
    try:
        return ProjectFiles(root).read(name, Kind.YAML)
    except UnreadableFileError:
        return None


def check_written(texts: dict[str, str], wanted: dict[str, tuple[str, ...] | None]) -> None:
    """Each file as fsdocs will read it: what the import wrote must be valid (a whole new file;
    the changed fields of a file a person may have left incomplete)."""
    problems: list[Problem] = []
    for name, text in texts.items():
        source, found = parse_yaml(text.encode(), name)
        model = GestionnairesFile if name == GESTIONNAIRES else StructureFile
        if source is not None and not found:
            found = validate(model, source)[1]
        paths = wanted[name]
        problems += [
            p
            for p in found
            if p.severity is Severity.ERROR and (paths is None or p.path.startswith(paths))
        ]
    if problems:
        raise ProjectError(problems)


def write_files(root: Path, texts: dict[str, str], removed: list[str]) -> list[Path]:
    """Write every file or none: all to temporary siblings first, then renamed."""
    done: list[tuple[Path, Path]] = []
    try:
        for name, text in texts.items():
            final = root / name
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            with temp.open("x", encoding="utf-8", newline="\n") as handle:
                done.append((temp, final))
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, final in done:
            temp.replace(final)
        for name in removed:
            (root / name).unlink(missing_ok=True)
    except OSError as exc:
        for temp, _ in done:
            temp.unlink(missing_ok=True)
        raise ImportationError(
            f"écriture impossible dans « {root} » : {os_message(exc)} ; aucun fichier modifié"
        ) from None
    return [final for _, final in done]
