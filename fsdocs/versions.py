"""The version store: every recorded state of the convention and its annexes, kept for good.

Layout, under ``<project>/versions/`` (plain files that diff well in version control)::

    donnees/<sha256>.yaml      each YAML file of the project, stored once whatever its version
    0001/manifest.json         number, date, author, message, and the SHA-256 of every file
    0001/manifest.sha256       the manifest's own hash (``sha256sum -c`` reads it)
    0001/texte/<part>.html     the typographied wording of each part, and its plain text (.txt)
    0001/pdf/<part>.pdf        the PDF of each part

A version is written once and never touched again: it is assembled in a temporary folder and
renamed into place under an exclusive lock, so two recordings at once get two numbers and a
crash leaves no half-written version behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .document import Paragraph, Table, blocks
from .errors import FsdocsError

STORE = "versions"
DATA = "donnees"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
LOCK = ".lock"
FORMAT = 1
LOCK_TIMEOUT = 30.0  # seconds a recording waits for another one to finish
_NUMBER = re.compile(r"^\d{4}$")
# Folders of a project that hold no data of the documents.
_NOT_DATA = {STORE, "output"}


class VersionError(FsdocsError):
    """The version store cannot be read or written, or another recording holds it."""


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
class Verification:
    versions: int
    fichiers: int
    problemes: tuple[str, ...]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_version(
    root: Path, author: str | None, message: str, timeout: float = LOCK_TIMEOUT
) -> Version:
    """Render every part of the project at ``root`` and store it as the next version."""
    from .build import Renderer
    from .context import get_context
    from .parts import all_parts
    from .project import load_project

    if not message.strip():
        raise VersionError("message vide : dites en une phrase ce que cette version change (-m)")
    project = load_project(root)
    ctx = get_context(project)
    renderer = Renderer(project, ctx)
    # Rendering is the slow part: done before taking the lock, so a concurrent recording
    # waits only for the few writes below.
    rendered: dict[str, tuple[str, dict[str, bytes]]] = {}
    for part in all_parts(project, ctx):
        fragment = renderer.fragment(part)
        _, pdf = renderer.page(part, fragment)
        rendered[part.name] = (part.titre, _part_files(part.name, fragment, pdf))
    data = _data_files(project.root)
    store = project.root / STORE
    store.mkdir(exist_ok=True)
    with _locked(store, timeout):
        return _write_version(store, author or _default_author(), message.strip(), data, rendered)


def _part_files(name: str, fragment: str, pdf: bytes) -> dict[str, bytes]:
    return {
        "html": fragment.encode(),
        "texte": plain_text(fragment).encode(),
        "pdf": pdf,
    }


_PATHS = {"html": "texte/{}.html", "texte": "texte/{}.txt", "pdf": "pdf/{}.pdf"}


def plain_text(fragment: str) -> str:
    """The wording as plain text: one line per paragraph, table cells separated by « | »."""
    lines: list[str] = []
    for block in blocks(fragment):
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = (" / ".join(p.text for p in cell.paragraphs) for cell in row.cells)
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def _data_files(root: Path) -> dict[str, bytes]:
    """Every YAML file of the project, by its path relative to the project."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root)
        top = relative.parts[0]
        if top in _NOT_DATA or any(p.startswith(".") for p in relative.parts):
            continue
        found[relative.as_posix()] = path.read_bytes()
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


@contextlib.contextmanager
def _locked(store: Path, timeout: float) -> Iterator[None]:
    fd = os.open(store / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise VersionError(
                        f"une autre commande « fsdocs version » enregistre déjà une version "
                        f"(verrou {STORE}/{LOCK} tenu depuis plus de {timeout:.0f} s) ; "
                        "réessayez quand elle aura fini"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def version_numbers(store: Path) -> list[int]:
    if not store.is_dir():
        return []
    return sorted(int(p.name) for p in store.iterdir() if _NUMBER.match(p.name) and p.is_dir())


def _write_version(
    store: Path,
    author: str,
    message: str,
    data: dict[str, bytes],
    rendered: dict[str, tuple[str, dict[str, bytes]]],
) -> Version:
    numbers = version_numbers(store)
    number = (numbers[-1] if numbers else 0) + 1
    if number > 9999:
        raise VersionError("le registre des versions est plein (9999 versions)")
    previous = _read_manifest(store, numbers[-1]) if numbers else None
    blobs = store / DATA
    blobs.mkdir(exist_ok=True)
    donnees: dict[str, dict[str, str]] = {}
    for name, content in data.items():
        digest = sha256(content)
        _store_blob(blobs, digest, content)
        donnees[name] = {"fichier": f"{DATA}/{digest}.yaml", "sha256": digest}
    parties: dict[str, dict[str, Any]] = {}
    target = store / f"{number:04d}"
    tmp = Path(tempfile.mkdtemp(prefix=".nouvelle-", dir=store))
    try:
        for name, (titre, files) in rendered.items():
            entry: dict[str, Any] = {"titre": titre}
            for kind, content in files.items():
                relative = _PATHS[kind].format(name)
                _write_new(tmp / relative, content)
                entry[kind] = {"fichier": relative, "sha256": sha256(content)}
            parties[name] = entry
        changes = _changes(previous, donnees, parties)
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
        _write_new(tmp / MANIFEST, text.encode())
        _write_new(tmp / MANIFEST_HASH, f"{sha256(text.encode())}  {MANIFEST}\n".encode())
        tmp.chmod(0o755)
        if target.exists():  # cannot happen under the lock; never replace a version
            raise VersionError(f"{STORE}/{target.name} existe déjà : rien n’a été écrit")
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(store)
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


def _store_blob(blobs: Path, digest: str, content: bytes) -> None:
    """Store ``content`` under its hash unless already there (and intact)."""
    path = blobs / f"{digest}.yaml"
    if path.exists():
        if sha256(path.read_bytes()) != digest:
            raise VersionError(
                f"{STORE}/{DATA}/{path.name} a été modifié : lancez « fsdocs verify »"
            )
        return
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


def _write_new(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:  # "x": refuse to overwrite
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o444)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_manifest(store: Path, number: int) -> tuple[dict[str, Any], str]:
    path = store / f"{number:04d}" / MANIFEST
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise VersionError(
            f"{STORE}/{number:04d}/{MANIFEST} illisible ({exc}) : lancez « fsdocs verify »"
        ) from None
    if not isinstance(manifest, dict):
        raise VersionError(f"{STORE}/{number:04d}/{MANIFEST} : objet JSON attendu")
    return manifest, sha256(raw)


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
    """The recorded versions, oldest first (hashes are checked by :func:`verify`)."""
    store = root / STORE
    found = []
    for number in version_numbers(store):
        manifest, _ = _read_manifest(store, number)
        try:
            found.append(_version(store / f"{number:04d}", manifest))
        except (KeyError, TypeError, ValueError):
            raise VersionError(
                f"{STORE}/{number:04d}/{MANIFEST} incomplet : lancez « fsdocs verify »"
            ) from None
    return found


def verify(root: Path) -> Verification:
    """Re-hash every stored file; name each one altered or missing."""
    store = root / STORE
    problems: list[str] = []
    checked: set[str] = set()
    previous_hash: str | None = None
    numbers = version_numbers(store)
    for expected_number, number in enumerate(numbers, start=1):
        folder = f"{STORE}/{number:04d}"
        if number != expected_number:
            problems.append(f"{folder} : numéro inattendu (version {expected_number} absente)")
        manifest_hash = _check_manifest(store / f"{number:04d}", folder, problems)
        checked.add(f"{folder}/{MANIFEST}")
        if manifest_hash is None:
            previous_hash = None
            continue
        manifest = json.loads((store / f"{number:04d}" / MANIFEST).read_bytes())
        link = manifest.get("precedente")
        if (
            previous_hash is not None
            and isinstance(link, dict)
            and link.get("manifest_sha256") != previous_hash
        ):
            problems.append(
                f"{STORE}/{number - 1:04d}/{MANIFEST} : ne correspond plus à celui que la "
                f"version {number} a enregistré"
            )
        previous_hash = manifest_hash
        for entry in manifest.get("donnees", {}).values():
            _check_file(store, entry, f"{STORE}/", checked, problems)
        for part in manifest.get("parties", {}).values():
            for kind in _PATHS:
                _check_file(
                    store / f"{number:04d}", part.get(kind), f"{folder}/", checked, problems
                )
    return Verification(len(numbers), len(checked), tuple(problems))


def _check_manifest(folder: Path, name: str, problems: list[str]) -> str | None:
    """The manifest's hash when it is intact and readable, else None (problem recorded)."""
    manifest = folder / MANIFEST
    recorded = folder / MANIFEST_HASH
    if not manifest.is_file():
        problems.append(f"{name}/{MANIFEST} : fichier absent")
        return None
    raw = manifest.read_bytes()
    try:
        expected = recorded.read_text("ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        problems.append(f"{name}/{MANIFEST_HASH} : fichier absent ou illisible")
        return None
    if sha256(raw) != expected:
        problems.append(
            f"{name}/{MANIFEST} : modifié (SHA-256 attendu dans {MANIFEST_HASH} : "
            f"{expected[:12]}…, trouvé {sha256(raw)[:12]}…)"
        )
        return None
    try:
        if not isinstance(json.loads(raw), dict):
            raise ValueError
    except ValueError:
        problems.append(f"{name}/{MANIFEST} : JSON illisible")
        return None
    return expected


def _check_file(
    base: Path, entry: Any, prefix: str, checked: set[str], problems: list[str]
) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("fichier"), str):
        problems.append(f"{prefix}{MANIFEST} : entrée de fichier mal formée")
        return
    relative = entry["fichier"]
    name = prefix + relative
    if name in checked:
        return
    checked.add(name)
    path = base / relative
    if not path.resolve().is_relative_to(base.resolve()):
        problems.append(f"{name} : chemin hors du registre des versions")
        return
    if not path.is_file():
        problems.append(f"{name} : fichier absent")
        return
    found = sha256(path.read_bytes())
    if found != entry.get("sha256"):
        problems.append(
            f"{name} : modifié (SHA-256 attendu {str(entry.get('sha256'))[:12]}…, "
            f"trouvé {found[:12]}…)"
        )
