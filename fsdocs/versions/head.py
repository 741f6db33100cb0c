"""The head record of the version store, ``versions/tete.json``: the number and manifest hash
of the last version (and, when the store is sealed, their HMAC). Also how the store's own
small files are read: regular files only, never through a link, bounded."""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fsdocs.errors import VersionError
from fsdocs.versions.store import STORE

HEAD = "tete.json"
PENDING_HEAD = ".tete-nouvelle.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Head:
    numero: int
    manifest_sha256: str
    sceau: str | None = None  # HMAC of the two, when the store is sealed with a key


def read_head(store: Path) -> Head | None:
    path = store / HEAD
    if not os.path.lexists(path):
        return None
    raw = read_regular(path, 4096)
    try:
        data = json.loads(raw)
        head = Head(int(data["numero"]), str(data["manifest_sha256"]), data.get("sceau"))
    except (ValueError, KeyError, TypeError):
        raise VersionError(f"{STORE}/{HEAD} : illisible") from None
    if not _HEX.match(head.manifest_sha256) or not (head.sceau is None or _HEX.match(head.sceau)):
        raise VersionError(f"{STORE}/{HEAD} : illisible")
    return head


def head_bytes(head: Head) -> bytes:
    data: dict[str, object] = {"numero": head.numero, "manifest_sha256": head.manifest_sha256}
    if head.sceau is not None:
        data["sceau"] = head.sceau
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def read_regular(path: Path, limit: int) -> bytes:
    """A file of the store: a regular file (not a link), at most ``limit`` bytes."""
    shown = PurePosixPath(STORE, *path.parts[-2 if path.name == HEAD else -3 :][1:])
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise VersionError(f"{shown.as_posix()} : fichier absent") from None
    except OSError:
        raise VersionError(f"{shown.as_posix()} : illisible ou lien symbolique") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise VersionError(f"{shown.as_posix()} : n’est pas un fichier ordinaire du registre")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)
