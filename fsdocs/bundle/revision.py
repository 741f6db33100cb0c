"""Which recorded versions a bundle presents and compares.

The bundle presents the current files. When they are exactly a recorded version (the usual
case: a manager records version 2, then builds the bundle to sign), it names that version and
compares it with the one before; when they differ from the last version, it says so and
compares them with that last version. ``--depuis N`` compares with version N instead (the last
signed one, say). Each piece of the cover is named by the version its current text dates from.
"""

from __future__ import annotations

from dataclasses import dataclass

from fsdocs.changes.compare import Comparison, compare
from fsdocs.errors import VersionError
from fsdocs.project.project import Project
from fsdocs.versions.manifest import Manifest
from fsdocs.versions.record import (
    Snapshot,
    current_snapshot,
    manifests,
    stored_snapshot,
    version_number,
)
from fsdocs.versions.store import sha256
from fsdocs.wording.texts import PartText

UNRECORDED = "non enregistrée"


@dataclass(frozen=True)
class Revision:
    presente: Snapshot  # the state the bundle shows: a version, or the current files
    derniere: int  # the last recorded version
    comparison: Comparison | None  # None when there is no earlier version to compare with
    pieces: dict[str, str]  # part name or data file → « version 2 » or « non enregistrée »


def revision(project: Project, texts: list[PartText], depuis: str | None) -> Revision | None:
    """What the bundle of ``project`` (whose parts read ``texts``) says of its versions;
    None when no version was ever recorded."""
    root = project.root
    recorded = manifests(root)  # the chain, checked whole before anything is read
    numbers = [m.numero for m in recorded]
    if not numbers:
        if depuis is not None:
            raise VersionError(
                "--depuis : aucune version enregistrée ; « fsdocs version -m MESSAGE » "
                "enregistre la première"
            )
        return None
    current = current_snapshot(project, texts)
    last = stored_snapshot(root, numbers[-1])
    same = _same(last, current)
    presente = last if same else current
    if depuis is not None:
        number = version_number(root, depuis)
        if number is None:
            raise VersionError("--depuis attend un numéro de version (par exemple 1 ou v1)")
        reference: Snapshot | None = stored_snapshot(root, number)
    elif same:
        reference = stored_snapshot(root, numbers[-2]) if len(numbers) > 1 else None
    else:
        reference = last
    comparison = compare(reference, presente) if reference is not None else None
    return Revision(presente, numbers[-1], comparison, _pieces(recorded, current))


def _same(stored: Snapshot, current: Snapshot) -> bool:
    return stored.donnees == current.donnees and {
        n: t.empreinte for n, t in stored.parties.items()
    } == {n: t.empreinte for n, t in current.parties.items()}


def _pieces(recorded: list[Manifest], current: Snapshot) -> dict[str, str]:
    """For each part and data file: the oldest version from which it reads as it does now."""
    now = {n: t.empreinte for n, t in current.parties.items()}
    now |= {n: sha256(c) for n, c in current.donnees.items()}
    since: dict[str, str] = {}
    unchanged = set(now)
    for manifest in reversed(recorded):
        hashes = {n: e.html.sha256 for n, e in manifest.parties.items()}
        hashes |= {n: e.sha256 for n, e in manifest.donnees.items()}
        unchanged = {n for n in unchanged if hashes.get(n) == now[n]}
        for name in unchanged:
            since[name] = f"version {manifest.numero}"
        if not unchanged:
            break
    return {name: since.get(name, UNRECORDED) for name in now}
