"""The shape of the annexes' YAML files: structures (Annexe 4), offers (5), referents (6),
the mandate (7) and local partners (8).

A structure's facts live in their own file, ``annexes/structures/<id>.yaml``, so its manager
edits one file. Opening hours are written as people write them (``09:00-12:00 / 13:30-17:00``)
and read by :mod:`fsdocs.project.horaires`; an unreadable day is an error located on its line.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from fsdocs.project.contacts import Email, Phone
from fsdocs.project.fields import TO_FILL, Fill, Flag, Ident, LongText, Model, Text
from fsdocs.project.horaires import JOURS, Creneau, lire_creneaux
from fsdocs.project.model import Agent, Civilite, Equipements, Personne


def _slots(value: str) -> str:
    reading = lire_creneaux(value)
    if reading.problemes or reading.reste:
        why = "; ".join(reading.problemes) or f"texte « {reading.reste} » hors des horaires"
        raise PydanticCustomError(
            "fs_hours",
            "horaires « {value} » illisibles : {why} (attendu : « 09:00-12:00 / 13:30-17:00 », "
            "ou rien si fermé)",
            {"value": value, "why": why},
        )
    return " / ".join(str(slot) for slot in reading.creneaux)


def _postcode(value: str | int) -> str:
    text = f"{value:05d}" if isinstance(value, int) else str(value).strip()
    if not re.fullmatch(r"\d{5}", text):
        raise PydanticCustomError(
            "fs_postcode",
            "code postal « {value} » invalide (5 chiffres, ex. « 41000 »)",
            {"value": text},
        )
    return text


def _url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s<>\"']+\.[^\s<>\"']+", value):
        raise PydanticCustomError(
            "fs_url",
            "adresse web « {value} » invalide (attendu : https://…)",
            {"value": value},
        )
    return value


def _day(value: str) -> str:
    if value not in JOURS:
        raise PydanticCustomError(
            "fs_day", "jour « {value} » inconnu (lundi … dimanche)", {"value": value}
        )
    return value


Slots = Annotated[str, AfterValidator(_slots)]
Postcode = Annotated[str | int, AfterValidator(_postcode)]
Url = Annotated[str, Field(max_length=500), AfterValidator(_url)]
Jour = Annotated[str, AfterValidator(_day)]


class TypeStructure(StrEnum):
    FIXE = "fixe"
    ITINERANTE = "itinérante"
    ANTENNE = "antenne"
    MULTISITES = "multisites"


class Adresse(Model):
    """Street address; the commune is the structure's own ``commune``."""

    voie: Fill = Field(description="Numéro et voie : « 133 rue Michel Bégon »")
    complement: Text | None = None
    code_postal: Annotated[Postcode | None, TO_FILL]


class Horaires(Model):
    """Opening slots of each day; a day left out or empty is closed."""

    lundi: Slots = ""
    mardi: Slots = ""
    mercredi: Slots = ""
    jeudi: Slots = ""
    vendredi: Slots = ""
    samedi: Slots = ""
    dimanche: Slots = ""

    def semaine(self) -> dict[str, tuple[Creneau, ...]]:
        return {jour: lire_creneaux(getattr(self, jour)).creneaux for jour in JOURS}


class Arret(Model):
    """A stop of an itinerant structure (bus): where it stands, which day, at what hours."""

    jour: Jour
    horaires: Slots
    lieu: Text
    commune: Text
    frequence: Text | None = Field(
        default=None, description="« chaque semaine », « 1er mardi du mois »"
    )


class StructureFile(Model):
    """One France services structure; its id is the file name."""

    anct: int | None = Field(
        default=None, description="Identifiant de la liste nationale ANCT (id_fs)"
    )
    nom: Fill
    appellation: Fill = Field(
        description="Comment la convention la désigne après « la "
        "« France services » » (ex. « de Mondoubleau », « itinérante Beauce Val de Loire »)"
    )
    type: TypeStructure = TypeStructure.FIXE
    commune: Fill
    gestionnaire: Ident
    adresse: Adresse | None = None
    arrets: list[Arret] = Field(
        default_factory=list, description="Arrêts d’une structure itinérante"
    )
    horaires: Horaires | None = None
    rendez_vous: Text | None = Field(
        default=None, description="« Sans rendez-vous », « Sur rendez-vous le mercredi »…"
    )
    telephone: Phone | None = None
    courriel: Email | None = None
    formulaire: Url | None = Field(default=None, description="Formulaire de contact en ligne")
    labellisation: date | None = None
    agents: list[Agent] = Field(default_factory=list)
    equipements: Equipements = Equipements()
    accessibilite_pmr: Flag = None
    espace_confidentiel: Flag = None
    modalites: LongText | None = Field(
        default=None, description="Modalités de gestion propres à la structure (Annexe 4)"
    )
    commentaire: LongText | None = None


class Permanence(Model):
    jour: Jour
    frequence: Text = Field(description="« chaque semaine », « 1er mardi du mois »…")
    horaires: Slots
    lieu: Text | None = Field(default=None, description="Vide : dans les locaux de la structure")


class Offre(Model):
    """What one partner offers in one structure, beyond the base offer (Annexe 5)."""

    permanences: list[Permanence] = Field(default_factory=list)
    rendez_vous: Text | None = None
    visio: Text | None = Field(default=None, description="Dispositif de visioconférence")
    agents_formes: bool = Field(
        default=True, description="Les agents France services sont formés à ses démarches"
    )


class OffresFile(Model):
    """``annexes/offres/<partenaire>.yaml``: one partner's offer, by structure id."""

    offres: dict[Ident, Offre] = Field(default_factory=dict)


class Referent(Personne):
    """A referent of a partner (art. 5.2.1): a named person or, while no one is named, the
    function that answers (« civilite », « prenom » and « nom » left out)."""

    civilite: Annotated[Civilite | None, TO_FILL] = None
    prenom: Fill = None
    nom: Fill = None
    coordonnees: Text | None = Field(
        default=None,
        description="Comment joindre le référent quand ses téléphone et courriel directs ne "
        "s’impriment pas dans l’annexe (imprimé à leur place)",
    )

    @property
    def named(self) -> bool:
        """Whether a person is named: a name is written, even as « ~ » (to fill in)."""
        return bool({"civilite", "prenom", "nom"} & self.model_fields_set)


class ReferentsFile(Model):
    """``annexes/referents.yaml``: each partner's referents, by signatory or local partner id."""

    referents: dict[Ident, list[Referent]] = Field(default_factory=dict)


class PartenaireLocal(Model):
    id: Ident
    nom: Text = Field(description="Nom de l’organisme : « la Mission locale du Blaisois »")
    court: Text | None = Field(default=None, description="Forme courte pour les tableaux")


class PartenairesLocauxFile(Model):
    partenaires_locaux: list[PartenaireLocal] = Field(default_factory=list)


class MandatFile(Model):
    """Settings of the model mandate (Annexe 7); every field has a sensible default.

    Each value completes a sentence of the mandate (templates/wording/annexe-mandat.html.j2),
    as its description shows.
    """

    responsable_traitement: Text | None = Field(
        default=None,
        description="Imprimé après « Responsable du traitement » ; vide : « le gestionnaire "
        "de la France services désignée ci-dessus »",
    )
    contact_donnees: Text | None = Field(
        default=None,
        description="Imprimé après « Ces droits s’exercent » : « auprès du délégué à la "
        "protection des données, dpo@… » ; vide : auprès du gestionnaire, à l’adresse de la "
        "structure",
    )
    conservation: Text | None = Field(
        default=None,
        description="Durée de conservation imposée par un texte, imprimée entre parenthèses "
        "après « au terme du délai imposé par une disposition législative ou réglementaire »",
    )
