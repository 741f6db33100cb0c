"""The optional seal of the chain: an HMAC of the head, with a key kept outside the project.

Without a key, the chain shows any change to a version that was not carried through every
later manifest and the head; someone who may write the whole folder can still rewrite it all
consistently. With a key (a file named by ``FSDOCS_CLE_REGISTRE``, outside the project, that
only the préfecture's recording accounts can read), the head carries
``HMAC-SHA256(key, "numero:manifest_sha256")``, and such a rewrite is found unless the key
was taken too. A store is sealed at each recording, or at once by ``fsdocs verifier --sceller``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import replace
from pathlib import Path

from fsdocs.errors import UnreadableFileError, VersionError
from fsdocs.files.read import Kind, read_file
from fsdocs.versions.head import HEAD, Head
from fsdocs.versions.store import STORE

KEY_VARIABLE = "FSDOCS_CLE_REGISTRE"
_MIN_KEY_BYTES = 16


def key(store: Path) -> bytes | None:
    """The sealing key, if one is configured; refused when kept inside the project."""
    where = os.environ.get(KEY_VARIABLE)
    if not where:
        return None
    path = Path(where)
    project = store.resolve().parent
    if path.resolve().is_relative_to(project):
        raise VersionError(
            f"{KEY_VARIABLE} : la clé « {where} » est dans le projet ; gardez-la hors du dossier "
            "du projet, lisible des seuls comptes qui enregistrent les versions"
        )
    try:
        content = read_file(path, Kind.TEMPLATE, shown=where)
    except UnreadableFileError as exc:
        raise VersionError(f"{KEY_VARIABLE} : {exc}") from None
    if len(content.strip()) < _MIN_KEY_BYTES:
        raise VersionError(
            f"{KEY_VARIABLE} : la clé « {where} » est trop courte ({_MIN_KEY_BYTES} octets au "
            "moins ; par exemple : head -c 32 /dev/urandom | base64 > cle)"
        )
    return content.strip()


def seal(store: Path, head: Head) -> Head:
    """``head`` with its seal when a key is configured; as it is otherwise."""
    secret = key(store)
    if secret is None:
        return replace(head, sceau=None)
    return replace(head, sceau=_mac(secret, head))


def seal_problem(store: Path, head: Head) -> str | None:
    """What is wrong with the head's seal, with the configured key (None: sealed right, or
    no key configured)."""
    secret = key(store)
    if secret is None:
        return None
    if head.sceau is None:
        return (
            f"{STORE}/{HEAD} : non scellé alors qu’une clé est configurée ({KEY_VARIABLE}) ; "
            "si le registre est sûr, « fsdocs verifier --sceller » le scelle"
        )
    if not hmac.compare_digest(head.sceau, _mac(secret, head)):
        return f"{STORE}/{HEAD} : sceau faux (registre réécrit, ou autre clé)"
    return None


def _mac(secret: bytes, head: Head) -> str:
    message = f"{head.numero}:{head.manifest_sha256}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
