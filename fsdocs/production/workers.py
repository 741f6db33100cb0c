"""Rendering in worker processes: the parts to lay out are shared among ``-j`` processes, in
batches, and each process is replaced after a few batches so that its memory cannot creep.

Layout is the whole cost of a build (about 0.1 s a page on one core); Jinja, YAML and file
writing are under 1 %. A batch is a few parts rendered one after the other by one process,
which parses the stylesheet and loads the fonts once for all of them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fsdocs.files.deadline import time_limit
from fsdocs.pdf.weasy import RenderedPdf, render_pdf

# A document whose layout takes longer than this is stopped (a template or data gone wrong:
# 2,000 pages of one table, say); our longest, the convention, takes under a second.
LIMIT_S = 60.0
LIMIT_PER_PAGE_S = 2.0
BATCH_PAGES = 40  # pages a batch aims at: small enough to share out, large enough to amortise
RECYCLE = 6  # batches a worker renders before it is replaced by a fresh process


@dataclass(frozen=True)
class PdfJob:
    key: str
    html: str
    css: str
    base_dir: Path
    allowed: tuple[Path, ...]
    identifier: bytes
    pages: int  # an estimate, to make batches
    name: str = ""  # the part laid out, for reports

    def run(self) -> RenderedPdf:
        with time_limit(LIMIT_S + LIMIT_PER_PAGE_S * self.pages, self.name or "document"):
            return render_pdf(
                self.html, self.base_dir, list(self.allowed), self.identifier, self.css
            )


@dataclass(frozen=True)
class LotJob:
    """Several parts laid out as one document, each from a new page: the per-document costs
    (styles, fonts, PDF writing) are paid once — a third of a one-page part's time."""

    key: str
    members: tuple[PdfJob, ...]
    page: PdfJob  # the lot's own page: the members' wordings one after the other
    pages: int

    def run(self) -> list[RenderedPdf]:
        """Each member's pages."""
        with time_limit(LIMIT_S + LIMIT_PER_PAGE_S * self.pages, "lot de pages de structures"):
            whole = self.page.run()
        starts = [whole.anchors[lot_anchor(k)].page for k in range(len(self.members))]
        ends = [*starts[1:], len(whole.sizes)]
        return [whole.slice(start, end - start) for start, end in zip(starts, ends, strict=True)]


def lot_anchor(number: int) -> str:
    return f"fsdocs-lot-{number}"


@dataclass(frozen=True)
class DocxJob:
    key: str
    template: Path
    fragment: str
    entete: str
    meta: dict[str, str]
    created: datetime
    paysage: bool
    pages: int = 0

    def run(self) -> bytes:
        from fsdocs.docx.writer import blocks_to_docx
        from fsdocs.wording.document import blocks, headed_from_first_page

        content = blocks(self.fragment)
        return blocks_to_docx(
            self.template,
            content,
            self.entete,
            self.meta,
            self.created,
            self.paysage,
            headed_from_first_page(self.fragment),
        )


Job = PdfJob | LotJob | DocxJob


_FORK_ALLOWED = True


def forbid_fork() -> None:
    """Make every later layout in this process: a process that runs threads (the web
    application's server) must not fork a pool — a child could inherit a lock that another
    thread holds (Pango's, SQLite's) and wait on it for ever."""
    global _FORK_ALLOWED
    _FORK_ALLOWED = False


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run(jobs: list[Job], workers: int | None = None) -> Iterator[tuple[Job, Any]]:
    """Each job with its result (a RenderedPdf or DOCX bytes), in the order they finish."""
    count = min(workers or default_workers(), len(jobs)) if _FORK_ALLOWED else 1
    if count <= 1:
        for job in jobs:
            yield job, job.run()
        return
    batches = _batches(jobs, count)
    # Fork: the workers start with fsdocs and WeasyPrint already imported, in milliseconds.
    context = multiprocessing.get_context("fork")
    with context.Pool(count, ignore_interrupt, maxtasksperchild=RECYCLE) as pool:
        for results in pool.imap_unordered(_run_batch, batches):
            yield from results


def ignore_interrupt() -> None:
    """Ctrl-C reaches the whole process group: the main process alone answers it (it ends
    the pool and says « Interrompu. »), so the workers print no traceback of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_batch(batch: list[Job]) -> list[tuple[Job, Any]]:
    return [(job, job.run()) for job in batch]


def _batches(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Batches of about BATCH_PAGES pages, at least three per worker so that none waits
    long for the last; the largest jobs first, so that they do not finish last."""
    total = sum(max(job.pages, 1) for job in jobs)
    target = max(1, min(BATCH_PAGES, total // (workers * 3)))
    batches: list[list[Job]] = []
    current: list[Job] = []
    weight = 0
    for job in sorted(jobs, key=lambda j: -j.pages):
        current.append(job)
        weight += max(job.pages, 1)
        if weight >= target:
            batches.append(current)
            current, weight = [], 0
    if current:
        batches.append(current)
    return batches
