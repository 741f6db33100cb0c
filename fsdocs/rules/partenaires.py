"""Art. 2.2 and 5.2.1 of the convention: every national partner present in every structure,
and every partner's referents reachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fsdocs.project.paths import OFFRES, PARTENAIRES, PARTENAIRES_LOCAUX, REFERENTS
from fsdocs.project.yaml_nodes import Loc, format_loc
from fsdocs.rules.finding import Finding, structure_name

if TYPE_CHECKING:
    from fsdocs.project.annexes_model import Offre, Referent
    from fsdocs.project.model import Personne
    from fsdocs.project.project import Project


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
    day = project.jour
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
                    f"({structure_name(structure)}) : « agents_formes: false » sans permanence, "
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
    directs »: each person listed must have both, not only one of them — or say, under
    ``coordonnees``, how the structures reach them when the annex does not print them.
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
            if lacks and person.coordonnees is None:
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


def _person(person: Referent, index: int) -> str:
    name = " ".join(part for part in (person.prenom, person.nom) if part)
    if not name and not person.named and person.fonction:
        return f"le référent n° {index + 1} ({person.fonction})"
    return name or f"le référent n° {index + 1}"
