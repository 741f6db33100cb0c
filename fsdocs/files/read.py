"""The one way fsdocs reads a file it was given: a regular file, inside the project, not too big.

Every file a project names — its YAML, the national PDFs, the list imported, the templates'
fonts and images — is treated as hostile until read here: the path is resolved (a symbolic
link leaving the project is refused), the file is opened without blocking and judged on the
opened descriptor (a device never ends, a named pipe blocks, a socket cannot be read: none
is), and at most the kind's limit is read, so that a file growing meanwhile changes nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from fsdocs.errors import UnreadableFileError

_MB = 1024 * 1024


class Kind(StrEnum):
    """What a file is for; each kind has its size limit."""

    YAML = "yaml"
    CSV = "csv"
    PDF = "pdf"
    FONT = "font"
    IMAGE = "image"
    TEMPLATE = "template"


# The largest YAML of a real convention is a few kilobytes, the national list 2 Mo, a
# national annex a few Mo, a font 1 Mo: ten to a hundred times that is room enough.
LIMITS: dict[Kind, int] = {
    Kind.YAML: 1 * _MB,
    Kind.CSV: 32 * _MB,
    Kind.PDF: 64 * _MB,
    Kind.FONT: 16 * _MB,
    Kind.IMAGE: 16 * _MB,
    Kind.TEMPLATE: 1 * _MB,
}
_WHAT = {
    Kind.YAML: "un fichier de convention fait quelques kilo-octets",
    Kind.CSV: "la liste nationale fait environ 2 Mo",
    Kind.PDF: "une annexe nationale fait quelques Mo",
    Kind.FONT: "une police fait moins de 2 Mo",
    Kind.IMAGE: "un logo fait quelques centaines de kilo-octets",
    Kind.TEMPLATE: "un modèle fait quelques kilo-octets",
}
NOT_REGULAR = (
    "ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : remplacez-le par un "
    "vrai fichier"
)
OUTSIDE = (
    "mène hors du projet (chemin ou lien symbolique) : refusé ; copiez le fichier dans le "
    "dossier du projet"
)


def read_file(
    path: Path, kind: Kind, inside: Path | None = None, shown: str | None = None
) -> bytes:
    """The bytes of ``path``, a regular file of at most ``LIMITS[kind]`` bytes, which must lie
    inside ``inside`` once links are resolved (when given). Raises UnreadableFileError naming
    the file as ``shown`` (by default, the path as given)."""
    name = shown if shown is not None else str(path)
    try:
        real = path.resolve(strict=True)
    except OSError as exc:
        raise UnreadableFileError(name, os_message(exc)) from None
    except RuntimeError:  # a loop of links, on Pythons that say so this way
        raise UnreadableFileError(name, os_message(OSError(errno.ELOOP, ""))) from None
    if inside is not None and not real.is_relative_to(inside.resolve()):
        raise UnreadableFileError(name, OUTSIDE)
    return _read_descriptor(real, kind, name)


def _read_descriptor(real: Path, kind: Kind, name: str) -> bytes:
    limit = LIMITS[kind]
    try:
        # Non-blocking: opening a named pipe with no writer would otherwise wait for ever.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_NOFOLLOW)
    except OSError as exc:
        raise UnreadableFileError(name, os_message(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFileError(name, os_message(OSError(errno.EISDIR, "")))
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(name, NOT_REGULAR)
        if info.st_size > limit:
            raise UnreadableFileError(name, too_large_message(info.st_size, kind))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, _MB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew after fstat()
            raise UnreadableFileError(name, too_large_message(size, kind))
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFileError(name, os_message(exc)) from None
    finally:
        os.close(fd)


def too_large_message(size: int, kind: Kind = Kind.YAML) -> str:
    """Why a file of ``size`` bytes is not read, in French units (1 Mo = 1 048 576 octets)."""
    limit = LIMITS[kind] // _MB
    megabytes = max(round(size / _MB, 1), limit + 0.1)  # never rounded down to the limit
    shown = f"{megabytes:.1f}".replace(".", ",")
    return (
        f"fichier trop volumineux : {shown} Mo, la limite est {limit} Mo ; {_WHAT[kind]} : "
        "vérifiez qu’il s’agit du bon fichier"
    )


def os_message(exc: OSError) -> str:
    """Why a file could not be read, in French (the system's own words are English)."""
    reasons = {
        errno.ENOENT: "fichier introuvable",
        errno.EACCES: "lecture refusée : droits insuffisants sur ce fichier",
        errno.EPERM: "lecture refusée : droits insuffisants sur ce fichier",
        errno.EISDIR: "c’est un dossier, pas un fichier : renommez-le ou déplacez-le",
        errno.ELOOP: "lien symbolique qui boucle sur lui-même, ou lien refusé",
        errno.ENOTDIR: "chemin invalide : une partie du chemin n’est pas un dossier",
        errno.ENAMETOOLONG: "chemin trop long",
        errno.ENXIO: NOT_REGULAR,
    }
    return reasons.get(exc.errno or 0, f"lecture impossible (erreur système n° {exc.errno})")


class Files(Protocol):
    """The files of one project: on disk (:class:`ProjectFiles`), or as a version recorded
    them (:class:`StoredFiles`). Names are relative to the project, with forward slashes."""

    def read(self, name: str, kind: Kind) -> bytes: ...

    def exists(self, name: str) -> bool: ...

    def listing(self, folder: str, suffix: str) -> list[str]: ...


class ProjectFiles:
    """The project's files on disk, each read through :func:`read_file`, confined to it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, name: str, kind: Kind) -> bytes:
        return read_file(self.root / name, kind, inside=self.root, shown=name)

    def exists(self, name: str) -> bool:
        return os.path.lexists(self.root / name)

    def listing(self, folder: str, suffix: str) -> list[str]:
        """The names of ``folder``'s entries ending in ``suffix``, sorted (not recursive)."""
        directory = self.root / folder
        try:
            entries = [e.name for e in os.scandir(directory) if e.name.endswith(suffix)]
        except OSError:
            return []
        return [f"{folder}/{entry}" for entry in sorted(entries)]


class StoredFiles:
    """A project's files as a version recorded them (already checked against their hashes)."""

    def __init__(self, contents: Mapping[str, bytes]) -> None:
        self.contents = contents

    def read(self, name: str, kind: Kind) -> bytes:
        try:
            return self.contents[name]
        except KeyError:
            raise UnreadableFileError(name, "fichier absent de cette version") from None

    def exists(self, name: str) -> bool:
        return name in self.contents

    def listing(self, folder: str, suffix: str) -> list[str]:
        prefix = f"{folder}/"
        return sorted(
            n
            for n in self.contents
            if n.startswith(prefix) and "/" not in n[len(prefix) :] and n.endswith(suffix)
        )
