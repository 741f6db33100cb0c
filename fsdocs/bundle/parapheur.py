"""``fsdocs dossier --parapheur``: the folder a parapheur or a signature platform takes, as one
zip, ``output/dossier-parapheur.zip``.

It holds the convention and each annex as PDFs of their own (the very files ``fsdocs
produire`` writes; a national annex's PDF as the dossier shows it, sanitised; for one joined
by reference, its divider page), the signing dossier, the signers' list
(``signataires.csv``) and ``manifeste.json``: each file's name, size, SHA-256, title and
role, and the signers in signing order, as in the CSV. The same project gives the same bytes:
members sorted by name, each dated by the documents' date (``SOURCE_DATE_EPOCH`` when set),
fixed permissions, no comment.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from fsdocs.bundle.plan import Document
from fsdocs.bundle.signers import SIGNERS, Signer
from fsdocs.files.clock import fixed_now
from fsdocs.pdf.join import single_page
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production.build import Renderer
from fsdocs.wording.parts import Part

PARAPHEUR = "dossier-parapheur.zip"
MANIFEST = "manifeste.json"
FORMAT = "fsdocs-parapheur/1"
# Roles, as the manifest names them: what a parapheur asks for.
SIGNING = "dossier de signature"  # the one PDF with a /Sig field per signer
MAIN = "document principal"
ANNEX = "annexe"
LIST = "liste des signataires"
_EARLIEST = datetime(1980, 1, 1)  # a zip cannot date a file before 1980


@dataclass(frozen=True)
class Member:
    """A file of the zip, with what the manifest says of it."""

    nom: str
    data: bytes
    titre: str
    role: str
    annexe: int | None = None


def parapheur_zip(
    renderer: Renderer,
    documents: Sequence[Document],
    dividers: RenderedPdf,
    dossier: tuple[str, str, bytes],  # name, title, bytes
    rows: Sequence[Signer],
    csv: bytes,
    fragments: dict[str, str],
) -> bytes:
    """The zip's bytes (see the module)."""
    members = [Member(dossier[0], dossier[2], dossier[1], SIGNING)]
    members += _documents(renderer, documents, dividers, fragments)
    members.append(Member(SIGNERS, csv, "Liste des signataires", LIST))
    manifest = {
        "format": FORMAT,
        "titre": dossier[1],
        "fichiers": [_entry(m, rows) for m in members],
        "signataires": [asdict(row) for row in rows],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    files = {m.nom: m.data for m in members}
    files[MANIFEST] = text.encode("utf-8")
    return deterministic_zip(files, fixed_now() or renderer.created)


def _documents(
    renderer: Renderer,
    documents: Sequence[Document],
    dividers: RenderedPdf,
    fragments: dict[str, str],
) -> list[Member]:
    """The convention and each annex, in the convention's order."""
    parts: list[Part] = [d.part for d in documents if d.part is not None]
    rendered = renderer.render(parts, ("pdf",), 1, False, fragments)
    members = []
    for document in documents:
        role = ANNEX if document.numero else MAIN
        if document.part is not None:
            data = rendered[document.part.name]["pdf"]
        elif document.external is not None:
            data = document.external.clean
        else:
            assert document.divider is not None
            meta = renderer.templates.meta(Part(document.name, "", document.titre, ""))
            data = single_page(dividers.data, dividers.first + document.divider, meta)
        members.append(Member(document.name, data, document.titre, role, document.numero))
    return members


def _entry(member: Member, rows: Sequence[Signer]) -> dict[str, object]:
    entry: dict[str, object] = {
        "nom": member.nom,
        "taille": len(member.data),
        "sha256": hashlib.sha256(member.data).hexdigest(),
        "titre": member.titre,
        "role": member.role,
    }
    if member.annexe is not None:
        entry["annexe"] = member.annexe
    if member.role == SIGNING:
        entry["champs_de_signature"] = [row.champ for row in rows]
    return entry


def deterministic_zip(files: dict[str, bytes], when: datetime) -> bytes:
    """A zip of ``files`` whose bytes depend on nothing but them and ``when``."""
    stamp = max(when.replace(tzinfo=None), _EARLIEST).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()
