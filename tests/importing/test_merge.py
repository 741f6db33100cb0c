"""``fsdocs importer`` merges a placeholder gestionnaire that repeats a legal entity, and sums
up a real import by kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

from fsdocs.importing.edits import Signatories
from fsdocs.importing.fiche import Fiche
from fsdocs.importing.scaffold import init_project
from fsdocs.importing.yamledit import load_document
from fsdocs.project.paths import CONVENTION, GESTIONNAIRES, STRUCTURES
from fsdocs.rules.checked import load_project
from tests.conftest import LISTE_2020, run_cli

PLACEHOLDER = """
  # Gestionnaire de France services Salbris (liste ANCT n° 252)
  - id: gestionnaire-salbris
    organisation: Communauté de Communes Sologne des Rivieres
{siren}    representant:
      civilite: {civilite}
      prenom: ~
      nom: ~
      fonction: ~

  # Un gestionnaire écrit à la main, après
  - id: mairie-de-mer
    organisation: la commune de Mer
    representant:
      civilite: Madame
      prenom: Anne
      nom: Roux
      fonction: Maire
"""


def with_placeholder(root: Path, civilite: str = "~", siren: str = "") -> None:
    path = root / GESTIONNAIRES
    extra = PLACEHOLDER.format(civilite=civilite, siren=f"    siren: {siren}\n" if siren else "")
    path.write_text(path.read_text("utf-8") + extra, "utf-8")
    salbris = root / STRUCTURES / "salbris.yaml"
    text = salbris.read_text("utf-8")
    salbris.write_text(text.replace("cc-sologne-des-rivieres", "gestionnaire-salbris"), "utf-8")


def gestionnaire_of(root: Path, ident: str) -> str:
    data = yaml.safe_load((root / STRUCTURES / f"{ident}.yaml").read_text("utf-8"))
    return str(data["gestionnaire"])


def test_a_placeholder_of_a_known_entity_is_merged(default_project: Path) -> None:
    with_placeholder(default_project)
    result = run_cli(
        "import", str(LISTE_2020), "--departement", "41", "--projet", str(default_project)
    )
    assert result.exit_code == 0, result.output
    assert (
        "gestionnaire fusionné : gestionnaire-salbris → cc-sologne-des-rivieres (même nom "
        "« Communauté de Communes Sologne des Rivieres ») : 1 structure rattachée, une seule "
        "signature"
    ) in result.output
    assert "1 gestionnaire fusionné" in result.output
    assert gestionnaire_of(default_project, "salbris") == "cc-sologne-des-rivieres"
    text = (default_project / GESTIONNAIRES).read_text("utf-8")
    assert "gestionnaire-salbris" not in text and "(liste ANCT n° 252)" not in text
    # The comment that introduced the next entry still does, once.
    assert text.count("# Un gestionnaire écrit à la main, après\n  - id: mairie-de-mer") == 1
    project = load_project(default_project)
    assert [g.id for g in project.gestionnaires][-2:] == ["quartiers-proximite", "mairie-de-mer"]


def test_what_a_person_wrote_is_never_merged_away(default_project: Path) -> None:
    with_placeholder(default_project, civilite="Madame")
    result = run_cli(
        "import", str(LISTE_2020), "--departement", "41", "--projet", str(default_project)
    )
    assert result.exit_code == 0, result.output
    assert "fusionné" not in result.output
    assert gestionnaire_of(default_project, "salbris") == "gestionnaire-salbris"
    check = run_cli("controler", "--projet", str(default_project))
    assert check.exit_code == 1
    assert "« gestionnaire-salbris » et « cc-sologne-des-rivieres »" in check.output


def test_another_siren_is_another_entity(default_project: Path) -> None:
    with_placeholder(default_project, siren="213 701 097")
    path = default_project / GESTIONNAIRES
    anchor = "  - id: cc-sologne-des-rivieres\n"
    path.write_text(path.read_text("utf-8").replace(anchor, f"{anchor}    siren: 200030195\n"))
    result = run_cli(
        "import", str(LISTE_2020), "--departement", "41", "--projet", str(default_project)
    )
    assert "fusionné" not in result.output
    assert gestionnaire_of(default_project, "salbris") == "gestionnaire-salbris"


def test_a_new_structure_finds_its_manager_however_its_name_is_typed() -> None:
    """The 2020 list names the structure porteuse as it likes; the file, as a person wrote it
    (article, hyphen, no capitals or accents): one legal entity, no second gestionnaire."""
    doc = load_document(
        "gestionnaires:\n"
        "  - id: cc-perche\n"
        "    organisation: la communauté de communes du perche et haut-vendomois\n"
    )
    signatories = Signatories(doc, doc["gestionnaires"], set())
    fiche = Fiche(2, 251, nom="France services Mondoubleau")
    porteuse = "Communauté de Communes du Perche et Haut Vendômois"
    assert signatories.manager(replace(fiche, porteuse=porteuse), "mondoubleau") == "cc-perche"
    other = replace(fiche, porteuse="Communauté de communes des Collines du Perche")
    assert signatories.manager(other, "mondoubleau") != "cc-perche"
    assert len(doc["gestionnaires"]) == 2


def test_the_gironde_import_is_summed_up_by_kind(tmp_path: Path) -> None:
    """44 structures: a line per kind with its count and three examples, and the project
    after the import as ``controler`` groups it; ``--detail`` prints every line."""
    root = tmp_path / "gironde"
    init_project(root, "33", date(2024, 8, 1))
    result = run_cli("importer", "--departement", "33", "--projet", str(root))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "44 structures ajoutées :" in lines
    assert sum(line.startswith("ajoutée : ") for line in lines) == 3
    assert "… et 41 autres (--detail pour tout voir)" in lines
    assert "Le projet après l’import (détail : « fsdocs controler ») :" in lines
    # The defaults written once by « creer »: 8 facts, not 8 per structure.
    assert "  Équipements et accueil à renseigner : 8 champs" in lines
    assert "  Agents à nommer : 44 structures" in lines
    assert len(lines) < 30
    convention = (root / CONVENTION).read_text("utf-8")
    assert "structures:\n  par_defaut:\n    equipements:" in convention
    assert "equipements" not in (root / STRUCTURES / "blaye.yaml").read_text("utf-8")


def test_detail_prints_every_line(tmp_path: Path) -> None:
    root = tmp_path / "gironde"
    run_cli("creer", str(root), "--departement", "33", "--date", "2024-08-01")
    result = run_cli("importer", "--departement", "33", "--projet", str(root), "--detail")
    assert result.exit_code == 0, result.output
    assert sum(line.startswith("ajoutée : ") for line in result.output.splitlines()) == 44
    assert "--detail pour tout voir" not in result.output
