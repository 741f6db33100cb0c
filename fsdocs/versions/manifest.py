"""A version's manifest, typed: what ``manifest.json`` holds, validated when read.

The file stays the plain JSON it always was (sorted keys, two-space indent, UTF-8), so that
``sha256sum -c manifest.sha256`` still checks it and a diff still reads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from fsdocs.errors import VersionError
from fsdocs.versions.store import DATA, MANIFEST, STORE, StoredFile, folder, sha256

FORMAT = 1
# A part's name becomes a file name in the version and in output/: plain, lower-case ASCII.
_PART = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")
_DATA_SUFFIXES = (".yaml", ".pdf")
_PRODUCED = ("output", STORE)  # folders of a project that hold no data of its documents
PART_FILES = {"html": "texte/{}.html", "texte": "texte/{}.txt", "pdf": "pdf/{}.pdf"}


def data_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a data file of a version (None if it can): it must be a
    normalised path relative to the project, to a YAML or PDF file outside what fsdocs writes."""
    parts = PurePosixPath(name).parts
    if (
        not name
        or "\\" in name
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
        or name.startswith("/")
        or PurePosixPath(name).as_posix() != name
        or any(p in (".", "..") or p.startswith(".") for p in parts)
        or len(parts) > 8
        or len(name) > 400
    ):
        return "chemin non relatif ou non normalisé"
    if parts[0] in _PRODUCED:
        return f"chemin dans {parts[0]}/"
    if not name.endswith(_DATA_SUFFIXES):
        return "ni YAML ni PDF"
    return None


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

    def files(self) -> dict[str, StoredFile]:
        return {"html": self.html, "texte": self.texte, "pdf": self.pdf}


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

    @field_validator("donnees")
    @classmethod
    def _data_paths(cls, donnees: dict[str, StoredFile]) -> dict[str, StoredFile]:
        """Each data file's name is a safe project path; its blob is the one its hash names."""
        for name, entry in donnees.items():
            why = data_name_problem(name)
            if why is not None:
                raise ValueError(f"fichier de données « {name} » refusé : {why}")
            expected = f"{DATA}/{entry.sha256}{PurePosixPath(name).suffix}"
            if entry.fichier != expected:
                raise ValueError(f"« {name} » : fichier stocké « {entry.fichier} » inattendu")
        return donnees

    @field_validator("parties")
    @classmethod
    def _part_paths(cls, parties: dict[str, PartEntry]) -> dict[str, PartEntry]:
        """Each part's name is a plain file name; its files are where fsdocs puts them."""
        for name, entry in parties.items():
            if not _PART.match(name) or ".." in name:
                raise ValueError(f"nom de document « {name} » refusé")
            for kind, stored in entry.files().items():
                if stored.fichier != PART_FILES[kind].format(name):
                    raise ValueError(f"« {name} » : fichier « {stored.fichier} » inattendu")
        return parties

    @model_validator(mode="after")
    def _chained(self) -> Manifest:
        """Version 1 starts the chain; every later one names the one before it."""
        if not 1 <= self.numero <= 9999:
            raise ValueError(f"numéro {self.numero} hors de 1 à 9999")
        if (self.precedente is None) != (self.numero == 1):
            raise ValueError("lien vers la version précédente absent ou inattendu")
        if self.precedente is not None and self.precedente.numero != self.numero - 1:
            raise ValueError(f"la version précédente doit être la {self.numero - 1}")
        return self

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
        if first["type"] == "value_error":
            reason = str(first.get("ctx", {}).get("error", first["msg"]))
            raise VersionError(
                f"{shown} refusé (champ « {where} » : {reason}) : lancez « fsdocs verifier »"
            ) from None
        raise VersionError(
            f"{shown} incomplet ou mal formé (champ « {where} ») : lancez « fsdocs verifier »"
        ) from None
