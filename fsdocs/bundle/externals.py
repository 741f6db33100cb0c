"""The national PDFs of a dossier (annexes 1 to 3, ``fichier:`` in convention.yaml), made safe.

Each one is sanitised (:func:`fsdocs.pdf.sanitize.sanitize`) before it is read for the dossier:
nothing in it acts (scripts, programs, forms, attached files, multimedia), an owner password
is lifted and a page without a box gets A4's, each with a warning that the command prints.
The versions record the file as the user supplied it; the dossier shows the sanitised copy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from fsdocs.errors import FsdocsError, Problem, Severity, UnreadableFileError
from fsdocs.project.attachments import attachment_name
from fsdocs.project.project import Project
from fsdocs.wording.context import ConventionContext


@dataclass(frozen=True)
class External:
    """A national PDF supplied by the user for an annex."""

    numero: int
    name: str  # relative to the project
    data: bytes  # as read when the project loaded: what the versions record
    clean: bytes  # as sanitised: what the dossier shows
    reader: Any  # pypdf.PdfReader, of ``clean``


def national_pdfs(
    project: Project, ctx: ConventionContext
) -> tuple[dict[int, External], list[Problem]]:
    """The national PDFs by annex number, and a warning per kind of thing removed from each
    (file: the PDF, as the project names it)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from fsdocs.pdf.sanitize import RESAVE, sanitize

    found: dict[int, External] = {}
    warnings: list[Problem] = []
    for annex, ref in zip(ctx.annexes, project.convention.annexes, strict=True):
        if not ref.fichier:
            continue
        # load_project refused a path outside the project, missing, or not a PDF, and read it.
        name = attachment_name(ref.fichier)
        data = project.documents.get(name or "")
        if name is None or data is None:
            raise FsdocsError(f"annexe {annex.numero} : « {ref.fichier} » non lu")
        clean, removed = sanitize(data, name)
        warnings += [
            Problem(name, None, "", text.removeprefix(f"{name} : "), Severity.WARNING)
            for text in removed
        ]
        try:  # qpdf wrote it: pypdf has no surprise left to find in it
            reader = PdfReader(io.BytesIO(clean))
            len(reader.pages)
        except (OSError, ValueError, PdfReadError) as exc:
            raise UnreadableFileError(name, f"PDF illisible ({exc}) : {RESAVE}") from None
        found[annex.numero] = External(annex.numero, name, data, clean, reader)
    return found, warnings
