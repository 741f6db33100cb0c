"""The partners of the annexes, and their complementary offer (Annexe 5); their referents
(Annexe 6) are in annexe_referents.py, the partners × structures table (Annexe 8) in
annexe_tableau.py.

All three list the same partners in the same order: the signatories in the convention's
order, then the national partners that sign nothing (the ministère de l’Intérieur, which the
Préfet represents), then the local partners. Nothing is invented: a partner without offer
or referent says so in the annex (the base offer, or « [à compléter] »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fsdocs.project.annexes_model import Offre
from fsdocs.project.horaires import lire_creneaux
from fsdocs.project.paths import PARTENAIRES, PARTENAIRES_LOCAUX
from fsdocs.project.project import Project
from fsdocs.wording.annexes import _entete, _title
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.gaps import Where, to_fill
from fsdocs.wording.labels import labels
from fsdocs.wording.parts import Part
from fsdocs.wording.structure_page import slot

# Annexe 8's short codes and what they mean, in the order a cell prints them.
CODES = labels().tableau.codes
ABSENT = labels().tableau.absent


_ARTICLES = ("la ", "le ", "les ", "l’", "l'")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _without_article(name: str) -> str:
    """« la Caisse d’allocations familiales » → « Caisse d’allocations familiales ».

    Only a lower-case article goes: « La Poste » keeps its own.
    """
    for article in _ARTICLES:
        if name.startswith(article) and len(name) > len(article):
            return _capitalized(name[len(article) :])
    return _capitalized(name)


@dataclass(frozen=True)
class Partenaire:
    """A partner as the partners' annexes name it."""

    id: str
    nom: str  # « Caisse d’allocations familiales de Loir-et-Cher »: headings of Annexes 5, 6
    court: str  # « CAF »: a label of Annexe 8's table
    national: bool  # present in every structure through the trained agents (art. 2.2)
    signataire: bool  # signs the convention, hence designates referents (art. 5.2.1)
    local: bool  # listed in partenaires-locaux.yaml
    where: Where  # its entry in the project's files


def partenaires(project: Project) -> tuple[Partenaire, ...]:
    """Every partner, in the order the partners' annexes list them."""
    day: date = project.jour
    national = {p.id: p for p in project.partenaires_nationaux()}
    signatories = project.partenaires_signataires()
    signed = [p.partenaire for p in signatories if p.partenaire in national]
    found: list[Partenaire] = []
    listed = {p.id for p in signatories}
    for i, signatory in enumerate(project.partenaires):
        if signatory.id not in listed:
            continue  # a body whose role another holds here (the CGSS for the CPAM)
        reference = national.get(signatory.partenaire or "")
        if signatory.organisation:
            nom = _without_article(signatory.organisation)
        elif reference is not None:
            nom = _capitalized(reference.au(day).nom)
        else:
            nom = to_fill(PARTENAIRES, ("partenaires", i, "organisation"))
        # Two signatories for one national partner (two CPAM…) need their own names.
        unique = reference is not None and signed.count(reference.id) == 1
        found.append(
            Partenaire(
                id=signatory.id,
                nom=nom,
                court=_capitalized(reference.au(day).court) if reference and unique else nom,
                national=reference is not None,
                signataire=True,
                local=False,
                where=(PARTENAIRES, ("partenaires", i)),
            )
        )
    for reference in national.values():
        if reference.id not in signed:
            name = reference.au(day)
            found.append(
                Partenaire(
                    id=reference.id,
                    nom=_capitalized(name.nom),
                    court=_capitalized(name.court),
                    national=True,
                    signataire=False,
                    local=False,
                    where=("", ()),  # in fsdocs' catalogue, not in the project
                )
            )
    for i, local in enumerate(project.partenaires_locaux):
        nom = _without_article(local.nom)
        found.append(
            Partenaire(
                id=local.id,
                nom=nom,
                court=_capitalized(local.court) if local.court else nom,
                national=False,
                signataire=False,
                local=True,
                where=(PARTENAIRES_LOCAUX, ("partenaires_locaux", i)),
            )
        )
    return tuple(found)


def offre(project: Project, partenaire: Partenaire, structure_id: str) -> Offre | None:
    """What ``partenaire`` declared for one structure, if anything."""
    if not (partenaire.signataire or partenaire.local):
        return None  # offers files are named after signatories and local partners only
    declared = project.offres.get(partenaire.id)
    return declared.offres.get(structure_id) if declared is not None else None


def codes(project: Project, partenaire: Partenaire, structure_id: str) -> tuple[str, ...]:
    """How a partner is present in a structure, as Annexe 8's codes.

    Without an entry, a national partner is there through the trained agents (art. 2.2:
    « leur présence est assurée via la mise à disposition d’agents en interne »); a local
    partner is not there at all.
    """
    entry = offre(project, partenaire, structure_id)
    if entry is None:
        return ("A",) if partenaire.national else ()
    present = {
        "A": entry.agents_formes,
        "P": bool(entry.permanences),
        "V": bool(entry.visio),
        "R": bool(entry.rendez_vous),
    }
    return tuple(code for code, _ in CODES if present[code])


# --- Annexe 5: complementary offer ------------------------------------------------------------


@dataclass(frozen=True)
class PermanenceVue:
    jour: str  # « Mardi »
    frequence: str  # « 1er mardi du mois »
    horaires: str  # « 9 h – 12 h »
    lieu: str


@dataclass(frozen=True)
class OffreStructure:
    """One partner's offer in one structure, beyond the base offer."""

    structure: str  # the structure's name
    permanences: tuple[PermanenceVue, ...]
    rendez_vous: str  # or ABSENT
    visio: str  # or ABSENT
    agents: str  # « oui » / « non »: the trained agents handle its démarches


@dataclass(frozen=True)
class OffrePartenaire:
    partenaire: Partenaire
    structures: tuple[OffreStructure, ...]
    socle: str  # what holds where no structure is listed; "" when nothing needs saying


def _is_complementary(partenaire: Partenaire, entry: Offre) -> bool:
    """Whether an entry says more than the base offer the national partners all give."""
    if not partenaire.national:
        return True
    return bool(entry.permanences or entry.rendez_vous or entry.visio) or not entry.agents_formes


def offre_partenaire(project: Project, partenaire: Partenaire) -> OffrePartenaire:
    listed: list[OffreStructure] = []
    for structure in project.structures:
        entry = offre(project, partenaire, structure.id)
        if entry is None or not _is_complementary(partenaire, entry):
            continue
        listed.append(
            OffreStructure(
                structure=structure.data.nom or structure.id,
                permanences=tuple(
                    PermanenceVue(
                        jour=_capitalized(p.jour),
                        frequence=p.frequence,
                        horaires=", ".join(slot(c) for c in lire_creneaux(p.horaires).creneaux),
                        lieu=p.lieu or labels().offre.sur_place,
                    )
                    for p in entry.permanences
                ),
                rendez_vous=entry.rendez_vous or ABSENT,
                visio=entry.visio or ABSENT,
                agents="oui" if entry.agents_formes else "non",
            )
        )
    if partenaire.national:
        if not listed:
            socle = f"{labels().offre.socle}."
        elif len(listed) < len(project.structures):
            socle = f"{labels().offre.socle_ailleurs}{_lower(labels().offre.socle)}."
        else:
            socle = ""
    else:
        socle = "" if listed else "Aucune offre déclarée dans les France services du département."
    return OffrePartenaire(partenaire, tuple(listed), socle)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def annexe_offre(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 5: per partner, the structures where it offers more than the base offer."""
    offres = [offre_partenaire(project, p) for p in partenaires(project)]
    return [
        Part(
            f"annexe-{annex.numero}",
            "wording/annexe-offre.html.j2",
            _title(ctx, annex),
            _entete(ctx, annex),
            {"annexe": annex, "departement_de": ctx.departement_de, "partenaires": offres},
            annexe=annex.numero,
        )
    ]
