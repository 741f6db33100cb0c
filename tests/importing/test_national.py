"""``fsdocs national``: every département of a list, created, checked and built at once.

The list here is the shipped national list cut to three départements (Territoire de Belfort,
Guadeloupe and Saint-Martin, which joins Guadeloupe's convention), so that the run takes
seconds; the whole country is measured by benchmarks/vitesse.py.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.importing.anct import liste_par_defaut
from tests.conftest import SOURCE_DATE_EPOCH, run_cli
from tests.readback import normalize, pdftotext


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("national")
    source = liste_par_defaut()
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [rows[0]] + [row for row in rows[1:] if row[1] in ("90", "971", "978")]
    liste = folder / "liste.csv"
    with liste.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(kept)
    with pytest.MonkeyPatch.context() as patch:  # the module's fixture runs before _pinned_date
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = run_cli("national", str(folder / "pays"), "--liste", str(liste), "-j", "2")
    assert result.exit_code == 0, result.output
    return folder / "pays", result.stdout


def test_each_departement_gets_its_project_documents_and_bundle(
    national: tuple[Path, str],
) -> None:
    folder, output = national
    assert sorted(p.name for p in folder.iterdir()) == ["90", "971", "cache-fsdocs"]
    belfort = folder / "90" / "output"
    structures = sorted(belfort.glob("structures/annexe-4-*.pdf"))
    assert len(structures) == 4
    assert len(PdfReader(belfort / "annexe-4.pdf").pages) == 4
    # Imported projects have facts to fill in: each gets a draft, never a dossier to sign.
    assert not (belfort / "dossier-signature.pdf").exists()
    draft = PdfReader(belfort / "dossier-projet.pdf")
    assert "/AcroForm" not in draft.trailer["/Root"]
    bundle = normalize(pdftotext(belfort / "dossier-projet.pdf"))
    assert "Convention départementale France services du Territoire de Belfort" in bundle
    assert bundle.count("PROJET") == len(draft.pages)
    # Saint-Martin's structures are in Guadeloupe's Annexe 4.
    guadeloupe = normalize(pdftotext(folder / "971" / "output" / "annexe-4.pdf"))
    assert "Saint-Martin" in guadeloupe
    # One line per département as it is done, with the estimated end of the run.
    assert re.search(
        r"^\[1/2\] (90 Territoire de Belfort|971 Guadeloupe) : \d+ structures?, "
        r"\d+ pages, [\d,]+ s — fin estimée vers \d\d:\d\d \(reste ~",
        output,
        re.M,
    )
    assert re.search(r"^\[2/2\] .* — terminé à \d\d:\d\d$", output, re.M)
    found = re.search(r"Bilan : 2 départements, (\d+) structures, (\d+) pages produites", output)
    assert found, output
    assert int(found[1]) == 4 + len(list((folder / "971" / "annexes" / "structures").glob("*")))


def test_only_pdf_by_default(national: tuple[Path, str]) -> None:
    folder, _ = national
    assert not list((folder / "90" / "output").glob("*.docx"))


def test_a_second_run_lays_out_nothing(national: tuple[Path, str]) -> None:
    folder, _ = national
    result = run_cli("national", str(folder), "--liste", str(folder.parent / "liste.csv"))
    assert result.exit_code == 0, result.output
    assert "(0 mises en page)" in result.stdout


def test_verifier_checks_every_project(national: tuple[Path, str]) -> None:
    folder, _ = national
    result = run_cli(
        "national", str(folder), "--liste", str(folder.parent / "liste.csv"), "--verifier"
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Bilan : 2 projets vérifiés en [\d,]+ s : 0 erreur\(s\)", result.stdout)
