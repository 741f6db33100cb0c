"""``fsdocs national``: every département of the national list at once, for a national body —
each one's project created from the list, then its documents and its signature bundle.

Départements are shared among worker processes, the largest first; each process builds a
whole département (its parts, Annexe 4, its bundle) and is replaced after a few, so that no
process holds more than one département's pages and memory cannot creep.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fsdocs.errors import FsdocsError, ProjectError, Severity

LABELLISATION = date(2024, 8, 1)  # the date of the list fsdocs ships
CACHE_FOLDER = "cache-fsdocs"  # in the national folder, beside the départements' projects
_RECYCLE = 4  # départements a worker builds before it is replaced


@dataclass(frozen=True)
class Departement:
    """What building one département gave."""

    code: str
    structures: int
    pages: int  # of its PDFs: its documents and its bundle
    mises_en_page: int  # pages laid out (the others came from the cache)
    octets: int  # size of its PDFs
    erreur: str = ""
    secondes: float = 0.0  # what building it took, in its worker


@dataclass(frozen=True)
class NationalResult:
    departements: list[Departement]
    secondes: float

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.departements)

    @property
    def mises_en_page(self) -> int:
        return sum(d.mises_en_page for d in self.departements)

    @property
    def structures(self) -> int:
        return sum(d.structures for d in self.departements)

    @property
    def octets(self) -> int:
        return sum(d.octets for d in self.departements)

    @property
    def echecs(self) -> list[Departement]:
        return [d for d in self.departements if d.erreur]


@dataclass(frozen=True)
class Verification:
    projets: int
    erreurs: int
    avertissements: int
    echecs: list[str]  # « 41 : message » for each project that failed to load
    secondes: float


def prepare(target: Path, liste: Path | None = None) -> list[Path]:
    """Create (once) the project of every département of the national list in ``target``."""
    from fsdocs.importing.anct import LISTE_2024, lire_liste, liste_par_defaut
    from fsdocs.importing.importer import RATTACHEMENT, fusionner
    from fsdocs.importing.scaffold import init_project

    read = lire_liste(liste) if liste else lire_liste(liste_par_defaut(), LISTE_2024)
    codes = sorted(read.codes())
    roots = []
    for code in (c for c in codes if c not in RATTACHEMENT):
        root = target / code
        if not (root / "convention.yaml").is_file():
            init_project(root, code, LABELLISATION)
            for attached in [code, *(c for c in codes if RATTACHEMENT.get(c) == code)]:
                fusionner(root, attached, read)
        roots.append(root)
    return roots


def projects(target: Path) -> list[Path]:
    return sorted(p.parent for p in target.glob("*/convention.yaml"))


def verify(target: Path) -> Verification:
    """``fsdocs controler`` on every project of ``target``: every file and every rule."""
    from fsdocs.rules.checked import load_project

    start = time.perf_counter()
    roots = projects(target)
    errors = warnings = 0
    failures = []
    for root in roots:
        try:
            found = load_project(root).warnings
        except ProjectError as exc:
            found = tuple(exc.problems)
            failures.append(f"{root.name} : {len(exc.problems)} problème(s)")
        except FsdocsError as exc:
            failures.append(f"{root.name} : {exc}")
            continue
        errors += sum(1 for p in found if p.severity is Severity.ERROR)
        warnings += sum(1 for p in found if p.severity is not Severity.ERROR)
    return Verification(len(roots), errors, warnings, failures, time.perf_counter() - start)


def build_all(
    target: Path,
    jobs: int | None = None,
    formats: tuple[str, ...] = ("pdf",),
    report: Callable[[Departement], None] | None = None,
) -> NationalResult:
    """Build the documents and the bundle of every project of ``target``."""
    from fsdocs.production.build import check_formats
    from fsdocs.production.workers import default_workers, ignore_interrupt

    check_formats(formats)
    start = time.perf_counter()
    roots = projects(target)
    if not roots:
        raise FsdocsError(f"{target} : aucun projet de département (lancez d’abord la préparation)")
    # The largest first: a large département started last would keep one core busy alone.
    roots.sort(key=lambda r: -sum(1 for _ in (r / "annexes" / "structures").glob("*.yaml")))
    count = min(jobs or default_workers(), len(roots))
    tasks = [(root, formats) for root in roots]
    done: list[Departement] = []
    # Fork: the workers start with fsdocs and WeasyPrint already imported.
    import weasyprint  # noqa: F401

    context = multiprocessing.get_context("fork")
    with context.Pool(count, ignore_interrupt, maxtasksperchild=_RECYCLE) as pool:
        for result in pool.imap_unordered(_one, tasks):
            done.append(result)
            if report is not None:
                report(result)
    done.sort(key=lambda d: d.code)
    return NationalResult(done, time.perf_counter() - start)


def _one(task: tuple[Path, tuple[str, ...]]) -> Departement:
    from fsdocs.bundle.assemble import bundle_project
    from fsdocs.production.build import build_project
    from fsdocs.production.cache import Cache
    from fsdocs.rules.checked import load_project
    from fsdocs.wording.completeness import checked, missing

    root, formats = task
    start = time.perf_counter()
    # One cache for the country: what several départements show alike (the dividers of the
    # bundle, the page numbers' font) is laid out once.
    cache = Cache(root.parent / CACHE_FOLDER)
    try:
        project = checked(load_project(root))
        built = build_project(project, formats=formats, jobs=1, cache=cache)
        # A département whose facts are not all filled in gets a draft, not a dossier to sign.
        draft = bool(missing(project))
        bundled = bundle_project(project, jobs=1, cache=cache, brouillon=draft)
    except FsdocsError as exc:
        message = str(exc).splitlines()[0]
        return Departement(root.name, 0, 0, 0, 0, message, time.perf_counter() - start)
    pdfs = [path for path in built.files if path.suffix == ".pdf"]
    size = sum(path.stat().st_size for path in pdfs) + bundled.size
    pages = built.pages + bundled.pages
    laid_out = built.laid_out + bundled.laid_out
    seconds = time.perf_counter() - start
    return Departement(root.name, len(project.structures), pages, laid_out, size, "", seconds)
