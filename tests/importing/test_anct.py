"""Reading ANCT's lists: the shipped national list of 1 August 2024, its `;` and BOM variants,
the January 2020 list, and the located French errors on lists that cannot be read.

Expected values are read from the CSV text itself, with the csv module, never through fsdocs.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fsdocs.errors import ListeError, ProjectError, Severity
from fsdocs.importing.anct import lire_liste, liste_par_defaut
from fsdocs.importing.fiche import ACCUEIL_LIBRE, SUR_RENDEZ_VOUS, Fiche
from fsdocs.project.annexes_model import TypeStructure
from fsdocs.project.horaires import lire_creneaux
from tests.conftest import copy_default_project, run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anct"
LISTE_2020 = FIXTURES / "france_services-202001.csv"
NAME = "liste-fs-20240801.csv"
SHA256 = "6eabcb0792c8681af513e65560a7dea08e15d3e72b070a14ca1fed032164efad"


def rows() -> dict[str, dict[str, str]]:
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        return {row["id_fs"]: row for row in csv.DictReader(handle)}


def fiche(anct: int) -> Fiche:
    liste = lire_liste(liste_par_defaut(), NAME)
    code = rows()[str(anct)]["insee_dep"]
    return next(f for f in liste.fiches(code) if f.anct == anct)


def test_the_shipped_list_is_ancts_file_unchanged() -> None:
    assert hashlib.sha256(liste_par_defaut().read_bytes()).hexdigest() == SHA256
    credits = (Path(__file__).resolve().parents[2] / "fsdocs" / "data" / "CREDITS.md").read_text(
        "utf-8"
    )
    credits = " ".join(credits.split())
    assert "liste des structures France services au 1er août 2024" in credits
    assert "77f42baab04eae687d5eef1acdc79ee395f9562b" in credits


def test_every_row_of_the_national_list_is_read() -> None:
    liste = lire_liste(liste_par_defaut(), NAME)
    assert liste.format.nom == "liste ANCT 2024"
    assert len(liste.lignes) == len(rows()) == 2845
    assert "978" in liste.codes() and len(liste.codes()) == 102
    fiches = [f for code in sorted(liste.codes()) for f in liste.fiches(code)]
    assert sorted(f.anct for f in fiches) == sorted(int(i) for i in rows())
    assert all(f.nom and f.commune and f.type for f in fiches)


@pytest.mark.parametrize("anct", [250, 251, 253, 1344])
def test_hours_of_named_rows_are_those_of_the_csv(anct: int) -> None:
    row, found = rows()[str(anct)], fiche(anct)
    days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
    assert found.horaires == {day: row[f"h_{day}"].replace(" - ", "-") for day in days}


def test_hours_as_the_default_project_writes_them() -> None:
    assert fiche(251).horaires == {
        "lundi": "09:00-12:30 / 13:30-17:30",
        "mardi": "09:00-12:30 / 14:00-17:30",
        "mercredi": "09:00-12:00",
        "jeudi": "09:00-12:30 / 13:30-17:30",
        "vendredi": "09:00-12:30",
        "samedi": "",
    }


def test_dummy_midnight_slots_are_dropped() -> None:
    assert rows()["807"]["h_lundi"] == "00:00 - 00:00 / 00:00 - 00:00 / 08:30 - 16:00"
    assert fiche(807).horaires["lundi"] == "08:30-16:00"
    assert rows()["67"]["h_vendredi"] == "00:00 - 00:00"
    assert fiche(67).horaires["vendredi"] == ""
    assert not fiche(807).problemes


def test_overlapping_slots_are_joined_and_reported_with_line_and_column() -> None:
    found = fiche(114)
    assert rows()["114"]["h_mardi"] == "09:00 - 12:00 / 09:00 - 16:30 / 14:00 - 16:30"
    assert found.horaires["mardi"] == "09:00-16:30"
    line = _line_of("114")
    assert [(p.line, p.path, p.severity) for p in found.problemes] == [
        (line, "h_mardi", Severity.WARNING)
    ]
    assert "09:00 - 12:00 / 09:00 - 16:30 / 14:00 - 16:30" in found.problemes[0].message
    assert found.notes["horaires.mardi"].startswith("liste ANCT : « 09:00 - 12:00")


def test_comment_with_newlines_keeps_its_paragraphs() -> None:
    raw = rows()["426"]["commentaire"]
    assert "\n\n\n" in raw
    found = fiche(426)
    assert found.commentaire is not None
    paragraphs = found.commentaire.split("\n\n")
    assert paragraphs[0] == "Sur rendez-vous les mardis, mercredis et jeudis matins au Lude"
    assert paragraphs[1].startswith("Permanences sur rendez-vous, 1 semaine sur 2,")
    assert [p.split() for p in paragraphs] == [p.split() for p in raw.split("\n\n\n")]


def test_address_on_one_line_with_french_street_typography() -> None:
    assert rows()["250"]["adresse"] == "133 Rue Michel Bégon"
    assert fiche(250).voie == "133 rue Michel Bégon"
    assert rows()["2632"]["adresse"] == "27 Avenue Robert Schuman\n\n\n"
    assert fiche(2632).voie == "27 avenue Robert Schuman"


@pytest.mark.parametrize(
    ("anct", "kind"),
    [
        (250, TypeStructure.FIXE),
        (253, TypeStructure.ITINERANTE),  # Bus_équivalent
        (362, TypeStructure.MULTISITES),  # Antenne, Multisites: "… multisites … - Site de …"
        (143, TypeStructure.ANTENNE),  # Antenne, Fixe_antenne(s)
        (1469, TypeStructure.ANTENNE),  # Principal, Fixe_antenne(s): "… - Antenne de …"
        (682, TypeStructure.ANTENNE),  # Antenne, Fixe
    ],
)
def test_kinds_of_structure(anct: int, kind: TypeStructure) -> None:
    assert fiche(anct).type is kind


def test_appointments_contacts_and_labelling() -> None:
    blois, mondoubleau, saint_aignan, montpellier = (fiche(n) for n in (250, 251, 1344, 844))
    assert blois.rendez_vous == ACCUEIL_LIBRE and blois.commentaire is None
    assert mondoubleau.rendez_vous == (
        "Prise de rendez-vous souhaitée et exclusivement sur rendez-vous les mercredis et vendredis"
    )
    assert mondoubleau.commentaire is None  # it became the appointment policy
    assert saint_aignan.rendez_vous == "Exclusivement sur rendez-vous"
    assert saint_aignan.labellisation == date(2021, 1, 15)
    assert montpellier.rendez_vous == SUR_RENDEZ_VOUS  # two paragraphs: kept as the comment
    assert montpellier.commentaire and montpellier.commentaire.startswith("Contact pour les RDV")
    assert blois.telephone == "02 54 45 34 54" and blois.courriel == "blois@pimmsmediation.fr"
    assert fiche(1684).telephone == "+590 690 66 88 66"  # Saint-Martin, read in its own region


def test_invalid_emails_are_reported_with_their_line_not_fixed() -> None:
    liste = lire_liste(liste_par_defaut(), NAME)
    joined = {i: r for i, r in rows().items() if " - " in r["mail"]}
    assert sorted(joined) == ["1623", "700"]
    for anct, row in joined.items():
        found = next(f for f in liste.fiches(row["insee_dep"]) if f.anct == int(anct))
        assert found.courriel is None
        problem = next(p for p in found.problemes if p.path == "mail")
        assert (problem.file, problem.line) == (NAME, _line_of(anct))
        assert row["mail"] in problem.message and "un seul « @ »" in problem.message
        assert (
            found.notes["courriel"]
            == f"liste ANCT : « {row['mail']} », adresse invalide à corriger"
        )


@pytest.mark.parametrize("variant", ["semicolon", "bom", "semicolon-bom-crlf", "cp1252"])
def test_separator_and_encoding_variants_read_the_same(tmp_path: Path, variant: str) -> None:
    original = lire_liste(liste_par_defaut(), NAME)
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    if variant == "cp1252":  # what a spreadsheet saves: only rows it can encode
        table = [r for r in table if all(_cp1252(v) for v in r) and r[1] in ("insee_dep", "41")]
    separator = "," if variant == "bom" else ";"
    ending = "\r\n" if "crlf" in variant else "\n"
    text = _csv(table, separator, ending)
    raw = text.encode("cp1252") if variant == "cp1252" else text.encode("utf-8")
    path = tmp_path / "liste.csv"
    path.write_bytes((b"\xef\xbb\xbf" if "bom" in variant else b"") + raw)
    found = lire_liste(path, NAME)
    codes = ["41"] if variant == "cp1252" else sorted(original.codes())
    for code in codes:
        expected = original.fiches(code)
        if variant == "cp1252":  # fewer rows: other line numbers
            kept = {int(r[0]) for r in table[1:]}
            expected = [replace(f, ligne=0) for f in expected if f.anct in kept]
            assert [replace(f, ligne=0) for f in found.fiches(code)] == expected
            assert all(not f.problemes for f in expected)
        else:
            assert found.fiches(code) == expected


def test_the_january_2020_list() -> None:
    liste = lire_liste(LISTE_2020, "fs-2020.csv")
    assert liste.format.nom == "liste ANCT de janvier 2020"
    assert len(liste.lignes) == 483
    with LISTE_2020.open(encoding="utf-8", newline="") as handle:
        raw = next(r for r in csv.DictReader(handle) if r["MATRICULE"] == "250")
    assert raw["ADRESSE"] == "11 Place Rene Coty "
    blois = next(f for f in liste.fiches("41") if f.anct == 250)
    assert (blois.nom, blois.commune, blois.voie) == (
        "France services Blois",
        "Blois",
        "11 place Rene Coty",
    )
    assert blois.labellisation == date(2020, 1, 1) and blois.horaires == {}
    guise = next(f for f in liste.fiches("02") if f.anct == 3)
    assert guise.porteuse == "Communauté de communes Thiérache Sambre et Oise"
    assert guise.horaires["mercredi"] == ""  # "-": closed
    assert guise.horaires["lundi"] == "09:30-12:15 / 13:45-16:30"


def test_free_text_hours_of_2020() -> None:
    assert _slots("9h-12h et 14h-17h") == "09:00-12:00 / 14:00-17:00"
    assert _slots("8h30-12h15/13h30-17h") == "08:30-12:15 / 13:30-17:00"
    assert _slots("8h30-12h 13h30-17h") == "08:30-12:00 / 13:30-17:00"  # not 12:13
    assert _slots("9h12h/14h-17h") == "09:00-12:00 / 14:00-17:00"
    assert _slots("9 h -12h – 13 h 30 – 17 h 30") == "09:00-12:00 / 13:30-17:30"
    liste = lire_liste(LISTE_2020, "fs-2020.csv")
    le_montet = next(f for f in liste.fiches("03") if f.anct == 11)
    assert "samedi" not in le_montet.horaires  # "9h – 12h le premier samedi de chaque mois"
    problem = next(p for p in le_montet.problemes if p.path == "h_samedi")
    assert problem.line == 9 and "illisibles" in problem.message


def test_a_code_the_list_does_not_have() -> None:
    liste = lire_liste(liste_par_defaut(), NAME)
    with pytest.raises(ListeError) as caught:
        liste.fiches("99")
    assert str(caught.value) == (
        "département « 99 » absent de liste-fs-20240801.csv : aucune structure n’y porte ce code "
        "(attendu : un code INSEE, ex. « 41 », « 2A », « 974 ») ; vouliez-vous dire « 95 » ?"
    )


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        (
            "colonnes-manquantes.csv",
            "{f}:1: colonnes absentes de l’en-tête (liste ANCT 2024) : h_samedi, labellisation_fs",
        ),
        (
            "format-inconnu.csv",
            "{f}:1: format inconnu : l’en-tête ne ressemble à aucune liste de l’ANCT (attendu : "
            "id_fs, insee_dep, lib_fs… ou MATRICULE, DEPARTEMENT, lib_france_services…)",
        ),
    ],
)
def test_lists_that_cannot_be_read(tmp_path: Path, fixture: str, message: str) -> None:
    project = copy_default_project(tmp_path / "projet")
    path = FIXTURES / "invalide" / fixture
    result = run_cli("import", str(path), "--departement", "41", "--projet", str(project))
    assert result.exit_code == 1
    assert result.output == f"Erreur : {message.format(f=path)}\n"


def test_a_row_with_a_missing_field_is_located(tmp_path: Path) -> None:
    path = FIXTURES / "invalide" / "champs-manquants.csv"
    with pytest.raises(ProjectError) as caught:
        lire_liste(path, "l.csv")
    assert [str(p) for p in caught.value.problems] == [
        "l.csv:3: 23 champs au lieu des 24 de l’en-tête : un séparateur ou un guillemet manque "
        "ou est en trop"
    ]


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "liste.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\n")
    with pytest.raises(ListeError, match=r"^l\.csv:1: octet nul : ce n’est pas un fichier CSV"):
        lire_liste(binary, "l.csv")
    with pytest.raises(ListeError, match=r"^absente\.csv : fichier introuvable$"):
        lire_liste(tmp_path / "absente.csv", "absente.csv")
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"\xef\xbb\xbf\n")
    with pytest.raises(ListeError, match=r"^vide\.csv:1: fichier vide"):
        lire_liste(empty, "vide.csv")


def _line_of(anct: str) -> int:
    """The physical line where row ``anct`` starts, read from the raw text."""
    lines = liste_par_defaut().read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f'"{anct}",'))


def _slots(text: str) -> str:
    reading = lire_creneaux(text)
    assert not reading.problemes and not reading.reste, reading
    return " / ".join(str(slot) for slot in reading.creneaux)


def _cp1252(value: str) -> bool:
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _csv(table: list[list[str]], separator: str, ending: str) -> str:
    out: list[str] = []
    for row in table:
        out.append(separator.join('"' + v.replace('"', '""') + '"' for v in row) + ending)
    return "".join(out)
