"""The route fsdocs replaces: fsdocs' own DOCX, converted to PDF by LibreOffice, then merged.

Used by ``vitesse.py``. Every DOCX comes from fsdocs' DOCX path, so both routes print the same
wording; only the way to a PDF differs.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

APT_PACKAGE = "libreoffice-writer-nogui"


class MeasureError(Exception):
    """A measured command failed: the message, in French, says which and why."""


@dataclass(frozen=True)
class Docx:
    """The DOCX of every part of a project, in the order fsdocs builds (and bundles) them."""

    seconds: float
    names: list[str]  # part names, e.g. "convention", "annexe-4-blois"
    folder: Path  # holds <name>.docx


@dataclass(frozen=True)
class Route:
    docx_s: float | None  # None: the DOCX were there already, their making is not counted
    conversion_s: float
    fusion_s: float
    documents: int  # DOCX converted
    pages: int  # of the merged PDF

    @property
    def total_s(self) -> float:
        return (self.docx_s or 0.0) + self.conversion_s + self.fusion_s


def find_soffice() -> str | None:
    """``soffice``, installed with apt when possible; None (after saying how) otherwise."""
    found = shutil.which("soffice")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"LibreOffice absent : installation de {APT_PACKAGE} avec apt-get…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", APT_PACKAGE]
        # An image without package lists needs an update first; try without it, it is slow.
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
        found = shutil.which("soffice")
        if found:
            return found
    print(
        "LibreOffice (soffice) est introuvable : les colonnes LibreOffice seront « n/d ».\n"
        f"  Pour les obtenir, installez-le, par exemple : sudo apt-get install {APT_PACKAGE}\n"
        "  (ou, sur un autre système, LibreOffice depuis https://fr.libreoffice.org), "
        "puis relancez ce script."
    )
    return None


def soffice_version(soffice: str) -> str:
    done = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "version inconnue"


def warm_up(soffice: str, profile: Path, work: Path) -> None:
    """Convert one tiny DOCX, so that creating LibreOffice's profile is never timed."""
    import docx

    folder = work / "echauffement"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("Échauffement")
    document.save(str(folder / "echauffement.docx"))
    convert(soffice, profile, [folder / "echauffement.docx"], folder / "pdf")


def make_docx(project: Path, folder: Path) -> Docx:
    """Write the DOCX of every part ``all_parts`` returns, timing fsdocs' DOCX path only."""
    from fsdocs.production.build import Renderer
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.context import get_context
    from fsdocs.wording.registry import all_parts

    folder.mkdir(parents=True)
    files: dict[str, bytes] = {}
    start = time.perf_counter()
    loaded = load_project(project)
    ctx = get_context(loaded)
    renderer = Renderer(loaded, ctx)
    for part in all_parts(loaded, ctx):
        files[part.name] = renderer.docx(part, renderer.fragment(part))
    seconds = time.perf_counter() - start
    for name, data in files.items():
        (folder / f"{name}.docx").write_bytes(data)
    return Docx(seconds, list(files), folder)


def convert(soffice: str, profile: Path, sources: list[Path], out: Path) -> float:
    """One ``soffice --convert-to pdf`` call for all ``sources``; its wall time."""
    command = [
        soffice,
        "--headless",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, sources),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    # soffice exits 0 even when a file failed to convert: check every PDF is there.
    missing = [s.name for s in sources if not (out / f"{s.stem}.pdf").is_file()]
    if done.returncode != 0 or missing:
        raise MeasureError(
            f"la conversion LibreOffice a échoué (code {done.returncode}) ; "
            f"PDF manquants : {', '.join(missing) or 'aucun'}\n{done.stderr[-2000:]}"
        )
    return seconds


def merge(pdfs: list[Path], target: Path) -> tuple[float, int]:
    """Merge ``pdfs`` in order into ``target``: the wall time and the number of pages."""
    from pypdf import PdfReader, PdfWriter

    start = time.perf_counter()
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(pdf)
    writer.write(target)
    seconds = time.perf_counter() - start
    return seconds, len(PdfReader(target).pages)


def full_route(soffice: str, profile: Path, docx: Docx, work: Path) -> Route:
    """Convert every DOCX of ``docx`` in one call, then merge: the route has no cache."""
    out = work / "pdf"
    sources = [docx.folder / f"{name}.docx" for name in docx.names]
    conversion = convert(soffice, profile, sources, out)
    fusion, pages = merge([out / f"{name}.pdf" for name in docx.names], work / "dossier.pdf")
    return Route(docx.seconds, conversion, fusion, len(sources), pages)


def changed_only(
    soffice: str, profile: Path, before: Docx, before_pdf: Path, after: Docx, work: Path
) -> Route:
    """Convert only the DOCX whose content changed, merge them with the earlier PDFs.

    Generating the DOCX is not counted (``docx_s`` is None): the most favourable case for
    LibreOffice, as if the DOCX had been edited by hand.
    """
    changed = [
        name
        for name in after.names
        if name not in before.names
        or _content(before.folder / f"{name}.docx") != _content(after.folder / f"{name}.docx")
    ]
    out = work / "pdf"
    out.mkdir(parents=True)
    conversion = (
        convert(soffice, profile, [after.folder / f"{n}.docx" for n in changed], out)
        if changed
        else 0.0
    )
    pdfs = [(out if name in changed else before_pdf) / f"{name}.pdf" for name in after.names]
    fusion, pages = merge(pdfs, work / "dossier.pdf")
    return Route(None, conversion, fusion, len(changed), pages)


def _content(path: Path) -> dict[str, bytes]:
    """A DOCX's members and their bytes: the zip itself carries the clock's time, so two
    renderings of the same document differ in bytes while saying the same thing."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}
