"""The partners' offer at a structure (Annexe 5) on the structure's form: written into the
partner's file (annexes/offres/<partenaire>.yaml) by the comment-keeping editor, kept in the
draft beside the structure's file, proposed with it, accepted with every file's base checked,
printed in Annexe 5."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from fsdocs.errors import ProjectError
from fsdocs.production.snapshot import documents
from fsdocs.rules.checked import load_project
from fsdocs.versions.record import history, record_version
from fsdocs.web.database import DATABASE, MIGRATIONS, connect, transaction
from tests.readback import normalize, pdftotext
from tests.web.conftest import BLOIS, PREFECTURE, csrf_token, sign_in
from tests.web.forms import form_values

CAF = "annexes/offres/caf-41.yaml"
BLOIS_FILE = "annexes/structures/blois.yaml"
ROW = "offres.caf-41.permanences[0]"
PERMANENCE = {
    f"{ROW}.jour": "mardi",
    f"{ROW}.frequence": "1er mardi du mois",
    f"{ROW}.horaires": "09:00-12:00",
}


def _form(client: FlaskClient, structure: str = "blois") -> dict[str, str]:
    page = client.get(f"/structures/{structure}")
    assert page.status_code == 200
    return form_values(page.get_data(as_text=True))


def _rows(root: Path, sql: str) -> list[tuple[str, ...]]:
    with sqlite3.connect(root / DATABASE) as db:
        return [tuple(row) for row in db.execute(sql)]


def _save(client: FlaskClient, changes: dict[str, str], structure: str = "blois") -> str:
    answer = client.post(f"/structures/{structure}", data=_form(client, structure) | changes)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def _propose(client: FlaskClient) -> int:
    page = client.get("/structures/blois").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert revision
    answer = client.post(
        "/structures/blois/proposer",
        data={
            "jeton_csrf": csrf_token(client, "/structures/blois"),
            "revision": revision.group(1),
            "commentaire": "Permanence de la CAF",
        },
    )
    assert answer.status_code == 303
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    found = re.search(r"Proposition n° (\d+) envoyée à la préfecture", shown)
    assert found, shown
    return int(found.group(1))


def _accept(app: Flask, numero: int) -> tuple[int, str]:
    client = sign_in(app, PREFECTURE)
    page = f"/propositions/{numero}"
    answer = client.post(f"{page}/accepter", data={"jeton_csrf": csrf_token(client, page)})
    return answer.status_code, answer.get_data(as_text=True)


def test_the_form_shows_each_partners_offer(app: Flask) -> None:
    page = sign_in(app, BLOIS).get("/structures/blois").get_data(as_text=True)
    assert "Offre complémentaire des partenaires (annexe 5)" in page
    for name in ("rendez_vous", "visio", "agents_formes", "permanences[0].jour"):
        path = f"offres.caf-41.{name}"
        slug = re.sub(r"[.\[\]]+", "-", path).strip("-")
        assert f'id="champ-{slug}" name="{path}"' in page
        assert f'<label class="invisible" for="champ-{slug}"' in page or (
            f'<label for="champ-{slug}"' in page
        )
    assert 'name="offres.caf-41.permanences[1].horaires"' in page  # two empty rows
    assert 'name="offres.caf-41.permanences[2].horaires"' not in page


def test_a_manager_adds_a_caf_permanence_at_blois(app: Flask, web_root: Path) -> None:
    before = (web_root / CAF).read_text(encoding="utf-8")
    structure_before = (web_root / BLOIS_FILE).read_text(encoding="utf-8")
    client = sign_in(app, BLOIS)
    page = _save(client, PERMANENCE)
    assert "Modifications enregistrées." in page
    assert re.search(r'name="offres.caf-41.permanences\[0\].frequence" [^>]*"1er mardi', page)
    assert (web_root / CAF).read_text(encoding="utf-8") == before  # the project is not written
    [(structure_text,)] = _rows(web_root, "SELECT contenu FROM brouillons")
    assert structure_text == structure_before  # the structure's file unchanged
    [(name, text)] = _rows(web_root, "SELECT fichier, contenu FROM brouillons_fichiers")
    assert name == CAF
    comments = [line for line in before.splitlines() if line.startswith("#")]
    assert comments and all(line in text.splitlines() for line in comments)
    assert yaml.safe_load(text)["offres"] == {
        "blois": {
            "permanences": [
                {"jour": "mardi", "frequence": "1er mardi du mois", "horaires": "09:00-12:00"}
            ]
        }
    }
    # Emptied again: the file is the project's again, and the draft no longer holds it.
    _save(client, {f"{ROW}.{key}": "" for key in ("jour", "frequence", "horaires")})
    assert _rows(web_root, "SELECT fichier FROM brouillons_fichiers") == []


def test_invalid_horaires_are_refused_beside_their_input(
    app: Flask, web_root: Path, tmp_path: Path
) -> None:
    client = sign_in(app, BLOIS)
    answer = client.post(
        "/structures/blois", data=_form(client) | PERMANENCE | {f"{ROW}.horaires": "9h-midi"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    # The message of « fsdocs controler » for the same file written in a project.
    copy = shutil.copytree(web_root, tmp_path / "copie", ignore=shutil.ignore_patterns(".fsdocs"))
    (copy / CAF).write_text(
        "offres:\n  blois:\n    permanences:\n      - jour: mardi\n"
        "        frequence: 1er mardi du mois\n        horaires: 9h-midi\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError) as refused:
        load_project(copy)
    [message] = [
        p.message
        for p in refused.value.problems
        if p.path == "offres.blois.permanences[0].horaires"
    ]
    slug = "offres-caf-41-permanences-0-horaires"
    assert f'<p class="erreur-champ" id="erreur-{slug}">{escape(message)}</p>' in page
    assert re.search(rf'id="champ-{slug}"[^>]*aria-invalid="true"', page)
    assert _rows(web_root, "SELECT * FROM brouillons") == []


def test_a_proposal_of_the_offer_is_accepted_and_printed_in_annexe_5(
    app: Flask, web_root: Path
) -> None:
    structure_before = (web_root / BLOIS_FILE).read_bytes()
    record_version(web_root, "Claire Martin", "État initial", documents)
    client = sign_in(app, BLOIS)
    _save(client, PERMANENCE)
    numero = _propose(client)
    files = _rows(web_root, "SELECT numero, fichier FROM propositions_fichiers")
    assert files == [(numero, CAF)]
    assert _rows(web_root, "SELECT * FROM brouillons_fichiers") == []

    prefecture = sign_in(app, PREFECTURE)
    review = prefecture.get(f"/propositions/{numero}").get_data(as_text=True)
    assert "1er mardi du mois" in review.split('id="differences"')[1].split("</section>")[0]
    redline = review.split('id="redline"')[1].split('<form id="accepter"')[0]
    assert "<ins>" in redline and "Annexe 5" in redline
    assert "Texte des documents modifiés" in review

    status, _ = _accept(app, numero)
    assert status == 303
    written = yaml.safe_load((web_root / CAF).read_text(encoding="utf-8"))
    assert written["offres"]["blois"]["permanences"][0]["frequence"] == "1er mardi du mois"
    assert "# Offre complémentaire" in (web_root / CAF).read_text(encoding="utf-8")
    assert (web_root / BLOIS_FILE).read_bytes() == structure_before
    [_, version] = history(web_root)
    assert version.auteur == BLOIS.nom
    accepted = prefecture.get(f"/propositions/{numero}").get_data(as_text=True)
    assert "<ins>" in accepted.split('id="redline"')[1] and "1er mardi du mois" in accepted

    answer = prefecture.post(
        "/documents/produire", data={"jeton_csrf": csrf_token(prefecture, "/documents")}
    )
    assert answer.status_code == 303
    download = prefecture.get("/documents/annexe-5.pdf")
    assert download.status_code == 200
    saved = web_root.parent / "annexe-5.pdf"
    saved.write_bytes(download.data)
    text = normalize(pdftotext(saved))
    assert "1er mardi du mois" in text and "Blois" in text


def test_a_partner_file_changed_since_the_proposal_is_not_accepted(
    app: Flask, web_root: Path
) -> None:
    client = sign_in(app, BLOIS)
    _save(
        client, PERMANENCE | {"horaires-samedi-1-debut": "09:00", "horaires-samedi-1-fin": "12:00"}
    )
    numero = _propose(client)
    structure_before = (web_root / BLOIS_FILE).read_bytes()
    changed = (web_root / CAF).read_text(encoding="utf-8") + "# revu par la CAF\n"
    (web_root / CAF).write_text(changed, encoding="utf-8")
    status, page = _accept(app, numero)
    assert status == 409 and "a été modifié depuis cette proposition" in page
    assert (web_root / BLOIS_FILE).read_bytes() == structure_before  # nothing written
    assert (web_root / CAF).read_text(encoding="utf-8") == changed
    assert history(web_root) == []


def test_a_manager_reaches_only_their_structures_entry(app: Flask, web_root: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures/annexes/offres-referents-partenaire-local"
    shutil.copy(fixture / CAF, web_root / CAF)
    client = sign_in(app, BLOIS)
    crafted = {
        "offres.caf-41.salbris.visio": "Rien",
        "offres.caf-41.salbris.permanences[0].jour": "lundi",
        "offres.salbris.visio": "Rien",
        "offres.../structures/salbris.visio": "Rien",
        "offres.caf-41.permanences[0].commune": "Salbris",
    }
    answer = client.post("/structures/blois", data=_form(client) | crafted)
    assert answer.status_code == 303
    assert "Aucune modification" in client.get("/structures/blois").get_data(as_text=True)
    assert _rows(web_root, "SELECT * FROM brouillons") == []
    # A change of Blois's own entry leaves Salbris's as the file has it.
    _save(client, {"offres.caf-41.visio": "Borne de la CAF"})
    [(text,)] = _rows(web_root, "SELECT contenu FROM brouillons_fichiers")
    offres = yaml.safe_load(text)["offres"]
    assert offres["salbris"] == yaml.safe_load((web_root / CAF).read_text())["offres"]["salbris"]
    assert offres["blois"]["visio"] == "Borne de la CAF"
    assert len(offres["blois"]["permanences"]) == 2


def test_a_database_of_schema_2_is_carried_forward(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "ancienne.sqlite", isolation_level=None)
    for number in range(2):
        with transaction(db):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute("INSERT INTO brouillons VALUES ('blois', 'nom: x', 'abc', 3, 'moi', 'hier')")
    db.close()
    (tmp_path / ".fsdocs").mkdir()
    (tmp_path / "ancienne.sqlite").rename(tmp_path / DATABASE)
    migrated = connect(tmp_path)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 3
    assert tuple(migrated.execute("SELECT structure, revision FROM brouillons").fetchone()) == (
        "blois",
        3,
    )
    tables = {r[0] for r in migrated.execute("SELECT name FROM sqlite_master")}
    assert {"brouillons_fichiers", "propositions_fichiers"} <= tables
    migrated.close()


def test_a_concurrent_save_lists_the_others_offer_and_keeps_mine(
    app: Flask, web_root: Path
) -> None:
    first, second = sign_in(app, BLOIS), sign_in(app, PREFECTURE)
    first_form, second_form = _form(first), _form(second)
    assert first.post("/structures/blois", data=first_form | PERMANENCE).status_code == 303
    answer = second.post("/structures/blois", data=second_form | {"offres.caf-41.visio": "Borne"})
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    conflict = html[html.index('<section id="conflit"') : html.index("</section>")]
    assert re.search(
        r'<th scope="row">offres\.caf-41\.permanences\[0\]\.frequence</th>'
        r"<td>1er mardi du mois</td><td>\(vide\)</td><td>Jeanne Dupont</td>",
        conflict,
    )
    assert re.search(r'id="champ-offres-caf-41-visio"[^>]*value="Borne"', html)
    assert re.search(r'id="champ-offres-caf-41-permanences-0-jour"[^>]*value="mardi"', html)
    assert second.post("/structures/blois", data=form_values(html)).status_code == 303
    [(text,)] = _rows(web_root, "SELECT contenu FROM brouillons_fichiers")
    entry = yaml.safe_load(text)["offres"]["blois"]
    assert entry["visio"] == "Borne" and entry["permanences"][0]["jour"] == "mardi"


def test_the_preview_copy_holds_the_drafted_offer(app: Flask, web_root: Path) -> None:
    _save(sign_in(app, BLOIS), PERMANENCE)
    [(text,)] = _rows(web_root, "SELECT contenu FROM brouillons_fichiers")
    shadow = web_root / ".fsdocs" / "apercus" / "html" / CAF
    assert shadow.read_text(encoding="utf-8") == text
