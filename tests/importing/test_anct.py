"""Reading ANCT's lists: the shipped national list of 1 August 2024, its `;` and BOM variants,
the January 2020 list, and the located French errors on lists that cannot be read.

Expected values are read from the CSV text itself, with the csv module, never through fsdocs.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fsdocs.errors import ListeError, ProjectError, Severity
from fsdocs.importing.anct import lire_liste, liste_par_defaut
from fsdocs.importing.fiche import ACCUEIL_LIBRE, SUR_RENDEZ_VOUS, Fiche
from fsdocs.project.annexes_model import TypeStructure
from fsdocs.project.horaires import lire_creneaux
from fsdocs.rules.checked import load_project
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


NOT_REGULAR = (
    "ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : remplacez-le par un vrai "
    "fichier"
)


@pytest.mark.parametrize(
    ("given", "make", "reason"),
    [
        ("/dev/zero", None, NOT_REGULAR),  # never ends
        ("tube.csv", os.mkfifo, NOT_REGULAR),  # opening it for reading would wait for a writer
        ("zero.csv", lambda path: path.symlink_to("/dev/zero"), NOT_REGULAR),
        (
            "dossier.csv",
            Path.mkdir,
            "c’est un dossier, pas un fichier : renommez-le ou déplacez-le",
        ),
        (
            "enorme.csv",
            lambda path: os.truncate(_created(path), 40 * 1024 * 1024),  # sparse
            "fichier trop volumineux : 40,0 Mo, la limite est 32 Mo ; la liste nationale fait "
            "environ 2 Mo : vérifiez qu’il s’agit du bon fichier",
        ),
    ],
    ids=["peripherique", "tube", "lien-vers-peripherique", "dossier", "40-mo"],
)
def test_a_list_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, given: str, make: Callable[[Path], object] | None, reason: str
) -> None:
    """Through the real command, under a time limit: a pipe or a device must not hang it."""
    root = copy_default_project(tmp_path / "projet")
    if make is not None:
        make(tmp_path / given)
    before = _hashes(root)
    result = subprocess.run(
        [sys.executable, "-m", "fsdocs", "importer", given, "--departement", "41", "-C", "projet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"Erreur : {given} : {reason}\n",
    )
    assert _hashes(root) == before


def test_a_column_named_twice_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which of two « lib_fs » holds the name cannot be told: the list is refused, not read
    from its last one. Unnamed columns (trailing separators) may repeat."""
    table = _table("41")
    twice = [[*row, *extra] for row, extra in zip(table, _extra(len(table)), strict=True)]
    _write_table(tmp_path / "double.csv", twice)
    _write_table(tmp_path / "vides.csv", [[*row, "", ""] for row in table])
    root = copy_default_project(tmp_path / "projet")
    monkeypatch.chdir(tmp_path)
    before = _hashes(root)
    result = run_cli("import", "double.csv", "--departement", "41", "-C", "projet")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "double.csv:1: lib_fs: colonne « lib_fs » en double dans l’en-tête (colonnes 3 et 25) : "
        "impossible de savoir laquelle lire ; gardez-en une, supprimez ou renommez l’autre",
        "double.csv:1: mail: colonne « mail » en double dans l’en-tête (colonnes 11, 26 et 27) "
        ": impossible de savoir laquelle lire ; gardez-en une, supprimez ou renommez les autres",
        "Échec : 2 erreurs, 0 avertissement.",
    ]
    assert _hashes(root) == before
    assert run_cli("import", "vides.csv", "--departement", "41", "-C", "projet").exit_code == 0


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("²", "²"),  # str.isdigit() says yes, int() says no
        ("１２３", "１２３"),  # fullwidth digits
        ("٣", "٣"),  # an Arabic-Indic three
        ("9" * 80, "9" * 20 + "…"),  # a number no file name can hold
    ],
)
def test_an_anct_number_that_is_not_ascii_digits_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, shown: str
) -> None:
    table = _table("41")
    table[1][0] = written
    _write_table(tmp_path / "liste.csv", table)
    root = copy_default_project(tmp_path / "projet")
    monkeypatch.chdir(tmp_path)
    before = _hashes(root)
    result = run_cli("import", "liste.csv", "--departement", "41", "-C", "projet")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"liste.csv:2: id_fs: identifiant « {shown} » : un nombre était attendu (1 à 9 chiffres "
        "de 0 à 9)",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert _hashes(root) == before


def test_names_of_digits_or_symbols_give_valid_ids(tmp_path: Path) -> None:
    """A structure's id is made from its commune, or its name: « 123 » is a valid id; what
    slugifies to nothing becomes « structure », numbered when shared; a reserved name gets
    a number."""
    header, first = _table("41")[:2]
    names = {
        90001: ("123", "123"),
        90002: ("@@@", "@@@"),
        90003: ("!!!", ""),
        90004: ("con", "con"),
    }
    table = [header]
    for anct, (nom, commune) in names.items():
        table.append(_with(header, first, id_fs=str(anct), lib_fs=nom, lib_com=commune))
    _write_table(tmp_path / "liste.csv", table)
    root = tmp_path / "projet"
    assert run_cli("init", str(root), "--departement", "41").exit_code == 0
    result = run_cli("import", str(tmp_path / "liste.csv"), "--departement", "41", "-C", str(root))
    assert result.exit_code == 0, result.output
    project = load_project(root)  # every file name and gestionnaire id passes the model
    assert {s.id: s.data.anct for s in project.structures} == {
        "123": 90001,
        "structure-90002": 90002,
        "structure-90003": 90003,
        "con-2": 90004,
    }


INVISIBLE_NAMES = ["\u200b", "\u2060\u2060", "\ufeff", "\u00a0", "\u200b \u00a0\u3000"]


def test_a_name_of_invisible_characters_refuses_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, first = _table("41")[:2]
    table = [header] + [
        _with(header, first, id_fs=str(90001 + n), lib_fs=name)
        for n, name in enumerate(INVISIBLE_NAMES)
    ]
    _write_table(tmp_path / "liste.csv", table)
    root = copy_default_project(tmp_path / "projet")
    monkeypatch.chdir(tmp_path)
    before = _hashes(root)
    result = run_cli("import", "liste.csv", "--departement", "41", "-C", "projet")
    assert (result.exit_code, result.stdout) == (1, "")
    codes = ["U+200B", "U+2060", "U+FEFF", "U+00A0", "U+200B, U+0020, U+00A0, U+3000"]
    assert result.stderr.splitlines() == [
        *(
            f"liste.csv:{line}: lib_fs: nom fait seulement d’espaces ou de caractères invisibles "
            f"({code}) : ligne refusée ; écrivez le nom de la structure, ou videz la case"
            for line, code in enumerate(codes, 2)
        ),
        "Échec : 5 erreurs, 0 avertissement.",
    ]
    assert _hashes(root) == before


def test_a_name_of_invisible_characters_in_the_2020_list(tmp_path: Path) -> None:
    """The 2020 list's names are prefixed « France services »: the check comes before."""
    with LISTE_2020.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    row = next(r for r in table if r[2] == "41")
    row[3] = "\u200b"
    _write_table(tmp_path / "fs-2020.csv", table)
    with pytest.raises(ProjectError) as caught:
        lire_liste(tmp_path / "fs-2020.csv", "fs-2020.csv").fiches("41")
    line = _line(tmp_path / "fs-2020.csv", row)
    assert [str(p) for p in caught.value.problems] == [
        f"fs-2020.csv:{line}: lib_france_services: nom fait seulement d’espaces "
        "ou de caractères invisibles (U+200B) : ligne refusée ; écrivez le nom de la structure, "
        "ou videz la case"
    ]


def _created(path: Path) -> Path:
    path.touch()
    return path


def _table(code: str) -> list[list[str]]:
    """The header and the rows of département ``code`` of the national list."""
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return [table[0], *(row for row in table[1:] if row[1] == code)]


def _extra(count: int) -> list[list[str]]:
    """Three more columns: a second « lib_fs », a second and a third « mail »."""
    return [["lib_fs", "mail", "mail"]] + [["Autre nom", "a@b.fr", "c@d.fr"]] * (count - 1)


def _line(path: Path, row: list[str]) -> int:
    """The physical line where ``row`` starts (some records of the 2020 list span lines)."""
    start = ",".join(row[:3]) + ","
    lines = path.read_text("utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def _with(header: list[str], row: list[str], **values: str) -> list[str]:
    return [values.get(name, value) for name, value in zip(header, row, strict=True)]


def _write_table(path: Path, table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


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
