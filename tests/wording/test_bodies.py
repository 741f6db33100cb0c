"""Who signs for whom: golden phrasings of a function completed by its body."""

from __future__ import annotations

import pytest

from fsdocs.wording.bodies import Qualite, qualite


@pytest.mark.parametrize(
    ("fonction", "organisation", "expected"),
    [
        # the function names the body already: nothing added
        (
            "Président de la communauté de communes Beauce Val de Loire",
            "la communauté de communes Beauce Val de Loire",
            Qualite("Président de la communauté de communes Beauce Val de Loire", ""),
        ),
        (
            "Directeur général de la Mutualité Sociale Agricole Berry-Touraine",
            "la Mutualité sociale agricole Berry-Touraine",
            Qualite("Directeur général de la Mutualité Sociale Agricole Berry-Touraine", ""),
        ),
        # a capitalised article belongs to the name
        (
            "Chef de projet, réseau La Poste",
            "La Poste",
            Qualite("Chef de projet, réseau La Poste", ""),
        ),
        (
            "Directeur régional de Pôle emploi",
            "Pôle emploi",
            Qualite("Directeur régional de Pôle emploi", ""),
        ),
        # the function names the body's kind: the body completes it, as the user wrote it
        (
            "Président du Tribunal judiciaire",
            "le Tribunal judiciaire de Blois",
            Qualite("Président du Tribunal judiciaire de Blois", ""),
        ),
        (
            "Directrice départementale de la Caisse d'Allocations Familiales",
            "la Caisse d’allocations familiales de Loir-et-Cher",
            Qualite(
                "Directrice départementale de la Caisse d'Allocations Familiales de Loir-et-Cher",
                "",
            ),
        ),
        (
            "Président de la Caisse d'assurance retraite et de la santé au travail",
            "la Caisse d'assurance retraite et de la santé au travail Centre-Val de Loire",
            Qualite(
                "Président de la Caisse d'assurance retraite et de la santé au travail "
                "Centre-Val de Loire",
                "",
            ),
        ),
        (
            "Directeur de l’Agence",
            "l’Agence régionale de santé",
            Qualite("Directeur de l’Agence régionale de santé", ""),
        ),
        (
            "Président du Conseil",
            "le Conseil départemental de Loir-et-Cher",
            Qualite("Président du Conseil départemental de Loir-et-Cher", ""),
        ),
        # the head's title completed by what follows the body's kind
        (
            "Directeur départemental des Finances publiques",
            "la Direction départementale des Finances publiques de Loir-et-Cher",
            Qualite("Directeur départemental des Finances publiques de Loir-et-Cher", ""),
        ),
        # no shared words: the body is printed beside the function
        (
            "Directeur territorial",
            "France Travail",
            Qualite("Directeur territorial", "France Travail"),
        ),
        # the function names its body in other words of the same stems
        (
            "Directeur départemental des Finances publiques de Loir-et-Cher",
            "la Direction départementale des Finances publiques de Loir-et-Cher",
            Qualite("Directeur départemental des Finances publiques de Loir-et-Cher", ""),
        ),
        # not the same body: a commune is not a communauté de communes
        (
            "Maire de la commune de Salbris",
            "la communauté de communes de la Sologne des Rivières",
            Qualite(
                "Maire de la commune de Salbris",
                "la communauté de communes de la Sologne des Rivières",
            ),
        ),
        # one shared word is not enough to merge (« Président » / « Président … »)
        ("Maire", "la commune de Salbris", Qualite("Maire", "la commune de Salbris")),
        ("Directeur", "Directeur Consulting", Qualite("Directeur", "Directeur Consulting")),
        # no body known
        ("Président", None, Qualite("Président", "")),
        ("Président", "", Qualite("Président", "")),
    ],
)
def test_qualite(fonction: str, organisation: str | None, expected: Qualite) -> None:
    assert qualite(fonction, organisation) == expected
