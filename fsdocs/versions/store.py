"""The version store's files: write once, never replace, find by number, hash everything.

Everything here is about bytes on disk — the lock that serialises recordings, files created
exclusively and made read-only, content-addressed data blobs, manifests read back. What a
version contains is :mod:`fsdocs.versions.record`'s business.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from fsdocs.errors import VersionError
from fsdocs.files.write import exclusive

STORE = "versions"
DATA = "donnees"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
LOCK = ".lock"
LOCK_TIMEOUT = 30.0  # seconds a recording waits for another one to finish
_NUMBER = re.compile(r"^\d{4}$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder(number: int) -> str:
    return f"{number:04d}"


def version_numbers(store: Path) -> list[int]:
    if not store.is_dir():
        return []
    return sorted(int(p.name) for p in store.iterdir() if _NUMBER.match(p.name) and p.is_dir())


def locked(store: Path, timeout: float) -> contextlib.AbstractContextManager[None]:
    """Hold the store's exclusive lock, or refuse clearly after ``timeout`` seconds."""

    def busy() -> VersionError:
        return VersionError(
            f"une autre commande « fsdocs version » enregistre déjà une version "
            f"(verrou {STORE}/{LOCK} tenu depuis plus de {timeout:.0f} s) ; "
            "réessayez quand elle aura fini"
        )

    return exclusive(store / LOCK, os.O_RDWR | os.O_CREAT, timeout, busy)


def store_blob(blobs: Path, digest: str, suffix: str, content: bytes) -> str:
    """Store ``content`` under its hash unless already there (and intact); its file name."""
    path = blobs / f"{digest}{suffix}"
    if path.exists():
        if sha256(path.read_bytes()) != digest:
            raise VersionError(
                f"{STORE}/{DATA}/{path.name} a été modifié : lancez « fsdocs verifier »"
            )
        return path.name
    fd, tmp_name = tempfile.mkstemp(prefix=".nouveau-", dir=blobs)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o444)
        # link() refuses an existing target: a stored file is never replaced.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path.name


def write_new(path: Path, content: bytes) -> None:
    """Create ``path`` (never overwrite it), flush it to disk and make it read-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:  # "x": refuse to overwrite
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o444)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(store: Path, number: int) -> tuple[dict[str, Any], str]:
    """The manifest of version ``number`` and the SHA-256 of its bytes."""
    path = store / folder(number) / MANIFEST
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise VersionError(
            f"{STORE}/{folder(number)}/{MANIFEST} illisible ({exc}) : lancez « fsdocs verifier »"
        ) from None
    if not isinstance(manifest, dict):
        raise VersionError(f"{STORE}/{folder(number)}/{MANIFEST} : objet JSON attendu")
    return manifest, sha256(raw)


def read_stored(store: Path, entry: Any, base: str = "") -> bytes:
    """A stored file named by a manifest entry (relative to ``store/base``), checked against
    its recorded hash."""
    relative = entry.get("fichier") if isinstance(entry, dict) else None
    shown = "/".join(p for p in (STORE, base, str(relative)) if p)
    if not isinstance(relative, str):
        raise VersionError(f"{STORE}/{base}/{MANIFEST} : entrée de fichier mal formée")
    path = store / base / relative
    if not path.resolve().is_relative_to(store.resolve()):
        raise VersionError(f"{shown} : chemin hors du registre des versions")
    try:
        content = path.read_bytes()
    except OSError:
        raise VersionError(f"{shown} : fichier absent ; lancez « fsdocs verifier »") from None
    if sha256(content) != entry.get("sha256"):
        raise VersionError(
            f"{shown} : modifié depuis son enregistrement ; lancez « fsdocs verifier »"
        )
    return content
