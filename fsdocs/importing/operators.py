"""Managers the national list implies by a structure's name (fsdocs/data/gestionnaires-connus.yaml).

The 2024 list does not name each structure's manager; some names leave no doubt (« France
services La Poste de Galgon »): every such structure of a département is managed by one legal
entity, which signs once. The import gives them one gestionnaire instead of one each.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from fsdocs.errors import FsdocsError
from fsdocs.project.load import parse_yaml

SOURCE = "fsdocs/data/gestionnaires-connus.yaml"


@dataclass(frozen=True)
class Operator:
    id: str  # the gestionnaire's id, when the project has none for it yet
    organisation: str
    motif: re.Pattern[str]


@functools.cache
def operators() -> tuple[Operator, ...]:
    raw = resources.files("fsdocs").joinpath("data/gestionnaires-connus.yaml").read_bytes()
    source, problems = parse_yaml(raw, SOURCE)
    if source is None or problems or not isinstance(source.data, dict):
        raise FsdocsError(f"{SOURCE} illisible : réinstallez fsdocs")
    return tuple(
        Operator(str(e["id"]), str(e["organisation"]), re.compile(str(e["motif"]), re.IGNORECASE))
        for e in source.data["gestionnaires"]
    )


def operator_of(name: str | None) -> Operator | None:
    """The manager a structure's name designates, if any."""
    if not name:
        return None
    return next((o for o in operators() if o.motif.search(name)), None)


def named_appellation(name: str | None) -> str | None:
    """What follows « la France services » in the list's name: « Pimms Médiation de
    Bordeaux » for « France services Pimms Médiation de Bordeaux »."""
    if not name:
        return None
    text = re.sub(r"^\s*(bus\s+)?france\s+services\s+", "", name, flags=re.IGNORECASE).strip()
    return text or None
