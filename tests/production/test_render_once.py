"""A cold build makes each document once: one wording per part, one page and one WeasyPrint
layout per PDF piece, one DOCX per part, one set of metadata per part; a second build lays
nothing out. Counted on the real functions, in-process (``-j 1``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fsdocs.production import build, workers
from fsdocs.wording.parts import Part

PARTS = 10  # convention, Annexe 4 and its 4 structures, Annexes 5 to 8
# WeasyPrint layouts: the convention, one lot of the 4 structure pages, Annexes 5 to 8, and
# the sample line whose glyphs draw the page numbers.
LAYOUTS = 7


class Calls:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.by: dict[str, Counter[str]] = {}
        self.patch = monkeypatch

    def count(self, owner: Any, name: str, label: str, what: Callable[..., str]) -> None:
        original = getattr(owner, name)
        counter = self.by.setdefault(label, Counter())

        def counted(*args: Any, **kwargs: Any) -> Any:
            counter[what(*args, **kwargs)] += 1
            return original(*args, **kwargs)

        self.patch.setattr(owner, name, counted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    found = Calls(monkeypatch)
    found.count(build, "render_wording", "wording", lambda env, template, values: repr(values))
    found.count(build, "render_page", "page", lambda env, fragment, *a, **k: f"{fragment}{a}{k}")
    found.count(build, "metadata", "metadata", lambda project, ctx, part, created: part.name)
    found.count(workers.PdfJob, "run", "layout", lambda job: job.key)
    found.count(workers.DocxJob, "run", "docx", lambda job: job.meta["title"] + job.entete)
    return found


def test_a_cold_build_makes_each_document_once(default_project: Path, calls: Calls) -> None:
    result = build.build(default_project, jobs=1)
    assert len(result.files) == 3 * PARTS
    for label, counter in calls.by.items():
        twice = {what[:80]: n for what, n in counter.items() if n > 1}
        assert twice == {}, f"{label} : fait plus d’une fois"
    assert sum(calls.by["layout"].values()) == LAYOUTS
    assert sum(calls.by["docx"].values()) == PARTS
    assert sum(calls.by["metadata"].values()) == PARTS
    assert sum(calls.by["wording"].values()) == PARTS
    # Pages: one per PDF piece (convention, 4 structures, Annexes 5 to 8), the lot's, and
    # each part's HTML preview.
    assert sum(calls.by["page"].values()) == 9 + 1 + PARTS


def test_a_warm_build_lays_out_nothing(default_project: Path, calls: Calls) -> None:
    build.build(default_project, jobs=1)
    for counter in calls.by.values():
        counter.clear()
    again = build.build(default_project, jobs=1)
    assert again.laid_out == 0
    assert sum(calls.by["layout"].values()) == 0
    assert sum(calls.by["docx"].values()) == 0


def test_the_counter_sees_a_second_pass(default_project: Path, calls: Calls) -> None:
    """What the first test guards against: rendering the same parts again is counted."""
    project = build.load_project(default_project)
    renderer = build.Renderer(project, build.get_context(project))
    parts: list[Part] = build.select(build.all_parts(project, renderer.ctx), 6, None)
    renderer.render(parts, ("docx",), jobs=1)
    build.Renderer(project, renderer.ctx).render(parts, ("docx",), jobs=1)
    assert set(calls.by["docx"].values()) == {2}
