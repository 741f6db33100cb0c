"""Versions: every recorded state of the convention and its annexes, kept for good.

Layout, under ``<project>/versions/`` (plain files that diff well in version control)::

    donnees/<sha256>.yaml      each data file of the project (and each national PDF), stored
                               once whatever its version
    0001/manifest.json         number, date, author, message, and the SHA-256 of every file
    0001/manifest.sha256       the manifest's own hash (``sha256sum -c`` reads it)
    0001/texte/<part>.html     the typographied wording of each part, and its plain text (.txt)
    0001/pdf/<part>.pdf        the PDF of each part

A version is written once and never touched again: it is assembled in a temporary folder and
renamed into place under an exclusive lock (:mod:`fsdocs.versions.store`), so two recordings at once
get two numbers — or the second, finding nothing new, refuses — and a crash leaves no
half-written version behind. The documents come rendered (``fsdocs.production.snapshot`` renders
them): nothing here lays out or renders anything.
"""

from __future__ import annotations

import getpass
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fsdocs import __version__
from fsdocs.errors import VersionError
from fsdocs.files.clock import now
from fsdocs.files.lock import project_lock
from fsdocs.versions.chain import checked_chain
from fsdocs.versions.head import HEAD, PENDING_HEAD, Head, head_bytes
from fsdocs.versions.manifest import FORMAT, PART_FILES, Changes, Link, Manifest, PartEntry
from fsdocs.versions.seal import seal
from fsdocs.versions.snapshot import (
    CURRENT,
    Snapshot,
    Version,
    current_snapshot,
    history,
    manifests,
    stored_snapshot,
    version_number,
)
from fsdocs.versions.store import (
    DATA,
    LOCK_TIMEOUT,
    MANIFEST,
    MANIFEST_HASH,
    STORE,
    StoredFile,
    folder,
    fsync_dir,
    locked,
    sha256,
    store_blob,
    store_dir,
    write_new,
)

__all__ = [
    "CURRENT",
    "RecordedPart",
    "Snapshot",
    "Version",
    "current_snapshot",
    "history",
    "manifests",
    "record_version",
    "store_version",
    "stored_snapshot",
    "version_number",
]

if TYPE_CHECKING:
    from fsdocs.project.project import Project
    from fsdocs.wording.parts import Part


@dataclass(frozen=True)
class RecordedPart:
    """One part as a version keeps it: where it belongs, its typographied wording (HTML),
    its plain text and its PDF."""

    name: str
    titre: str
    annexe: int | None
    structure: str | None
    html: bytes
    texte: bytes
    pdf: bytes

    def files(self) -> dict[str, bytes]:
        return {"html": self.html, "texte": self.texte, "pdf": self.pdf}


# What recording needs of production: each part with its files (``html``, ``texte``, ``pdf``).
Render = Callable[["Project"], Mapping[str, tuple["Part", Mapping[str, bytes]]]]


def record_version(
    root: Path, author: str | None, message: str, render: Render, timeout: float = LOCK_TIMEOUT
) -> Version:
    """Store the project at ``root`` as the next version: its data files, and the documents
    ``render`` makes of it (``fsdocs.production.snapshot.documents``: the store itself knows
    files and hashes, not how they were made)."""
    from fsdocs.rules.checked import load_project

    if not message.strip():
        raise VersionError("message vide : dites en une phrase ce que cette version change (-m)")
    with project_lock(root):
        # Each file is read once, here; the documents are made of, and the version records,
        # exactly those bytes (``Project.data_files``), whatever is saved meanwhile.
        project = load_project(root)
        return _record(project, author, message, render, timeout)


def _record(
    project: Project, author: str | None, message: str, render: Render, timeout: float
) -> Version:
    parts = [
        RecordedPart(
            part.name,
            part.titre,
            part.annexe,
            part.structure,
            files["html"],
            files["texte"],
            files["pdf"],
        )
        for part, files in render(project).values()
    ]
    return store_version(project.root, project.data_files(), parts, author, message, timeout)


def store_version(
    root: Path,
    data: dict[str, bytes],
    parts: list[RecordedPart],
    author: str | None,
    message: str,
    timeout: float = LOCK_TIMEOUT,
) -> Version:
    """Store the project's ``data`` files and rendered ``parts`` as its next version."""
    if not message.strip():
        raise VersionError("message vide : dites en une phrase ce que cette version change (-m)")
    store = store_dir(root)
    store.mkdir(exist_ok=True)
    with locked(store, timeout):
        _remove_leftovers(store)
        return _write_version(store, author or _default_author(), message.strip(), data, parts)


def _remove_leftovers(store: Path) -> None:
    """What a recording killed half-way left: its unfinished version folder and data files
    (never a numbered version: those appear whole, by one rename), and its new head — put in
    place if its version did arrive, removed otherwise. Called with the lock held."""
    for leftover in store.glob(".nouvelle-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in (store / DATA).glob(".nouveau-*"):
        leftover.unlink(missing_ok=True)
    pending = store / PENDING_HEAD
    if pending.is_file() and not pending.is_symlink():
        try:
            head = json.loads(pending.read_bytes())
            manifest = (store / folder(int(head["numero"])) / MANIFEST).read_bytes()
            arrived = sha256(manifest) == head["manifest_sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            arrived = False
        if arrived:
            pending.replace(store / HEAD)
        else:
            pending.unlink()


def _default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def _write_version(
    store: Path, author: str, message: str, data: dict[str, bytes], parts: list[RecordedPart]
) -> Version:
    chain = checked_chain(store)  # never chain onto a store that was tampered with
    number = len(chain) + 1
    if number > 9999:
        raise VersionError("le registre des versions est plein (9999 versions)")
    previous = (chain[-1].manifest, chain[-1].sha256) if chain else None
    hashes = {name: sha256(content) for name, content in data.items()}
    parties = {
        part.name: PartEntry(
            titre=part.titre,
            annexe=part.annexe,
            structure=part.structure,
            **{
                kind: StoredFile(fichier=PART_FILES[kind].format(part.name), sha256=sha256(content))
                for kind, content in part.files().items()
            },
        )
        for part in parts
    }
    changes = _changes(previous[0] if previous else None, hashes, parties)
    if previous is not None and not changes.donnees and not changes.parties:
        raise VersionError(
            f"rien n’a changé depuis la version {number - 1} (données et documents "
            "identiques) : aucune version enregistrée"
        )
    blobs = store / DATA
    if blobs.is_symlink() or (blobs.exists() and not blobs.is_dir()):
        raise VersionError(
            f"{STORE}/{DATA}/ n’est pas un dossier du registre : lancez « fsdocs verifier »"
        )
    blobs.mkdir(exist_ok=True)
    donnees = {
        name: StoredFile(
            fichier=f"{DATA}/{store_blob(blobs, hashes[name], Path(name).suffix, content)}",
            sha256=hashes[name],
        )
        for name, content in data.items()
    }
    manifest = Manifest(
        format=FORMAT,
        numero=number,
        date=now().isoformat(),
        auteur=author,
        message=message,
        fsdocs=__version__,
        precedente=None
        if previous is None
        else Link(numero=number - 1, manifest_sha256=previous[1]),
        donnees=donnees,
        parties=parties,
        modifications=changes,
    )
    target = store / folder(number)
    tmp = Path(tempfile.mkdtemp(prefix=".nouvelle-", dir=store))
    try:
        for part in parts:
            for kind, content in part.files().items():
                write_new(tmp / PART_FILES[kind].format(part.name), content)
        text = manifest.dumps().encode()
        write_new(tmp / MANIFEST, text)
        write_new(tmp / MANIFEST_HASH, f"{sha256(text)}  {MANIFEST}\n".encode())
        tmp.chmod(0o755)
        if target.exists():  # cannot happen under the lock; never replace a version
            raise VersionError(f"{STORE}/{target.name} existe déjà : rien n’a été écrit")
        # The new head is written first, aside: if the recording stops between the two
        # renames, the next one finds it and puts it in place (``_remove_leftovers``).
        head = seal(store, Head(number, sha256(text)))
        write_new(store / PENDING_HEAD, head_bytes(head))
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        (store / PENDING_HEAD).unlink(missing_ok=True)
        raise
    (store / PENDING_HEAD).replace(store / HEAD)
    fsync_dir(store)
    return Version.of(target, manifest)


def _changes(
    previous: Manifest | None, donnees: dict[str, str], parties: dict[str, PartEntry]
) -> Changes:
    """What differs from the previous version: data files, and parts by their wording."""
    if previous is None:
        return Changes(donnees=tuple(sorted(donnees)), parties=tuple(sorted(parties)))
    old_data = {k: v.sha256 for k, v in previous.donnees.items()}
    old_parts = {k: v.html.sha256 for k, v in previous.parties.items()}
    new_parts = {k: v.html.sha256 for k, v in parties.items()}
    return Changes(donnees=_differing(old_data, donnees), parties=_differing(old_parts, new_parts))


def _differing(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))
