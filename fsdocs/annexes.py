"""The generated annexes: what each prints, computed once from the project, typed.

Each annex kind registers a builder that returns its parts (parts.py). Templates are named
after the kind (``wording/annexe-modalites.html.j2``), never after a number: numbers come
from the convention's annex list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import PLACEHOLDER, Annex, ConventionContext
from .french import NBSP, long_date
from .horaires import JOURS, jours_ouverts, minutes_semaine
from .model_annexes import Agent, StructureFile, TypeStructure
from .parts import Part, annex_builder
from .project import Project, Structure

TYPE_LABELS = {
    TypeStructure.FIXE: "France services fixe",
    TypeStructure.ITINERANTE: "France services itinérante",
    TypeStructure.ANTENNE: "antenne France services",
    TypeStructure.MULTISITES: "France services multisites",
}
EQUIPEMENTS = {
    "internet": "Accès à internet",
    "ordinateur": "Ordinateur",
    "imprimante_scanner": "Imprimante / scanner",
    "photocopieur": "Photocopieur",
    "telephone": "Téléphone",
    "visioconference": "Équipement de visioconférence",
    "wifi": "Wifi pour les usagers",
    "tablette": "Tablette connectée",
}


def yes_no(value: bool | None) -> str:
    if value is None:
        return PLACEHOLDER
    return "oui" if value else "non"


def duration(minutes: int) -> str:
    """``1650`` → ``27 h 30``; ``1440`` → ``24 h``."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}{NBSP}h{NBSP}{rest:02d}" if rest else f"{hours}{NBSP}h"


@dataclass(frozen=True)
class Jour:
    nom: str  # "Lundi"
    creneaux: str  # "09:00-12:00 / 13:30-17:00", or "fermé"


@dataclass(frozen=True)
class Ligne:
    libelle: str
    valeur: str


@dataclass(frozen=True)
class PageStructure:
    """Everything Annexe 4 prints about one structure."""

    id: str
    nom: str
    type: str
    commune: str
    gestionnaire: str  # the organisation, as the header list names it
    adresse: tuple[str, ...]  # printed lines
    horaires: tuple[Jour, ...]
    total: str  # "27 h 30 sur 5 jours", or "" when the hours are unknown
    rendez_vous: str
    contacts: tuple[Ligne, ...]
    labellisation: str
    agents: tuple[str, ...]
    equipements: tuple[Ligne, ...]
    accueil: tuple[Ligne, ...]  # reduced mobility, confidential space
    arrets: tuple[Ligne, ...]  # an itinerant structure's stops
    modalites: str
    commentaire: str


def page_structure(project: Project, structure: Structure) -> PageStructure:
    data: StructureFile = structure.data
    gestionnaire = next(g for g in project.gestionnaires if g.id == data.gestionnaire)
    week = data.horaires.semaine() if data.horaires else None
    return PageStructure(
        id=structure.id,
        nom=data.nom or PLACEHOLDER,
        type=TYPE_LABELS[data.type],
        commune=data.commune or PLACEHOLDER,
        gestionnaire=gestionnaire.organisation or PLACEHOLDER,
        adresse=_address(data),
        horaires=tuple(
            Jour(jour.capitalize(), " / ".join(map(str, week[jour])) or "fermé")
            for jour in JOURS
            if week is not None and (week[jour] or jour != "dimanche")
        ),
        total=(
            f"{duration(minutes_semaine(week))} sur {jours_ouverts(week)} jours" if week else ""
        ),
        rendez_vous=data.rendez_vous or "",
        contacts=tuple(
            Ligne(label, str(value))
            for label, value in (
                ("Téléphone", data.telephone),
                ("Courriel", data.courriel),
                ("Formulaire de contact", data.formulaire),
            )
            if value
        ),
        labellisation=long_date(data.labellisation) if data.labellisation else "",
        agents=tuple(
            " ".join(
                part
                for part in (
                    a.prenom or PLACEHOLDER,
                    a.nom or PLACEHOLDER,
                    a.fonction and f"({a.fonction})",
                )
                if part
            )
            for a in data.agents
        ),
        equipements=tuple(
            Ligne(label, yes_no(getattr(data.equipements, key)))
            for key, label in EQUIPEMENTS.items()
            if getattr(data.equipements, key) is not None or key not in {"wifi", "tablette"}
        ),
        accueil=(
            Ligne("Accessible aux personnes à mobilité réduite", yes_no(data.accessibilite_pmr)),
            Ligne("Espace confidentiel", yes_no(data.espace_confidentiel)),
        ),
        arrets=tuple(
            Ligne(
                f"{stop.jour.capitalize()}, {stop.horaires}",
                f"{stop.lieu}, {stop.commune}" + (f" ({stop.frequence})" if stop.frequence else ""),
            )
            for stop in data.arrets
        ),
        modalites=data.modalites or "",
        commentaire=data.commentaire or "",
    )


def _agent(agent: Agent) -> str:
    name = f"{agent.prenom or PLACEHOLDER} {agent.nom or PLACEHOLDER}"
    return f"{name} ({agent.fonction})" if agent.fonction else name


def _address(data: StructureFile) -> tuple[str, ...]:
    if data.adresse is None:
        return (PLACEHOLDER,)
    lines = [data.adresse.voie or PLACEHOLDER]
    if data.adresse.complement:
        lines.append(data.adresse.complement)
    lines.append(f"{data.adresse.code_postal or PLACEHOLDER} {data.commune or PLACEHOLDER}")
    return tuple(lines)


def _entete(ctx: ConventionContext, annex: Annex) -> str:
    return f"{ctx.entete} – Annexe {annex.numero}"


def _title(ctx: ConventionContext, annex: Annex) -> str:
    return f"Annexe {annex.numero} – {annex.titre} – {ctx.titre} {ctx.departement_de}"


@annex_builder("modalites")
def modalites(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 4: one page per structure, together and one file per structure."""
    pages = [page_structure(project, s) for s in project.structures]
    common = {"annexe": annex, "departement_de": ctx.departement_de}
    template = "wording/annexe-modalites.html.j2"
    parts = [
        Part(
            f"annexe-{annex.numero}",
            template,
            _title(ctx, annex),
            _entete(ctx, annex),
            {**common, "structures": pages},
            annexe=annex.numero,
        )
    ]
    for page in pages:
        parts.append(
            Part(
                f"annexe-{annex.numero}-{page.id}",
                template,
                f"{_title(ctx, annex)} – {page.nom}",
                _entete(ctx, annex),
                {**common, "structures": [page]},
                annexe=annex.numero,
                structure=page.id,
            )
        )
    return parts
