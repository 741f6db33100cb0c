"""``fsdocs diff`` between recorded versions: the real revision of Annexe 4 (the four 2020
structures imported from the January 2020 list as version 1, then updated from the August 2024
list as version 2), its data summary, its redline files, and identical versions."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from fsdocs.changes.compare import Scope, compare_states
from fsdocs.changes.modifications import short_title
from fsdocs.changes.redline import Kind, new_text, old_text
from fsdocs.importing.scaffold import init_project
from tests.changes.test_facts import DAYS, IDS, LISTE_2020, _facts, _reported, _rows
from tests.changes.test_redline import resolve
from tests.conftest import SOURCE_DATE_EPOCH, run_cli
from tests.readback import normalize, pdftotext

STRUCTURES = ("blois", "mer", "mondoubleau", "salbris")


@dataclass(frozen=True)
class Revision:
    root: Path
    diff: str  # what « fsdocs comparer --depuis 1 --vers 2 » printed


@pytest.fixture(scope="module")
def revision(tmp_path_factory: pytest.TempPathFactory) -> Revision:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = tmp_path_factory.mktemp("revision") / "loir-et-cher"
    init_project(root, "41", date(2020, 2, 6))
    steps = [
        ("import", str(LISTE_2020), "--departement", "41", "-C", str(root)),
        ("version", "-C", str(root), "-m", "Liste de janvier 2020", "--auteur", "Préfecture"),
        ("import", "--departement", "41", "--sans-ajout", "-C", str(root)),
        ("version", "-C", str(root), "-m", "Liste d’août 2024", "--auteur", "Préfecture"),
        ("diff", "-C", str(root), "--depuis", "1", "--vers", "2", "--annexe", "4"),
    ]
    results = [run_cli(*step) for step in steps]
    for result in results:
        assert result.exit_code == 0, result.output
    assert "non ajoutée (--sans-ajout) : n° " in results[2].output
    mp.undo()
    return Revision(root, results[-1].output)


def test_version_1_holds_the_four_structures_of_2020(revision: Revision) -> None:
    pages = sorted(p.stem for p in (revision.root / "versions" / "0001" / "texte").glob("*.txt"))
    assert [p for p in pages if p.startswith("annexe-4-")] == [f"annexe-4-{s}" for s in STRUCTURES]
    blois = (revision.root / "versions" / "0001" / "texte" / "annexe-4-blois.txt").read_text()
    assert "11\u00a0place Rene Coty" in blois


def test_the_diff_reports_each_changed_fact_and_nothing_else(revision: Revision) -> None:
    lines = revision.diff.splitlines()
    assert lines[0].startswith("Modifications de la version 1 du ")
    assert "  Blois · adresse : 11 place Rene Coty → 133 rue Michel Bégon" in lines
    comparison = compare_states(revision.root, "1", "2", Scope(annexe=4))
    assert not any("ajoutée" in c.apres or "retirée" in c.avant for c in comparison.donnees)
    # An independent reading of both lists decides which compared facts changed.
    old_rows, new_rows = _rows(LISTE_2020, "MATRICULE"), _rows(Path(_default_list()), "id_fs")
    old_columns = {"adresse": "ADRESSE", "telephone": "TELEPHONE", "courriel": "CONTACT.MAIL"}
    new_columns = {"adresse": "adresse", "telephone": "telephone", "courriel": "mail"}
    compared = {*old_columns, *DAYS}
    for ident in IDS:
        commune = new_rows[ident]["lib_com"]
        before, after = _facts(old_rows[ident], old_columns), _facts(new_rows[ident], new_columns)
        expected = {(f, after[f]) for f in compared if before[f] != after[f]}
        mine = [c for c in comparison.donnees if c.sujet == commune]
        assert {_reported(c) for c in mine if c.champ[-1] in compared} == expected, commune
        others = {c.champ for c in mine if c.champ[-1] not in compared}
        assert others <= {("nom",), ("appellation",), ("type",), ("rendez_vous",)}, commune
        assert f"  {mine[0]}" in lines  # printed
    assert {c.fichier for c in comparison.donnees} == {
        f"annexes/structures/{s}.yaml" for s in STRUCTURES
    }


def _default_list() -> str:
    from fsdocs.importing.anct import liste_par_defaut

    return str(liste_par_defaut())


def test_the_redline_turns_each_old_page_into_the_new_one(revision: Revision) -> None:
    comparison = compare_states(revision.root, "1", "2", Scope(annexe=4))
    assert [p.name for p in comparison.parties] == [f"annexe-4-{s}" for s in STRUCTURES]
    texts = revision.root / "versions"
    for part in comparison.parties:
        old = (texts / "0001" / "texte" / f"{part.name}.txt").read_text()
        new = (texts / "0002" / "texte" / f"{part.name}.txt").read_text()
        kept_old = [old_text(line.ops) for line in part.lines if line.whole is not Kind.INSERT]
        kept_new = [new_text(line.ops) for line in part.lines if line.whole is not Kind.DELETE]
        assert "\n".join(kept_old) + "\n" == old
        assert "\n".join(kept_new) + "\n" == new
        printed = f"{part.titre.rsplit(' – ', 1)[-1]} (modifiée) : {part.modifications} modif"
        assert printed in revision.diff
    blois = comparison.parties[0]
    changed = [(op.kind, op.text) for line in blois.lines for op in line.ops]
    assert (Kind.DELETE, "11\u00a0place Rene Coty") in changed
    assert (Kind.INSERT, "133\u00a0rue Michel Bégon") in changed


def test_the_redline_files_say_the_same(revision: Revision) -> None:
    output = revision.root / "output"
    written = sorted(p.name for p in output.glob("modifications-v1-v2.*"))
    assert written == [f"modifications-v1-v2.{ext}" for ext in ("docx", "html", "pdf")]
    comparison = compare_states(revision.root, "1", "2", Scope(annexe=4))
    pdf = normalize(pdftotext(output / "modifications-v1-v2.pdf"))
    assert "Tableau des modifications" in pdf
    for part in comparison.parties:
        assert f"{part.modifications} modifications" in pdf
    assert "11 place Rene Coty" in pdf and "133 rue Michel Bégon" in pdf
    html = (output / "modifications-v1-v2.html").read_text()
    assert "<del>11\u00a0place Rene Coty</del><ins>133\u00a0rue Michel Bégon</ins>" in html
    # Accepting every tracked change gives version 2's text, rejecting them all version 1's.
    docx = (output / "modifications-v1-v2.docx").read_bytes()
    texts = revision.root / "versions"
    accepted, rejected = resolve(docx, accept=True), resolve(docx, accept=False)
    for side, folder in ((accepted, "0002"), (rejected, "0001")):
        expected: list[str] = [side[0]]  # the title
        for part in comparison.parties:
            expected.append(f"{short_title(part)} (modifiée)")
            text = (texts / folder / "texte" / f"{part.name}.txt").read_text()
            expected += text.rstrip("\n").split("\n")
        assert side == expected


def test_identical_versions_report_no_change_and_write_nothing(revision: Revision) -> None:
    for de, a in (("2", "2"), ("v1", "1"), (None, None)):  # the last one: version 2 → current
        args = ["diff", "-C", str(revision.root)]
        args += [] if de is None else ["--depuis", de]
        args += [] if a is None else ["--vers", a]
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1] == "Aucune modification."
    names = sorted(p.name for p in (revision.root / "output").glob("modifications-*"))
    assert all(n.startswith("modifications-v1-v2.") for n in names)


def test_one_structure_or_another_annex(revision: Revision) -> None:
    one = compare_states(revision.root, "1", "2", Scope(annexe=4, structure="salbris"))
    assert [p.name for p in one.parties] == ["annexe-4-salbris"]
    assert {c.sujet for c in one.donnees} == {"Salbris"}
    referents = compare_states(revision.root, "1", "2", Scope(annexe=6))
    assert referents.vide  # the import changed no referent


def test_a_changed_current_state_is_compared_with_the_last_version(
    revision: Revision, tmp_path: Path
) -> None:
    root = tmp_path / "projet"
    shutil.copytree(revision.root, root, symlinks=True)
    salbris = root / "annexes" / "structures" / "salbris.yaml"
    salbris.write_text(salbris.read_text("utf-8").replace("08:30", "08:45"), "utf-8")
    result = run_cli("diff", "-C", str(root), "--structure", "salbris", "--annexe", "4")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("à l’état actuel (non enregistré) :")
    assert (
        "  Salbris · horaires du lundi : 08:30–12:30 / 13:30–17:30 → 08:45–12:30 / 13:30–17:30"
        in lines
    )
    assert "écrit : output/modifications-v2-actuel.pdf" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--depuis", "9"], "version 9 inconnue ; versions enregistrées : 1 à 2"),
        (
            ["--depuis", "hier"],
            "« hier » : numéro de version attendu (par exemple 2 ou v2), ou « actuel »",
        ),
        (["--structure", "nulle-part", "--annexe", "4"], "structure « nulle-part » inconnue"),
    ],
)
def test_bad_requests_are_refused_clearly(
    revision: Revision, args: list[str], message: str
) -> None:
    result = run_cli("diff", "-C", str(revision.root), *args)
    assert result.exit_code == 1
    assert message in result.output


def test_diff_without_versions_says_how_to_record_one(default_project: Path) -> None:
    result = run_cli("diff", "-C", str(default_project))
    assert result.exit_code == 1
    assert "aucune version enregistrée dans versions/" in result.output
