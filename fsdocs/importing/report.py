"""What ``fsdocs importer`` did, as the command prints it: a summary by kind, with counts and
the first few examples of each, or every line (``--detail``).

The summary reads like ``fsdocs controler``'s: each kind of change or warning on one line with
its count, a few examples under it, and the project's state after the import grouped as
``controler`` groups it (:mod:`fsdocs.rules.groups`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fsdocs.errors import Problem, ProjectError, Severity
from fsdocs.importing.merge import Fusion

EXAMPLES = 3  # lines shown under each kind, without --detail


@dataclass(frozen=True)
class Changement:
    structure: str
    champ: str
    avant: str
    apres: str

    def __str__(self) -> str:
        return f"{self.structure} · {self.champ} : {self.avant} → {self.apres}"


@dataclass
class Rapport:
    """What an import did, for the command to print."""

    liste: str
    departement: str
    structures: int = 0
    ajoutees: list[str] = field(default_factory=list)
    non_ajoutees: list[str] = field(default_factory=list)  # new in the list, left out on request
    changements: list[Changement] = field(default_factory=list)
    inchangees: int = 0
    hors_liste: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    avertissements: list[Problem] = field(default_factory=list)
    fusions: list[Fusion] = field(default_factory=list)  # gestionnaires merged, one signature
    ecrits: list[Path] = field(default_factory=list)
    # The project as ``fsdocs controler`` sees it once imported: its summary by kind.
    constats: list[str] = field(default_factory=list)

    def sections(self, detail: bool = False) -> list[tuple[tuple[str, str], list[str]]]:
        """Each kind of line of the report, named in the singular and plural, with its lines;
        changes by field, or (``detail``) all together, in the order they were made."""
        changes: dict[str, list[str]] = {}
        for change in self.changements:
            key = "" if detail else change.champ.split(".")[0]
            changes.setdefault(key, []).append(f"modifiée : {change}")
        return [
            (
                ("structure ajoutée", "structures ajoutées"),
                [f"ajoutée : {t}" for t in self.ajoutees],
            ),
            (
                ("structure non ajoutée", "structures non ajoutées"),
                [f"non ajoutée (--sans-ajout) : {text}" for text in self.non_ajoutees],
            ),
            *(
                ((f"champ « {key} » modifié", f"champs « {key} » modifiés"), lines)
                for key, lines in changes.items()
            ),
            (
                ("structure hors liste", "structures hors liste"),
                [f"hors liste : {text}" for text in self.hors_liste],
            ),
            (
                ("modèle vide retiré", "modèles vides retirés"),
                [f"retiré : {name} (modèle vide de « fsdocs creer »)" for name in self.retires],
            ),
            (
                ("gestionnaire fusionné", "gestionnaires fusionnés"),
                [f"gestionnaire fusionné : {fusion}" for fusion in self.fusions],
            ),
        ]

    def lignes(self, detail: bool = False) -> list[str]:
        lines = [f"{self.liste}, département {self.departement} : {self.structures} structures."]
        for title, found in self.sections(detail):
            lines += found if detail else summarised(title, found)
        if not self.ecrits:
            return [*lines, "Aucun changement : le projet est à jour avec cette liste."]
        counts = (
            (len(self.ajoutees), "structure ajoutée", "structures ajoutées"),
            (len({c.structure for c in self.changements}), "modifiée", "modifiées"),
            (len(self.changements), "champ changé", "champs changés"),
            (self.inchangees, "inchangée", "inchangées"),
            (len(self.hors_liste), "hors liste", "hors liste"),
            (len(self.fusions), "gestionnaire fusionné", "gestionnaires fusionnés"),
            (len(self.ecrits), "fichier écrit", "fichiers écrits"),
        )
        parts = [f"{n} {one if n < 2 else many}" for n, one, many in counts if n]
        lines.append(f"Bilan : {', '.join(parts)}.")
        if self.constats:
            lines += ["", "Le projet après l’import (détail : « fsdocs controler ») :"]
            lines += self.constats
        return lines

    def avertissements_lignes(self, detail: bool = False) -> list[str]:
        """The list's own warnings (an invalid e-mail, unreadable hours), by column."""
        if detail:
            return [str(problem) for problem in self.avertissements]
        by_column: dict[str, list[str]] = {}
        for problem in self.avertissements:
            by_column.setdefault(problem.path or "ligne", []).append(str(problem))
        lines: list[str] = []
        for column, found in sorted(by_column.items(), key=lambda item: -len(item[1])):
            kind = f"de la liste, colonne « {column} »"
            lines += summarised((f"avertissement {kind}", f"avertissements {kind}"), found)
        return lines


def summarised(title: tuple[str, str], lines: Sequence[str]) -> list[str]:
    """« 44 structures ajoutées : », the first few lines, and how many more ``--detail``
    shows; nothing for a kind without lines."""
    if not lines:
        return []
    head = [f"{len(lines)} {title[0] if len(lines) < 2 else title[1]} :", *lines[:EXAMPLES]]
    rest = len(lines) - EXAMPLES
    if rest > 0:
        head.append(f"… et {rest} autre{'s' if rest > 1 else ''} (--detail pour tout voir)")
    return head


def after_import(root: Path) -> list[str]:
    """The imported project as ``fsdocs controler`` sums it up, by kind."""
    from fsdocs.rules.checked import load_project
    from fsdocs.rules.groups import groups, summary_lines
    from fsdocs.wording.completeness import checked

    try:
        problems = list(checked(load_project(root)).warnings)
    except ProjectError as exc:
        problems = exc.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    head = [f"{len(errors)} erreur{'s' if len(errors) > 1 else ''} :"] if errors else []
    return head + [str(p) for p in errors[:EXAMPLES]] + summary_lines(groups(problems))
