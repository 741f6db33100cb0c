"""The national run's progress lines: the estimate of its end, with the clock set."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from fsdocs.importing.national import Departement
from fsdocs.importing.progress import Progress, duration

PARIS = timezone(timedelta(hours=1))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 22, 40, 0, tzinfo=PARIS)

    def __call__(self) -> datetime:
        return self.now


def test_each_line_names_the_departement_and_estimates_the_end() -> None:
    clock = Clock()
    progress = Progress(101, clock)
    clock.now += timedelta(seconds=74)  # 37 done in 74 s: 2 s each, 64 left
    for _ in range(36):
        progress.line(Departement("90", 4, 12, 12, 1000, secondes=1.0))
    line = progress.line(Departement("41", 23, 54, 54, 10_000, secondes=3.14))
    assert line == (
        "[37/101] 41 Loir-et-Cher : 23 structures, 54 pages, 3,1 s — fin estimée vers 22:43 "
        "(reste ~2 min 08 s)"
    )


def test_a_failure_says_so_and_the_last_line_says_when_it_ended() -> None:
    clock = Clock()
    progress = Progress(2, clock)
    clock.now += timedelta(seconds=30)
    failed = progress.line(Departement("2A", 0, 0, 0, 0, "projet illisible", 0.2))
    assert failed == (
        "[1/2] 2A Corse-du-Sud : échec : projet illisible — fin estimée vers 22:41 (reste ~30 s)"
    )
    clock.now += timedelta(seconds=30)
    last = progress.line(Departement("971", 1, 9, 9, 100, secondes=2.0))
    assert last == "[2/2] 971 Guadeloupe : 1 structure, 9 pages, 2,0 s — terminé à 22:41"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0.4, "0 s"), (45, "45 s"), (60, "1 min"), (100, "1 min 40 s"), (3900, "1 h 05 min")],
)
def test_durations_are_said_as_one_says_them(seconds: float, said: str) -> None:
    assert duration(timedelta(seconds=seconds)) == said
