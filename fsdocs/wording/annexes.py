"""The generated annex of the structures: what it prints, computed once from the project,
typed. Annexe 4 (modalités de gestion, one page per structure); Annexe 7 (the model mandate
signed on site, art. 4.6) is in annexe_mandat.py.

Each annex kind registers a builder that returns its parts (parts.py). Templates are named
after the kind (``wording/annexe-modalites.html.j2``), never after a number: numbers come
from the convention's annex list.
"""

from __future__ import annotations

from fsdocs.french import NBSP, duree, long_date
from fsdocs.project.annexes_model import StructureFile, TypeStructure
from fsdocs.project.horaires import JOURS, jours_ouverts, lire_creneaux, minutes_semaine
from fsdocs.project.model import Agent
from fsdocs.project.paths import GESTIONNAIRES
from fsdocs.project.project import Project, Structure
from fsdocs.project.yaml_nodes import Loc
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.gaps import fill, to_fill
from fsdocs.wording.parts import Part
from fsdocs.wording.structure_page import (
    Arret,
    Champ,
    Ligne,
    PageStructure,
    fitted,
    jour,
    slot,
)

TYPE_LABELS = {
    TypeStructure.FIXE: "France services fixe",
    TypeStructure.ITINERANTE: "France services itinérante",
    TypeStructure.ANTENNE: "antenne France services",
    TypeStructure.MULTISITES: "France services multisites",
}
# Art. 4.3 of the convention, in its order; Wifi and tablet are printed only when known.
EQUIPEMENTS = {
    "internet": "Accès à internet",
    "ordinateur": "Ordinateur",
    "imprimante_scanner": "Imprimante / scanner",
    "photocopieur": "Photocopieur",
    "telephone": "Téléphone",
    "visioconference": "Visioconférence",
    "wifi": "Wifi pour les usagers",
    "tablette": "Tablette connectée",
}
OPTIONAL_EQUIPEMENTS = {"wifi", "tablette"}
FORM_ONLY = "par le formulaire de contact ci-dessous"


def yes_no(value: bool | None, fichier: str, loc: Loc) -> str:
    if value is None:
        return to_fill(fichier, loc)
    return "oui" if value else "non"


def page_structure(project: Project, structure: Structure) -> PageStructure:
    data: StructureFile = structure.data
    here = structure.fichier
    at = structure.where  # a fact inherited from the defaults is written in convention.yaml
    index, gestionnaire = next(
        (i, g) for i, g in enumerate(project.gestionnaires) if g.id == data.gestionnaire
    )
    organisation = fill(
        gestionnaire.organisation, GESTIONNAIRES, ("gestionnaires", index, "organisation")
    )
    week = data.horaires.semaine() if data.horaires else None
    days = (
        tuple(jour(j.capitalize(), week[j]) for j in JOURS if week[j] or j != "dimanche")
        if week is not None
        else ()
    )
    itinerant = data.type is TypeStructure.ITINERANTE
    acces = [Champ("Formulaire", (data.formulaire,))] if data.formulaire else []
    acces.append(Champ("Rendez-vous", (fill(data.rendez_vous, *at(("rendez_vous",))),)))
    equipements: list[Ligne | None] = [
        Ligne(label, yes_no(getattr(data.equipements, key), *at(("equipements", key))))
        for key, label in EQUIPEMENTS.items()
        if getattr(data.equipements, key) is not None or key not in OPTIONAL_EQUIPEMENTS
    ]
    if len(equipements) % 2:
        equipements.append(None)  # the premises start a row of their own
    equipements += [
        Ligne(
            "Accès des personnes à mobilité réduite",
            yes_no(data.accessibilite_pmr, *at(("accessibilite_pmr",))),
        ),
        Ligne(
            "Espace confidentiel", yes_no(data.espace_confidentiel, *at(("espace_confidentiel",)))
        ),
    ]
    page = PageStructure(
        id=structure.id,
        nom=fill(data.nom, here, ("nom",)),
        type=TYPE_LABELS[data.type],
        commune=fill(data.commune, here, ("commune",)),
        labellisation=long_date(data.labellisation)
        if data.labellisation
        else to_fill(here, ("labellisation",)),
        coordonnees=(
            (
                Champ("Gestionnaire", (_capitalized(organisation),)),
                Champ("Téléphone", (_phone(data.telephone, here),)),
            ),
            (
                Champ("Adresse de rattachement" if itinerant else "Adresse", _address(structure)),
                Champ("Courriel", (_courriel(data, here),)),
            ),
        ),
        acces=tuple(acces),
        horaires=days,
        sans_horaires="" if week is not None or data.arrets else to_fill(here, ("horaires",)),
        total=duree(minutes_semaine(week)) if week else "",
        jours_ouverts=_days(jours_ouverts(week)) if week else "",
        arrets=tuple(
            Arret(
                stop.jour.capitalize(),
                f"{stop.lieu}, {stop.commune}",
                ", ".join(slot(c) for c in lire_creneaux(stop.horaires).creneaux),
                stop.frequence or "",
            )
            for stop in data.arrets
        ),
        agents=tuple(_agent(a, *at(("agents", i))) for i, a in enumerate(data.agents)),
        sans_agents="" if data.agents else to_fill(*at(("agents",))),
        equipements=tuple(zip(equipements[::2], equipements[1::2], strict=True)),
        modalites=data.modalites or "",
        commentaire=data.commentaire or "",
        densite="",
    )
    return fitted(page)


def _courriel(data: StructureFile, fichier: str) -> str:
    """The e-mail; a structure reached by its contact form instead says so (art. 4.2 asks
    for one or the other)."""
    if data.courriel:
        return data.courriel
    return FORM_ONLY if data.formulaire else to_fill(fichier, ("courriel",))


def _phone(number: str | int | None, fichier: str) -> str:
    return str(number) if number else to_fill(fichier, ("telephone",))


def _capitalized(text: str) -> str:
    """« l’association … » opens a table cell as « L’association … »."""
    return text[:1].upper() + text[1:]


def _days(count: int) -> str:
    return f"{count} jour" if count < 2 else f"{count} jours"


def _agent(agent: Agent, fichier: str, loc: Loc) -> str:
    """« Marie Dupont, animatrice », or, when no one is named, the agents by their count
    (« 2 agents polyvalents ») or their function alone."""
    if agent.nombre is not None:
        parts = [f"{agent.nombre}{NBSP}{agent.fonction or 'agents France services'}"]
    elif agent.named:
        name = f"{fill(agent.prenom, fichier, (*loc, 'prenom'))}{NBSP}"
        name += fill(agent.nom, fichier, (*loc, "nom"))
        parts = [f"{name}, {agent.fonction}" if agent.fonction else name]
    else:
        parts = [_capitalized(fill(agent.fonction, fichier, (*loc, "fonction")))]
    if agent.formation:
        parts.append(f"formation initiale le {long_date(agent.formation)}")
    return " – ".join(parts)


def _address(structure: Structure) -> tuple[str, ...]:
    data, here = structure.data, structure.fichier
    if data.adresse is None:
        return (to_fill(here, ("adresse",)),)
    lines = [fill(data.adresse.voie, here, ("adresse", "voie"))]
    if data.adresse.complement:
        lines.append(data.adresse.complement)
    postcode = data.adresse.code_postal
    code = str(postcode) if postcode else to_fill(here, ("adresse", "code_postal"))
    lines.append(f"{code} {fill(data.commune, here, ('commune',))}")
    return tuple(lines)


# -- Builders ---------------------------------------------------------------------------------


def _entete(ctx: ConventionContext, annex: Annex) -> str:
    return f"{ctx.entete} – Annexe {annex.numero}"


def _title(ctx: ConventionContext, annex: Annex) -> str:
    return f"Annexe {annex.numero} – {annex.titre} – {ctx.titre} {ctx.departement_de}"


def _common(ctx: ConventionContext, annex: Annex) -> dict[str, object]:
    return {
        "annexe": annex,
        "departement_de": ctx.departement_de,
        # "article 4.6 de la convention départementale France services de Loir-et-Cher"
        "la_convention": f"{ctx.titre[:1].lower()}{ctx.titre[1:]} {ctx.departement_de}",
    }


def modalites(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 4: one page per structure, together and one file per structure."""
    pages = [page_structure(project, s) for s in project.structures]
    template = "wording/annexe-modalites.html.j2"
    own = [
        Part(
            f"annexe-{annex.numero}-{page.id}",
            template,
            f"{_title(ctx, annex)} – {page.nom}",
            _entete(ctx, annex),
            {**_common(ctx, annex), "structures": [page]},
            annexe=annex.numero,
            structure=page.id,
        )
        for page in pages
    ]
    whole = Part(
        f"annexe-{annex.numero}",
        template,
        _title(ctx, annex),
        _entete(ctx, annex),
        {**_common(ctx, annex), "structures": pages},
        annexe=annex.numero,
        # Each structure starts a page: the annex's PDF is their pages, laid out once.
        made_of=tuple(own),
    )
    return [whole, *own]
