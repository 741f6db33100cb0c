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
half-written version behind. A :class:`Snapshot` is one state, stored or current, as the
diffs and the bundle compare them.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fsdocs import __version__
from fsdocs.errors import ProjectError, VersionError
from fsdocs.versions.store import (
    DATA,
    LOCK_TIMEOUT,
    MANIFEST,
    MANIFEST_HASH,
    STORE,
    folder,
    fsync_dir,
    locked,
    read_manifest,
    read_stored,
    sha256,
    store_blob,
    version_numbers,
    write_new,
)
from fsdocs.wording.texts import PartText

if TYPE_CHECKING:
    from fsdocs.project.project import Project
    from fsdocs.wording.parts import Part

FORMAT = 1
CURRENT = "actuel"
# Folders of a project that hold no data of the documents.
_NOT_DATA = {STORE, "output"}
_PATHS = {"html": "texte/{}.html", "texte": "texte/{}.txt", "pdf": "pdf/{}.pdf"}
_SPEC = re.compile(r"^v?(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Version:
    numero: int
    date: str
    auteur: str
    message: str
    path: Path
    parties: tuple[str, ...]
    modifiees: tuple[str, ...]  # parts changed, added or removed since the previous version
    donnees_modifiees: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    """One state of the project: a recorded version, or the current files."""

    nom: str  # « version 2 », « état actuel »
    numero: int | None  # None for the current state
    date: str | None
    parties: dict[str, PartText]
    donnees: dict[str, bytes] = field(repr=False)  # data files by path relative to the project
    courant: Project | None = field(default=None, repr=False)  # loaded, for the current state

    def project(self) -> Project:
        """The project as it was loaded then (a stored version is laid out in a temporary
        folder: the data files are all a project needs to load)."""
        from fsdocs.rules.checked import load_project

        if self.courant is not None:
            return self.courant
        with tempfile.TemporaryDirectory(prefix="fsdocs-version-") as tmp:
            for relative, content in self.donnees.items():
                path = Path(tmp, relative)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            try:
                return load_project(Path(tmp))
            except ProjectError as exc:
                first = next((str(p) for p in exc.problems), str(exc))
                raise VersionError(
                    f"{self.nom} : ses données ne se chargent plus avec cette version de fsdocs "
                    f"({first})"
                ) from None


def current_snapshot(project: Project, texts: list[PartText]) -> Snapshot:
    return Snapshot(
        "état actuel",
        None,
        None,
        {t.name: t for t in texts},
        data_files(project),
        project,
    )


# What recording needs of production: each part with its files (html, texte, pdf).
Render = Callable[["Project"], Mapping[str, tuple["Part", Mapping[str, bytes]]]]


def record_version(
    root: Path, author: str | None, message: str, render: Render, timeout: float = LOCK_TIMEOUT
) -> Version:
    """Store the project at ``root`` as the next version: its data files, and the documents
    ``render`` makes of it (the store knows files and hashes, not how they were made)."""
    from fsdocs.rules.checked import load_project

    if not message.strip():
        raise VersionError("message vide : dites en une phrase ce que cette version change (-m)")
    project = load_project(root)
    # Rendering is the slow part: done before taking the lock, so a concurrent recording
    # waits only for the few writes below.
    rendered = {name: (part, dict(files)) for name, (part, files) in render(project).items()}
    data = data_files(project)
    store = project.root / STORE
    store.mkdir(exist_ok=True)
    with locked(store, timeout):
        _remove_leftovers(store)
        return _write_version(store, author or _default_author(), message.strip(), data, rendered)


def _remove_leftovers(store: Path) -> None:
    """What a recording killed half-way left: its unfinished version folder and data files
    (never a numbered version: those appear whole, by one rename). Called with the lock held."""
    for leftover in store.glob(".nouvelle-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in (store / DATA).glob(".nouveau-*"):
        leftover.unlink(missing_ok=True)


def data_files(project: Project) -> dict[str, bytes]:
    """Every YAML file of the project and every national PDF it names, by relative path."""
    root = project.root
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root)
        if relative.parts[0] in _NOT_DATA or any(p.startswith(".") for p in relative.parts):
            continue
        found[relative.as_posix()] = path.read_bytes()
    for annex in project.convention.annexes:
        if annex.fichier:  # load_project checked it is a PDF inside the project
            path = (root / annex.fichier).resolve()
            found[path.relative_to(root.resolve()).as_posix()] = path.read_bytes()
    return found


def _default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).isoformat()
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _write_version(
    store: Path,
    author: str,
    message: str,
    data: dict[str, bytes],
    rendered: dict[str, tuple[Part, dict[str, bytes]]],
) -> Version:
    numbers = version_numbers(store)
    number = (numbers[-1] if numbers else 0) + 1
    if number > 9999:
        raise VersionError("le registre des versions est plein (9999 versions)")
    previous = read_manifest(store, numbers[-1]) if numbers else None
    donnees = {name: {"sha256": sha256(content)} for name, content in data.items()}
    parties = {
        name: {
            "titre": part.titre,
            "annexe": part.annexe,
            "structure": part.structure,
            **{
                kind: {"fichier": _PATHS[kind].format(name), "sha256": sha256(content)}
                for kind, content in files.items()
            },
        }
        for name, (part, files) in rendered.items()
    }
    changes = _changes(previous, donnees, parties)
    if previous is not None and not changes["donnees"] and not changes["parties"]:
        raise VersionError(
            f"rien n’a changé depuis la version {numbers[-1]} (données et documents "
            "identiques) : aucune version enregistrée"
        )
    blobs = store / DATA
    blobs.mkdir(exist_ok=True)
    for name, content in data.items():
        stored = store_blob(blobs, donnees[name]["sha256"], Path(name).suffix, content)
        donnees[name]["fichier"] = f"{DATA}/{stored}"
    target = store / folder(number)
    tmp = Path(tempfile.mkdtemp(prefix=".nouvelle-", dir=store))
    try:
        for name, (_, files) in rendered.items():
            for kind, content in files.items():
                write_new(tmp / _PATHS[kind].format(name), content)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "numero": number,
            "date": _now(),
            "auteur": author,
            "message": message,
            "fsdocs": __version__,
            "precedente": None
            if previous is None
            else {"numero": number - 1, "manifest_sha256": previous[1]},
            "donnees": donnees,
            "parties": parties,
            "modifications": changes,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_new(tmp / MANIFEST, text.encode())
        write_new(tmp / MANIFEST_HASH, f"{sha256(text.encode())}  {MANIFEST}\n".encode())
        tmp.chmod(0o755)
        if target.exists():  # cannot happen under the lock; never replace a version
            raise VersionError(f"{STORE}/{target.name} existe déjà : rien n’a été écrit")
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(store)
    return _version(target, manifest)


def _changes(
    previous: tuple[dict[str, Any], str] | None,
    donnees: dict[str, dict[str, str]],
    parties: dict[str, dict[str, Any]],
) -> dict[str, list[str]]:
    """What differs from the previous version: data files, and parts by their wording."""
    if previous is None:
        return {"donnees": sorted(donnees), "parties": sorted(parties)}
    old_data = {k: v["sha256"] for k, v in previous[0]["donnees"].items()}
    old_parts = {k: v["html"]["sha256"] for k, v in previous[0]["parties"].items()}
    new_data = {k: v["sha256"] for k, v in donnees.items()}
    new_parts = {k: v["html"]["sha256"] for k, v in parties.items()}
    return {"donnees": _differing(old_data, new_data), "parties": _differing(old_parts, new_parts)}


def _differing(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def _version(path: Path, manifest: dict[str, Any]) -> Version:
    changes = manifest.get("modifications", {})
    return Version(
        numero=int(manifest["numero"]),
        date=str(manifest["date"]),
        auteur=str(manifest["auteur"]),
        message=str(manifest["message"]),
        path=path,
        parties=tuple(sorted(manifest["parties"])),
        modifiees=tuple(changes.get("parties", ())),
        donnees_modifiees=tuple(changes.get("donnees", ())),
    )


def history(root: Path) -> list[Version]:
    """The recorded versions, oldest first (hashes are checked by ``fsdocs verifier``)."""
    store = root / STORE
    found = []
    for number in version_numbers(store):
        manifest, _ = read_manifest(store, number)
        try:
            found.append(_version(store / folder(number), manifest))
        except (KeyError, TypeError, ValueError):
            raise VersionError(
                f"{STORE}/{folder(number)}/{MANIFEST} incomplet : lancez « fsdocs verifier »"
            ) from None
    return found


def stored_snapshot(root: Path, number: int) -> Snapshot:
    """Version ``number`` as recorded: its texts and data files, each checked on reading."""
    store = root / STORE
    known = version_numbers(store)
    if number not in known:
        raise VersionError(
            f"version {number} inconnue ; "
            + (
                f"versions enregistrées : 1 à {known[-1]}"
                if known
                else "aucune version enregistrée"
            )
        )
    manifest, _ = read_manifest(store, number)
    base = folder(number)
    try:
        parties = {
            name: PartText(
                name,
                str(entry["titre"]),
                entry.get("annexe"),
                entry.get("structure"),
                read_stored(store, entry["texte"], base).decode(),
                str(entry["html"]["sha256"]),
            )
            for name, entry in manifest["parties"].items()
        }
        donnees = {name: read_stored(store, entry) for name, entry in manifest["donnees"].items()}
        return Snapshot(f"version {number}", number, str(manifest["date"]), parties, donnees)
    except (KeyError, TypeError, AttributeError):
        raise VersionError(
            f"{STORE}/{base}/{MANIFEST} incomplet : lancez « fsdocs verifier »"
        ) from None


def version_number(root: Path, spec: str) -> int | None:
    """The version a user named (« 2 », « v2 », « 0002 »), or None for « actuel »."""
    text = spec.strip()
    if text.casefold() in {CURRENT, "courant", "courante", "actuelle"}:
        return None
    match = _SPEC.match(text)
    if match is None:
        raise VersionError(
            f"« {spec} » : numéro de version attendu (par exemple 2 ou v2), ou « {CURRENT} »"
        )
    return int(match.group(1))
