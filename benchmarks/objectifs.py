"""The goals of the speed issue, each with its measured value: the table's last section, the
JSON's ``objectifs`` and the chart's marks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Goal:
    label: str  # in French, as the table prints it
    value: float | None  # None: not measured in this run
    limit: float
    unit: str = ""  # "" for a ratio, "s", "Mio"

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value <= self.limit

    def json(self) -> dict[str, Any]:
        return {
            "objectif": self.label,
            "valeur": self.value,
            "limite": self.limit,
            "unite": self.unit or "rapport",
            "atteint": self.met,
        }


def summary(goals: list[Goal], number: Any, table: Any) -> str:
    """The goals' table: value, limit, ✓ or ✗ (``number`` formats in French, ``table`` lays
    rows out as the report's other tables)."""
    rows = [["", "mesuré", "objectif", ""]]
    for goal in goals:
        unit = f" {goal.unit}" if goal.unit else ""
        value = (
            "n/d" if goal.value is None else number(goal.value, 2 if goal.value < 10 else 0) + unit
        )
        mark = {None: "n/d", True: "✓", False: "✗"}[goal.met]
        limit = number(goal.limit, 1 if goal.limit < 10 else 0)
        rows.append([goal.label, value, f"≤ {limit}{unit}", mark])
    met = sum(1 for g in goals if g.met)
    return f"5. Objectifs : {met} sur {len(goals)} atteints\n" + table(rows)
