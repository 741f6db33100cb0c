"""Getting layouts: from the cache when the same page was laid out before, otherwise in
worker processes — structure pages gathered into lots of at most LOT_PAGES, one WeasyPrint
document each — and stored in the cache as they come back.

The jobs come made (jobs.py); ``Layouts`` runs them, all in one pass, and counts what it did.
"""

from __future__ import annotations

from typing import Any

from fsdocs.pdf.weasy import Anchor, RenderedPdf
from fsdocs.production import workers
from fsdocs.production.cache import Cache
from fsdocs.production.jobs import Lottable, Templates, lot_job
from fsdocs.production.progress import Progress

LOT_PAGES = 35


class Layouts:
    """Runs jobs against one cache, and counts: pages laid out, layouts reused, parts laid
    out."""

    def __init__(self, templates: Templates, cache: Cache) -> None:
        self.templates = templates
        self.cache = cache
        self.reused = 0
        self.laid_out = 0
        self.rendered: list[str] = []
        # Structure pages, which may be laid out together: their part and wording, by key.
        self.lottable: dict[str, Lottable] = {}
        self._lot_data: dict[str, bytes] = {}

    def run_jobs(
        self, jobs: list[workers.Job], count: int | None, progress: bool
    ) -> dict[str, Any]:
        """Every job's result, from the cache or rendered (in worker processes)."""
        results: dict[str, Any] = {}
        todo: dict[str, workers.Job] = {}
        for job in jobs:
            if job.key in results or job.key in todo:
                continue
            found = self._cached(job)
            if found is None:
                todo[job.key] = job
            else:
                self.reused += 1
                results[job.key] = found
        planned = self._lots(list(todo.values()))
        bar = Progress(len(todo)) if progress and todo else None
        try:
            for job, result in workers.run(planned, count):
                done = self._store(job, result)
                results.update(done)
                pages = sum(len(r.sizes) for r in done.values() if isinstance(r, RenderedPdf))
                self.laid_out += pages
                if bar is not None:
                    bar.advance(pages, len(done))
        finally:
            if bar is not None:
                bar.close()
        return results

    def _cached(self, job: workers.Job) -> Any:
        found = self.cache.get(job.key)
        if found is None:
            return None
        if isinstance(job, workers.DocxJob):
            return found.pdf
        info = found.info
        data = found.pdf
        if "lot" in info:  # laid out with others: their document holds its pages
            if info["lot"] not in self._lot_data:
                lot = self.cache.get(info["lot"])
                if lot is None:
                    return None
                self._lot_data[info["lot"]] = lot.pdf
            data = self._lot_data[info["lot"]]
        anchors = {n: Anchor(int(v[0]), *map(float, v[1:])) for n, v in info["anchors"].items()}
        sizes = tuple((float(w), float(h)) for w, h in info["sizes"])
        return RenderedPdf(data, anchors, sizes, int(info.get("first", 0)))

    def _store(self, job: workers.Job, result: Any) -> dict[str, Any]:
        """Put a job's result in the cache; the results by key (a lot's, by member)."""
        if isinstance(job, workers.DocxJob):
            self.cache.put(job.key, result, {})
            return {job.key: result}
        if isinstance(job, workers.PdfJob):
            self.cache.put(job.key, result.data, _layout_info(result))
            if job.name:
                self.rendered.append(job.name)
            return {job.key: result}
        self.cache.put(job.key, result[0].data, {"anchors": {}, "sizes": []})
        done = {}
        for member, piece in zip(job.members, result, strict=True):
            self.cache.put(member.key, b"", {**_layout_info(piece), "lot": job.key})
            self.rendered.append(member.name)
            done[member.key] = piece
        return done

    def _lots(self, todo: list[workers.Job]) -> list[workers.Job]:
        """Structure pages to lay out, gathered into lots of at most LOT_PAGES, of even sizes;
        every other job as it is. The lots do not depend on the number of workers, so that
        ``-j`` never changes a byte of the documents."""
        pages = [j for j in todo if isinstance(j, workers.PdfJob) and j.key in self.lottable]
        if len(pages) < 2:
            return todo
        chosen = {j.key for j in pages}
        others = [j for j in todo if j.key not in chosen]
        size = -(-len(pages) // -(-len(pages) // LOT_PAGES))
        lots: list[workers.Job] = []
        for start in range(0, len(pages), size):
            chunk = pages[start : start + size]
            lots.append(
                lot_job(self.templates, chunk, self.lottable) if len(chunk) > 1 else chunk[0]
            )
        return lots + others


def _layout_info(result: RenderedPdf) -> dict[str, Any]:
    anchors = {n: [a.page, a.left, a.bottom, a.right, a.top] for n, a in result.anchors.items()}
    sizes = [list(size) for size in result.sizes]
    return {"anchors": anchors, "sizes": sizes, "first": result.first}
