"""States of the project as the diffs and the bundle compare them: a recorded version, read
back from the store and checked, or the current files with their freshly rendered texts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fsdocs.errors import ProjectError, VersionError
from fsdocs.files.read import StoredFiles
from fsdocs.project.project import find_root
from fsdocs.versions.chain import checked_chain
from fsdocs.versions.manifest import Manifest
from fsdocs.versions.store import STORE, folder, read_stored
from fsdocs.wording.texts import PartText

if TYPE_CHECKING:
    from fsdocs.project.project import Project

CURRENT = "actuel"
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

    @classmethod
    def of(cls, path: Path, manifest: Manifest) -> Version:
        return cls(
            numero=manifest.numero,
            date=manifest.date,
            auteur=manifest.auteur,
            message=manifest.message,
            path=path,
            parties=tuple(sorted(manifest.parties)),
            modifiees=manifest.modifications.parties,
            donnees_modifiees=manifest.modifications.donnees,
        )


@dataclass(frozen=True)
class Snapshot:
    """One state of the project: a recorded version, or the current files."""

    nom: str  # « version 2 », « état actuel »
    numero: int | None  # None for the current state
    date: str | None
    parties: dict[str, PartText]
    donnees: dict[str, bytes] = field(repr=False)  # data files by path relative to the project
    courant: Project | None = field(default=None, repr=False)  # loaded, for the current state
    racine: Path | None = field(default=None, repr=False)  # the project, for a stored version

    def project(self) -> Project:
        """The project as it was loaded then: a stored version's data files, read from
        memory (nothing is written anywhere), over the project's own templates."""
        from fsdocs.rules.checked import load_project

        if self.courant is not None:
            return self.courant
        if self.racine is None:
            raise VersionError(f"{self.nom} : projet inconnu")
        try:
            return load_project(self.racine, StoredFiles(self.donnees))
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
        project.data_files(),
        project,
    )


def history(root: Path) -> list[Version]:
    """The recorded versions, oldest first, once their chain is found intact (the files'
    hashes are checked as they are read, and all at once by ``fsdocs verifier``)."""
    store = find_root(root) / STORE
    return [Version.of(store / folder(link.numero), link.manifest) for link in checked_chain(store)]


def manifests(root: Path) -> list[Manifest]:
    """Every version's manifest, oldest first, once their chain is found intact."""
    return [link.manifest for link in checked_chain(root / STORE)]


def stored_snapshot(root: Path, number: int) -> Snapshot:
    """Version ``number`` as recorded: its texts and data files, each checked on reading."""
    store = root / STORE
    chain = {link.numero: link.manifest for link in checked_chain(store)}
    known = sorted(chain)
    if number not in known:
        raise VersionError(
            f"version {number} inconnue ; "
            + (
                f"versions enregistrées : 1 à {known[-1]}"
                if known
                else "aucune version enregistrée"
            )
        )
    manifest = chain[number]
    base = folder(number)
    parties = {
        name: PartText(
            name,
            entry.titre,
            entry.annexe,
            entry.structure,
            _text(read_stored(store, entry.texte, base), f"{STORE}/{base}/{entry.texte.fichier}"),
            entry.html.sha256,
        )
        for name, entry in manifest.parties.items()
    }
    donnees = {name: read_stored(store, entry) for name, entry in manifest.donnees.items()}
    return Snapshot(f"version {number}", number, manifest.date, parties, donnees, racine=root)


def _text(content: bytes, shown: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise VersionError(f"{shown} : texte illisible (pas en UTF-8)") from None


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
