"""The national run's progress: one line per département built, with when the run should end.

The estimate divides the time elapsed by the départements done and multiplies by those left:
the workers build the largest first, so it starts high and comes down as the run goes on.
The clock is given (``clock``: the local time, aware), so that a test can set it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from fsdocs.project.departements import departements

if TYPE_CHECKING:
    from fsdocs.importing.national import Departement


def local_now() -> datetime:
    return datetime.now().astimezone()


class Progress:
    """Lines « [37/101] 41 Loir-et-Cher : 23 structures, 54 pages, 3,1 s — fin estimée vers
    22:47 (reste ~1 min 40 s) » for ``total`` départements, the run starting now."""

    def __init__(self, total: int, clock: Callable[[], datetime] = local_now) -> None:
        self.total = total
        self.clock = clock
        self.start = clock()
        self.done = 0

    def line(self, built: Departement) -> str:
        self.done += 1
        now = self.clock()
        known = departements().get(built.code)
        name = f"{built.code} {known.nom}" if known is not None else built.code
        if built.erreur:
            state = f"échec : {built.erreur}"
        else:
            state = (
                f"{built.structures} structure{'s' if built.structures > 1 else ''}, "
                f"{built.pages} pages, {built.secondes:.1f} s".replace(".", ",")
            )
        left = self.total - self.done
        if left <= 0:
            return f"[{self.done}/{self.total}] {name} : {state} — terminé à {now:%H:%M}"
        remaining = (now - self.start) / self.done * left
        end = now + remaining
        return (
            f"[{self.done}/{self.total}] {name} : {state} — fin estimée vers {end:%H:%M} "
            f"(reste ~{duration(remaining)})"
        )


def duration(value: timedelta) -> str:
    """« 45 s », « 1 min 40 s », « 1 h 05 min »: a remaining time as one says it."""
    total = max(0, round(value.total_seconds()))
    if total < 60:
        return f"{total} s"
    if total < 3600:
        minutes, rest = divmod(total, 60)
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, rest = divmod(round(total / 60), 60)
    return f"{hours} h {rest:02d} min"
