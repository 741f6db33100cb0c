"""Defaults of the structures (convention.yaml, ``structures: par_defaut:``): inherited by each
structure that does not write the key, read back from the rendered Annexe 4, and counted once
by the completeness gate where they are written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fsdocs.project.paths import CONVENTION, STRUCTURES
from fsdocs.rules.checked import load_project
from tests.conftest import run_cli
from tests.readback import pdf_body

HEADER = "Convention départementale France services de Loir-et-Cher – Annexe 4"
MODALITES = "Les permanences des partenaires se tiennent sur rendez-vous pris à l’accueil."
DEFAULTS = f"""structures:
  par_defaut:
    equipements:
      wifi: true
      tablette: true
    modalites: {MODALITES}
"""
FLAGS = ("internet", "ordinateur", "imprimante_scanner", "photocopieur", "telephone")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def flag(text: str, label: str) -> str:
    found = re.search(rf"{label} (oui|non|\[à compléter\])", text)
    assert found, (label, text)
    return found.group(1)


def test_annexe_4_prints_the_defaults_and_each_override(default_project: Path) -> None:
    append(default_project / CONVENTION, DEFAULTS)
    # Salbris writes its own: no tablet, and modalities of its own.
    salbris = default_project / STRUCTURES / "salbris.yaml"
    text = salbris.read_text("utf-8").replace(
        "  visioconference: true\n", "  visioconference: true\n  tablette: false\n"
    )
    salbris.write_text(text + "modalites: Accueil des partenaires le jeudi matin.\n", "utf-8")
    result = run_cli(
        "produire", "--annexe", "4", "--formats", "pdf", "--projet", str(default_project)
    )
    assert result.exit_code == 0, result.output
    out = default_project / "output"
    pages = {
        ident: pdf_body(out / "structures" / f"annexe-4-{ident}.pdf", HEADER).replace("'", "’")
        for ident in ("blois", "mondoubleau", "salbris", "bus-beauce-val-de-loire")
    }
    for ident, page in pages.items():
        assert flag(page, "Wifi pour les usagers") == "oui", ident
        own = ident == "salbris"
        assert flag(page, "Tablette connectée") == ("non" if own else "oui"), ident
        assert (MODALITES in page) is not own, ident
    assert "Accueil des partenaires le jeudi matin." in pages["salbris"]
    # Typed: the project itself holds the effective values, and which keys were inherited.
    project = load_project(default_project)
    by_id = {s.id: s for s in project.structures}
    assert by_id["blois"].data.equipements.tablette is True
    assert by_id["salbris"].data.equipements.tablette is False
    assert by_id["blois"].where(("equipements", "tablette")) == (
        CONVENTION,
        ("structures", "par_defaut", "equipements", "tablette"),
    )
    assert (
        by_id["salbris"].where(("equipements", "tablette"))[0]
        == salbris.relative_to(default_project).as_posix()
    )


def test_a_default_false_is_one_finding_where_it_is_written(default_project: Path) -> None:
    """A rule reports an inherited « false » once, on convention.yaml's line, not per structure;
    a structure's own « false » stays its own finding."""
    for path in (default_project / STRUCTURES).glob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace("espace_confidentiel: true\n", ""))
    append(
        default_project / CONVENTION, "structures:\n  par_defaut:\n    espace_confidentiel: false\n"
    )
    project = load_project(default_project)
    found = [p for p in project.warnings if p.regle == "espace-confidentiel"]
    line = (default_project / CONVENTION).read_text("utf-8").splitlines().index(
        "    espace_confidentiel: false"
    ) + 1
    assert [(p.file, p.line, p.path) for p in found] == [
        (CONVENTION, line, "structures.par_defaut.espace_confidentiel")
    ]
    assert "valeur par défaut de 4 structures" in found[0].message


def groups(root: Path) -> dict[str, Any]:
    result = run_cli("controler", "--projet", str(root), "--format", "json")
    return {g["groupe"]: g for g in json.loads(result.output)["groupes"]}


def facts(root: Path, kind: str) -> list[dict[str, Any]]:
    result = run_cli("controler", "--projet", str(root), "--format", "json")
    return [p for p in json.loads(result.output)["problemes"] if p["groupe"] == kind]


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """Loir-et-Cher as « creer » then « importer » make it: 23 structures, their equipment and
    premises to fill once, in convention.yaml's defaults."""
    root = tmp_path / "projet"
    assert run_cli("creer", str(root), "--departement", "41", "--date", "2024-08-01").exit_code == 0
    assert run_cli("importer", "--departement", "41", "--projet", str(root)).exit_code == 0
    return root


def test_the_gate_counts_each_default_once(imported: Path, tmp_path: Path) -> None:
    # Without defaults (the block removed before importing): 8 facts for each of 23 structures.
    bare = tmp_path / "sans-defauts"
    run_cli("creer", str(bare), "--departement", "41", "--date", "2024-08-01")
    text = (bare / CONVENTION).read_text("utf-8")
    (bare / CONVENTION).write_text(text.split("# Ce que les structures partagent")[0], "utf-8")
    run_cli("importer", "--departement", "41", "--projet", str(bare))
    assert groups(bare)["equipements"]["nombre"] == 23 * 8
    # With them: 8 facts, each printed once per structure, located in convention.yaml.
    equipment = facts(imported, "equipements")
    assert len(equipment) == groups(imported)["equipements"]["nombre"] == 8
    assert {p["fichier"] for p in equipment} == {CONVENTION}
    assert {p["mentions"] for p in equipment} == {23}
    internet = next(p for p in equipment if p["champ"].endswith("internet"))
    lines = (imported / CONVENTION).read_text("utf-8").splitlines()
    assert lines[internet["ligne"] - 1].strip().startswith("internet: ~")
    # Filled once: nothing left of that kind, in any structure.
    text = (imported / CONVENTION).read_text("utf-8")
    (imported / CONVENTION).write_text(
        re.sub(r"(\n +\w+): ~  # à compléter : true ou false", r"\1: true", text)
    )
    assert "equipements" not in groups(imported)
    # A structure that writes « ~ » has the fact to fill for itself, in its own file.
    blois = imported / STRUCTURES / "blois.yaml"
    append(blois, "accessibilite_pmr: ~\n")
    (gap,) = facts(imported, "equipements")
    assert (gap["fichier"], gap["champ"], gap["mentions"]) == (
        f"{STRUCTURES}/blois.yaml",
        "accessibilite_pmr",
        1,
    )
