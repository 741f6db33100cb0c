"""``fsdocs verifier``: re-hash every file of the version store and name each one altered or
missing — data blobs, rendered texts and PDFs, manifests, and the chain between manifests —
and every document of ``output/`` against the digest its production recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import OutputError, UnreadableFileError, VersionError
from fsdocs.files.read import Kind, read_file
from fsdocs.files.write import DIGESTS, OUTPUT, output_name, read_digests
from fsdocs.project.project import find_root
from fsdocs.versions.chain import chain_problems
from fsdocs.versions.head import HEAD, head_bytes, read_head
from fsdocs.versions.seal import KEY_VARIABLE, key, seal
from fsdocs.versions.store import (
    LOCK_TIMEOUT,
    MANIFEST,
    STORE,
    StoredFile,
    folder,
    fsync_dir,
    locked,
    sha256,
    write_new,
)


@dataclass(frozen=True)
class Verification:
    versions: int
    fichiers: int
    problemes: tuple[str, ...]


def verify(root: Path, sealed: bool = True) -> Verification:
    """Check the chain of manifests and its head, then re-hash every stored file; name each
    one altered, missing or out of place."""
    root = find_root(root)
    store = root / STORE
    checked: set[str] = set()
    links, problems = chain_problems(store, sealed)
    for link in links:
        shown = f"{STORE}/{folder(link.numero)}"
        checked.add(f"{shown}/{MANIFEST}")
        for entry in link.manifest.donnees.values():
            _check_file(store, entry, f"{STORE}/", checked, problems)
        for part in link.manifest.parties.values():
            for stored in part.files().values():
                _check_file(store / folder(link.numero), stored, f"{shown}/", checked, problems)
    _check_documents(root, checked, problems)
    return Verification(len(links), len(checked), tuple(problems))


def seal_store(root: Path) -> int:
    """Seal the head of an intact store with the configured key; the number of versions."""
    root = find_root(root)
    store = root / STORE
    with locked(store, LOCK_TIMEOUT):
        result = verify(root, sealed=False)
        if result.problemes:
            raise VersionError(
                f"registre altéré ({result.problemes[0]}) : il n’est pas scellé ; restaurez "
                "versions/ depuis une sauvegarde"
            )
        head = read_head(store)
        if head is None:
            raise VersionError("aucune version enregistrée : rien à sceller")
        if key(store) is None:
            raise VersionError(
                f"aucune clé configurée : indiquez dans {KEY_VARIABLE} le chemin d’une clé "
                "gardée hors du projet"
            )
        (store / HEAD).unlink()
        write_new(store / HEAD, head_bytes(seal(store, head)))
        fsync_dir(store)
    return result.versions


def _check_documents(root: Path, checked: set[str], problems: list[str]) -> None:
    """The documents of ``output/`` against the digests their production recorded."""
    out = root / OUTPUT
    for name, digests in read_digests(out).items():
        try:
            relative = output_name(name)
        except OutputError as exc:
            problems.append(f"{OUTPUT}/{DIGESTS} : {exc}")
            continue
        shown = f"{OUTPUT}/{relative}"
        try:
            content = read_file(out / relative, Kind.PDF, inside=out, shown=shown)
        except UnreadableFileError as exc:
            problems.append(f"{exc} (relancez « fsdocs produire »)")
            continue
        checked.add(shown)
        found = sha256(content)
        if found not in digests:
            problems.append(
                f"{shown} : modifié depuis sa production (SHA-256 attendu {digests[-1][:12]}…, "
                f"trouvé {found[:12]}…)"
            )


def _check_file(
    base: Path, entry: StoredFile, prefix: str, checked: set[str], problems: list[str]
) -> None:
    relative = entry.fichier
    name = prefix + relative
    if name in checked:
        return
    checked.add(name)
    try:
        content = read_file(base / relative, Kind.PDF, inside=base, shown=name)
    except UnreadableFileError as exc:
        problems.append(str(exc))
        return
    found = sha256(content)
    if found != entry.sha256:
        problems.append(
            f"{name} : modifié (SHA-256 attendu {entry.sha256[:12]}…, trouvé {found[:12]}…)"
        )
