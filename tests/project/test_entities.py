"""A gestionnaire's SIREN (9 digits, Luhn key) and the folded names that recognise one legal
entity however it is typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fsdocs.errors import ProjectError
from fsdocs.project.entities import entity_key, luhn
from fsdocs.project.model import Gestionnaire
from fsdocs.project.paths import GESTIONNAIRES
from fsdocs.project.reading import read_project

PERSON = {"civilite": None, "prenom": None, "nom": None, "fonction": None}


def gestionnaire(siren: object) -> Gestionnaire:
    return Gestionnaire.model_validate(
        {"id": "g", "organisation": None, "representant": PERSON, "siren": siren}
    )


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("213 701 097", "213701097"),  # the commune of Blois as people write it
        (213701097, "213701097"),  # YAML reads it as a number
        ("356000000", "356000000"),  # La Poste
        ("130\u00a0025\u00a0265", "130025265"),  # ANCT, copied with non-breaking spaces
    ],
)
def test_a_siren_is_kept_as_its_nine_digits(written: object, kept: str) -> None:
    assert gestionnaire(written).siren == kept


def test_the_luhn_key_refuses_a_mistyped_digit() -> None:
    assert luhn("213701097") and not luhn("213701098") and not luhn("231701097")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("213 701 098", "clé de contrôle (formule de Luhn) ne correspond pas"),
        ("21370109", "9 chiffres attendus (ex. « 213 701 097 »), espaces permis ; trouvé 8"),
        ("2137O1097", "et d’autres caractères"),
    ],
)
def test_a_wrong_siren_is_a_french_error_on_its_line(
    default_project: Path, written: str, said: str
) -> None:
    path = default_project / GESTIONNAIRES
    text = path.read_text("utf-8")
    anchor = "  - id: cc-collines-du-perche\n"
    path.write_text(text.replace(anchor, f'{anchor}    siren: "{written}"\n'), "utf-8")
    with pytest.raises(ProjectError) as caught:
        read_project(default_project)
    (problem,) = caught.value.problems
    line = text.splitlines().index(anchor.rstrip("\n")) + 2
    assert (problem.file, problem.line, problem.path) == (
        GESTIONNAIRES,
        line,
        "gestionnaires[1].siren",
    )
    assert said in problem.message and written in problem.message


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("la communauté de communes du Blaisois", "Communauté de Communes du Blaisois"),
        ("l’association Pimms Médiation", "Association PIMMS médiation"),
        ("L'Association Pimms-Médiation", "association pimms mediation"),
        ("Les Œuvres sociales", "oeuvres sociales"),
        ("La Poste", "la poste"),
    ],
)
def test_one_entity_however_typed(one: str, other: str) -> None:
    assert entity_key(one) == entity_key(other) != ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("la communauté de communes du Blaisois", "la communauté d’agglomération du Blaisois"),
        ("La Poste", "Lapostolle"),
        ("la commune de Mer", "la commune de Mers"),
    ],
)
def test_two_entities_stay_two(one: str, other: str) -> None:
    assert entity_key(one) != entity_key(other)
