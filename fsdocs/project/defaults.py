"""What structures inherit from the project: convention.yaml's ``structures: par_defaut:``.

Most structures of a département share their equipment, premises, appointments, staffing or
modalities; written once in convention.yaml, each structure takes them unless its own file
writes the key. A key a structure writes is its own, whatever it says: ``false`` overrides a
default ``true``, and ``~`` says the fact is still to fill in for that structure. Equipment is
inherited flag by flag.

The project is validated into effective values here, once: the annexes, the rules, the gate
and the changes read a structure as it is, never as its file alone says. Each structure
remembers which keys it inherited, so that a fact missing from a default is reported, and
printed « [à compléter] », where it is written: in convention.yaml.
"""

from __future__ import annotations

from typing import Any

from fsdocs.project.annexes_model import StructureFile
from fsdocs.project.model import StructureDefaults
from fsdocs.project.paths import CONVENTION
from fsdocs.project.yaml_nodes import Loc

# Where the defaults are written in convention.yaml.
DEFAULTS: Loc = ("structures", "par_defaut")


def inherit(
    data: StructureFile, defaults: StructureDefaults | None
) -> tuple[StructureFile, frozenset[Loc]]:
    """``data`` with what it inherits from ``defaults``, and the key paths it inherited."""
    if defaults is None:
        return data, frozenset()
    taken: dict[str, Any] = {}
    inherited: set[Loc] = set()
    for key in defaults.model_fields_set - {"equipements"}:
        if key not in data.model_fields_set:
            taken[key] = getattr(defaults, key)
            inherited.add((key,))
    flags: dict[str, Any] = {}
    own = data.equipements.model_fields_set if "equipements" in data.model_fields_set else set()
    for flag in defaults.equipements.model_fields_set - own:
        flags[flag] = getattr(defaults.equipements, flag)
        inherited.add(("equipements", flag))
    if flags:
        taken["equipements"] = data.equipements.model_copy(update=flags)
    if not taken:
        return data, frozenset()
    return data.model_copy(update=taken), frozenset(inherited)


def where(fichier: str, inherited: frozenset[Loc], loc: Loc) -> tuple[str, Loc]:
    """The file and key path of the fact at ``loc`` of a structure: the default it inherits
    (``agents`` and what lies under it included), or its own file."""
    for end in range(1, len(loc) + 1):
        if loc[:end] in inherited:
            return CONVENTION, (*DEFAULTS, *loc)
    return fichier, loc


def covered(convention: Any) -> set[str]:
    """The dotted keys (« equipements.internet », « accessibilite_pmr ») that convention.yaml's
    defaults write, from its plain data: what a new structure's file need not repeat."""
    block = convention.get("structures") if isinstance(convention, dict) else None
    found = block.get("par_defaut") if isinstance(block, dict) else None
    if not isinstance(found, dict):
        return set()
    keys = {str(key) for key in found if key != "equipements"}
    flags = found.get("equipements")
    if isinstance(flags, dict):
        keys |= {f"equipements.{flag}" for flag in flags}
    return keys
