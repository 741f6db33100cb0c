"""Annexe 6: the referents each partner names for the structures (art. 5.2.1), in the order
of :func:`fsdocs.wording.annexes_partenaires.partenaires`."""

from __future__ import annotations

from dataclasses import dataclass

from fsdocs.french import NBSP
from fsdocs.project.paths import REFERENTS
from fsdocs.project.project import Project
from fsdocs.wording.annexes import _entete, _title
from fsdocs.wording.annexes_partenaires import partenaires
from fsdocs.wording.context import Annex, ConventionContext, person
from fsdocs.wording.gaps import Where, fill, to_fill
from fsdocs.wording.parts import Part


@dataclass(frozen=True)
class Referent:
    """One row of Annexe 6."""

    partenaire: str  # the organisation, on every row: a row alone on a page still reads
    nom: str  # the person, or the function that answers when no one is named
    fonction: str  # agreed with the referent's civility, as in the header list; "" if in nom
    telephone: str  # digit pairs joined by non-breaking spaces
    courriel: str
    coordonnees: str  # printed across both contact columns instead of them; or ""


def _phone(number: str | int | None, where: Where) -> str:
    # Digit pairs stay together: a number is never broken across two lines of a cell.
    return str(number).replace(" ", NBSP) if number else to_fill(*where)


def referents(project: Project) -> tuple[Referent, ...]:
    """Each referent of each partner; a partner who named none gets a row to fill in.

    The national partners that sign nothing (the Intérieur, represented by the Préfet) have
    no referents of their own: art. 5.2.1 asks the signatory partners for them, and a local
    partner for what it offers.

    A partner without referent is one fact to fill in, at the place the rule ``referents``
    names (its entry, or its empty list in referents.yaml); so is a referent's missing direct
    contact, at the referent's entry.
    """
    rows: list[Referent] = []
    named = project.referents.referents
    for partenaire in partenaires(project):
        if not (partenaire.signataire or partenaire.local):
            continue
        people = named.get(partenaire.id) or []
        offers = project.offres.get(partenaire.id)
        if partenaire.local and not people and not (offers and offers.offres):
            continue  # a local partner names referents for what it offers (rule referents)
        if not people:
            where = (REFERENTS, ("referents", partenaire.id))
            missing = to_fill(*(where if partenaire.id in named else partenaire.where))
            rows.append(Referent(partenaire.nom, missing, missing, missing, missing, ""))
        for k, data in enumerate(people):
            loc = ("referents", partenaire.id, k)
            contact = (REFERENTS, loc)  # where the rule names a missing direct contact
            if data.named:
                who = person(data, data.fonction, (REFERENTS, loc))
                nom, fonction = who.nom_complet, who.fonction
            else:  # designated by function: the function, in its own words
                nom = fill(data.fonction, REFERENTS, (*loc, "fonction"))
                fonction = ""
            rows.append(
                Referent(
                    partenaire=partenaire.nom,
                    nom=nom,
                    fonction=fonction,
                    telephone=_phone(data.telephone, contact),
                    courriel=data.courriel or to_fill(*contact),
                    coordonnees=""
                    if data.telephone and data.courriel
                    else (data.coordonnees or ""),
                )
            )
    return tuple(rows)


def annexe_referents(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 6: one table of every partner's referents, its header repeated on each page."""
    return [
        Part(
            f"annexe-{annex.numero}",
            "wording/annexe-referents.html.j2",
            _title(ctx, annex),
            _entete(ctx, annex),
            {
                "annexe": annex,
                "departement_de": ctx.departement_de,
                "referents": referents(project),
            },
            annexe=annex.numero,
        )
    ]


# --- Annexe 8: partners × structures ----------------------------------------------------------
