"""A dossier that carries a signature is never overwritten.

Once a signatory has signed ``output/dossier-signature.pdf``, that file is the signed
original: producing the dossier again would replace it. ``fsdocs dossier`` checks the file it
is about to replace — before any work, and again just before writing — and refuses, saying how
to start a new dossier.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fsdocs.errors import OutputError, UnreadableFileError
from fsdocs.files.read import Kind, read_file


def refuse_signed(path: Path) -> None:
    """OutputError if the PDF at ``path`` (if any) carries a signature."""
    if not path.exists() and not path.is_symlink():
        return
    try:
        content = read_file(path, Kind.PDF, inside=path.parent, shown=path.name)
    except UnreadableFileError as exc:
        raise OutputError(
            f"{exc} : fsdocs ne remplace pas un dossier qu’il ne peut pas relire ; déplacez-le "
            f"hors de {path.parent.name}/ puis relancez « fsdocs dossier »"
        ) from None
    if _signed(content):
        raise OutputError(
            f"{path.parent.name}/{path.name} porte déjà une signature : fsdocs ne le remplace "
            f"pas. Pour commencer un nouveau dossier, déplacez le dossier signé hors de "
            f"{path.parent.name}/ (ou renommez-le, par exemple « dossier-signe-1.pdf »), puis "
            "relancez « fsdocs dossier »"
        )


def _signed(content: bytes) -> bool:
    """Whether the PDF holds a signature: a signature field with a value, or a signature
    dictionary (its /ByteRange) anywhere — a file that cannot be parsed counts as signed when
    it names one, so that nothing signed is ever lost to a parsing doubt."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            form = pdf.Root.get("/AcroForm")
            fields = list(form.get("/Fields", [])) if form is not None else []
            return any(_has_value(field, 0) for field in fields) or b"/ByteRange" in content
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError):
        return b"/ByteRange" in content


def _has_value(field: Any, depth: int) -> bool:
    import pikepdf

    if not isinstance(field, pikepdf.Dictionary) or depth > 32:
        return False
    if str(field.get("/FT", "")) == "/Sig" and "/V" in field:
        return True
    return any(_has_value(kid, depth + 1) for kid in field.get("/Kids", []))
