"""The version store's files: write once, never replace, find by number, hash everything.

Everything here is about bytes on disk — the lock that serialises recordings, files created
exclusively and made read-only, content-addressed data blobs, stored files read back against
their hash. The store knows files and hashes only: what a version contains is the manifest's
business (:mod:`fsdocs.versions.manifest`), and the documents come made (by production).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from fsdocs.errors import UnreadableFileError, VersionError
from fsdocs.files.lock import exclusive
from fsdocs.files.read import Kind, read_file

STORE = "versions"
DATA = "donnees"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
LOCK = ".lock"
LOCK_TIMEOUT = 30.0  # seconds a recording waits for another one to finish
_NUMBER = re.compile(r"^\d{4}$")


class StoredFile(BaseModel):
    """A file of a version or of the data store (relative to where its manifest says), and
    the SHA-256 of its bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    fichier: str
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def store_dir(root: Path) -> Path:
    """``root/versions``, which must stay inside the project (a link may not lead out of it):
    fsdocs never writes outside ``output/`` and ``versions/``."""
    store = root / STORE
    if os.path.lexists(store):
        real = store.resolve()
        if not real.is_relative_to(root.resolve()) or not real.is_dir():
            raise VersionError(
                f"{STORE}/ mène hors du projet ou n’est pas un dossier ({real}) : refusé ; "
                f"faites de {STORE}/ un vrai dossier du projet"
            )
    return store


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
    """Store ``content`` under its hash unless already there (and intact); its file name.
    ``blobs`` was checked to be a real folder of the store (``record._write_version``)."""
    path = blobs / f"{digest}{suffix}"
    if os.path.lexists(path):
        try:
            found = sha256(read_file(path, Kind.PDF, inside=blobs, shown=path.name))
        except UnreadableFileError as exc:
            raise VersionError(f"{STORE}/{DATA}/{exc} ; lancez « fsdocs verifier »") from None
        if found != digest:
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


def read_stored(store: Path, entry: StoredFile, base: str = "") -> bytes:
    """A stored file named by a manifest entry (relative to ``store/base``), checked against
    its recorded hash."""
    shown = "/".join(p for p in (STORE, base, entry.fichier) if p)
    try:
        content = read_file(store / base / entry.fichier, Kind.PDF, inside=store, shown=shown)
    except UnreadableFileError as exc:
        raise VersionError(f"{exc} ; lancez « fsdocs verifier »") from None
    if sha256(content) != entry.sha256:
        raise VersionError(
            f"{shown} : modifié depuis son enregistrement ; lancez « fsdocs verifier »"
        )
    return content
