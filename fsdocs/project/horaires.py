"""Opening hours: parsing what people and the national list write, and weekly totals.

Accepted forms, as found in ANCT's lists and typed by hand: ``09:00 - 12:00 / 13:30 - 17:00``,
``9h-12h et 14h-17h``, ``8h30-12h15/13h30-17h``, ``9 h -12h – 13 h 30 – 17 h 30``. Times are
read in order and paired into slots; the dummy ``00:00 - 00:00`` slots of the national list are
dropped. Anything that cannot be read is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Minutes are only taken when they are not themselves an hour: "12h 13h30" is 12:00 then
# 13:30 (ANCT's 2020 list), while "13 h 30" is 13:30.
_TIME = re.compile(r"(?<![\d:])(\d{1,2})\s*[:hH](?:\s*(\d{2})(?!\d)(?!\s*[:hH]))?")
_NOISE = re.compile(r"[\s\-–—/,;]+|\bet\b|\bà\b|\bde\b", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Creneau:
    """One opening slot of a day."""

    debut: time
    fin: time

    @property
    def minutes(self) -> int:
        return (self.fin.hour * 60 + self.fin.minute) - (self.debut.hour * 60 + self.debut.minute)

    def __str__(self) -> str:
        return f"{self.debut:%H:%M}-{self.fin:%H:%M}"


@dataclass(frozen=True)
class Lecture:
    """The slots read from a text, what was left over, and the problems found (French)."""

    creneaux: tuple[Creneau, ...]
    reste: str  # words that are not times ("1 samedi sur 2"), kept for a person to read
    problemes: tuple[str, ...]


def lire_creneaux(text: str) -> Lecture:
    """Read the slots of one day from ``text``."""
    times: list[time] = []
    problems: list[str] = []
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            problems.append(f"heure impossible « {match.group(0).strip()} »")
            continue
        times.append(time(23, 59) if hour == 24 else time(hour, minute))
    leftover = _NOISE.sub(" ", _TIME.sub(" ", text)).strip()
    if len(times) % 2:
        problems.append(f"nombre d’heures impair dans « {text.strip()} » : une heure de fin manque")
        times = times[:-1]
    slots: list[Creneau] = []
    for start, end in zip(times[::2], times[1::2], strict=True):
        if start == end == time(0, 0):
            continue  # the national list's placeholder for "no slot"
        if end <= start:
            problems.append(f"créneau {start:%H:%M}-{end:%H:%M} : la fin précède le début")
            continue
        slots.append(Creneau(start, end))
    slots.sort()
    for before, after in pairwise(slots):
        if after.debut < before.fin:
            problems.append(f"créneaux {before} et {after} qui se chevauchent")
    return Lecture(tuple(slots), leftover, tuple(problems))


def reunir_creneaux(slots: tuple[Creneau, ...] | list[Creneau]) -> tuple[Creneau, ...]:
    """Overlapping or touching slots merged, so that no minute counts twice."""
    merged: list[Creneau] = []
    for slot in sorted(slots):
        if merged and slot.debut <= merged[-1].fin:
            merged[-1] = Creneau(merged[-1].debut, max(merged[-1].fin, slot.fin))
        else:
            merged.append(slot)
    return tuple(merged)


def ecrire_creneaux(slots: tuple[Creneau, ...] | list[Creneau]) -> str:
    """The YAML form of a day: ``09:00-12:00 / 13:30-17:00`` (empty when closed)."""
    return " / ".join(str(slot) for slot in slots)


def minutes_semaine(semaine: dict[str, tuple[Creneau, ...]]) -> int:
    return sum(slot.minutes for slots in semaine.values() for slot in slots)


def jours_ouverts(semaine: dict[str, tuple[Creneau, ...]]) -> int:
    return sum(1 for slots in semaine.values() if slots)
