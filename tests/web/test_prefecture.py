"""The préfecture's pages: proposals reviewed, accepted (file written, version recorded in
the manager's name) or returned; the findings of ``controler``; documents built and
downloaded; history and verification; partners. Proposals are made here as the managers'
side stores them: the whole proposed file, edited with the import's YAML editor, and the
SHA-256 of the file it started from."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fsdocs.errors import VersionError
from fsdocs.importing.yamledit import dump_document, load_document, set_value
from fsdocs.versions.record import history
from fsdocs.web.database import DATABASE
from tests.readback import normalize, pdftotext
from tests.web.conftest import BLOIS, PREFECTURE, RELECTEUR, SALBRIS, csrf_token, sign_in

BLOIS_FILE = "annexes/structures/blois.yaml"
SATURDAY = "samedi: 09:00-12:00"


def propose(
    root: Path,
    edit: Callable[[Any], None],
    structure: str = "blois",
    author: str = BLOIS.identifiant,
    comment: str = "Ouverture le samedi matin",
) -> int:
    """A pending proposal of ``author``: the structure's file edited by ``edit``."""
    original = (root / f"annexes/structures/{structure}.yaml").read_bytes()
    doc = load_document(original.decode("utf-8"))
    edit(doc)
    with sqlite3.connect(root / DATABASE) as db:
        cursor = db.execute(
            "INSERT INTO propositions (structure, contenu, base, auteur, commentaire, etat, "
            "propose_le) VALUES (?, ?, ?, ?, ?, 'en_attente', '2026-12-01T10:00:00+00:00')",
            (structure, dump_document(doc), hashlib.sha256(original).hexdigest(), author, comment),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def saturday(doc: Any) -> None:
    set_value(doc, "horaires.samedi", "09:00-12:00", None)


def post(client: FlaskClient, page: str, url: str, data: dict[str, str] | None = None) -> Any:
    return client.post(url, data={"jeton_csrf": csrf_token(client, page), **(data or {})})


def state(root: Path, numero: int) -> tuple[str, ...]:
    with sqlite3.connect(root / DATABASE) as db:
        row = db.execute(
            "SELECT etat, COALESCE(decide_par, ''), COALESCE(version, ''), reponse "
            "FROM propositions WHERE numero = ?",
            (numero,),
        ).fetchone()
    return tuple(str(value) for value in row)


def journal(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / DATABASE) as db:
        return [(row[0], row[1]) for row in db.execute("SELECT action, objet FROM journal")]


@pytest.mark.parametrize("person", [BLOIS, SALBRIS, RELECTEUR], ids=lambda p: p.identifiant)
def test_only_the_prefecture_opens_its_pages(app: Flask, web_root: Path, person: Any) -> None:
    numero = propose(web_root, saturday)
    (web_root / "output").mkdir(exist_ok=True)
    (web_root / "output" / "convention.pdf").write_bytes(b"%PDF-1.7")
    client = sign_in(app, person)
    for url in (
        "/propositions",
        f"/propositions/{numero}",
        "/controle",
        "/documents",
        "/documents/convention.pdf",
        "/partenaires",
    ):
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/")
    for url in (
        f"/propositions/{numero}/accepter",
        f"/propositions/{numero}/renvoyer",
        "/documents/produire",
        "/documents/dossier",
        "/versions/verifier",
    ):
        answer = client.post(url, data={"jeton_csrf": token, "reponse": "non"})
        assert answer.status_code == 403, url
    assert state(web_root, numero)[0] == "en_attente"


def test_a_proposal_shows_its_changed_fields_and_the_redline(app: Flask, web_root: Path) -> None:
    numero = propose(web_root, saturday)
    client = sign_in(app, PREFECTURE)
    listing = client.get("/propositions").get_data(as_text=True)
    assert f'href="/propositions/{numero}"' in listing and "Jeanne Dupont" in listing
    page = client.get(f"/propositions/{numero}").get_data(as_text=True)
    differences = page.split('id="differences"')[1].split("</section>")[0]
    assert "horaires du samedi" in differences and "09:00–12:00" in differences
    redline = page.split('id="redline"')[1].split('<form id="accepter"')[0]
    assert "<ins>" in redline and "Samedi" in redline
    assert 'id="bouton-accepter"' in page and 'id="reponse"' in page


def test_accepting_writes_the_file_and_records_a_version_in_the_managers_name(
    app: Flask, web_root: Path
) -> None:
    numero = propose(web_root, saturday)
    with sqlite3.connect(web_root / DATABASE) as db:
        proposed = db.execute("SELECT contenu FROM propositions").fetchone()[0]
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    answer = post(client, page, f"{page}/accepter")
    assert answer.status_code == 303
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Proposition n° {numero} acceptée : version 1 enregistrée." in shown
    written = (web_root / BLOIS_FILE).read_text(encoding="utf-8")
    assert written == proposed and SATURDAY in written
    assert "# Les noms des agents ne sont pas connus" in written  # comments kept
    [version] = history(web_root)
    assert version.auteur == "Jeanne Dupont"
    assert version.message == (
        f"Proposition n° {numero} (blois) : Ouverture le samedi matin — acceptée par Claire Martin"
    )
    assert state(web_root, numero)[:3] == ("acceptee", PREFECTURE.identifiant, "1")
    assert ("proposition acceptée", f"proposition {numero} (blois)") in journal(web_root)
    versions = client.get("/versions").get_data(as_text=True)
    assert "Jeanne Dupont" in versions and f"Proposition n° {numero} (blois)" in versions
    again = post(client, page, f"{page}/accepter")  # already decided
    assert again.status_code == 409 and len(history(web_root)) == 1


def test_an_accepted_proposal_shows_what_its_version_changed(app: Flask, web_root: Path) -> None:
    client = sign_in(app, PREFECTURE)
    first = propose(web_root, saturday)
    assert (
        post(client, f"/propositions/{first}", f"/propositions/{first}/accepter").status_code == 303
    )
    second = propose(
        web_root,
        lambda doc: set_value(doc, "horaires.samedi", "09:00-12:30", None),
        comment="Samedi jusqu’à 12 h 30",
    )
    page = f"/propositions/{second}"
    pending = client.get(page).get_data(as_text=True)
    assert "09:00–12:00" in pending and "09:00–12:30" in pending
    assert post(client, page, f"{page}/accepter").status_code == 303
    assert [v.auteur for v in history(web_root)] == ["Jeanne Dupont", "Jeanne Dupont"]
    accepted = client.get(page).get_data(as_text=True)
    differences = accepted.split('id="differences"')[1].split("</section>")[0]
    assert "par la version 2" in differences and "09:00–12:30" in differences
    assert "<ins>" in accepted.split('id="redline"')[1]


def test_a_proposal_made_on_an_older_file_is_refused(app: Flask, web_root: Path) -> None:
    numero = propose(web_root, saturday)
    path = web_root / BLOIS_FILE
    changed = path.read_text(encoding="utf-8").replace("13:30-17:30\n", "14:00-17:30\n", 1)
    path.write_text(changed, encoding="utf-8")
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    answer = post(client, page, f"{page}/accepter")
    assert answer.status_code == 409
    text = answer.get_data(as_text=True)
    assert "a été modifié depuis cette proposition" in text and 'id="differences"' in text
    assert path.read_text(encoding="utf-8") == changed
    assert history(web_root) == [] and state(web_root, numero)[0] == "en_attente"


def test_an_invalid_proposal_is_refused_with_the_controler_message(
    app: Flask, web_root: Path
) -> None:
    numero = propose(web_root, lambda doc: set_value(doc, "horaires.samedi", "9h-midi", None))
    before = (web_root / BLOIS_FILE).read_bytes()
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    answer = post(client, page, f"{page}/accepter")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "rendrait le projet invalide" in text
    assert f"{BLOIS_FILE}:" in text and "horaires.samedi:" in text
    assert (web_root / BLOIS_FILE).read_bytes() == before
    assert history(web_root) == [] and state(web_root, numero)[0] == "en_attente"


def test_a_version_that_cannot_be_recorded_leaves_the_file_as_it_was(
    app: Flask, web_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fsdocs.versions.record

    def fails(*args: Any, **kwargs: Any) -> None:
        assert SATURDAY in (web_root / BLOIS_FILE).read_text(encoding="utf-8")  # written first
        raise VersionError("registre verrouillé")

    monkeypatch.setattr(fsdocs.versions.record, "record_version", fails)
    numero = propose(web_root, saturday)
    before = (web_root / BLOIS_FILE).read_bytes()
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    answer = post(client, page, f"{page}/accepter")
    assert answer.status_code == 500 and "registre verrouillé" in answer.get_data(as_text=True)
    assert (web_root / BLOIS_FILE).read_bytes() == before
    assert state(web_root, numero)[0] == "en_attente"
    assert not list((web_root / "annexes/structures").glob(".*.tmp"))


def test_returning_needs_a_reply_and_keeps_it(app: Flask, web_root: Path) -> None:
    numero = propose(web_root, saturday)
    before = (web_root / BLOIS_FILE).read_bytes()
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    empty = post(client, page, f"{page}/renvoyer", {"reponse": "  "})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)
    answer = post(client, page, f"{page}/renvoyer", {"reponse": "Précisez l’accueil du samedi."})
    assert answer.status_code == 303
    assert state(web_root, numero) == (
        "renvoyee",
        PREFECTURE.identifiant,
        "",
        "Précisez l’accueil du samedi.",
    )
    assert (web_root / BLOIS_FILE).read_bytes() == before
    shown = client.get(page).get_data(as_text=True)
    assert "renvoyée" in shown and 'id="bouton-accepter"' not in shown
    assert ("proposition renvoyée", f"proposition {numero} (blois)") in journal(web_root)


def test_the_check_page_lists_a_broken_field_with_its_link(app: Flask, web_root: Path) -> None:
    path = web_root / "annexes/structures/salbris.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("courriel: ", "courriel: pas-un-courriel ", 1),
        encoding="utf-8",
    )
    client = sign_in(app, PREFECTURE)
    page = client.get("/controle").get_data(as_text=True)
    assert "Échec : 1 erreur" in page
    assert '<a href="/structures/salbris#champ-courriel">annexes/structures/salbris.yaml:' in page


def test_the_check_page_groups_the_warnings(app: Flask, web_root: Path) -> None:
    client = sign_in(app, PREFECTURE)
    assert "Projet valide : 0 erreur, 0 avertissement." in client.get("/controle").get_data(
        as_text=True
    )
    path = web_root / BLOIS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("telephone: 02 54 45 34 54\n", ""), encoding="utf-8")
    page = client.get("/controle").get_data(as_text=True)
    assert "Projet valide : 0 erreur, 1 avertissement." in page
    group = page.split('class="groupe-constats"')[1].split("</section>")[0]
    assert "Coordonnées et horaires des structures (1 champ)" in group
    assert '<a href="/structures/blois#champ-telephone">' in group and "[à compléter]" in group


def test_downloads_come_from_a_fixed_list_of_regular_files(app: Flask, web_root: Path) -> None:
    out = web_root / "output"
    out.mkdir(exist_ok=True)
    (out / "signataires.csv").write_text("ordre;nom\n", encoding="utf-8")
    (out / "notes.txt").write_text("secret", encoding="utf-8")
    (web_root / "secret.pdf").write_bytes(b"%PDF secret")
    (out / "annexe-5.pdf").symlink_to(web_root / "secret.pdf")
    client = sign_in(app, PREFECTURE)
    answer = client.get("/documents/signataires.csv")
    assert answer.status_code == 200 and answer.data == b"ordre;nom\n"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="signataires.csv"'
    assert answer.headers["Content-Type"].startswith("text/csv")
    for name in ("notes.txt", "annexe-5.pdf", "..%2Fconvention.yaml", "../convention.yaml"):
        assert client.get(f"/documents/{name}").status_code == 404, name
    assert client.get("/documents/annexe-9.pdf").status_code == 404
    assert ("téléchargement", "documents") in journal(web_root)


def test_documents_are_produced_then_downloaded(app: Flask, web_root: Path) -> None:
    client = sign_in(app, PREFECTURE)
    answer = post(client, "/documents", "/documents/produire")
    assert answer.status_code == 303
    page = client.get("/documents").get_data(as_text=True)
    assert 'href="/documents/convention.pdf"' in page and "Documents produits" in page
    download = client.get("/documents/annexe-4.pdf")
    assert download.status_code == 200 and download.content_type == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="annexe-4.pdf"'
    saved = web_root.parent / "telecharge.pdf"
    saved.write_bytes(download.data)
    text = normalize(pdftotext(saved))
    assert "France services Blois" in text and "11 place René Coty" in text
    assert ("production des documents", "documents") in journal(web_root)


def test_the_dossier_is_made_for_the_parapheur(app: Flask, web_root: Path) -> None:
    client = sign_in(app, PREFECTURE)
    answer = post(client, "/documents", "/documents/dossier")
    assert answer.status_code == 303
    page = client.get("/documents").get_data(as_text=True)
    assert "Dossier de signature :" in page and "champs de signature" in page
    download = client.get("/documents/dossier-parapheur.zip")
    assert download.status_code == 200 and download.content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert "manifeste.json" in archive.namelist()
    signers = client.get("/documents/signataires.csv").get_data(as_text=True)
    assert "Préfet" in signers or "préfet" in signers


def test_an_incomplete_project_offers_the_draft_dossier(app: Flask, web_root: Path) -> None:
    path = web_root / BLOIS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("telephone: 02 54 45 34 54\n", ""), encoding="utf-8")
    client = sign_in(app, PREFECTURE)
    answer = post(client, "/documents", "/documents/dossier")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="erreur-documents"' in page and "à compléter" in page
    assert 'id="bouton-brouillon"' in page
    assert not (web_root / "output" / "dossier-signature.pdf").exists()
    draft = post(client, "/documents", "/documents/dossier", {"brouillon": "1"})
    assert draft.status_code == 303
    download = client.get("/documents/dossier-projet.pdf")
    assert download.status_code == 200
    saved = web_root.parent / "projet-de-dossier.pdf"
    saved.write_bytes(download.data)
    assert "PROJET" in pdftotext(saved)


def test_verifying_the_versions_lists_each_problem(app: Flask, web_root: Path) -> None:
    numero = propose(web_root, saturday)
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    assert post(client, page, f"{page}/accepter").status_code == 303
    intact = post(client, "/versions", "/versions/verifier").get_data(as_text=True)
    assert "Registre intact : 1 version(s)" in intact
    [stored] = (web_root / "versions" / "0001" / "texte").glob("annexe-4-blois.txt")
    stored.chmod(0o644)
    stored.write_text("texte altéré\n", encoding="utf-8")
    broken = post(client, "/versions", "/versions/verifier").get_data(as_text=True)
    assert "Échec : 1 problème(s)" in broken and "annexe-4-blois.txt" in broken


def test_the_partners_are_listed(app: Flask) -> None:
    page = sign_in(app, PREFECTURE).get("/partenaires").get_data(as_text=True)
    assert 'id="partenaires-signataires"' in page and "<td>" in page
