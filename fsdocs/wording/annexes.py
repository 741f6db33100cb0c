"""The generated annex of the structures: what it prints, computed once from the project,
typed. Annexe 4 (modalités de gestion, one page per structure); Annexe 7 (the model mandate
signed on site, art. 4.6) is in annexe_mandat.py.

Each annex kind registers a builder that returns its parts (parts.py). Templates are named
after the kind (``wording/annexe-modalites.html.j2``), never after a number: numbers come
from the convention's annex list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time

from fsdocs.french import NBSP, duree, long_date, plage
from fsdocs.project.annexes_model import Agent, StructureFile, TypeStructure
from fsdocs.project.horaires import JOURS, Creneau, jours_ouverts, lire_creneaux, minutes_semaine
from fsdocs.project.paths import GESTIONNAIRES
from fsdocs.project.project import Project, Structure
from fsdocs.project.yaml_nodes import Loc
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.document import PLACEHOLDER
from fsdocs.wording.gaps import fill, to_fill
from fsdocs.wording.parts import Part

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
NOON = time(12, 0)
AFTERNOON = time(14, 0)


def yes_no(value: bool | None, fichier: str, loc: Loc) -> str:
    if value is None:
        return to_fill(fichier, loc)
    return "oui" if value else "non"


def slot(creneau: Creneau) -> str:
    """``9 h – 12 h 30``."""
    return plage(creneau.debut, creneau.fin)


@dataclass(frozen=True)
class Jour:
    """One day of the week table: morning and afternoon columns, or one slot across both."""

    nom: str  # "Lundi"
    matin: tuple[str, ...]
    apres_midi: tuple[str, ...]
    journee: str  # a single slot across midday ("9 h – 17 h"), printed over both columns
    duree: str  # "7 h 30"; "" when closed

    @property
    def ferme(self) -> bool:
        return not (self.matin or self.apres_midi or self.journee)


def jour(nom: str, creneaux: Sequence[Creneau]) -> Jour:
    minutes = sum(c.minutes for c in creneaux)
    total = duree(minutes) if minutes else ""
    if len(creneaux) == 1 and creneaux[0].debut < NOON and creneaux[0].fin > AFTERNOON:
        return Jour(nom, (), (), slot(creneaux[0]), total)
    return Jour(
        nom,
        tuple(slot(c) for c in creneaux if c.debut < NOON),
        tuple(slot(c) for c in creneaux if c.debut >= NOON),
        "",
        total,
    )


@dataclass(frozen=True)
class Ligne:
    libelle: str
    valeur: str


@dataclass(frozen=True)
class Champ:
    """A label and its value, the value on one or more printed lines (an address)."""

    libelle: str
    lignes: tuple[str, ...]


@dataclass(frozen=True)
class Arret:
    jour: str  # "Mardi"
    lieu: str  # "place de l'Église, Marchenoir"
    horaires: str  # "9 h – 12 h, 14 h – 16 h"
    frequence: str


@dataclass(frozen=True)
class PageStructure:
    """Everything Annexe 4 prints about one structure, on one page."""

    id: str
    nom: str
    type: str
    commune: str
    labellisation: str  # "1er janvier 2020"
    coordonnees: tuple[tuple[Champ, Champ], ...]  # the structure's and its contacts, side by side
    acces: tuple[Champ, ...]  # contact form and appointments, across the table
    horaires: tuple[Jour, ...]  # empty when the hours are unknown
    sans_horaires: str  # the placeholder, when neither hours nor stops are known; else ""
    total: str  # "32 h", or "" when the hours are unknown
    jours_ouverts: str  # "5 jours"
    arrets: tuple[Arret, ...]  # an itinerant structure's stops
    agents: tuple[str, ...]
    sans_agents: str  # the placeholder, when no agent is named; else ""
    equipements: tuple[tuple[Ligne | None, Ligne | None], ...]  # art. 4.3, two a row
    modalites: str
    commentaire: str
    densite: str  # CSS class scaling the page down so that it fits: "", "echelle-95"…


def page_structure(project: Project, structure: Structure) -> PageStructure:
    data: StructureFile = structure.data
    here = structure.fichier
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
    acces.append(Champ("Rendez-vous", (fill(data.rendez_vous, here, ("rendez_vous",)),)))
    equipements: list[Ligne | None] = [
        Ligne(label, yes_no(getattr(data.equipements, key), here, ("equipements", key)))
        for key, label in EQUIPEMENTS.items()
        if getattr(data.equipements, key) is not None or key not in OPTIONAL_EQUIPEMENTS
    ]
    if len(equipements) % 2:
        equipements.append(None)  # the premises start a row of their own
    equipements += [
        Ligne(
            "Accès des personnes à mobilité réduite",
            yes_no(data.accessibilite_pmr, here, ("accessibilite_pmr",)),
        ),
        Ligne(
            "Espace confidentiel", yes_no(data.espace_confidentiel, here, ("espace_confidentiel",))
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
        agents=tuple(_agent(a, here, ("agents", i)) for i, a in enumerate(data.agents)),
        sans_agents="" if data.agents else to_fill(here, ("agents",)),
        equipements=tuple(zip(equipements[::2], equipements[1::2], strict=True)),
        modalites=data.modalites or "",
        commentaire=data.commentaire or "",
        densite="",
    )
    return _fitted(page)


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


# Whether a page fits is estimated from the layout of templates/html/convention.css
# (section.structure, whose sizes are all in em of one font size, scaled by a class), then
# checked against rendered pages by tests/test_annexe_modalites.py. A page takes the largest
# scale at which it fits; past the smallest, it runs onto a second page rather than lose words.
SCALES = (100, 95, 90, 85, 80)  # per cent of the 10 pt page
PT = 25.4 / 72  # mm
WIDTH, HEIGHT = 166.0, 251.0  # mm: A4 less its margins
SAFETY = 0.98  # the estimate errs by up to 4 mm (measured on 190 random structures)
EM = 0.50  # mean advance of a character of French text in Inter, in em
LEADING = 1.42
HEADING, TOP = 11.7, 26.4  # mm at full scale, measured: a heading; the page's title block


def _fitted(page: PageStructure) -> PageStructure:
    scale = next((s for s in SCALES if _height(page, s) <= HEIGHT * SAFETY), SCALES[-1])
    return replace(page, densite="" if scale == 100 else f"echelle-{scale}")


def _height(page: PageStructure, scale: int) -> float:
    """The estimated height of ``page`` at ``scale`` per cent, in millimetres."""
    k = scale / 100
    body, table, texte = 10 * k, 9 * k, 9.5 * k  # pt: lists, tables, modalités
    heading = HEADING * k

    def lines(value: str, width: float, size: float) -> int:
        per_line = max(1, int((width - 3.6) / (size * EM * PT)))  # 3.6 mm: cell padding
        return max(1, -(-len(value) // per_line))

    def rows(*counts: int) -> float:  # a table's rows of ``counts`` lines each
        return sum(n * table * LEADING * PT + 0.6 * table * PT + 0.2 for n in counts)

    def paragraph(value: str, size: float, width: float = WIDTH, after: float = 0.45) -> float:
        return (lines(value, width + 3.6, size) * LEADING + after) * size * PT

    height = TOP * k + rows(
        *(
            max(
                sum(lines(value, WIDTH * 0.30, table) for value in left.lignes),
                sum(lines(value, WIDTH * 0.405, table) for value in right.lignes),
            )
            for left, right in page.coordonnees
        ),
        *(sum(lines(value, WIDTH * 0.845, table) for value in c.lignes) for c in page.acces),
    )
    if page.horaires:
        height += heading + rows(
            1, 1, *(max(len(j.matin), len(j.apres_midi), 1) for j in page.horaires)
        )
    elif page.sans_horaires:
        height += heading + paragraph(PLACEHOLDER, body)
    if page.arrets:
        height += heading + rows(1, *(lines(a.lieu, WIDTH * 0.36, table) for a in page.arrets))
    agents = page.agents or (PLACEHOLDER,)
    height += heading + sum(paragraph(a, body, WIDTH - 7, after=0.22) for a in agents)
    height += heading + rows(
        *(
            max(lines(line.valeur, WIDTH * 0.12, table) if line else 1 for line in pair)
            for pair in page.equipements
        )
    )
    for value in (page.modalites, page.commentaire):
        if value:
            height += heading + paragraph(value, texte)
    return height


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
