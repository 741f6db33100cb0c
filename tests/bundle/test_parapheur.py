"""``fsdocs dossier --parapheur``: the zip's members against its manifest, the CSV and the
dossier; the same project, the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from fsdocs.bundle.assemble import BUNDLE
from fsdocs.bundle.parapheur import MANIFEST, PARAPHEUR
from fsdocs.bundle.signers import SIGNERS
from tests.bundle.conftest import Bundled, bundle_default
from tests.conftest import run_cli

DOCUMENTS = ["convention.pdf", *(f"annexe-{n}.pdf" for n in range(1, 9))]


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(archive.read(MANIFEST).decode("utf-8"))
    return manifest


def test_members_are_the_documents_the_dossier_and_the_signers(bundled: Bundled) -> None:
    with zipfile.ZipFile(bundled.output(PARAPHEUR)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {*DOCUMENTS, BUNDLE, SIGNERS, MANIFEST}
        assert archive.read(BUNDLE) == bundled.pdf.read_bytes()
        assert archive.read(SIGNERS) == bundled.output(SIGNERS).read_bytes()
        manifest = _manifest(archive)
        listed = [entry["nom"] for entry in manifest["fichiers"]]
        assert listed == [BUNDLE, *DOCUMENTS, SIGNERS]
        for entry in manifest["fichiers"]:
            data = archive.read(entry["nom"])
            assert entry["taille"] == len(data), entry["nom"]
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["nom"]
            if entry["nom"].endswith(".pdf"):
                title = PdfReader(io.BytesIO(data)).metadata.title
                assert entry["titre"] == title, entry["nom"]
        roles = {entry["nom"]: entry["role"] for entry in manifest["fichiers"]}
        assert roles[BUNDLE] == "dossier de signature"
        assert roles["convention.pdf"] == "document principal"
        assert {roles[f"annexe-{n}.pdf"] for n in range(1, 9)} == {"annexe"}


def test_the_manifest_lists_the_signers_as_the_csv_does(bundled: Bundled) -> None:
    with zipfile.ZipFile(bundled.output(PARAPHEUR)) as archive:
        manifest = _manifest(archive)
        rows = list(csv.DictReader(io.StringIO(archive.read(SIGNERS).decode("utf-8"))))
    signers = [{k: str(v) for k, v in s.items()} for s in manifest["signataires"]]
    assert signers == rows
    assert len(rows) == 13
    [dossier] = [e for e in manifest["fichiers"] if e["nom"] == BUNDLE]
    assert dossier["champs_de_signature"] == [row["champ"] for row in rows]


def test_each_document_is_a_pdf_of_its_own(bundled: Bundled) -> None:
    """The convention without the dossier's fields, an annex joined by reference as its
    neutral divider page, an annex of fsdocs as ``produire`` writes it."""
    with zipfile.ZipFile(bundled.output(PARAPHEUR)) as archive:
        convention = PdfReader(io.BytesIO(archive.read("convention.pdf")))
        charte = PdfReader(io.BytesIO(archive.read("annexe-1.pdf")))
        structures = PdfReader(io.BytesIO(archive.read("annexe-4.pdf")))
    assert "/AcroForm" not in convention.trailer["/Root"]
    assert "Article 11" in "".join(p.extract_text() for p in convention.pages).replace("\xa0", " ")
    assert len(charte.pages) == 1
    text = charte.pages[0].extract_text()
    assert "Charte nationale d’engagement" in text
    assert "compléter" not in text
    assert len(structures.pages) == 4  # one page per structure


def test_the_same_project_gives_the_same_zip(bundled: Bundled, tmp_path: Path) -> None:
    root = shutil.copytree(bundled.root, tmp_path / "projet")
    (root / "output" / PARAPHEUR).unlink()
    bundle_default(root, "--parapheur")
    again = (root / "output" / PARAPHEUR).read_bytes()
    assert again == bundled.output(PARAPHEUR).read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        # Dated by SOURCE_DATE_EPOCH (2020-02-06 12:00 UTC), whatever the clock says.
        assert {info.date_time for info in archive.infolist()} == {(2020, 2, 6, 12, 0, 0)}


def test_a_draft_has_no_parapheur(bundled: Bundled) -> None:
    result = run_cli("dossier", "--brouillon", "--parapheur", "--projet", str(bundled.root))
    assert result.exit_code != 0
    assert "--parapheur ne se combine pas avec --brouillon" in result.stderr
