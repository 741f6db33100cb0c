"""What ``fsdocs importer`` did, field by field, as the command prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fsdocs.errors import Problem
from fsdocs.importing.merge import Fusion


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

    def lignes(self) -> list[str]:
        lines = [f"{self.liste}, département {self.departement} : {self.structures} structures."]
        lines += [f"ajoutée : {text}" for text in self.ajoutees]
        lines += [f"non ajoutée (--sans-ajout) : {text}" for text in self.non_ajoutees]
        lines += [f"modifiée : {change}" for change in self.changements]
        lines += [f"hors liste : {text}" for text in self.hors_liste]
        lines += [f"gestionnaire fusionné : {fusion}" for fusion in self.fusions]
        lines += [f"retiré : {name} (modèle vide de « fsdocs creer »)" for name in self.retires]
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
        return [*lines, f"Bilan : {', '.join(parts)}."]
