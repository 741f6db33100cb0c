"""The convention's own rules, checked on a valid project: each finding names its article.

Validation (``fsdocs.project.validate``, ``fsdocs.project.references``) says whether the files
can be read and
fit together; these rules say whether what they describe respects the convention: opening
hours, contacts, equipment, partners' presence, referents. Each rule is a small function over
the typed :class:`~fsdocs.project.project.Project` yielding located findings; :data:`REGLES`
gives its
id, article, severity and a one-line French description (listed by the README and by
``fsdocs controler --format json``). :func:`check_rules` is called once, by ``load_project``, so
``fsdocs controler`` and ``fsdocs produire`` report the same findings.

This module holds the registry and the rules of art. 4.2 (opening hours, contact);
:mod:`fsdocs.rules.locaux` those of art. 4.3 (premises, equipment) and
:mod:`fsdocs.rules.partenaires` those of art. 2.2 and 5.2.1 (partners, referents).

A fact left to fill in (``~``) is already reported as « à compléter »: rules judge only what is
written, so nothing is reported twice. Messages never quote a phone number or an e-mail address:
a referent is named by name and by the missing field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fsdocs.errors import Problem, Severity
from fsdocs.french import NBSP, duree
from fsdocs.project.horaires import (
    JOURS,
    Creneau,
    jours_ouverts,
    lire_creneaux,
    minutes_semaine,
    reunir_creneaux,
)
from fsdocs.project.yaml_nodes import Loc
from fsdocs.rules.finding import Finding, in_structure, structure_name
from fsdocs.rules.locaux import accessibilite, equipement, espace_confidentiel, visioconference
from fsdocs.rules.partenaires import partenaires_nationaux, referents

if TYPE_CHECKING:
    from fsdocs.project.project import Project, Structure

MIN_MINUTES = 24 * 60
MIN_JOURS = 5


@dataclass(frozen=True)
class Regle:
    id: str
    article: str  # of the convention, as the seed numbers it: "4.2", "5.2.1"
    gravite: Severity
    description: str  # French, one line, for the README and the JSON report
    verifier: Callable[[Project], Iterable[Finding]]


def check_rules(project: Project) -> list[Problem]:
    """Every finding of every rule, each carrying its rule's article and severity."""
    return [
        Problem(*finding, severity=regle.gravite, article=regle.article, regle=regle.id)
        for regle in REGLES
        for finding in regle.verifier(project)
    ]


# --- art. 4.2: opening hours and contact ------------------------------------------------------


def ouverture(project: Project) -> Iterator[Finding]:
    for structure in project.structures:
        slots, loc = _week(structure)
        minutes, days = minutes_semaine(slots), jours_ouverts(slots)
        name = structure_name(structure)
        if not minutes:
            yield in_structure(
                project,
                structure,
                loc,
                f"aucun horaire d’ouverture ({name}) : indiquez sous « horaires: » "
                "les créneaux de chaque jour (au moins 24 h réparties sur au moins 5 jours)",
            )
        elif minutes < MIN_MINUTES or days < MIN_JOURS:
            hours = duree(minutes).replace(NBSP, " ")  # a message: plain spaces
            yield in_structure(
                project,
                structure,
                loc,
                f"ouverte {hours} sur {days} jour{'s' if days > 1 else ''} par semaine "
                f"({name}) : la convention demande au moins 24 h réparties sur au "
                "moins 5 jours",
            )


def contact(project: Project) -> Iterator[Finding]:
    for structure in project.structures:
        if structure.data.courriel is None and structure.data.formulaire is None:
            name = structure_name(structure)
            yield in_structure(
                project,
                structure,
                ("courriel",),
                f"ni courriel ni formulaire de contact ({name}) : tout usager doit "
                "pouvoir écrire à la structure ; ajoutez « courriel: » ou « formulaire: »",
            )


def _week(structure: Structure) -> tuple[dict[str, tuple[Creneau, ...]], Loc]:
    """The structure's weekly slots and where they are written (or would be)."""
    data = structure.data
    if data.horaires is not None:
        return data.horaires.semaine(), ("horaires",)
    if data.arrets:
        # A bus opens where it stops. Every stop counts as weekly, even « 1er mardi du mois »:
        # the rule may then miss a short week, but never reports one that is not.
        by_day: dict[str, list[Creneau]] = {jour: [] for jour in JOURS}
        for arret in data.arrets:
            by_day[arret.jour] += lire_creneaux(arret.horaires).creneaux
        return {jour: reunir_creneaux(slots) for jour, slots in by_day.items()}, ("arrets",)
    return {}, ("horaires",)


# In article order. Only art. 2.2 is an error: an offer that takes a national partner out of a
# structure would make Annexes 5 and 8 contradict art. 2.2 of the same convention, and only the
# project's own wording (the offers) says so. The other rules judge facts of the field —
# 251 of the 2,845 structures of the national list open less than 24 h over 5 days — and the
# convention must still be printable while they are being fixed: warnings, errors under
# ``fsdocs controler --strict``.
REGLES: tuple[Regle, ...] = (
    Regle(
        "partenaires-nationaux",
        "2.2",
        Severity.ERROR,
        "chaque partenaire national est présent dans chaque structure (agents formés par "
        "défaut, sinon permanence, rendez-vous ou visioconférence)",
        partenaires_nationaux,
    ),
    Regle(
        "ouverture",
        "4.2",
        Severity.WARNING,
        "chaque structure est ouverte au moins 24 h par semaine sur au moins 5 jours",
        ouverture,
    ),
    Regle(
        "contact",
        "4.2",
        Severity.WARNING,
        "chaque structure est joignable par courriel ou par formulaire de contact",
        contact,
    ),
    Regle(
        "equipement",
        "4.3",
        Severity.WARNING,
        "accès à internet, ordinateur, imprimante/scanner, photocopieur et téléphone",
        equipement,
    ),
    Regle(
        "visioconference",
        "4.3",
        Severity.WARNING,
        "équipement de visioconférence, obligatoire depuis le 31 décembre 2022",
        visioconference,
    ),
    Regle(
        "espace-confidentiel",
        "4.3",
        Severity.WARNING,
        "un espace confidentiel dans chaque structure",
        espace_confidentiel,
    ),
    Regle(
        "accessibilite-pmr",
        "4.3",
        Severity.WARNING,
        "des locaux accessibles aux personnes à mobilité réduite",
        accessibilite,
    ),
    Regle(
        "referents",
        "5.2.1",
        Severity.WARNING,
        "chaque partenaire désigne au moins un référent, et chaque référent a un téléphone "
        "et un courriel directs",
        referents,
    ),
)
