"""The shape of every YAML file of a project, as frozen pydantic models.

Field names are the YAML keys (French), so one concept has one name from the file a person
edits to the template that prints it. A text field typed ``Fill`` may be left empty (``~``) while
a convention is being drafted: ``fsdocs controler`` lists it and documents print « [à compléter] ».
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from fsdocs.french import Genre
from fsdocs.project.contacts import Email, Phone
from fsdocs.project.entities import valid_siren
from fsdocs.project.fields import (
    TO_FILL,
    Fill,
    Flag,
    Ident,
    LongText,
    Model,
    Text,
    _departement_code,
)


class Civilite(StrEnum):
    MONSIEUR = "Monsieur"
    MADAME = "Madame"

    @property
    def genre(self) -> Genre:
        return Genre.FEMININ if self is Civilite.MADAME else Genre.MASCULIN


class Personne(Model):
    """A person who signs, represents someone, or witnesses."""

    civilite: Annotated[Civilite | None, TO_FILL] = Field(
        description="Monsieur ou Madame : accorde les titres"
    )
    prenom: Fill
    nom: Fill
    fonction: Fill = Field(
        description="Fonction telle qu’elle s’imprime, accordée automatiquement à la civilité "
        "(ex. « Directeur départemental des Finances publiques »)"
    )
    telephone: Phone | None = None
    courriel: Email | None = None


class Agent(Model):
    """An agent of the structure, named; or, while no one is named, agents designated by
    their function, with their number (« nombre: 2 »)."""

    prenom: Fill = None
    nom: Fill = None
    fonction: Text | None = Field(
        default=None,
        description="Fonction ; pour des agents comptés, ce qui suit leur nombre "
        "(« agents polyvalents »)",
    )
    nombre: int | None = Field(
        default=None,
        ge=1,
        le=99,
        description="Nombre d’agents désignés par leur fonction, quand leurs noms ne sont pas "
        "donnés (sans « prenom » ni « nom »)",
    )
    formation: date | None = Field(default=None, description="Date de la formation initiale")

    @model_validator(mode="after")
    def _named_or_counted(self) -> Agent:
        if self.nombre is not None and self.named:
            raise PydanticCustomError(
                "fs_agent",
                "un agent est nommé (« prenom », « nom ») ou compté (« nombre » et "
                "« fonction »), pas les deux : retirez « nombre » ou le nom",
            )
        if not self.named and self.fonction is None and self.nombre is None:
            raise PydanticCustomError(
                "fs_agent",
                "agent sans nom ni fonction : écrivez « prenom: » et « nom: » (« ~ » s’ils "
                "restent à compléter), ou sa « fonction: »",
            )
        return self

    @property
    def named(self) -> bool:
        """Whether the agent is a person: a name is written, even as « ~ » (to fill in)."""
        return bool({"prenom", "nom"} & self.model_fields_set)


class Equipements(Model):
    """Equipment of art. 4.3 of the convention; ``~`` while unknown."""

    internet: Flag = None
    ordinateur: Flag = None
    imprimante_scanner: Flag = None
    photocopieur: Flag = None
    telephone: Flag = None
    visioconference: Flag = None
    wifi: bool | None = None
    tablette: bool | None = None


class Prefet(Model):
    civilite: Annotated[Civilite | None, TO_FILL]
    prenom: Fill
    nom: Fill
    fonction: Text | None = Field(
        default=None,
        description="Laisser vide pour « Préfet de <département> » ; sinon titre complet "
        "(ex. « Préfet de la région Centre-Val de Loire, Préfet du Loiret »)",
    )


class Signataire(Model):
    id: Ident
    organisation: Fill = Field(
        description="Nom de l’organisme avec son article : « la communauté de communes … »"
    )
    representant: Personne
    represente_par: Personne | None = Field(
        default=None, description="Délégataire qui signe pour le représentant"
    )


class Gestionnaire(Signataire):
    siren: Annotated[str | int, AfterValidator(valid_siren)] | None = Field(
        default=None,
        description="SIREN de la personne morale (9 chiffres, « 213 701 097 ») : deux "
        "gestionnaires qui le partagent sont une seule personne morale, qui signe une fois",
    )


class RepresentantPartenaire(Personne):
    fonction: Text | None = Field(
        default=None,
        description="Vide : le titre usuel du catalogue de fsdocs à la date de signature (ex. "
        "« Directeur territorial de France Travail »), accordé à la civilité ; écrit, il le "
        "remplace",
    )


class PartenaireSignataire(Signataire):
    representant: RepresentantPartenaire
    partenaire: Ident | None = Field(
        default=None,
        description="Identifiant du partenaire national (catalogue de fsdocs) ; vide pour un "
        "partenaire local",
    )


class Duree(Model):
    annees: int | None = Field(
        default=None,
        ge=1,
        le=10,
        description="Durée en années ; vide : celle de l’Accord cadre national",
    )
    tacite_reconduction: bool = True


class Signature(Model):
    lieu: Fill
    date: Annotated[date | None, TO_FILL]


class AnnexeRef(Model):
    id: Literal[
        "charte",
        "bouquet",
        "accord-cadre",
        "modalites",
        "offre",
        "referents",
        "mandat",
        "partenaires",
    ]
    titre: Text | None = None
    fichier: Text | None = Field(
        default=None, description="PDF national fourni (annexes 1 à 3), relatif au projet"
    )
    reference: Text | None = Field(
        default=None,
        description="Annexe nationale jointe par référence, sans son PDF : où la consulter, "
        "imprimé sur son intercalaire (« publiée par l’Agence nationale de la cohésion des "
        "territoires »)",
    )


class StructureDefaults(Model):
    """What the structures of the département share, written once in convention.yaml. A
    structure inherits each key its own file leaves out; a key it writes, even ``false`` or
    ``~`` (still to fill in, for that structure), is its own."""

    equipements: Equipements = Field(
        default_factory=Equipements,
        description="Équipements de chaque structure (article 4.3), équipement par équipement",
    )
    accessibilite_pmr: Flag = None
    espace_confidentiel: Flag = None
    rendez_vous: Text | None = Field(
        default=None, description="« Sans rendez-vous », « Sur rendez-vous le mercredi »…"
    )
    agents: list[Agent] = Field(
        default_factory=list,
        description="Agents de chaque structure, désignés par leur nombre et leur fonction "
        "(« nombre: 2 », « fonction: agents polyvalents »)",
    )
    modalites: LongText | None = Field(
        default=None, description="Modalités de gestion communes aux structures (Annexe 4)"
    )


class StructuresSettings(Model):
    par_defaut: StructureDefaults = Field(
        default_factory=StructureDefaults,
        description="Valeurs que chaque structure reprend, sauf si son fichier écrit la clé",
    )


class ConventionFile(Model):
    departement: Annotated[
        str, BeforeValidator(_departement_code, json_schema_input_type=str | int)
    ] = Field(description="Code INSEE du département (« 41 », « 2A », « 974 »)")
    forme_departement: Text | None = Field(
        default=None,
        description="Complément « de … » si l’usage diffère de celui de fsdocs "
        "(« de Loir-et-Cher »)",
    )
    labellisation: date = Field(description="Date de référence : structures labellisées au …")
    signature: Signature
    duree: Duree = Duree()
    annexes: list[AnnexeRef] = Field(min_length=1)
    structures: StructuresSettings | None = Field(
        default=None,
        description="Ce que les structures partagent, écrit une fois : « par_defaut: »",
    )

    @field_validator("annexes")
    @classmethod
    def _cited_annexes(cls, annexes: list[AnnexeRef]) -> list[AnnexeRef]:
        ids = [annexe.id for annexe in annexes]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"annexe(s) en double : {', '.join(twice)} ; gardez-en une")
        if missing := [(i, where) for i, where in CITED_ANNEXES.items() if i not in ids]:
            cited = " ; ".join(f"« {i} » ({where})" for i, where in missing)
            raise ValueError(f"la convention renvoie à ces annexes, gardez-les : {cited}")
        return annexes


# The annexes the convention's articles refer to by number (templates/wording/).
CITED_ANNEXES = {"bouquet": "article 3", "referents": "article 5", "modalites": "article 8"}


class PrefetFile(Model):
    prefet: Prefet


class GestionnairesFile(Model):
    gestionnaires: list[Gestionnaire] = Field(min_length=1)


class PartenairesFile(Model):
    partenaires: list[PartenaireSignataire] = Field(min_length=1)


class TemoinsFile(Model):
    temoins: list[Personne] = Field(default_factory=list)
