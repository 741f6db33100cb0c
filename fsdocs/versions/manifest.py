"""A version's manifest, typed: what ``manifest.json`` holds, validated when read.

The file stays the plain JSON it always was (sorted keys, two-space indent, UTF-8), so that
``sha256sum -c manifest.sha256`` still checks it and a diff still reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from fsdocs.errors import VersionError
from fsdocs.versions.store import MANIFEST, STORE, StoredFile, folder, sha256

FORMAT = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class PartEntry(_Frozen):
    """One part as recorded: where it belongs, its wording (HTML, text) and its PDF."""

    titre: str
    annexe: int | None
    structure: str | None
    html: StoredFile
    texte: StoredFile
    pdf: StoredFile


class Link(_Frozen):
    """The previous version, which this one's manifest chains to by its hash."""

    numero: int
    manifest_sha256: str


class Changes(_Frozen):
    """What differs from the previous version: data files, and parts by their wording."""

    donnees: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


class Manifest(_Frozen):
    format: int
    numero: int
    date: str
    auteur: str
    message: str
    fsdocs: str
    precedente: Link | None
    donnees: dict[str, StoredFile]
    parties: dict[str, PartEntry]
    modifications: Changes = Changes()

    def dumps(self) -> str:
        """The manifest's text, as written to ``manifest.json``."""
        data = self.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_manifest(store: Path, number: int) -> tuple[Manifest, str]:
    """The manifest of version ``number`` and the SHA-256 of its bytes."""
    path = store / folder(number) / MANIFEST
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VersionError(
            f"{STORE}/{folder(number)}/{MANIFEST} illisible ({exc.strerror or exc}) : "
            "lancez « fsdocs verifier »"
        ) from None
    return parse(raw, number), sha256(raw)


def parse(raw: bytes, number: int) -> Manifest:
    """The manifest of version ``number`` from its bytes; VersionError if it is not one."""
    shown = f"{STORE}/{folder(number)}/{MANIFEST}"
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise VersionError(f"{shown} illisible : lancez « fsdocs verifier »") from None
        where = ".".join(str(p) for p in first["loc"]) or "(racine)"
        raise VersionError(
            f"{shown} incomplet ou mal formé (champ « {where} ») : lancez « fsdocs verifier »"
        ) from None
