"""What changed in the facts: the data summary on a real revision (January 2020 → August 2024
lists), referents, and the other data files key by key."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fsdocs.changes.facts import Change, data_changes, file_changes
from fsdocs.french import NBSP
from fsdocs.importing.anct import lire_liste, liste_par_defaut
from fsdocs.importing.importer import fusionner
from fsdocs.importing.scaffold import init_project
from fsdocs.project.annexes_model import Referent, ReferentsFile
from fsdocs.project.load import Source, parse_yaml
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project

LISTE_2020 = (
    Path(__file__).resolve().parents[1] / "fixtures" / "anct" / "france_services-202001.csv"
)
LISTE_2024 = liste_par_defaut()
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def revision(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Project]:
    """Département 41 imported from the 2020 list, then a copy re-imported from 2024."""
    base = tmp_path_factory.mktemp("revision")
    before = base / "avant"
    init_project(before, "41", date(2020, 2, 6))
    fusionner(before, "41", lire_liste(LISTE_2020))
    after = base / "apres"
    shutil.copytree(before, after)
    fusionner(after, "41", lire_liste(LISTE_2024))
    return load_project(before), load_project(after)


def _rows(path: Path, number: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[number]: row for row in csv.DictReader(handle) if row[number] in IDS}


IDS = ("250", "251", "252", "253")


def _facts(row: dict[str, str], columns: dict[str, str]) -> dict[str, str]:
    """The compared facts of one row, normalised as a reader compares them."""
    facts = {field: " ".join(row[column].split()).casefold() for field, column in columns.items()}
    facts["telephone"] = re.sub(r"\D", "", facts["telephone"])
    for day in DAYS:
        facts[day] = row[f"h_{day}"].replace(" ", "")
    return facts


def _reported(change: Change) -> tuple[str, str]:
    value = change.apres
    if change.champ[:1] == ("horaires",):
        value = "" if value == "fermé" else value.replace("–", "-").replace(" ", "")
    elif change.champ == ("telephone",):
        value = re.sub(r"\D", "", value)
    else:
        value = value.casefold()
    return change.champ[-1], value


def test_the_2020_to_2024_revision_reports_each_changed_fact(
    revision: tuple[Project, Project],
) -> None:
    changes = data_changes(*revision)
    lines = [str(c) for c in changes]
    assert "Blois · adresse : 11 place Rene Coty → 133 rue Michel Bégon" in lines
    assert "Salbris · horaires du mardi : fermé → 08:30–12:30 / 13:30–17:30" in lines
    assert "Salbris · courriel : responsable-msap@salbris.fr → franceservices@salbris.fr" in lines
    assert all(c.avant != c.apres for c in changes)
    # An independent reading of both lists decides which compared facts changed.
    old_rows, new_rows = _rows(LISTE_2020, "MATRICULE"), _rows(LISTE_2024, "id_fs")
    old_columns = {"adresse": "ADRESSE", "telephone": "TELEPHONE", "courriel": "CONTACT.MAIL"}
    new_columns = {"adresse": "adresse", "telephone": "telephone", "courriel": "mail"}
    compared = {*old_columns, *DAYS}
    for ident in IDS:
        commune = new_rows[ident]["lib_com"]
        before = _facts(old_rows[ident], old_columns)
        after = _facts(new_rows[ident], new_columns)
        expected = {(field, after[field]) for field in compared if before[field] != after[field]}
        mine = [c for c in changes if c.sujet == commune]
        reported = {_reported(c) for c in mine if c.champ[-1] in compared}
        assert reported == expected, commune
        # The other reported fields are those the import derives from other columns.
        others = {c.champ for c in mine if c.champ[-1] not in compared}
        assert others <= {("nom",), ("appellation",), ("type",), ("rendez_vous",)}, commune
    added = {c.sujet for c in changes if not c.champ and "structure ajoutée" in c.apres}
    assert len(added) == len(revision[1].structures) - 4
    assert "Vendôme" in added
    assert not any("retirée" in c.avant for c in changes)


def test_identical_projects_have_no_change(revision: tuple[Project, Project]) -> None:
    assert data_changes(revision[0], revision[0]) == []
    assert data_changes(revision[1], revision[1]) == []


def _person(prenom: str, nom: str, fonction: str, courriel: str | None = None) -> Referent:
    return Referent.model_validate(
        {"civilite": None, "prenom": prenom, "nom": nom, "fonction": fonction, "courriel": courriel}
    )


def test_referents_added_removed_and_changed(revision: tuple[Project, Project]) -> None:
    base = revision[0]
    old = replace(
        base,
        referents=ReferentsFile(
            referents={
                "caf": [
                    _person("Anne", "Martin", "conseillère", "anne.martin@caf.fr"),
                    _person("Paul", "Durand", "chargé de mission"),
                ]
            }
        ),
    )
    new = replace(
        base,
        referents=ReferentsFile(
            referents={
                "caf": [_person("Anne", "Martin", "conseillère", "a.martin@caf.fr")],
                "msa": [_person("Lucie", "Petit", "référente")],
            }
        ),
    )
    assert [str(c) for c in data_changes(old, new)] == [
        "référents · caf · Anne Martin · courriel : anne.martin@caf.fr → a.martin@caf.fr",
        "référents · caf : retiré Paul Durand (chargé de mission)",
        "référents · msa : ajouté Lucie Petit (référente)",
    ]


def test_other_data_files_are_compared_key_by_key() -> None:
    old = {
        "convention.yaml": b"lieu: Blois\nsignature:\n  date: 2020-02-06\n",
        "annexes/mandat.yaml": b"a: 1\n",
        "annexes/structures/blois.yaml": b"nom: x\n",  # read by data_changes instead
        "annexe-1.pdf": b"%PDF-1.7 a",
    }
    new = {
        "convention.yaml": b"lieu: Vievy-le-Ray\xc3\xa9\nsignature:\n  date: 2020-02-07\n",
        "annexes/offres/caf.yaml": b"b: 2\n",
        "annexes/structures/blois.yaml": b"nom: y\n",
        "annexe-1.pdf": b"%PDF-1.7 b",
    }

    def sources(files: dict[str, bytes]) -> dict[str, Source]:
        parsed = {name: parse_yaml(raw, name)[0] for name, raw in files.items() if ".yaml" in name}
        return {name: source for name, source in parsed.items() if source is not None}

    known = {"caf": "Caisse d’allocations familiales"}
    assert [str(c) for c in file_changes(old, new, sources(old), sources(new), known)] == [
        "annexe-1.pdf : fichier remplacé",
        "Modèle de mandat : fichier retiré",
        "Offre de Caisse d’allocations familiales : fichier ajouté",
        "Convention · lieu : Blois → Vievy-le-Rayé",
        f"Convention · date de signature : 6{NBSP}février 2020 → 7{NBSP}février 2020",
    ]
    assert file_changes(old, old, sources(old), sources(old)) == []
