"""The chain of versions, and its head: what makes the store tamper-evident.

Each manifest records the SHA-256 of the previous one (``precedente``), and the head record,
``versions/tete.json``, holds the number and manifest hash of the last version. So:

- a manifest edited without re-hashing fails its own ``manifest.sha256``;
- edited and re-hashed, it no longer matches what the next version (or the head) recorded;
- two versions swapped, renumbered or one deleted break the numbering or the links;
- the last version deleted or replaced no longer matches the head.

Every command that reads versions reads them through :func:`checked_chain`, which refuses a
broken chain before any stored path or text is used. What the chain cannot show, without the
optional key (:mod:`fsdocs.versions.seal`), is a rewrite of the whole store, head included, by
someone allowed to write the project's folder: backups and permissions guard against that.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from fsdocs.errors import VersionError
from fsdocs.versions.head import HEAD, MAX_MANIFEST_BYTES, read_head, read_regular
from fsdocs.versions.manifest import Manifest, parse
from fsdocs.versions.seal import seal_problem
from fsdocs.versions.store import MANIFEST, MANIFEST_HASH, STORE, folder, sha256, store_dir

_HASH_LINE = re.compile(r"^([0-9a-f]{64})  manifest\.json\n$")
_NUMBERED = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Link:
    """A version as the chain knows it: its manifest, and the hash of the manifest's bytes."""

    numero: int
    manifest: Manifest
    sha256: str


def chain_problems(store: Path, sealed: bool = True) -> tuple[list[Link], list[str]]:
    """The versions whose manifests are intact and chained, and what is wrong with the rest
    (the head's seal too, unless ``sealed`` is False: when it is about to be sealed)."""
    problems: list[str] = []
    links: list[Link] = []
    store_dir(store.parent)
    numbers = _numbered(store, problems)
    previous: Link | None = None
    for expected, number in enumerate(numbers, start=1):
        shown = f"{STORE}/{folder(number)}"
        if number != expected:
            problems.append(
                f"{shown} : numéro inattendu, la version {expected} manque (supprimée ou "
                "renumérotée)"
            )
            previous = None
            break
        link = _link(store, number, problems)
        if link is None:
            previous = None
            continue
        chained = link.manifest.precedente
        if (
            previous is not None
            and chained is not None
            and chained.manifest_sha256 != previous.sha256
        ):
            problems.append(
                f"{STORE}/{folder(number - 1)}/{MANIFEST} : ne correspond plus à celui que la "
                f"version {number} a enregistré (version {number - 1} modifiée ou remplacée)"
            )
        links.append(link)
        previous = link
    _check_head(store, numbers, links, problems, sealed)
    return links, problems


def checked_chain(store: Path) -> list[Link]:
    """Every version, oldest first, once the whole chain is found intact; VersionError
    otherwise, naming what differs (``fsdocs verifier`` lists everything)."""
    links, problems = chain_problems(store)
    if problems:
        more = f" (et {len(problems) - 1} autre(s) problème(s))" if len(problems) > 1 else ""
        raise VersionError(
            f"registre des versions altéré : {problems[0]}{more} ; aucune version n’est lue "
            "tant qu’il ne l’est pas : lancez « fsdocs verifier » pour la liste complète, et "
            "restaurez versions/ depuis une sauvegarde"
        )
    return links


def _numbered(store: Path, problems: list[str]) -> list[int]:
    """The numbered entries of the store (each must be a real folder, not a link)."""
    try:
        entries = list(os.scandir(store))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise VersionError(f"{STORE}/ illisible ({exc.strerror})") from None
    numbers: list[int] = []
    for entry in entries:
        if not _NUMBERED.match(entry.name):
            continue
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            problems.append(f"{STORE}/{entry.name} : n’est pas un dossier de version")
            continue
        numbers.append(int(entry.name))
    return sorted(numbers)


def _link(store: Path, number: int, problems: list[str]) -> Link | None:
    shown = f"{STORE}/{folder(number)}"
    try:
        raw = read_regular(store / folder(number) / MANIFEST, MAX_MANIFEST_BYTES)
        recorded = read_regular(store / folder(number) / MANIFEST_HASH, 1024)
    except VersionError as exc:
        problems.append(str(exc))
        return None
    match = _HASH_LINE.match(recorded.decode("ascii", "replace"))
    if match is None:
        problems.append(f"{shown}/{MANIFEST_HASH} : vide ou mal formé")
        return None
    if sha256(raw) != match.group(1):
        problems.append(
            f"{shown}/{MANIFEST} : modifié (SHA-256 attendu dans {MANIFEST_HASH} : "
            f"{match.group(1)[:12]}…, trouvé {sha256(raw)[:12]}…)"
        )
        return None
    try:
        manifest = parse(raw, number)
    except VersionError as exc:
        problems.append(str(exc))
        return None
    if manifest.numero != number:
        problems.append(
            f"{shown}/{MANIFEST} : enregistré comme version {manifest.numero}, rangé comme "
            f"version {number} (versions échangées ou renumérotées)"
        )
        return None
    return Link(number, manifest, match.group(1))


def _check_head(
    store: Path, numbers: list[int], links: list[Link], problems: list[str], sealed: bool
) -> None:
    try:
        head = read_head(store)
    except VersionError as exc:
        problems.append(str(exc))
        return
    last = numbers[-1] if numbers else 0
    if head is None:
        if numbers:
            problems.append(
                f"{STORE}/{HEAD} : absent alors que {len(numbers)} version(s) sont enregistrées"
            )
        return
    if head.numero != last:
        problems.append(
            f"{STORE}/{HEAD} : la dernière version enregistrée est la {head.numero}, le registre "
            f"s’arrête à la {last} (version supprimée ou ajoutée hors de fsdocs)"
        )
        return
    found = next((link for link in links if link.numero == last), None)
    if found is not None and found.sha256 != head.manifest_sha256:
        problems.append(
            f"{STORE}/{folder(last)}/{MANIFEST} : ne correspond plus à celui que {STORE}/{HEAD} "
            f"a enregistré (version {last} modifiée ou remplacée)"
        )
        return
    wrong = seal_problem(store, head) if sealed else None
    if wrong is not None:
        problems.append(wrong)
