"""Saving a structure's form: a draft in the database (the project's file untouched), the
messages of « fsdocs controler » beside the fields, optimistic revisions, proposals."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from fsdocs.errors import ProjectError
from fsdocs.project.annexes_model import StructureFile
from fsdocs.rules.checked import load_project
from fsdocs.web.database import DATABASE
from tests.web.conftest import BLOIS, PREFECTURE, sign_in
from tests.web.forms import form_values

BLOIS_FILE = Path("annexes/structures/blois.yaml")


def _form(client: FlaskClient, structure: str = "blois") -> dict[str, str]:
    page = client.get(f"/structures/{structure}")
    assert page.status_code == 200
    return form_values(page.get_data(as_text=True))


def _drafts(root: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(root / DATABASE) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM brouillons").fetchall()


def test_saving_saturday_stores_a_draft_that_keeps_the_comments(app: Flask, web_root: Path) -> None:
    before = (web_root / BLOIS_FILE).read_bytes()
    client = sign_in(app, BLOIS)
    form = _form(client)
    assert form["revision"] == "0" and form["horaires-samedi-1-debut"] == ""
    form |= {"horaires-samedi-1-debut": "09:00", "horaires-samedi-1-fin": "12:00"}
    answer = client.post("/structures/blois", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert '<p class="message message-succes" role="status">Modifications enregistrées.</p>' in page
    assert re.search(r'id="horaires-samedi-1-debut"[^>]*value="09:00"', page)
    assert 'name="revision" value="1"' in page

    assert (web_root / BLOIS_FILE).read_bytes() == before  # the project is not written
    [draft] = _drafts(web_root)
    assert draft["structure"] == "blois" and draft["revision"] == 1
    assert draft["auteur"] == BLOIS.identifiant
    text = draft["contenu"]
    # Every comment of the file is still there, and only Saturday was added.
    comments = [line for line in before.decode().splitlines() if "#" in line]
    assert all(line in text.splitlines() for line in comments)
    assert text.replace("  samedi: 09:00-12:00\n", "") == before.decode()
    data = StructureFile.model_validate(yaml.safe_load(text))
    assert data.horaires is not None and data.horaires.samedi == "09:00-12:00"


def test_an_unchanged_form_saves_nothing(app: Flask, web_root: Path) -> None:
    client = sign_in(app, BLOIS)
    answer = client.post("/structures/blois", data=_form(client))
    assert answer.status_code == 303
    assert _drafts(web_root) == []


def _controler_message(root: Path, tmp_path: Path, day_value: str) -> str:
    """What « fsdocs controler » says of Saturday written ``day_value`` (on a copy)."""
    import shutil

    copy = tmp_path / "copie"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".fsdocs"))
    path = copy / BLOIS_FILE
    text = path.read_text("utf-8")
    path.write_text(text.replace("  vendredi:", f'  samedi: "{day_value}"\n  vendredi:'), "utf-8")
    with pytest.raises(ProjectError) as refused:
        load_project(copy)
    [problem] = [p for p in refused.value.problems if p.path == "horaires.samedi"]
    return problem.message


def test_an_invalid_time_gives_422_with_the_controler_message(
    app: Flask, web_root: Path, tmp_path: Path
) -> None:
    expected = _controler_message(web_root, tmp_path, "25:00-12:00")
    client = sign_in(app, BLOIS)
    form = _form(client) | {"horaires-samedi-1-debut": "25:00", "horaires-samedi-1-fin": "12:00"}
    answer = client.post("/structures/blois", data=form)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "heure impossible « 25:00 »" in expected
    assert f'<p class="erreur-champ" id="erreur-horaires-samedi">{expected}</p>' in html
    assert re.search(
        r'id="horaires-samedi-1-debut"[^>]*value="25:00"[^>]*aria-describedby="aide-horaires '
        r'erreur-horaires-samedi" aria-invalid="true"',
        html,
    )
    assert _drafts(web_root) == []


def test_an_invalid_postcode_is_shown_beside_its_field(app: Flask, web_root: Path) -> None:
    client = sign_in(app, BLOIS)
    answer = client.post("/structures/blois", data=_form(client) | {"adresse.code_postal": "410"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert (
        '<p class="erreur-champ" id="erreur-adresse-code_postal">code postal « 410 » invalide '
        "(5 chiffres, ex. « 41000 »)</p>" in html
    )
    assert re.search(
        r'id="champ-adresse-code_postal"[^>]*value="410"[^>]*aria-invalid="true"', html
    )
    assert _drafts(web_root) == []


def test_a_stale_save_is_refused_with_the_other_persons_changes(app: Flask, web_root: Path) -> None:
    first, second = sign_in(app, BLOIS), sign_in(app, PREFECTURE)
    first_form, second_form = _form(first), _form(second)
    first_form |= {"horaires-samedi-1-debut": "09:00", "horaires-samedi-1-fin": "12:00"}
    assert first.post("/structures/blois", data=first_form).status_code == 303
    second_form |= {"telephone": "02 54 00 00 00"}
    answer = second.post("/structures/blois", data=second_form)
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    conflict = html[html.index('<section id="conflit"') : html.index("</section>")]
    row = re.search(
        r"<tr><th scope=\"row\">horaires\.samedi</th><td>(.*?)</td><td>(.*?)</td>"
        r"<td>(.*?)</td><td>(.*?)</td></tr>",
        conflict,
    )
    assert row and row.group(1) == "09:00-12:00" and row.group(3) == BLOIS.nom
    assert row.group(4)  # when
    # The second person's input is kept, over the first's Saturday; the form is now current.
    assert re.search(r'id="champ-telephone"[^>]*value="02 54 00 00 00"', html)
    assert re.search(r'id="horaires-samedi-1-debut"[^>]*value="09:00"', html)
    assert 'name="revision" value="1"' in html
    [draft] = _drafts(web_root)
    assert draft["auteur"] == BLOIS.identifiant and "02 54 00 00 00" not in draft["contenu"]
    # Saved again from the form shown, both changes are kept.
    again = form_values(html)
    assert second.post("/structures/blois", data=again).status_code == 303
    [draft] = _drafts(web_root)
    assert "02 54 00 00 00" in draft["contenu"] and "samedi: 09:00-12:00" in draft["contenu"]
    assert draft["revision"] == 2


def _propositions(root: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(root / DATABASE) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM propositions").fetchall()


def test_proposing_sends_the_draft_and_clears_it(app: Flask, web_root: Path) -> None:
    before = (web_root / BLOIS_FILE).read_bytes()
    client = sign_in(app, BLOIS)
    form = _form(client) | {"horaires-samedi-1-debut": "09:00", "horaires-samedi-1-fin": "12:00"}
    client.post("/structures/blois", data=form)
    [draft] = _drafts(web_root)
    page = client.get("/structures/blois").get_data(as_text=True)
    proposal = form_values(page, "formulaire-proposition")
    empty = client.post("/structures/blois/proposer", data=proposal)
    assert empty.status_code == 422 and 'id="erreur-commentaire"' in empty.get_data(as_text=True)
    proposal["commentaire"] = "Ouverture le samedi matin."
    answer = client.post("/structures/blois/proposer", data=proposal)
    assert answer.status_code == 303
    page = client.get("/structures/blois").get_data(as_text=True)
    assert "Proposition n° 1 envoyée à la préfecture." in page
    assert "en attente de la préfecture" in page
    [row] = _propositions(web_root)
    assert row["etat"] == "en_attente" and row["contenu"] == draft["contenu"]
    assert row["base"] == draft["base"] and row["auteur"] == BLOIS.identifiant
    assert row["commentaire"] == "Ouverture le samedi matin."
    assert _drafts(web_root) == []
    assert (web_root / BLOIS_FILE).read_bytes() == before
    # Nothing left to propose; a form shown before the proposal is stale.
    again = client.post(
        "/structures/blois/proposer",
        data=form_values(page, "formulaire-proposition") | {"commentaire": "x"},
    )
    assert again.status_code == 303
    assert "Rien à proposer" in client.get("/structures/blois").get_data(as_text=True)
    assert client.post("/structures/blois", data=form).status_code == 409
    with sqlite3.connect(web_root / DATABASE) as db:
        actions = [r[0] for r in db.execute("SELECT action FROM journal WHERE objet = 'blois'")]
    assert "enregistrement" in actions and "proposition" in actions


def test_other_fields_are_written_as_the_reader_reads_them(app: Flask, web_root: Path) -> None:
    client = sign_in(app, BLOIS)
    form = _form(client)
    assert form["equipements.photocopieur"] == "oui"
    form |= {
        "horaires-samedi-1-debut": "9h",  # typed loosely, written as the files write it
        "horaires-samedi-1-fin": "12 h",
        "equipements.photocopieur": "non",
        "equipements.tablette": "oui",  # not written yet: takes its place in the model's order
        "rendez_vous": "",  # cleared: still to fill in
        "telephone": "02 54 45 34 55",
    }
    assert client.post("/structures/blois", data=form).status_code == 303
    [draft] = _drafts(web_root)
    text = draft["contenu"]
    assert "  samedi: 09:00-12:00\n" in text
    assert "  photocopieur: false\n" in text
    assert "  wifi: true\n  tablette: true\n" in text
    assert "rendez_vous: ~\n" in text and "telephone: 02 54 45 34 55\n" in text
    data = StructureFile.model_validate(yaml.safe_load(text))
    assert data.equipements.photocopieur is False and data.rendez_vous is None
    page = client.get("/structures/blois").get_data(as_text=True)
    # A flag the file writes still offers the département's value (removing the key).
    select = page[page.index('id="champ-equipements-photocopieur"') :]
    select = select[: select.index("</select>")]
    assert '<option value="">Valeur commune du département</option>' in select
    assert '<option value="non" selected>' in select


def test_simultaneous_saves_on_one_revision_leave_exactly_one_winner(
    app: Flask, web_root: Path
) -> None:
    clients = [sign_in(app, BLOIS) for _ in range(6)]
    forms = [_form(client) for client in clients]
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def save(i: int) -> None:
        data = forms[i] | {"telephone": f"02 54 00 00 0{i}"}
        barrier.wait()
        codes.append(clients[i].post("/structures/blois", data=data).status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [303] + [409] * (len(clients) - 1)
    [draft] = _drafts(web_root)
    assert draft["revision"] == 1 and draft["contenu"].count("telephone: 02 54 00 00 0") == 1


@pytest.mark.parametrize(
    "hostile",
    [
        "02 54 45 34 54\nnom: Pirate",
        "!!python/object/apply:os.system ['true']",
        "{{ 7 * 7 }} <script>alert(1)</script>",
        "&ancre *ancre",
    ],
)
def test_a_hostile_value_stays_a_value(app: Flask, web_root: Path, hostile: str) -> None:
    """What a form sends is written as one YAML scalar, never as YAML or as a template: it
    changes its own field and nothing else, and comes back escaped on the page."""
    client = sign_in(app, BLOIS)
    form = _form(client) | {"rendez_vous": hostile}
    answer = client.post("/structures/blois", data=form)
    page = client.get("/structures/blois").get_data(as_text=True)
    if answer.status_code == 303:
        [draft] = _drafts(web_root)
        data = yaml.safe_load(draft["contenu"])
        assert data["rendez_vous"] == " ".join(hostile.split()) or data["rendez_vous"] == hostile
        assert data["nom"] == "France services Blois"
    else:  # refused by the project's reader: a French message, nothing stored
        assert answer.status_code == 422 and _drafts(web_root) == []
    assert "<script>alert(1)</script>" not in page
    assert "49" not in re.findall(r'id="champ-rendez_vous"[^>]*value="([^"]*)"', page)
