"""The département table: the complement after « Préfet » for all 101 départements.

The expected forms are written here by hand from the préfets' titles (nomination decrees,
préfectures' own acts), not computed from INSEE's article code, so a wrong form in
fsdocs/departements.py or in the CSV makes a test fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fsdocs.project.departements import departement, departements, normalize_code
from fsdocs.rules.checked import load_project
from fsdocs.wording.context import get_context
from tests.conftest import run_cli

# "Préfet …" / "Préfète …" is followed by exactly these words.
EXPECTED_FORMS = {
    "01": "de l’Ain",
    "02": "de l’Aisne",
    "03": "de l’Allier",
    "04": "des Alpes-de-Haute-Provence",
    "05": "des Hautes-Alpes",
    "06": "des Alpes-Maritimes",
    "07": "de l’Ardèche",
    "08": "des Ardennes",
    "09": "de l’Ariège",
    "10": "de l’Aube",
    "11": "de l’Aude",
    "12": "de l’Aveyron",
    "13": "des Bouches-du-Rhône",
    "14": "du Calvados",
    "15": "du Cantal",
    "16": "de la Charente",
    "17": "de la Charente-Maritime",
    "18": "du Cher",
    "19": "de la Corrèze",
    "21": "de la Côte-d’Or",
    "22": "des Côtes-d’Armor",
    "23": "de la Creuse",
    "24": "de la Dordogne",
    "25": "du Doubs",
    "26": "de la Drôme",
    "27": "de l’Eure",
    "28": "d’Eure-et-Loir",
    "29": "du Finistère",
    # « le préfet de Corse, préfet de la Corse-du-Sud »
    "2A": "de la Corse-du-Sud",
    "2B": "de la Haute-Corse",
    "30": "du Gard",
    "31": "de la Haute-Garonne",
    "32": "du Gers",
    "33": "de la Gironde",
    "34": "de l’Hérault",
    "35": "d’Ille-et-Vilaine",
    "36": "de l’Indre",
    "37": "d’Indre-et-Loire",
    "38": "de l’Isère",
    "39": "du Jura",
    "40": "des Landes",
    "41": "de Loir-et-Cher",
    "42": "de la Loire",
    "43": "de la Haute-Loire",
    "44": "de la Loire-Atlantique",
    "45": "du Loiret",
    "46": "du Lot",
    "47": "de Lot-et-Garonne",
    "48": "de la Lozère",
    "49": "de Maine-et-Loire",
    "50": "de la Manche",
    "51": "de la Marne",
    "52": "de la Haute-Marne",
    "53": "de la Mayenne",
    "54": "de Meurthe-et-Moselle",
    "55": "de la Meuse",
    "56": "du Morbihan",
    "57": "de la Moselle",
    "58": "de la Nièvre",
    "59": "du Nord",
    "60": "de l’Oise",
    "61": "de l’Orne",
    "62": "du Pas-de-Calais",
    "63": "du Puy-de-Dôme",
    "64": "des Pyrénées-Atlantiques",
    "65": "des Hautes-Pyrénées",
    "66": "des Pyrénées-Orientales",
    "67": "du Bas-Rhin",
    "68": "du Haut-Rhin",
    "69": "du Rhône",
    "70": "de la Haute-Saône",
    "71": "de Saône-et-Loire",
    "72": "de la Sarthe",
    "73": "de la Savoie",
    "74": "de la Haute-Savoie",
    "75": "de Paris",
    "76": "de la Seine-Maritime",
    "77": "de Seine-et-Marne",
    "78": "des Yvelines",
    "79": "des Deux-Sèvres",
    "80": "de la Somme",
    "81": "du Tarn",
    "82": "de Tarn-et-Garonne",
    "83": "du Var",
    "84": "de Vaucluse",
    "85": "de la Vendée",
    "86": "de la Vienne",
    "87": "de la Haute-Vienne",
    "88": "des Vosges",
    "89": "de l’Yonne",
    "90": "du Territoire de Belfort",
    "91": "de l’Essonne",
    "92": "des Hauts-de-Seine",
    "93": "de la Seine-Saint-Denis",
    "94": "du Val-de-Marne",
    "95": "du Val-d’Oise",
    "971": "de la Guadeloupe",
    "972": "de la Martinique",
    "973": "de la Guyane",
    "974": "de La Réunion",
    "976": "de Mayotte",
}


def test_the_table_has_the_101_departements() -> None:
    assert len(EXPECTED_FORMS) == 101
    assert set(departements()) == set(EXPECTED_FORMS)


@pytest.mark.parametrize(("code", "form"), sorted(EXPECTED_FORMS.items()))
def test_form_after_prefet(code: str, form: str) -> None:
    found = departement(code)
    assert found is not None
    assert found.de == form
    assert form.endswith(found.nom)


@pytest.mark.parametrize(
    ("typed", "code"), [("41", "41"), ("1", "01"), ("01", "01"), ("2a", "2A"), (" 974 ", "974")]
)
def test_codes_are_normalized(typed: str, code: str) -> None:
    assert normalize_code(typed) == code


def _set_departement(project: Path, lines: list[str]) -> int:
    """Replace the ``departement:`` line of convention.yaml; return its 1-based line number."""
    path = project / "convention.yaml"
    text = path.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(text) if line.startswith("departement:"))
    text[index : index + 1] = lines
    path.write_text("\n".join(text) + "\n", "utf-8")
    return index + 1


def test_yaml_form_overrides_the_table(default_project: Path) -> None:
    _set_departement(
        default_project,
        ['departement: "41"', 'forme_departement: "du département de Loir-et-Cher"'],
    )
    project = load_project(default_project)
    assert project.departement.nom == "Loir-et-Cher"
    assert project.departement.de == "du département de Loir-et-Cher"
    context = get_context(project)
    assert context.le_prefet_titre == "Le Préfet du département de Loir-et-Cher"
    assert (
        context.entete == "Convention départementale France services du département de Loir-et-Cher"
    )


def test_a_number_in_yaml_is_read_as_a_zero_padded_code(default_project: Path) -> None:
    _set_departement(default_project, ["departement: 1"])
    assert load_project(default_project).departement.de == "de l’Ain"


def test_unknown_code_is_a_located_french_error(default_project: Path) -> None:
    line = _set_departement(default_project, ['departement: "99"'])
    result = run_cli("check", "--projet", str(default_project))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # The exact wording belongs to the validation messages' own tests; here: where and what.
    error, summary = result.stderr.splitlines()
    assert error.startswith(
        f"convention.yaml:{line}: departement: code de département « 99 » inconnu"
    )
    assert "code INSEE" in error
    assert "« 2A »" in error
    assert summary == "Échec : 1 erreur, 0 avertissement."
