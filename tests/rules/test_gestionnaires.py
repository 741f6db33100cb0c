"""Rule ``personne-morale`` (art. 1): one legal entity is one gestionnaire, which signs once."""

from __future__ import annotations

from pathlib import Path

import pytest

from fsdocs.errors import ProjectError
from fsdocs.project.paths import GESTIONNAIRES, STRUCTURES
from fsdocs.rules.checked import load_project
from tests.conftest import run_cli

TWIN = """
  - id: cc-sologne-bis
    organisation: {organisation}
{siren}    representant:
      civilite: Madame
      prenom: Anne
      nom: Roux
      fonction: Présidente
"""


def add_twin(root: Path, organisation: str, siren: str = "", first_siren: str = "") -> int:
    """A second gestionnaire after the file's last, managing Salbris; its line."""
    path = root / GESTIONNAIRES
    text = path.read_text("utf-8")
    if first_siren:
        anchor = "  - id: cc-sologne-des-rivieres\n"
        text = text.replace(anchor, f"{anchor}    siren: {first_siren}\n")
    line = text.count("\n") + 2
    twin = TWIN.format(organisation=organisation, siren=f"    siren: {siren}\n" if siren else "")
    path.write_text(text + twin, "utf-8")
    salbris = root / STRUCTURES / "salbris.yaml"
    salbris.write_text(
        salbris.read_text("utf-8").replace(
            "gestionnaire: cc-sologne-des-rivieres", "gestionnaire: cc-sologne-bis"
        ),
        "utf-8",
    )
    return line


@pytest.mark.parametrize(
    ("organisation", "siren", "first_siren", "why"),
    [
        ("Communauté de Communes Sologne des Rivieres", "", "", "même nom"),
        ("la CC Sologne des Rivières", "200 030 195", "200030195", "même SIREN 200030195"),
    ],
)
def test_one_entity_written_twice_is_an_error_naming_both(
    default_project: Path, organisation: str, siren: str, first_siren: str, why: str
) -> None:
    line = add_twin(default_project, organisation, siren, first_siren)
    with pytest.raises(ProjectError) as caught:
        load_project(default_project)
    (problem,) = [p for p in caught.value.problems if p.regle == "personne-morale"]
    assert (problem.file, problem.line, problem.article) == (GESTIONNAIRES, line, "1")
    assert problem.path == "gestionnaires[4]"
    assert "« cc-sologne-bis » et « cc-sologne-des-rivieres »" in problem.message
    assert f"({GESTIONNAIRES}, ligne 20)" in problem.message
    assert why in problem.message
    assert "écrivez « gestionnaire: cc-sologne-des-rivieres »" in problem.message
    assert f"({STRUCTURES}/salbris.yaml)" in problem.message
    result = run_cli("controler", "--projet", str(default_project))
    assert result.exit_code == 1 and "même personne morale" in result.output


def test_two_sirens_are_two_entities_whatever_their_names(default_project: Path) -> None:
    add_twin(
        default_project,
        "la communauté de communes Sologne des Rivières",
        "213 701 097",
        "200030195",
    )
    project = load_project(default_project)
    assert not [p for p in project.warnings if p.regle == "personne-morale"]
