"""``fsdocs import``: the national list into projects, département by département, and the
re-imports that must keep what a person wrote and report what the list changed."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from fsdocs.errors import ImportationError
from fsdocs.importing.anct import lire_liste, liste_par_defaut
from fsdocs.importing.importer import fusionner
from fsdocs.importing.scaffold import init_project
from fsdocs.project.horaires import minutes_semaine
from fsdocs.project.paths import GESTIONNAIRES, STRUCTURES
from fsdocs.project.project import Project
from fsdocs.rules.checked import load_project
from tests.conftest import REPO, copy_default_project, run_cli
from tests.importing.meeting import run_together

LISTE_2020 = (
    Path(__file__).resolve().parents[1] / "fixtures" / "anct" / "france_services-202001.csv"
)
DEFAULT_FILES = ("blois", "mondoubleau", "salbris", "bus-beauce-val-de-loire")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")


@dataclass(frozen=True)
class National:
    projects: dict[str, Project]  # by code of the list


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> National:
    """Every département of the national list, each imported into a project of its own.

    Files are not flushed to disk one by one (fsync) here: 3,000 flushes double the time of the
    fixture on a busy machine, and protect against a power cut, which is not what it proves."""
    patch = pytest.MonkeyPatch()
    patch.setattr(os, "fsync", lambda fd: None)
    liste = lire_liste(liste_par_defaut(), "liste-fs-20240801.csv")
    projects: dict[str, Project] = {}
    base = tmp_path_factory.mktemp("national")
    try:
        for code in sorted(liste.codes()):
            root = base / code
            init_project(root, "971" if code == "978" else code, date(2024, 8, 1))
            fusionner(root, code, liste)
            projects[code] = load_project(root)
    finally:
        patch.undo()
    return National(projects)


def test_the_whole_national_list_imports_and_loads(national: National) -> None:
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        by_code: dict[str, set[int]] = {}
        for row in csv.DictReader(handle):
            by_code.setdefault(row["insee_dep"], set()).add(int(row["id_fs"]))
    assert set(national.projects) == set(by_code)
    for code, project in national.projects.items():
        assert {s.data.anct for s in project.structures} == by_code[code], code
    assert len(national.projects["41"].structures) == 23
    assert sum(len(p.structures) for p in national.projects.values()) == 2845


def test_weekly_hours_agree_with_an_independent_count(national: National) -> None:
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        expected = {int(row["id_fs"]): _week_minutes(row) for row in csv.DictReader(handle)}
    found = {
        s.data.anct: minutes_semaine(s.data.horaires.semaine()) if s.data.horaires else 0
        for project in national.projects.values()
        for s in project.structures
    }
    assert len(found) == len(expected) == 2845
    assert {n: m for n, m in found.items() if m != expected[n]} == {}
    assert found[250] == 32 * 60  # Blois: 4 h on Monday, 7 h on each of the four other days


def test_invalid_emails_of_the_list_are_not_written(national: National) -> None:
    for code, anct, text in (
        ("02", 700, "france-service@carct.fr - maisondelagglo@carct.fr"),
        ("81", 1623, "mairie@dourgne.fr - aini.abdou@dourgne.fr - christel.dauzat@dourgne.fr"),
    ):
        project = national.projects[code]
        structure = next(s for s in project.structures if s.data.anct == anct)
        assert structure.data.courriel is None
        written = (project.root / structure.fichier).read_text("utf-8")
        assert f"courriel: ~  # liste ANCT : « {text} », adresse invalide à corriger" in written


def test_the_default_structures_are_the_january_2020_list(tmp_path: Path) -> None:
    """Annexe 4 of the default (signed on 6 February 2020) is made from the January 2020 list:
    importing that list again changes only what the default says otherwise on purpose: the
    bus is itinerant in the convention, not in the list (« 11 place Rene Coty », as the list
    writes it, is the default's « René », accents aside)."""
    root = copy_default_project(tmp_path / "projet")
    result = run_cli("import", str(LISTE_2020), "--departement", "41", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("modifiée")] == [
        "modifiée : bus-beauce-val-de-loire · type : itinérante → fixe",
    ]
    assert "Bilan : 1 modifiée, 1 champ changé, 3 inchangées, 1 fichier écrit." in result.output


def test_the_2024_list_is_the_real_revision_of_the_default(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    before = _tree(root)
    result = run_cli("import", "--departement", "41", "--projet", str(root), "--detail")
    assert result.exit_code == 0, result.output
    after = _tree(root)
    assert [line for line in result.output.splitlines() if line.startswith("modifiée")] == [
        "modifiée : blois · nom : France services Blois → France services Pimms Médiation de Blois",
        "modifiée : blois · adresse.voie : 11 place René Coty → 133 rue Michel Bégon",
        "modifiée : salbris · courriel : responsable-msap@salbris.fr → franceservices@salbris.fr",
        "modifiée : bus-beauce-val-de-loire · nom : France services Mer → Bus France services Mer",
        "modifiée : bus-beauce-val-de-loire · adresse.voie : 9 route Nationale → 9 rue nationale",
    ]
    assert after[f"{STRUCTURES}/mondoubleau.yaml"] == before[f"{STRUCTURES}/mondoubleau.yaml"]
    added = sorted(set(after) - set(before))
    assert len(added) == 19 and all(name.startswith(STRUCTURES) for name in added)
    assert (
        "Bilan : 19 structures ajoutées, 3 modifiées, 5 champs changés, 1 inchangée, "
        "23 fichiers écrits." in result.output
    )
    assert "ajoutée : saint-aignan ← n° 1344, France services Saint-Aignan ; gestionnaire : " in (
        result.output
    )
    project = load_project(root)
    # The six « La Poste de … » share one gestionnaire: 19 new structures, 14 new gestionnaires.
    assert len(project.structures) == 23 and len(project.gestionnaires) == 4 + 19 - 5
    again = run_cli("import", "--departement", "41", "--projet", str(root))
    assert again.output.endswith("Aucun changement : le projet est à jour avec cette liste.\n")
    assert _tree(root) == after


def test_a_new_structure_file_and_its_gestionnaire(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    run_cli("import", "--departement", "41", "--projet", str(root))
    text = (root / STRUCTURES / "saint-aignan.yaml").read_text("utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../.schemas/structure.schema.json\n"
        "# Source des adresses, contacts et horaires : ANCT, liste des structures France services\n"
        "# au 1er août 2024 (Licence Ouverte 2.0), structure n° 1344.\n"
        "anct: 1344\n"
        "nom: France services Saint-Aignan\n"
        "appellation: de Saint-Aignan  # d’après la commune ; à reformuler si besoin\n"
        "type: fixe\n"
        "commune: Saint-Aignan\n"
        "gestionnaire: gestionnaire-saint-aignan  # à compléter dans "
        "signatories/gestionnaires.yaml\n"
        "adresse:\n"
        "  voie: 3 rue Victor Hugo\n"
        '  code_postal: "41110"\n'
        "horaires:\n"
        "  lundi: 09:00-12:00 / 14:00-17:00\n"
    )
    assert "  visioconference: ~  # à compléter : true ou false\n" in text
    gestionnaires = (root / GESTIONNAIRES).read_text("utf-8")
    assert (
        "\n  # Gestionnaire de France services Saint-Aignan (liste ANCT n° 1344)\n"
        "  - id: gestionnaire-saint-aignan\n"
        "    organisation: ~  # à compléter : avec son article (« la communauté de communes … »)\n"
        "    representant:\n"
        "      civilite: ~  # à compléter : Monsieur ou Madame\n"
    ) in gestionnaires
    bus = (root / STRUCTURES / "bus-vendome.yaml").read_text("utf-8")
    assert "appellation: itinérante de Vendôme" in bus and "type: itinérante" in bus


def test_reimport_keeps_what_a_person_wrote_and_reports_each_change(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    blois = root / STRUCTURES / "blois.yaml"
    text = blois.read_text("utf-8")
    agents = text[text.index("agents:\n") : text.index("equipements:\n")]
    edited = (
        text.replace("voie: 11 place René Coty", "voie: 11 place René Coty  # avant 2024")
        .replace("  mardi: 09:00-12:00 / 13:30-17:30", "  mardi: 09:00-12:00")
        .replace("telephone: 02 54 45 34 54", "telephone: 0254453454")
        .replace("courriel: blois@", "courriel: Blois@")
        .replace(agents, "agents:\n  - prenom: Awa\n    nom: Diallo  # formée en 2021\n")
        + "modalites: |-\n  Permanence CAF le jeudi.\n  Second paragraphe.\n"
    )
    blois.write_text(edited, encoding="utf-8")
    result = run_cli("import", "--departement", "41", "--projet", str(root))
    assert result.exit_code == 0, result.output
    changes = [line for line in result.output.splitlines() if line.startswith("modifiée : blois")]
    assert changes == [
        "modifiée : blois · nom : France services Blois → France services Pimms Médiation de Blois",
        "modifiée : blois · adresse.voie : 11 place René Coty → 133 rue Michel Bégon",
        "modifiée : blois · horaires.mardi : 09:00-12:00 → 09:00-12:00 / 13:30-17:30",
    ]
    text = blois.read_text("utf-8")
    assert text == (
        edited.replace("11 place René Coty  # avant 2024", "133 rue Michel Bégon  # avant 2024")
        .replace("  mardi: 09:00-12:00\n", "  mardi: 09:00-12:00 / 13:30-17:30\n")
        .replace("nom: France services Blois\n", "nom: France services Pimms Médiation de Blois\n")
    )
    loaded = next(s for s in load_project(root).structures if s.id == "blois")
    assert loaded.data.agents[0].nom == "Diallo" and loaded.data.telephone == "02 54 45 34 54"


def test_edited_appellation_and_hand_files_stay(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    structures = root / STRUCTURES
    (structures / "blois.yaml").rename(structures / "pimms.yaml")  # found by its number
    hand = "nom: Antenne de Vendôme\nappellation: de Vendôme\ncommune: Vendôme\n"
    (structures / "a-la-main.yaml").write_text(
        hand + "gestionnaire: quartiers-proximite\n", encoding="utf-8"
    )
    gone = (structures / "salbris.yaml").read_text("utf-8").replace("anct: 252", "anct: 99999")
    (structures / "salbris.yaml").write_text(gone, encoding="utf-8")
    result = run_cli("import", "--departement", "41", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert not (structures / "blois.yaml").exists()
    assert "hors liste : a-la-main : sans numéro « anct », conservée" in result.output
    assert "hors liste : salbris : n° 99999 absent de la liste du 41, conservée" in result.output
    assert "ajoutée : salbris-252 ← n° 252, France services Salbris" in result.output
    assert (structures / "a-la-main.yaml").is_file() and (structures / "salbris.yaml").is_file()
    assert "appellation: Pimm’s de Blois" in (structures / "pimms.yaml").read_text("utf-8")


def test_from_the_2020_list_to_the_2024_list(tmp_path: Path) -> None:
    root = tmp_path / "projet"
    init_project(root, "41", date(2020, 2, 6))
    first = run_cli("import", str(LISTE_2020), "--departement", "41", "--projet", str(root))
    assert first.exit_code == 0, first.output
    assert "retiré : annexes/structures/structure-1.yaml (modèle vide de « fsdocs creer »)" in (
        first.output
    )
    assert sorted(p.stem for p in (root / STRUCTURES).glob("*.yaml")) == [
        "blois",
        "mer",
        "mondoubleau",
        "salbris",
    ]
    assert "gestionnaire-1" not in (root / GESTIONNAIRES).read_text("utf-8")
    second = run_cli("import", "--departement", "41", "--projet", str(root))
    assert second.exit_code == 0, second.output
    lines = second.output.splitlines()
    assert "modifiée : blois · adresse.voie : 11 place Rene Coty → 133 rue Michel Bégon" in lines
    assert "modifiée : blois · horaires.mardi : — → 09:00-12:00 / 13:30-17:30" in lines
    assert "modifiée : mer · type : fixe → itinérante" in lines
    assert "modifiée : mer · appellation : de Mer → itinérante de Mer" in lines
    blois = (root / STRUCTURES / "blois.yaml").read_text("utf-8")
    assert "liste des structures France services\n# au 1er août 2024" in blois  # credit follows
    before = _tree(root)
    third = run_cli("import", "--departement", "41", "--projet", str(root))
    assert third.output.endswith("Aucun changement : le projet est à jour avec cette liste.\n")
    assert _tree(root) == before
    assert len(load_project(root).structures) == 23


def test_saint_martin_goes_with_guadeloupe(tmp_path: Path) -> None:
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        codes = [row["insee_dep"] for row in csv.DictReader(handle)]
    root = tmp_path / "projet"
    init_project(root, "971", date(2024, 8, 1))
    for code in ("978", "971", "978"):
        result = run_cli("import", "--departement", code, "--projet", str(root))
        assert result.exit_code == 0 and "hors liste" not in result.output, result.output
    assert len(load_project(root).structures) == codes.count("971") + codes.count("978")
    other = copy_default_project(tmp_path / "loir-et-cher")
    refused = run_cli("import", "--departement", "978", "--projet", str(other))
    assert refused.exit_code == 1 and "celui du département 41" in refused.output


def test_the_2020_gestionnaire_is_the_structure_porteuse(tmp_path: Path) -> None:
    root = tmp_path / "projet"
    init_project(root, "06", date(2020, 2, 6))
    liste = lire_liste(LISTE_2020, "fs-2020.csv")
    fusionner(root, "06", liste)
    project = load_project(root)
    cd06 = [s for s in project.structures if s.data.gestionnaire.startswith("conseil-dep")]
    assert len(cd06) == 4 and len({s.data.gestionnaire for s in cd06}) == 1
    entry = next(g for g in project.gestionnaires if g.id == cd06[0].data.gestionnaire)
    assert entry.organisation == "Conseil Départemental des Alpes-Maritimes"


def test_shared_communes_get_their_number(national: National) -> None:
    montpellier = sorted(
        s.id for s in national.projects["34"].structures if s.data.commune == "Montpellier"
    )
    assert len(montpellier) > 1
    assert all(re.fullmatch(r"montpellier-\d+", ident) for ident in montpellier)
    assert {s.id for s in national.projects["41"].structures} >= {"blois", "bus-vendome"}


def test_a_failed_write_changes_nothing(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    before = _tree(root)
    stale = root / "signatories" / f".gestionnaires.yaml.{os.getpid()}.tmp"
    stale.write_text("", encoding="utf-8")  # written last: every other file is ready by then
    liste = lire_liste(liste_par_defaut(), "l.csv")
    with pytest.raises(ImportationError, match="aucun fichier modifié"):
        fusionner(root, "41", liste)
    assert _tree(root) == before
    assert sorted(p.name for p in root.rglob(".*.tmp")) == [stale.name]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--departement", "37"],
            "Erreur : le projet « projet » est celui du département 41 : importez --departement "
            "41, ou créez un projet avec « fsdocs creer … --departement 37 »\n",
        ),
        (
            ["--departement", "99"],
            "Erreur : département « 99 » absent de liste-fs-20240801.csv : aucune structure n’y "
            "porte ce code (attendu : un code INSEE, ex. « 41 », « 2A », « 974 ») ; vouliez-vous "
            "dire « 95 » ?\n",
        ),
        (
            ["absente.csv", "--departement", "41"],
            "Erreur : absente.csv : fichier introuvable\n",
        ),
    ],
)
def test_bad_input_exits_1_with_a_french_message(
    tmp_path: Path, arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_default_project(tmp_path / "projet")
    monkeypatch.chdir(tmp_path)
    before = _tree(root)
    result = run_cli("import", *arguments, "--projet", "projet")
    assert (result.exit_code, result.output) == (1, message)
    assert _tree(root) == before


def test_a_broken_structure_file_stops_the_import(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    (root / STRUCTURES / "salbris.yaml").write_text("anct: 252\nnom: [\n", encoding="utf-8")
    result = run_cli("import", "--departement", "41", "--projet", str(root))
    assert result.exit_code == 1
    assert result.output.startswith("annexes/structures/salbris.yaml:3:1: ")
    assert not (root / STRUCTURES / "saint-aignan.yaml").exists()


def test_two_imports_at_once_take_turns_and_lose_no_gestionnaire(tmp_path: Path) -> None:
    """Two real « fsdocs importer » at once on one project, each with half of the 41's rows,
    meeting just before writing (tests/importing/meeting.py): the project is held from the
    first file read to the last written, so the files are exactly those of the two imports
    one after the other (in either order), and the gestionnaires both added are there."""
    halves = {"impairs.csv": _rows("41")[0::2], "pairs.csv": _rows("41")[1::2]}
    for name, rows in halves.items():
        _write_list(tmp_path / name, rows)
    in_turn: dict[str, dict[str, bytes]] = {}
    for order in (("impairs.csv", "pairs.csv"), ("pairs.csv", "impairs.csv")):
        root = copy_default_project(tmp_path / "-puis-".join(order))
        for name in order:
            result = run_cli("import", str(tmp_path / name), "--departement", "41", "-C", str(root))
            assert result.exit_code == 0, result.output
        in_turn[" puis ".join(order)] = _tree(root)
    root = copy_default_project(tmp_path / "ensemble")
    commands = [["importer", name, "--departement", "41", "-C", str(root)] for name in halves]
    results = run_together(
        tmp_path / "rendez-vous", "fsdocs.importing.importer:write_files", commands, tmp_path
    )
    assert [(r.returncode, r.stderr) for r in results] == [(0, ""), (0, "")]
    expected = {g["id"] for g in _gestionnaires(in_turn["impairs.csv puis pairs.csv"])}
    assert len(expected) == 4 + 19 - 5  # the six La Poste structures: one gestionnaire
    assert {g["id"] for g in _gestionnaires(_tree(root))} == expected
    assert _tree(root) in in_turn.values()
    assert not list(root.rglob("*.tmp"))


def test_more_than_200_structures_are_refused_before_writing(tmp_path: Path) -> None:
    """The loader reads at most 200 structure files: an import that would write more is
    refused with the count and the limit, and writes nothing; 200 are imported and load."""
    template = _rows("41")[0]
    for count in (201, 200):
        rows = [
            {**template, "id_fs": str(10_000 + n), "lib_com": f"Commune {n}"} for n in range(count)
        ]
        _write_list(tmp_path / f"{count}.csv", rows)
    root = tmp_path / "projet"
    init_project(root, "41", date(2024, 8, 1))  # its example structure goes: 201 files
    before = _tree(root)
    result = run_cli("import", str(tmp_path / "201.csv"), "--departement", "41", "-C", str(root))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Erreur : import refusé : annexes/structures/ compterait 201 fichiers, au-delà de la "
        "limite de 200 par projet (le plus grand département compte une centaine de "
        "structures) ; aucun fichier écrit. Vérifiez le code de département des lignes de la "
        "liste\n"
    )
    assert _tree(root) == before
    result = run_cli("import", str(tmp_path / "200.csv"), "--departement", "41", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert len(load_project(root).structures) == 200


@pytest.mark.parametrize("name", [GESTIONNAIRES, "signatories/partenaires.yaml"])
def test_a_signatories_file_that_is_not_a_file_is_refused_not_replaced(
    tmp_path: Path, name: str
) -> None:
    """The signatories' files are read through the guarded reader: a named pipe where one
    should be is refused, not taken for a missing file (and replaced, for gestionnaires)."""
    root = copy_default_project(tmp_path / "projet")
    (root / name).unlink()
    os.mkfifo(root / name)
    before = _tree(root)
    result = run_cli("import", "--departement", "41", "--projet", str(root))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{name}: ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : "
        "remplacez-le par un vrai fichier",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert _tree(root) == before and (root / name).is_fifo()


def test_an_anct_number_of_unicode_digits_in_a_file_is_no_number(tmp_path: Path) -> None:
    """« ² » passes str.isdigit() but not int(): the file is kept as one without a number."""
    root = copy_default_project(tmp_path / "projet")
    path = root / STRUCTURES / "salbris.yaml"
    path.write_text(path.read_text("utf-8").replace("anct: 252", 'anct: "²"'), "utf-8")
    result = run_cli("import", "--departement", "41", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert "hors liste : salbris : sans numéro « anct », conservée" in result.output.splitlines()
    assert "ajoutée : salbris-252 ← n° 252, France services Salbris" in result.output


def test_the_product_reads_no_shared_folder() -> None:
    for path in (REPO / "fsdocs").glob("*.py"):
        assert "shared/" not in path.read_text("utf-8"), path


def _week_minutes(row: dict[str, str]) -> int:
    """Open minutes of a week, by a regex of its own: slots read, 00:00-00:00 ignored, a time
    counted once even when the list repeats it in two slots."""
    total = 0
    for day in DAYS:
        spans = []
        for a, b, c, d in re.findall(r"(\d\d):(\d\d) - (\d\d):(\d\d)", row[f"h_{day}"]):
            start, end = int(a) * 60 + int(b), int(c) * 60 + int(d)
            if end > start:
                spans.append((start, end))
        covered: set[int] = set()
        for start, end in spans:
            covered.update(range(start, end))
        total += len(covered)
    return total


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".tmp")
    }


def _rows(code: str) -> list[dict[str, str]]:
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["insee_dep"] == code]


def _write_list(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _gestionnaires(tree: dict[str, bytes]) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = yaml.safe_load(tree[GESTIONNAIRES])["gestionnaires"]
    return entries


def _open_days(row: dict[str, str]) -> int:
    """Days with at least one real slot, by the same regex of its own."""
    return sum(
        1
        for day in DAYS
        if any(
            int(c) * 60 + int(d) > int(a) * 60 + int(b)
            for a, b, c, d in re.findall(r"(\d\d):(\d\d) - (\d\d):(\d\d)", row[f"h_{day}"])
        )
    )


def test_check_finds_every_structure_under_24_hours_or_5_days(national: National) -> None:
    """Art. 4.2 on real data: each short week is reported, with its file and line."""
    with liste_par_defaut().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        int(row["id_fs"]) for row in rows if _week_minutes(row) < 24 * 60 or _open_days(row) < 5
    }
    found: set[int] = set()
    for project in national.projects.values():
        by_file = {s.fichier: s for s in project.structures}
        for problem in project.warnings:
            if problem.regle != "ouverture":
                continue
            structure = by_file[problem.file]
            assert structure.data.anct is not None
            assert problem.article == "4.2"
            assert problem.line is not None
            lines = (project.root / problem.file).read_text("utf-8").splitlines()
            assert lines[problem.line - 1].startswith(("horaires:", "anct:", "nom:")), (
                problem.file,
                problem.line,
            )
            found.add(structure.data.anct)
    assert found == expected
    assert 200 < len(found) < 300  # 251 of the 2,845 structures, says the product brief


def test_la_poste_manages_its_structures_once_per_departement(national: National) -> None:
    """The 2024 list names no manager, but « France services La Poste de … » leaves no doubt:
    one gestionnaire, La Poste, signs once for all of them (Gironde: 11 structures)."""
    merged = 0
    for code, project in national.projects.items():
        posts = [s for s in project.structures if re.search(r"\bLa Poste\b", s.data.nom, re.I)]
        managers = {s.data.gestionnaire for s in posts}
        assert len(managers) <= 1, code
        if posts:
            (manager,) = managers
            entry = next(g for g in project.gestionnaires if g.id == manager)
            assert entry.organisation == "La Poste", code
            assert all(s.data.gestionnaire != manager for s in project.structures if s not in posts)
            merged += len(posts) - 1
    gironde = national.projects["33"]
    assert sum(s.data.gestionnaire == "groupe-la-poste" for s in gironde.structures) == 11
    assert len(gironde.gestionnaires) == len(gironde.structures) - 10
    assert merged > 300  # signatures the merge spares across the country


def test_no_two_structures_share_an_appellation(national: National) -> None:
    """« de Bordeaux » four times would print « gestionnaire des France services de Bordeaux
    et de Bordeaux »: shared appellations give way to the list's names."""
    from fsdocs.wording.context import get_context

    for code, project in national.projects.items():
        names = [s.data.appellation for s in project.structures]
        assert len(names) == len(set(names)), (code, sorted(n for n in names if names.count(n) > 1))
    roles = [party.role for party in get_context(national.projects["33"]).gestionnaires]
    assert not [role for role in roles if "de Bordeaux et de Bordeaux" in role]
    bordeaux = {s.id: s.data.appellation for s in national.projects["33"].structures}
    assert bordeaux["bordeaux-1284"] == "Pimms Médiation de Bordeaux"
