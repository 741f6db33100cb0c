"""The render context: every fact the convention's wording prints, computed once, typed.

Templates compute nothing: titles already agree with the person, dates are already written
out, annex numbers come from the annex list. A party appears in the header list and on the
signature page from the same :class:`Party` object, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from fsdocs.french import NBSP, Genre, agree, long_date, number_words, past_participle
from fsdocs.project.model import Gestionnaire, PartenaireSignataire, Personne, Prefet
from fsdocs.project.partenaires import catalogue, echeances_a_venir, modele_au
from fsdocs.project.paths import CONVENTION, GESTIONNAIRES, PARTENAIRES, PREFET, TEMOINS
from fsdocs.project.project import Project
from fsdocs.wording.bodies import qualite
from fsdocs.wording.gaps import Where, fill, to_fill
from fsdocs.wording.labels import labels


@dataclass(frozen=True)
class Person:
    civilite: str  # "Monsieur", "Madame" or the placeholder
    nom_complet: str  # "Yves Rousset"
    designation: str  # "Monsieur Yves Rousset"
    fonction: str  # agreed with the person's gender
    genre: Genre


@dataclass(frozen=True)
class Party:
    """One signatory: the person who holds the office, and the delegate who may sign for them."""

    id: str
    groupe: str  # "prefet", "gestionnaire", "partenaire"
    titulaire: Person
    delegue: Person | None
    represente: str  # "représenté" / "représentée", agreeing with the titulaire
    role: str  # what follows the function in the header list ("gestionnaire de la …"), or ""
    organisation: str
    pour: str  # the body signed for, when the titulaire's function does not name it, or ""

    @property
    def signataire(self) -> Person:
        """Who actually signs: the delegate if there is one."""
        return self.delegue or self.titulaire


@dataclass(frozen=True)
class Annex:
    numero: int
    id: str
    titre: str
    note: str


@dataclass(frozen=True)
class ConventionContext:
    titre: str
    departement_nom: str
    departement_de: str  # "de Loir-et-Cher"
    entete: str  # running header
    labellisation: str  # "1er janvier 2020"
    lieu: str
    date_signature: str
    prefet: Party
    gestionnaires: tuple[Party, ...]
    partenaires: tuple[Party, ...]
    temoins: tuple[Person, ...]
    partenaires_nationaux: tuple[str, ...]  # as the préambule lists them
    nombre_partenaires: str  # "neuf", counted from partenaires_nationaux
    visa: str  # the law the model cites, "" for the 2020 model
    echeances: dict[str, str]  # the model's deadlines still ahead on the signing date
    duree_annees: str  # "" when the duration is that of the accord-cadre
    tacite_reconduction: bool
    annexes: tuple[Annex, ...]
    annexe: dict[str, int]  # annex id → number, for cross-references in the wording
    le_prefet: str  # "le Préfet" / "la Préfète", for the wording
    du_prefet: str  # "du Préfet" / "de la Préfète"
    le_prefet_groupe: str  # "Le Préfet", heading of the Préfet's signature
    le_prefet_titre: str  # "Le Préfet de Loir-et-Cher", in the Préfet's signature block

    @property
    def parties(self) -> tuple[Party, ...]:
        return (self.prefet, *self.gestionnaires, *self.partenaires)


def _date(value: date | None, where: Where) -> str:
    return long_date(value) if value else to_fill(*where)


def person(data: Personne | Prefet, fonction: str | None, where: Where) -> Person:
    """How a person prints; ``where`` is their place in the project's files, which names
    each fact still to fill in."""
    fichier, loc = where
    genre = data.civilite.genre if data.civilite else Genre.MASCULIN
    civilite = data.civilite.value if data.civilite else to_fill(fichier, (*loc, "civilite"))
    prenom = fill(data.prenom, fichier, (*loc, "prenom"))
    nom_complet = f"{prenom}{NBSP if data.prenom else ' '}{fill(data.nom, fichier, (*loc, 'nom'))}"
    return Person(
        civilite=civilite,
        nom_complet=nom_complet,
        designation=f"{civilite}{NBSP}{nom_complet}",
        fonction=agree(fonction, genre)
        if fonction and data.civilite
        else fill(fonction, fichier, (*loc, "fonction")),
        genre=genre,
    )


def _party(
    data: Gestionnaire | PartenaireSignataire,
    groupe: str,
    role: str,
    where: Where,
    usuelle: str | None = None,
) -> Party:
    """A signatory; ``usuelle`` is the catalogue's title of a partner's local head, printed
    when the YAML writes none."""
    fichier, loc = where
    titulaire = person(
        data.representant,
        data.representant.fonction or usuelle,
        (fichier, (*loc, "representant")),
    )
    organisation = fill(data.organisation, fichier, (*loc, "organisation"))
    fonction = data.representant.fonction or usuelle
    # A fact still to fill names nothing: the body prints beside the function.
    office = qualite(titulaire.fonction, data.organisation if fonction else None)
    if not (fonction and data.organisation):
        office = replace(office, pour=organisation)
    delegue = data.represente_par
    return Party(
        id=data.id,
        groupe=groupe,
        titulaire=replace(titulaire, fonction=office.fonction),
        delegue=person(delegue, delegue.fonction, (fichier, (*loc, "represente_par")))
        if delegue
        else None,
        represente=past_participle("représenté", titulaire.genre),
        role=role,
        organisation=organisation,
        pour=office.pour,
    )


def _usuelle(partenaire: PartenaireSignataire, day: date) -> str | None:
    """The usual title of a national partner's local head on ``day``, from the catalogue."""
    entry = catalogue().get(partenaire.partenaire or "")
    return entry.au(day).fonction if entry else None


def _managed(project: Project, gestionnaire_id: str) -> str:
    names = [
        fill(s.data.appellation, s.fichier, ("appellation",))
        for s in project.structures_of(gestionnaire_id)
    ]
    if not names:
        return ""
    if len(names) == 1:
        return f"gestionnaire de la « France services » {names[0]}"
    listed = ", ".join(names[:-1]) + f" et {names[-1]}"
    return f"gestionnaire des « France services » {listed}"


def get_context(project: Project) -> ConventionContext:
    """Build everything the convention prints from the validated project."""
    conv = project.convention
    dep = project.departement
    prefet_data = project.prefet
    prefet_person = person(
        prefet_data, prefet_data.fonction or f"Préfet {dep.de}", (PREFET, ("prefet",))
    )
    prefet = Party(
        id="prefet",
        groupe="prefet",
        titulaire=prefet_person,
        delegue=None,
        represente="représenté",  # agrees with « l’État »
        role="",
        organisation="l’État",
        pour="",
    )
    feminine = prefet_person.genre is Genre.FEMININ
    day = project.jour  # the signing date chooses the model, the partners and their names
    national = [p.au(day).court for p in project.partenaires_nationaux()]
    signing = {p.id for p in project.partenaires_signataires()}
    names = labels().annexes
    annexes = tuple(
        Annex(i, ref.id, ref.titre or names.titres[ref.id], names.notes.get(ref.id, ""))
        for i, ref in enumerate(conv.annexes, start=1)
    )
    return ConventionContext(
        titre="Convention départementale France services",
        departement_nom=dep.nom,
        departement_de=dep.de,
        entete=f"Convention départementale France services {dep.de}",
        labellisation=long_date(conv.labellisation),
        lieu=fill(conv.signature.lieu, CONVENTION, ("signature", "lieu")),
        date_signature=_date(conv.signature.date, (CONVENTION, ("signature", "date"))),
        prefet=prefet,
        gestionnaires=tuple(
            _party(
                g, "gestionnaire", _managed(project, g.id), (GESTIONNAIRES, ("gestionnaires", i))
            )
            for i, g in enumerate(project.gestionnaires)
        ),
        partenaires=tuple(
            _party(p, "partenaire", "", (PARTENAIRES, ("partenaires", i)), _usuelle(p, day))
            for i, p in enumerate(project.partenaires)
            if p.id in signing
        ),
        temoins=tuple(
            person(t, t.fonction, (TEMOINS, ("temoins", i))) for i, t in enumerate(project.temoins)
        ),
        partenaires_nationaux=tuple(national),
        nombre_partenaires=number_words(len(national)),
        visa=modele_au(day).visa or "",
        echeances={k: long_date(v) for k, v in echeances_a_venir(day).items()},
        duree_annees=number_words(conv.duree.annees) if conv.duree.annees else "",
        tacite_reconduction=conv.duree.tacite_reconduction,
        annexes=annexes,
        annexe={a.id: a.numero for a in annexes},
        le_prefet="la Préfète" if feminine else "le Préfet",
        du_prefet="de la Préfète" if feminine else "du Préfet",
        le_prefet_groupe="La Préfète" if feminine else "Le Préfet",
        le_prefet_titre=f"{'La' if feminine else 'Le'} {prefet_person.fonction}",
    )
