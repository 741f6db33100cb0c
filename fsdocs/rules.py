"""The convention's own rules, checked on a valid project: each finding names its article.

Validation (``fsdocs.validate``, ``fsdocs.references``) says whether the files can be read and
fit together; these rules say whether what they describe respects the convention: opening
hours, contacts, equipment, partners' presence, referents. Each rule is a small function over
the typed :class:`~fsdocs.project.Project` yielding located findings; :data:`REGLES` gives its
id, article, severity and a one-line French description (listed by the README and by
``fsdocs check --format json``). :func:`check_rules` is called once, by ``load_project``, so
``fsdocs check`` and ``fsdocs build`` report the same findings.

A fact left to fill in (``~``) is already reported as « à compléter »: rules judge only what is
written, so nothing is reported twice. Messages never quote a phone number or an e-mail address:
a referent is named by name and by the missing field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import Problem, Severity
from .horaires import JOURS, Creneau, jours_ouverts, lire_creneaux, minutes_semaine
from .layout import OFFRES, PARTENAIRES, PARTENAIRES_LOCAUX, REFERENTS
from .loader import Loc, format_loc

if TYPE_CHECKING:
    from .model import Personne
    from .model_annexes import Offre
    from .project import Project, Structure

MIN_MINUTES = 24 * 60
MIN_JOURS = 5
# The national charter made videoconference equipment mandatory in every France services by
# 31 December 2022; the 2020 convention (art. 4.3) did not list it yet.
VISIO_DEPUIS = date(2022, 12, 31)


class Finding(NamedTuple):
    """Where a rule is broken and why; :func:`check_rules` adds article and severity."""

    file: str
    line: int | None
    path: str
    message: str


@dataclass(frozen=True)
class Regle:
    id: str
    article: str  # of the convention, as the seed numbers it: "4.2", "5.2.1"
    gravite: Severity
    description: str  # French, one line, for the README and the JSON report
    verifier: Callable[[Project], Iterable[Finding]]


def report(
    problems: Iterable[Problem], *, strict: bool = False, erreur: str | None = None
) -> dict[str, Any]:
    """``fsdocs check --format json``: every problem, a summary, and the rules checked.

    ``valide`` is what the exit code says: no error, and no warning either under ``strict``.
    ``erreur`` is set when there was no project to check at all (no problems to list).
    """
    found = [problem.as_dict() for problem in problems]
    errors = sum(1 for p in found if p["gravite"] == Severity.ERROR.value)
    warnings = len(found) - errors
    return {
        "valide": erreur is None and not errors and not (strict and warnings),
        "strict": strict,
        "resume": {"erreurs": errors, "avertissements": warnings},
        "erreur": erreur,
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
        if not minutes:
            yield _at(
                project,
                structure,
                loc,
                f"aucun horaire d’ouverture ({_name(structure)}) : indiquez sous « horaires: » "
                "les créneaux de chaque jour (au moins 24 h réparties sur au moins 5 jours)",
            )
        elif minutes < MIN_MINUTES or days < MIN_JOURS:
            yield _at(
                project,
                structure,
                loc,
                f"ouverte {duree(minutes)} sur {days} jour{'s' if days > 1 else ''} par semaine "
                f"({_name(structure)}) : la convention demande au moins 24 h réparties sur au "
                "moins 5 jours",
            )


def contact(project: Project) -> Iterator[Finding]:
    for structure in project.structures:
        if structure.data.courriel is None and structure.data.formulaire is None:
            yield _at(
                project,
                structure,
                ("courriel",),
                f"ni courriel ni formulaire de contact ({_name(structure)}) : tout usager doit "
                "pouvoir écrire à la structure ; ajoutez « courriel: » ou « formulaire: »",
            )


def duree(minutes: int) -> str:
    """``1170`` → ``19 h 30``; ``1440`` → ``24 h``."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


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
        return {jour: _union(slots) for jour, slots in by_day.items()}, ("arrets",)
    return {}, ("horaires",)


def _union(slots: list[Creneau]) -> tuple[Creneau, ...]:
    """Overlapping slots (two stops the same day) merged, so no minute counts twice."""
    merged: list[Creneau] = []
    for slot in sorted(slots):
        if merged and slot.debut <= merged[-1].fin:
            merged[-1] = Creneau(merged[-1].debut, max(merged[-1].fin, slot.fin))
        else:
            merged.append(slot)
    return tuple(merged)


# --- art. 4.3: premises and equipment ---------------------------------------------------------

# Field of ``equipements`` → what a structure without it lacks.
EQUIPEMENT_MINIMAL = {
    "internet": "pas d’accès à internet",
    "ordinateur": "pas d’ordinateur",
    "imprimante_scanner": "pas d’imprimante/scanner",
    "photocopieur": "pas de photocopieur",
    "telephone": "pas de téléphone",
}


def equipement(project: Project) -> Iterator[Finding]:
    for field, missing in EQUIPEMENT_MINIMAL.items():
        yield from _when_false(
            project,
            ("equipements", field),
            f"{missing} ({{}}) : l’équipement minimal de toute France services comprend un accès "
            "à internet, un ordinateur, une imprimante/scanner, un photocopieur et un téléphone",
        )


def visioconference(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("equipements", "visioconference"),
        "pas d’équipement de visioconférence ({}) : il est obligatoire dans toute France "
        "services depuis le 31 décembre 2022",
        lambda structure: visio_obligatoire(project, structure),
    )


def visio_obligatoire(project: Project, structure: Structure) -> bool:
    """Whether the convention, as it binds this structure, requires videoconference.

    A structure is bound from the later of two dates: the convention's signature (its
    labelling reference while the date is still to fill) and its own labelling, when it joins
    a convention already signed. The structure's labelling date alone would be wrong: the
    2022 deadline binds the structures labelled in 2020 too, once they sign a new convention.
    The convention's date alone would be wrong for a structure labelled in 2023 that joins a
    2020 convention. Today's date is never used: the same data must give the same findings.
    """
    convention = project.convention
    day = convention.signature.date or convention.labellisation
    if structure.data.labellisation is not None:
        day = max(day, structure.data.labellisation)
    return day >= VISIO_DEPUIS


def espace_confidentiel(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("espace_confidentiel",),
        "pas d’espace confidentiel ({}) : toute France services doit en comporter un",
    )


def accessibilite(project: Project) -> Iterator[Finding]:
    return _when_false(
        project,
        ("accessibilite_pmr",),
        "locaux non accessibles aux personnes à mobilité réduite ({}) : ils doivent l’être",
    )


def _when_false(
    project: Project,
    loc: tuple[str, ...],
    message: str,
    applies: Callable[[Structure], bool] = lambda structure: True,
) -> Iterator[Finding]:
    """Structures whose flag at ``loc`` is written ``false`` (``~`` is « à compléter »)."""
    for structure in project.structures:
        if not applies(structure):
            continue
        value: Any = structure.data
        for key in loc:
            value = getattr(value, key)
        if value is False:
            yield _at(project, structure, loc, message.format(_name(structure)))


# --- art. 2.2: every national partner in every structure --------------------------------------


def partenaires_nationaux(project: Project) -> Iterator[Finding]:
    """An offer entry that takes a national partner out of a structure breaks art. 2.2.

    Every national partner of the accord-cadre counts, the ministère de l’Intérieur included:
    art. 2.2 names « tous les partenaires nationaux signataires de l’Accord cadre national »,
    and the Intérieur signs that accord; it only does not sign the departmental convention,
    the Préfet representing it (``signe: false``). Without a signatory it has no offers file,
    so its base offer is the trained agents' — which is what art. 2.2 asks.

    A partner without an entry for a structure is present there through the trained agents
    (``agents_formes`` defaults to true), as art. 2.2 says: « leur présence est assurée via la
    mise à disposition d’agents en interne ».
    """
    day = project.convention.labellisation
    for national in project.partenaires_nationaux():
        signatories = [p.id for p in project.partenaires if p.partenaire == national.id]
        for structure in project.structures:
            entries = [
                (partner_id, offres.offres[structure.id])
                for partner_id in signatories
                if (offres := project.offres.get(partner_id)) and structure.id in offres.offres
            ]
            if not entries or any(_present(offre) for _, offre in entries):
                continue
            for partner_id, _ in entries:
                file = f"{OFFRES}/{partner_id}.yaml"
                loc: Loc = ("offres", structure.id, "agents_formes")
                yield Finding(
                    file,
                    project.line_of(file, loc),
                    format_loc(loc),
                    f"partenaire national « {national.au(day).nom} » absent de cette structure "
                    f"({_name(structure)}) : « agents_formes: false » sans permanence, "
                    "rendez-vous ni visioconférence ; chaque partenaire national doit être "
                    "présent dans chaque France services : décrivez sa permanence, ses "
                    "rendez-vous ou sa visioconférence, ou retirez « agents_formes: false »",
                )


def _present(offre: Offre) -> bool:
    return bool(offre.agents_formes or offre.permanences or offre.rendez_vous or offre.visio)


# --- art. 5.2.1: referents --------------------------------------------------------------------


def referents(project: Project) -> Iterator[Finding]:
    """Each signing partner, and each local partner with an offer, names a reachable referent.

    Art. 5.2.1 asks every designated referent to be « accessible par téléphone et par mail
    directs »: each person listed must have both, not only one of them.
    """
    named = project.referents.referents
    for i, partner in enumerate(project.partenaires):
        if not named.get(partner.id):
            yield _no_referent(
                project, PARTENAIRES, ("partenaires", i), partner.id, partner.organisation
            )
    for i, local in enumerate(project.partenaires_locaux):
        offres = project.offres.get(local.id)
        if offres is not None and offres.offres and not named.get(local.id):
            yield _no_referent(
                project, PARTENAIRES_LOCAUX, ("partenaires_locaux", i), local.id, local.nom
            )
    for partner_id, people in named.items():
        for k, person in enumerate(people):
            lacks = _lacks(person)
            if lacks:
                loc: Loc = ("referents", partner_id, k)
                keys = " et ".join(f"« {key}: »" for key in lacks)
                yield Finding(
                    REFERENTS,
                    project.line_of(REFERENTS, loc),
                    format_loc(loc),
                    f"{_person(person, k)} {_LACKS[lacks]} : un référent doit être joignable par "
                    f"téléphone et par courriel directs ; renseignez {keys}",
                )


def _no_referent(
    project: Project, file: str, loc: Loc, partner_id: str, organisation: str | None
) -> Finding:
    who = organisation or f"le partenaire « {partner_id} »"
    wanted = "au moins une personne joignable par téléphone et par courriel directs"
    if partner_id in project.referents.referents:  # the key is written, with an empty list
        loc = ("referents", partner_id)
        return Finding(
            REFERENTS,
            project.line_of(REFERENTS, loc),
            format_loc(loc),
            f"aucun référent désigné par {who} : ajoutez {wanted}",
        )
    return Finding(
        file,
        project.line_of(file, loc),
        format_loc(loc),
        f"aucun référent désigné par {who} : ajoutez dans {REFERENTS}, sous « referents: », la "
        f"clé « {partner_id}: » avec {wanted}",
    )


_LACKS = {
    ("telephone",): "n’a pas de téléphone direct",
    ("courriel",): "n’a pas de courriel direct",
    ("telephone", "courriel"): "n’a ni téléphone ni courriel directs",
}


def _lacks(person: Personne) -> tuple[str, ...]:
    return tuple(
        key
        for key, value in (("telephone", person.telephone), ("courriel", person.courriel))
        if value is None
    )


def _person(person: Personne, index: int) -> str:
    name = " ".join(part for part in (person.prenom, person.nom) if part)
    return name or f"le référent n° {index + 1}"


# --- helpers ----------------------------------------------------------------------------------


def _name(structure: Structure) -> str:
    return structure.data.nom or structure.id


def _at(project: Project, structure: Structure, loc: Loc, message: str) -> Finding:
    """A finding in a structure's file, on the line of ``loc`` (or of its nearest ancestor)."""
    return Finding(
        structure.fichier, project.line_of(structure.fichier, loc), format_loc(loc), message
    )


# In article order. Only art. 2.2 is an error: an offer that takes a national partner out of a
# structure would make Annexes 5 and 8 contradict art. 2.2 of the same convention, and only the
# project's own wording (the offers) says so. The other rules judge facts of the field —
# 251 of the 2,845 structures of the national list open less than 24 h over 5 days — and the
# convention must still be printable while they are being fixed: warnings, errors under
# ``fsdocs check --strict``.
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
