"""``fsdocs verifier``: re-hash every file of the version store and name each one altered or
missing — data blobs, rendered texts and PDFs, manifests, and the chain between manifests —
and every document of ``output/`` against the digest its production recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import VersionError
from fsdocs.files.write import OUTPUT, read_digests
from fsdocs.versions.manifest import Manifest, parse
from fsdocs.versions.store import (
    MANIFEST,
    MANIFEST_HASH,
    STORE,
    StoredFile,
    folder,
    sha256,
    version_numbers,
)


@dataclass(frozen=True)
class Verification:
    versions: int
    fichiers: int
    problemes: tuple[str, ...]


def verify(root: Path) -> Verification:
    """Re-hash every stored file; name each one altered or missing."""
    store = root / STORE
    problems: list[str] = []
    checked: set[str] = set()
    previous_hash: str | None = None
    numbers = version_numbers(store)
    for expected_number, number in enumerate(numbers, start=1):
        shown = f"{STORE}/{folder(number)}"
        if number != expected_number:
            problems.append(f"{shown} : numéro inattendu (version {expected_number} absente)")
        read = _check_manifest(store / folder(number), number, shown, problems)
        checked.add(f"{shown}/{MANIFEST}")
        if read is None:
            previous_hash = None
            continue
        manifest, manifest_hash = read
        link = manifest.precedente
        if previous_hash is not None and link is not None and link.manifest_sha256 != previous_hash:
            problems.append(
                f"{STORE}/{folder(number - 1)}/{MANIFEST} : ne correspond plus à celui que la "
                f"version {number} a enregistré"
            )
        previous_hash = manifest_hash
        for entry in manifest.donnees.values():
            _check_file(store, entry, f"{STORE}/", checked, problems)
        for part in manifest.parties.values():
            for stored in (part.html, part.texte, part.pdf):
                _check_file(store / folder(number), stored, f"{shown}/", checked, problems)
    _check_documents(root, checked, problems)
    return Verification(len(numbers), len(checked), tuple(problems))


def _check_documents(root: Path, checked: set[str], problems: list[str]) -> None:
    """The documents of ``output/`` against the digests their production recorded."""
    out = root / OUTPUT
    for name, digests in read_digests(out).items():
        shown = f"{OUTPUT}/{name}"
        path = out / name
        if not path.is_file() or not path.resolve().is_relative_to(out.resolve()):
            problems.append(f"{shown} : fichier absent (relancez « fsdocs produire »)")
            continue
        checked.add(shown)
        found = sha256(path.read_bytes())
        if found not in digests:
            problems.append(
                f"{shown} : modifié depuis sa production (SHA-256 attendu {digests[-1][:12]}…, "
                f"trouvé {found[:12]}…)"
            )


def _check_manifest(
    directory: Path, number: int, shown: str, problems: list[str]
) -> tuple[Manifest, str] | None:
    """The manifest and its hash when it is intact and well formed, else None (problem
    recorded)."""
    manifest = directory / MANIFEST
    recorded = directory / MANIFEST_HASH
    if not manifest.is_file():
        problems.append(f"{shown}/{MANIFEST} : fichier absent")
        return None
    raw = manifest.read_bytes()
    try:
        expected = recorded.read_text("ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        problems.append(f"{shown}/{MANIFEST_HASH} : fichier absent ou illisible")
        return None
    if sha256(raw) != expected:
        problems.append(
            f"{shown}/{MANIFEST} : modifié (SHA-256 attendu dans {MANIFEST_HASH} : "
            f"{expected[:12]}…, trouvé {sha256(raw)[:12]}…)"
        )
        return None
    try:
        return parse(raw, number), expected
    except VersionError as exc:
        problems.append(str(exc))
        return None


def _check_file(
    base: Path, entry: StoredFile, prefix: str, checked: set[str], problems: list[str]
) -> None:
    relative = entry.fichier
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
    if found != entry.sha256:
        problems.append(
            f"{name} : modifié (SHA-256 attendu {entry.sha256[:12]}…, trouvé {found[:12]}…)"
        )
