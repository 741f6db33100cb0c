"""A dossier that carries a signature is never overwritten.

Signatures are applied outside fsdocs, to ``output/dossier-signature.pdf`` itself (a
parapheur, Adobe, pyHanko…), by incremental updates: running ``fsdocs dossier`` again would
put an unsigned dossier in its place and the signatures would be lost. So the file in place
is looked at before the work starts and again just before writing: a signature dictionary
(/ByteRange, which a signature cannot do without and which is never compressed, the
signature's bytes being counted from the file itself) or a signature field whose value (/V)
is set means it is signed. A file whose bytes cannot be read is not replaced either: nothing
says that it is not signed. One that is read but is no PDF that can be parsed (in time) is
replaced if it has no /ByteRange: no signature can do without it.
"""

from __future__ import annotations

import io
from pathlib import Path

from fsdocs.errors import SignedDossierError, UnreadableFileError
from fsdocs.files.deadline import deadline
from fsdocs.files.read import Kind, read_file
from fsdocs.files.write import OUTPUT

WAY_OUT = "déplacez-le hors de output/ ou renommez-le, puis relancez fsdocs dossier"
_LIMIT_S = 30.0
_FIELDS_LIMIT = 10_000  # fields looked at: a dossier has one per signatory


def refuse_signed(out: Path, name: str) -> None:
    """Raise SignedDossierError if ``out/name`` exists and carries a signature, or cannot be
    read to tell."""
    path = out / name
    shown = f"{OUTPUT}/{name}"
    if not path.exists():
        return
    try:
        data = read_file(path, Kind.PDF, inside=out, shown=shown)
    except UnreadableFileError as exc:
        raise SignedDossierError(
            f"{shown} existe mais ne peut pas être lu ({exc.raison}) : fsdocs ne peut pas "
            f"vérifier qu’il n’est pas signé et ne le remplace pas ; {WAY_OUT}"
        ) from None
    if is_signed(data):
        raise SignedDossierError(
            f"{shown} porte déjà une signature : fsdocs ne le remplace pas ; pour préparer "
            f"un nouveau dossier, {WAY_OUT}"
        )


def is_signed(data: bytes) -> bool:
    """Whether the PDF ``data`` carries a signature (see the module's docstring)."""
    if b"/ByteRange" in data:
        return True
    try:
        with deadline(_LIMIT_S, lambda s: SignedDossierError(f"lu en plus de {s:.0f} s")):
            return _signed_field(data)
    # Not a PDF one can parse (in time): with no /ByteRange, it holds no signature.
    except Exception:
        return False


def _signed_field(data: bytes) -> bool:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        fields = form.get("/Fields") if isinstance(form, pikepdf.Dictionary) else None
        if not isinstance(fields, pikepdf.Array):
            return False
        pending: list[tuple[object, str]] = [(f, "") for f in fields]
        seen: set[tuple[int, int]] = set()
        while pending and len(seen) < _FIELDS_LIMIT:
            field, inherited = pending.pop()
            if not isinstance(field, pikepdf.Dictionary) or field.objgen in seen:
                continue
            if field.is_indirect:
                seen.add(field.objgen)
            kind = str(field.get("/FT", inherited))
            if kind == "/Sig" and field.get("/V") is not None:
                return True
            kids = field.get("/Kids")
            if isinstance(kids, pikepdf.Array):
                pending += [(kid, kind) for kid in kids]
    return False
