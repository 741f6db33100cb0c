"""What changed: the data summary on a real revision (January 2020 → August 2024 lists), the
word redline in the terminal and in HTML, and the DOCX whose tracked changes a reviewer
accepts or rejects."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree  # untyped: elements are Any here

from fsdocs.anct import lire_liste, liste_par_defaut
from fsdocs.diff import (
    Change,
    Kind,
    change_count,
    data_changes,
    new_text,
    old_text,
    redline_pdf,
    to_html,
    to_terminal,
    word_diff,
)
from fsdocs.importer import fusionner
from fsdocs.model import Personne
from fsdocs.model_annexes import ReferentsFile
from fsdocs.project import Project, load_project
from fsdocs.redline import redline_docx
from fsdocs.scaffold import init_project

from .conftest import run_cli
from .readback import pdf_pages

LISTE_2020 = Path(__file__).parent / "fixtures" / "anct" / "france_services-202001.csv"
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
    assert "Salbris · horaires · mardi : fermé → 08:30–12:30 / 13:30–17:30" in lines
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


def _person(prenom: str, nom: str, fonction: str, courriel: str | None = None) -> Personne:
    return Personne.model_validate(
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


OLD = "La France services de Blois, 11 place René Coty, est ouverte le mardi."
NEW = "La France services de Blois, 133 rue Michel Bégon, est ouverte le mardi et le jeudi."


def test_word_diff_marks_the_changed_words() -> None:
    ops = word_diff(OLD, NEW)
    assert old_text(ops) == OLD and new_text(ops) == NEW
    assert [(op.kind, op.text) for op in ops if op.kind is not Kind.EQUAL] == [
        (Kind.DELETE, "11 place René Coty"),
        (Kind.INSERT, "133 rue Michel Bégon"),
        (Kind.INSERT, " et le jeudi"),
    ]
    assert change_count(ops) == 2
    terminal = to_terminal(ops)
    assert "\x1b[31;9m11 place René Coty\x1b[0m" in terminal
    assert "\x1b[32;4m133 rue Michel Bégon\x1b[0m" in terminal
    page = to_html(ops, "Annexe 4")
    assert "<del>11 place René Coty</del><ins>133 rue Michel Bégon</ins>" in page
    assert "<ins> et le jeudi</ins>" in page
    assert "2 modifications" in page
    assert "aucune modification" in to_html(word_diff(OLD, OLD))


def test_html_escapes_the_texts() -> None:
    page = to_html(word_diff("a < b", "a < c & d"))
    assert "<del>b</del><ins>c &amp; d</ins>" in page and "a &lt; " in page


OLD_PARAGRAPHS = [
    "Annexe 4 : les structures",
    "La France services de Blois, 11 place René Coty.",
    "Un paragraphe qui disparaît.",
    "Ouverte le mardi.",
]
NEW_PARAGRAPHS = [
    "Annexe 4 : les structures",
    "La France services de Blois, 133 rue Michel Bégon.",
    "Ouverte le mardi et le jeudi.",
    "Un paragraphe nouveau.",
]


def _document_xml(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _remove(element: Any) -> None:
    element.getparent().remove(element)


def _paragraph_texts(root: Any) -> list[str]:
    return ["".join(p.itertext()) for p in root.iter(f"{W}p")]


def _resolve(root: Any, keep: str, drop: str) -> list[str]:
    """Accept (keep ins) or reject (keep del) every tracked change, as Word does: a paragraph
    whose mark is dropped goes with it, a kept mark loses its change."""
    for paragraph in list(root.iter(f"{W}p")):
        if paragraph.find(f"{W}pPr/{W}rPr/{drop}") is not None:
            _remove(paragraph)
    for element in list(root.iter(drop)):
        _remove(element)
    for element in list(root.iter(f"{W}delText")):
        element.tag = f"{W}t"
    for element in list(root.iter(keep)):
        if element.getparent().tag == f"{W}rPr":
            _remove(element)
        else:
            _unwrap(element)
    return _paragraph_texts(root)


def test_accepting_gives_the_new_text_and_rejecting_the_old() -> None:
    data = redline_docx(OLD_PARAGRAPHS, NEW_PARAGRAPHS)
    root = _document_xml(data)
    changes = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert changes and {c.get(f"{W}author") for c in changes} == {"fsdocs"}
    assert len({c.get(f"{W}id") for c in changes}) == len(changes)
    assert _resolve(_document_xml(data), keep=f"{W}ins", drop=f"{W}del") == NEW_PARAGRAPHS
    assert _resolve(_document_xml(data), keep=f"{W}del", drop=f"{W}ins") == OLD_PARAGRAPHS
    opened = docx.Document(io.BytesIO(data))
    assert len(opened.paragraphs) == 5  # one kept, two changed in place, one removed, one added
    assert redline_docx(OLD_PARAGRAPHS, NEW_PARAGRAPHS) == data


def test_identical_texts_give_a_redline_without_change() -> None:
    root = _document_xml(redline_docx(OLD_PARAGRAPHS, OLD_PARAGRAPHS))
    assert not [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert _paragraph_texts(root) == OLD_PARAGRAPHS


def test_the_html_redline_prints_to_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "redline.pdf"
    pdf.write_bytes(redline_pdf(to_html(word_diff(OLD, NEW), "Annexe 4"), tmp_path))
    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "2 modifications" in text
    assert "11 place René Coty" in text and "133 rue Michel Bégon" in text


def test_the_diff_command_prints_the_data_changes(revision: tuple[Project, Project]) -> None:
    before, after = (str(project.root) for project in revision)
    result = run_cli("diff", "--avant", before, "--apres", after)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Blois · adresse : 11 place Rene Coty → 133 rue Michel Bégon" in lines
    assert lines[-1] == f"{len(data_changes(*revision))} modifications."
    same = run_cli("diff", "--avant", before, "--apres", before)
    assert same.output == "Aucune modification.\n"


def test_the_diff_command_reports_a_missing_project(tmp_path: Path) -> None:
    result = run_cli("diff", "--avant", str(tmp_path), "--apres", str(tmp_path))
    assert result.exit_code != 0
    assert "aucun projet fsdocs" in result.output
