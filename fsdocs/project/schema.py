"""JSON Schemas of the project's YAML files, generated from the model, for editors.

Each YAML file names its schema on its first line (``# yaml-language-server: $schema=…``), so
an editor completes keys and underlines mistakes as people type. The schemas say what the
model says, in French: pydantic's titles (class names) and descriptions (English docstrings,
written for developers) are replaced. ``fsdocs controler`` stays the judge: a schema cannot know,
for instance, that a gestionnaire id must exist in another file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fsdocs.errors import OutputError
from fsdocs.files.write import write_all
from fsdocs.project.annexes_model import (
    MandatFile,
    OffresFile,
    PartenairesLocauxFile,
    ReferentsFile,
    StructureFile,
)
from fsdocs.project.model import (
    ConventionFile,
    GestionnairesFile,
    PartenairesFile,
    PrefetFile,
    TemoinsFile,
)
from fsdocs.project.project import find_root

SCHEMAS = ".schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Kind of file → its model, and the title and description an editor shows for the file.
KINDS: dict[str, tuple[type[BaseModel], str, str]] = {
    "convention": (
        ConventionFile,
        "Convention départementale France services",
        "convention.yaml : le département, la date de labellisation, le lieu et la date de "
        "signature, la durée et la liste des annexes.",
    ),
    "prefet": (
        PrefetFile,
        "Préfet signataire",
        "signatories/prefet.yaml : le Préfet ou la Préfète qui signe la convention.",
    ),
    "gestionnaires": (
        GestionnairesFile,
        "Gestionnaires des France services",
        "signatories/gestionnaires.yaml : les organismes qui gèrent les structures, dans "
        "l’ordre de la convention, avec leur représentant.",
    ),
    "partenaires": (
        PartenairesFile,
        "Partenaires signataires",
        "signatories/partenaires.yaml : les représentants locaux des partenaires nationaux, "
        "dans l’ordre de la convention.",
    ),
    "temoins": (
        TemoinsFile,
        "Témoins de la signature",
        "signatories/temoins.yaml : les personnes présentes à la signature, qui ne signent "
        "pas (« En présence de … »).",
    ),
    "structure": (
        StructureFile,
        "Structure France services",
        "annexes/structures/<identifiant>.yaml : une structure France services ; le nom du "
        "fichier est son identifiant.",
    ),
    "offres": (
        OffresFile,
        "Offre complémentaire d’un partenaire",
        "annexes/offres/<partenaire>.yaml : l’offre d’un partenaire (permanences, rendez-vous, "
        "visioconférence) dans chaque structure, par identifiant de structure (Annexe 5).",
    ),
    "referents": (
        ReferentsFile,
        "Référents des partenaires",
        "annexes/referents.yaml : les référents de chaque partenaire, joignables par téléphone "
        "et courriel directs (Annexe 6).",
    ),
    "partenaires-locaux": (
        PartenairesLocauxFile,
        "Partenaires locaux",
        "annexes/partenaires-locaux.yaml : les partenaires non signataires de l’Accord cadre "
        "national qui interviennent dans au moins une structure (Annexe 8).",
    ),
    "mandat": (
        MandatFile,
        "Modèle de mandat",
        "annexes/mandat.yaml : les mentions propres au département du mandat signé sur place "
        "(Annexe 7).",
    ),
}

# Titles of the model's parts ($defs), by class name; their docstrings are not shown.
PART_TITLES = {
    "AnnexeRef": "Annexe",
    "Civilite": "Civilité",
    "Duree": "Durée",
    "Gestionnaire": "Gestionnaire",
    "PartenaireSignataire": "Partenaire signataire",
    "Personne": "Personne",
    "Prefet": "Préfet",
    "Signature": "Signature",
    "TypeStructure": "Type de structure",
    "Adresse": "Adresse",
    "Agent": "Agent France services",
    "Arret": "Arrêt de la structure itinérante",
    "Equipements": "Équipements",
    "Horaires": "Horaires d’ouverture",
    "Offre": "Offre",
    "PartenaireLocal": "Partenaire local",
    "Permanence": "Permanence",
    "Referent": "Référent",
    "RepresentantPartenaire": "Représentant d’un partenaire",
    "StructureDefaults": "Valeurs par défaut des structures",
    "StructuresSettings": "Structures",
}

# Titles of the YAML keys, which are French words written without accents.
KEY_TITLES = {
    "anct": "Identifiant ANCT",
    "annees": "Années",
    "annexes": "Annexes",
    "appellation": "Appellation",
    "civilite": "Civilité",
    "commune": "Commune",
    "courriel": "Courriel",
    "date": "Date",
    "departement": "Département",
    "duree": "Durée",
    "fichier": "Fichier",
    "fonction": "Fonction",
    "forme_departement": "Forme « de … » du département",
    "gestionnaire": "Gestionnaire",
    "gestionnaires": "Gestionnaires",
    "id": "Identifiant",
    "labellisation": "Date de labellisation",
    "lieu": "Lieu",
    "nom": "Nom",
    "organisation": "Organisation",
    "partenaire": "Partenaire national",
    "partenaires": "Partenaires",
    "prefet": "Préfet",
    "prenom": "Prénom",
    "represente_par": "Représenté par",
    "representant": "Représentant",
    "signature": "Signature",
    "siren": "SIREN",
    "structures": "Structures",
    "tacite_reconduction": "Tacite reconduction",
    "telephone": "Téléphone",
    "temoins": "Témoins",
    "titre": "Titre",
    "type": "Type",
    "accessibilite_pmr": "Accessible aux personnes à mobilité réduite",
    "adresse": "Adresse",
    "agents": "Agents France services",
    "agents_formes": "Agents formés à ses démarches",
    "arrets": "Arrêts",
    "commentaire": "Commentaire",
    "complement": "Complément d’adresse",
    "code_postal": "Code postal",
    "conservation": "Durée de conservation",
    "coordonnees": "Comment joindre le référent",
    "nombre": "Nombre d’agents",
    "reference": "Jointe par référence",
    "contact_donnees": "Contact pour les données personnelles",
    "court": "Forme courte",
    "equipements": "Équipements",
    "espace_confidentiel": "Espace confidentiel",
    "formation": "Date de formation",
    "formulaire": "Formulaire de contact",
    "frequence": "Fréquence",
    "horaires": "Horaires",
    "imprimante_scanner": "Imprimante / scanner",
    "internet": "Accès à internet",
    "jour": "Jour",
    "lundi": "Lundi",
    "mardi": "Mardi",
    "mercredi": "Mercredi",
    "jeudi": "Jeudi",
    "vendredi": "Vendredi",
    "samedi": "Samedi",
    "dimanche": "Dimanche",
    "modalites": "Modalités de gestion",
    "offres": "Offres par structure",
    "ordinateur": "Ordinateur",
    "par_defaut": "Valeurs par défaut des structures",
    "partenaires_locaux": "Partenaires locaux",
    "permanences": "Permanences",
    "photocopieur": "Photocopieur",
    "referents": "Référents",
    "rendez_vous": "Rendez-vous",
    "responsable_traitement": "Responsable de traitement",
    "tablette": "Tablette connectée",
    "visio": "Visioconférence",
    "visioconference": "Équipement de visioconférence",
    "voie": "Voie",
    "wifi": "Wifi",
}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file (a key of ``KINDS``)."""
    model, title, description = KINDS[kind]
    result = model.model_json_schema(mode="validation")
    for name, part in result.get("$defs", {}).items():
        _frenchify(part, PART_TITLES.get(name))
    _frenchify(result, title)
    result["description"] = description
    result["$schema"] = DIALECT
    return result


def render(kind: str) -> str:
    """The schema as written to disk: sorted keys, two-space indent, final newline."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write every schema into ``<project>/.schemas/``, each file atomically."""
    root = find_root(root)
    target = root / SCHEMAS
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"impossible de créer {target} : {exc.strerror}") from None
    if not target.resolve().is_relative_to(root):
        raise OutputError(f"{target} mène hors du projet ({target.resolve()}) : refusé")
    files = {f"{kind}.schema.json": render(kind).encode("utf-8") for kind in KINDS}
    return write_all(target.resolve(), files)


def _frenchify(node: dict[str, Any], title: str | None) -> None:
    node.pop("description", None)  # a class docstring, in English, for developers
    node.pop("title", None)
    if title is not None:
        node["title"] = title
    for key, value in node.get("properties", {}).items():
        value.pop("title", None)  # pydantic's is the key capitalised: "Represente Par"
        if key in KEY_TITLES:
            value["title"] = KEY_TITLES[key]
