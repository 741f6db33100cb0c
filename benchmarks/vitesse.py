"""How fast fsdocs is, side by side with the route it replaces (DOCX → LibreOffice → PDF).

Run from the repository's root: ``.venv/bin/python benchmarks/vitesse.py [--sans-national]
[-j N]``. Everything happens in a temporary directory; the figures are printed as a table and
written to ``benchmarks/resultats.json``. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml
from graphique import draw
from rapport import Comparison, Fsdocs, National, Rebuild, Report, Watch, machine_line
from route_libreoffice import (
    Docx,
    MeasureError,
    changed_only,
    find_soffice,
    full_route,
    make_docx,
    soffice_version,
    warm_up,
)
from taille import sizes

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "resultats.json"
FSDOCS = str(Path(sys.executable).parent / "fsdocs")
DEPARTEMENT = "41"
LIST_DATE = "2024-08-01"  # the national list shipped with fsdocs
TIME_V = "/usr/bin/time"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mesure fsdocs face à la route DOCX → LibreOffice → PDF."
    )
    parser.add_argument(
        "--sans-national", action="store_true", help="saute « fsdocs national » (le plus long)"
    )
    parser.add_argument(
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processus de travail pour « fsdocs national » (défaut : tous les cœurs)",
    )
    args = parser.parse_args()
    try:
        run_all(sans_national=args.sans_national, jobs=args.j)
    except MeasureError as exc:
        sys.exit(f"Échec de la mesure : {exc}")


def run_all(sans_national: bool, jobs: int) -> None:
    soffice = find_soffice()
    machine = machine_info(soffice)
    print(machine_line(machine), flush=True)
    with tempfile.TemporaryDirectory(prefix="fsdocs-vitesse-") as tmp:
        work = Path(tmp)
        profile = work / "profil-libreoffice"
        if soffice:
            _step("échauffement de LibreOffice (création de son profil, non comptée)")
            warm_up(soffice, profile, work / "lo")

        _step("construction à froid du projet par défaut")
        default = work / "defaut"
        copy_default_project(default)
        cold = [compare_cold(default, "projet par défaut", soffice, profile, work / "lo-defaut")]

        _step(f"construction à froid du département {DEPARTEMENT}")
        dep = work / f"dep-{DEPARTEMENT}"
        fsdocs("init", str(dep), "--departement", DEPARTEMENT, "--date", LIST_DATE)
        fsdocs("import", "--departement", DEPARTEMENT, "-C", str(dep))
        cold.append(
            compare_cold(dep, f"département {DEPARTEMENT}", soffice, profile, work / "lo-dep")
        )

        _step("taille des dossiers de signature contre un rendu unique des mêmes pages")
        tailles = [
            ("projet par défaut", sizes(default)),
            (f"département {DEPARTEMENT}", sizes(dep)),
        ]

        _step("reconstruction après modification des horaires d’une structure")
        rebuild = measure_rebuild(dep, cold[1].docx, soffice, profile, work)

        national: National | None = None
        skipped = ""
        if sans_national:
            skipped = "sautée (--sans-national)"
        elif not has_national():
            skipped = "sautée : la commande « fsdocs national » n’existe pas dans cette version"
        else:
            national = measure_national(work / "national", jobs)
        help_s = best_of(5, FSDOCS, "--help")

    report = Report(machine, cold, rebuild, national, skipped, help_s, jobs, tailles)
    print()
    print(report.text())
    figures = report.json()
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    print(f"\nChiffres écrits dans {RESULTS.relative_to(REPO)}.")
    chart = draw(figures)
    if chart is not None:
        print(f"Graphique dessiné dans {chart.relative_to(REPO)}.")


# --- measurements -----------------------------------------------------------------------------


def copy_default_project(target: Path) -> None:
    """The repository's own project, without its output/ nor its templates (fsdocs' are used)."""
    target.mkdir()
    shutil.copy2(REPO / "convention.yaml", target)
    for folder in ("signatories", "annexes"):
        shutil.copytree(REPO / folder, target / folder)
    # Annexes 1 to 3 may point at national PDFs inside the project.
    convention = yaml.safe_load((REPO / "convention.yaml").read_text(encoding="utf-8"))
    for annex in convention.get("annexes", []):
        fichier = annex.get("fichier")
        if fichier and not (target / fichier).exists():
            (target / fichier).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / fichier, target / fichier)


def compare_cold(
    project: Path, label: str, soffice: str | None, profile: Path, work: Path
) -> Comparison:
    shutil.rmtree(project / "output", ignore_errors=True)  # with it, fsdocs' build cache
    result = fsdocs_build(project)
    route = docx = None
    if soffice:
        docx = make_docx(project, work / "docx")
        route = full_route(soffice, profile, docx, work)
    structures = len(list((project / "annexes" / "structures").glob("*.yaml")))
    return Comparison(label, structures, result, route, docx)


def measure_rebuild(
    project: Path, before: Docx | None, soffice: str | None, profile: Path, work: Path
) -> Rebuild:
    """Change one opening time, rebuild with output/ kept; the route starts over. Then the
    same kind of change, ten times, while ``fsdocs build --surveiller`` runs.

    ``before``: the DOCX of the cold build, whose PDFs are in the folder ``pdf`` next to them.
    """
    structure, change = change_hours(project)
    result = fsdocs_build(project)
    everything = changed = None
    if soffice and before:
        after = make_docx(project, work / "lo-rebuild" / "docx")
        everything = full_route(soffice, profile, after, work / "lo-rebuild")
        changed = changed_only(
            soffice, profile, before, before.folder.parent / "pdf", after, work / "lo-changed"
        )
    _step("reconstructions pendant « fsdocs build --surveiller » (10 modifications)")
    watch, skipped = measure_watching(project)
    return Rebuild(DEPARTEMENT, structure, change, result, everything, changed, watch, skipped)


def measure_watching(project: Path) -> tuple[Watch | None, str]:
    try:
        from surveillance import measure_watch
    except ImportError:
        return None, "n/d : benchmarks/surveillance.py absent"
    try:
        found = measure_watch(project, 10)
    except (MeasureError, OSError, RuntimeError, subprocess.SubprocessError) as exc:
        return None, f"échec : {exc}"
    return Watch([float(d) for d in found["delais_s"]]), ""


def change_hours(project: Path) -> tuple[str, str]:
    """Open the first structure 15 minutes earlier on its first day; the project stays valid."""
    path = sorted((project / "annexes" / "structures").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    found = re.compile(r"\b(\d{2}):(\d{2})\b").search(text, text.index("\nhoraires:"))
    if found is None:
        raise MeasureError(f"{path.name} : aucun horaire « HH:MM » après « horaires: »")
    minutes = int(found[1]) * 60 + int(found[2])
    # The day's first time: opening earlier cannot overlap anything.
    minutes = minutes - 15 if minutes >= 15 else minutes + 15
    new = f"{minutes // 60:02d}:{minutes % 60:02d}"
    path.write_text(text[: found.start()] + new + text[found.end() :], encoding="utf-8")
    fsdocs("check", "-C", str(project))
    return path.stem, f"{found[0]} → {new}"


def fsdocs_build(project: Path) -> Fsdocs:
    from pypdf import PdfReader

    build_s = fsdocs("build", "-C", str(project))
    # An imported département has facts still to fill in: its dossier can only be the draft,
    # the same pages made the same way (a mark drawn, no signature field).
    bundle_s = fsdocs("bundle", "--brouillon", "-C", str(project))
    pages = len(PdfReader(project / "output" / "dossier-projet.pdf").pages)
    return Fsdocs(build_s, bundle_s, pages)


def has_national() -> bool:
    done = subprocess.run([FSDOCS, "national", "--help"], capture_output=True, check=False)
    return done.returncode == 0


def measure_national(folder: Path, jobs: int) -> National:
    national = ("national", str(folder), "-j", str(jobs))
    _step("fsdocs national --verifier : préparation (création des projets, non comptée)")
    preparation_s = fsdocs(*national, "--verifier")
    _step("fsdocs national --verifier")
    verifier_s = fsdocs(*national, "--verifier")
    _step(f"fsdocs national -j {jobs} (le plus long)")
    measured = [TIME_V, "-v"] if Path(TIME_V).is_file() else []
    start = time.perf_counter()
    done = subprocess.run(
        [*measured, FSDOCS, *national], capture_output=True, text=True, check=False
    )
    build_s = time.perf_counter() - start
    if done.returncode != 0:
        raise MeasureError(f"fsdocs national : code {done.returncode}\n{done.stderr[-2000:]}")
    output = done.stdout + done.stderr
    # The largest single process among fsdocs and the workers it waited for.
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    bilan = re.search(
        r"Bilan\s*:\s*(\d[\d\s]*) départements?, (\d[\d\s]*) structures?, (\d[\d\s]*) pages?",
        output,
    )
    projects = [p.parent for p in folder.glob("*/convention.yaml")]
    pdf_bytes = sum(
        pdf.stat().st_size
        for project in projects
        for pdf in (project / "output").rglob("*.pdf")
        if ".cache" not in pdf.relative_to(project / "output").parts
    )
    structures = sum(len(list((p / "annexes" / "structures").glob("*.yaml"))) for p in projects)
    return National(
        preparation_s=preparation_s,
        verifier_s=verifier_s,
        build_s=build_s,
        pages=_integer(bilan[3]) if bilan else None,
        peak_mib=int(peak[1]) / 1024 if peak else None,
        pdf_bytes=pdf_bytes,
        departements=_integer(bilan[1]) if bilan else len(projects),
        structures=_integer(bilan[2]) if bilan else structures,
    )


def fsdocs(*args: str) -> float:
    """Run ``fsdocs`` with ``args``: its wall time; MeasureError if it fails."""
    start = time.perf_counter()
    done = subprocess.run([FSDOCS, *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise MeasureError(
            f"« fsdocs {' '.join(args)} » : code {done.returncode}\n{done.stderr[-2000:]}"
        )
    return seconds


def best_of(runs: int, *command: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def machine_info(soffice: str | None) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8", errors="replace")
    cpu = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    ram = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    return {
        "processeur": cpu[1].strip() if cpu else platform.processor() or "inconnu",
        "coeurs": os.cpu_count(),
        "ram_gio": round(int(ram[1]) / 1024**2, 1) if ram else None,
        "python": platform.python_version(),
        "weasyprint": version("weasyprint"),
        "libreoffice": soffice_version(soffice) if soffice else None,
    }


# --- report -----------------------------------------------------------------------------------
def _integer(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _step(what: str) -> None:
    print(f"… {what}", flush=True)


if __name__ == "__main__":
    main()
