"""Warnings grouped by kind, with counts: what ``fsdocs controler`` and ``fsdocs dossier`` show
before the located lines, as text and in JSON (the same facts).

Facts still to fill in come first, by kind (« Agents à nommer : 12 structures »); then the
findings of each rule of the convention; then the other warnings. Within each part, the largest
group first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fsdocs.errors import Problem, Severity, problem_order
from fsdocs.rules.engine import REGLES
from fsdocs.wording.gaps import KINDS

OTHERS = "autres-avertissements"


@dataclass(frozen=True)
class Group:
    id: str  # the kind of fact to fill in (« agents »), the rule (« ouverture »), or OTHERS
    libelle: str
    nombre: int  # what is counted: structures for the agents, fields, lines…
    unite: str  # its name, agreed with ``nombre``
    a_completer: bool  # facts still to fill in
    mentions: int  # « [à compléter] » printed in the dossier for these facts
    problems: tuple[Problem, ...]

    @property
    def titre(self) -> str:
        """« Agents à nommer : 12 structures »."""
        return f"{self.libelle} : {self.nombre} {self.unite}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "groupe": self.id,
            "libelle": self.libelle,
            "nombre": self.nombre,
            "unite": self.unite,
            "a_completer": self.a_completer,
            "mentions": self.mentions,
            "problemes": len(self.problems),
        }


def groups(problems: Iterable[Problem]) -> list[Group]:
    """The warnings of ``problems`` by kind; errors are not grouped (they stop everything)."""
    by_id: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity is Severity.ERROR:
            continue
        by_id.setdefault(problem.groupe or problem.regle or OTHERS, []).append(problem)
    made = [_group(ident, found) for ident, found in by_id.items()]
    order = {regle.id: i for i, regle in enumerate(REGLES)}
    return sorted(
        made,
        key=lambda g: (
            0 if g.a_completer else 1 if g.id in order else 2,
            -g.nombre,
            g.libelle,
        ),
    )


def _group(ident: str, found: list[Problem]) -> Group:
    found.sort(key=problem_order)
    mentions = sum(p.mentions for p in found)
    kind = KINDS.get(ident)
    if kind is not None:
        count = len({p.file for p in found}) if kind.par_fichier else len(found)
        unit = kind.unite[0] if count < 2 else kind.unite[1]
        return Group(ident, kind.libelle, count, unit, True, mentions, tuple(found))
    regle = next((r for r in REGLES if r.id == ident), None)
    count = len(found)
    unit = "constat" if count < 2 else "constats"
    if regle is not None:
        libelle = f"{regle.description[:1].upper()}{regle.description[1:]} [art. {regle.article}]"
        return Group(ident, libelle, count, unit, False, mentions, tuple(found))
    unit = "avertissement" if count < 2 else "avertissements"
    return Group(OTHERS, "Autres avertissements", count, unit, False, mentions, tuple(found))


def to_fill(found: Sequence[Group]) -> tuple[int, int]:
    """How many facts are still to fill in, and how many times the dossier prints them."""
    chosen = [g for g in found if g.a_completer]
    return sum(len(g.problems) for g in chosen), sum(g.mentions for g in chosen)


def summary_lines(found: Sequence[Group]) -> list[str]:
    """The counts, by kind, before the located lines."""
    lines: list[str] = []
    facts, mentions = to_fill(found)
    if facts:
        lines.append(
            f"À compléter : {facts} fait{'s' if facts > 1 else ''} ; le dossier de signature "
            f"imprimerait « [à compléter] » {mentions} fois :"
        )
        lines += [f"  {g.titre}" for g in found if g.a_completer]
    others = [g for g in found if not g.a_completer]
    if others:
        lines.append("Autres constats :")
        lines += [f"  {g.titre}" for g in others]
    return lines


def report_lines(found: Sequence[Group]) -> list[str]:
    """The whole report: the counts, then each group's located lines under its title; only the
    lines when they are all of one kind and none is to fill in (nothing to count)."""
    if len(found) == 1 and not found[0].a_completer:
        return [str(p) for p in found[0].problems]
    lines = summary_lines(found)
    for group in found:
        title = f"{group.libelle} ({group.nombre} {group.unite}) :"
        lines += ["", title, *(str(p) for p in group.problems)]
    return lines


def report(
    problems: Iterable[Problem], *, strict: bool = False, erreur: str | None = None
) -> dict[str, Any]:
    """``fsdocs controler --format json``: every problem, a summary, and the rules checked.

    ``valide`` is what the exit code says: no error, and no warning either under ``strict``.
    ``erreur`` is set when there was no project to check at all (no problems to list).
    """
    problems = list(problems)
    found = [problem.as_dict() for problem in problems]
    errors = sum(1 for p in found if p["gravite"] == Severity.ERROR.value)
    warnings = len(found) - errors
    grouped = groups(problems)
    facts, mentions = to_fill(grouped)
    return {
        "valide": erreur is None and not errors and not (strict and warnings),
        "strict": strict,
        "resume": {
            "erreurs": errors,
            "avertissements": warnings,
            "a_completer": facts,
            "mentions": mentions,
        },
        "erreur": erreur,
        "groupes": [group.as_dict() for group in grouped],
        "problemes": found,
        "regles": [
            {
                "regle": regle.id,
                "article": regle.article,
                "gravite": regle.gravite.value,
                "description": regle.description,
            }
            for regle in REGLES
        ],
    }
