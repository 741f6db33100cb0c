"""The managers' pages: who opens which structure, and what the structure page shows."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from fsdocs.web.database import DATABASE
from tests.web.conftest import BLOIS, PREFECTURE, RELECTEUR, SALBRIS, csrf_token, sign_in
from tests.web.forms import form_values

_LINK = re.compile(r'href="/structures/([a-z0-9-]+)"')


def test_a_manager_lists_only_their_structures(app: Flask) -> None:
    page = sign_in(app, BLOIS).get("/structures")
    assert page.status_code == 200
    assert set(_LINK.findall(page.get_data(as_text=True))) == {"blois"}


def test_the_prefecture_lists_every_structure(app: Flask) -> None:
    page = sign_in(app, PREFECTURE).get("/structures")
    found = set(_LINK.findall(page.get_data(as_text=True)))
    assert found == {"blois", "bus-beauce-val-de-loire", "mondoubleau", "salbris"}


@pytest.mark.parametrize(
    "url",
    [
        "/structures/salbris",
        "/structures/salbris/apercu.pdf",
        "/structures/salbris/apercu.html",
        "/structures/salbris/apercu/etat",
        "/structures/inconnue",  # unknown: not revealed to a manager either
        "/structures/BLOIS",
    ],
)
def test_a_manager_gets_403_on_another_structure(app: Flask, url: str) -> None:
    assert sign_in(app, BLOIS).get(url).status_code == 403


def test_a_manager_cannot_save_or_propose_another_structure(app: Flask) -> None:
    client = sign_in(app, BLOIS)
    token = csrf_token(client, "/structures/blois")
    for url in ("/structures/salbris", "/structures/salbris/proposer"):
        data = {"jeton_csrf": token, "revision": "0", "commentaire": "x", "nom": "Pris"}
        assert client.post(url, data=data).status_code == 403
    other = sign_in(app, SALBRIS).get("/structures/salbris").get_data(as_text=True)
    assert "Pris" not in other


def test_a_reviewer_opens_no_structure(app: Flask) -> None:
    client = sign_in(app, RELECTEUR)
    for url in ("/structures", "/structures/blois", "/structures/blois/apercu.pdf"):
        assert client.get(url).status_code == 403


def test_an_unknown_structure_is_404_for_the_prefecture(app: Flask) -> None:
    client = sign_in(app, PREFECTURE)
    assert client.get("/structures/inconnue").status_code == 404
    assert client.get("/structures/Blois").status_code == 404
    assert client.get("/structures/blois").status_code == 200


def test_the_structure_page_follows_the_dom_contract(app: Flask) -> None:
    html = sign_in(app, BLOIS).get("/structures/blois").get_data(as_text=True)
    assert 'id="formulaire-structure"' in html and 'name="revision" value="0"' in html
    for jour in ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"):
        for n in (1, 2):
            for moment in ("debut", "fin"):
                assert f'id="horaires-{jour}-{n}-{moment}"' in html
    # The file's hours in the grid: Monday has an afternoon only, in slot 1.
    assert re.search(r'id="horaires-lundi-1-debut"[^>]*value="13:30"', html)
    assert re.search(r'id="horaires-mardi-2-fin"[^>]*value="17:30"', html)
    assert re.search(r'id="horaires-samedi-1-debut"[^>]*value=""', html)
    assert (
        '<label class="invisible" for="horaires-samedi-1-debut">Samedi, plage 1, ouverture' in html
    )
    assert re.search(r'id="champ-adresse-code_postal"[^>]*value="41000"', html)
    assert 'id="enregistrer"' in html and 'id="apercu-pdf"' in html
    assert 'title="Aperçu de l’annexe 4"' in html and 'id="etat-apercu"' in html
    assert 'id="formulaire-proposition"' in html and 'id="commentaire"' in html
    # every input has its label
    ids = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
    assert ids and ids <= labelled


def test_a_day_the_grid_cannot_show_stays_text(app: Flask, web_root: Path) -> None:
    path = web_root / "annexes/structures/blois.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("  lundi: 13:30-17:30", "  lundi: 08:00-09:00 / 10:00-11:00 / 13:30-17:30"),
        "utf-8",
    )
    html = sign_in(app, BLOIS).get("/structures/blois").get_data(as_text=True)
    assert 'id="horaires-lundi-1-debut"' not in html
    assert re.search(
        r'id="horaires-lundi-texte" name="horaires.lundi"[^>]*'
        r'value="08:00-09:00 / 10:00-11:00 / 13:30-17:30"',
        html,
    )
    assert "la grille ne peut pas afficher" in html


@pytest.mark.parametrize(
    "structure", ["blois", "bus-beauce-val-de-loire", "mondoubleau", "salbris"]
)
def test_every_structure_s_form_reads_back_unchanged(
    app: Flask, web_root: Path, structure: str
) -> None:
    """The form shows each file's values exactly: sent back untouched, it changes nothing."""
    client = sign_in(app, PREFECTURE)
    form = form_values(client.get(f"/structures/{structure}").get_data(as_text=True))
    answer = client.post(f"/structures/{structure}", data=form)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Aucune modification" in page
    with sqlite3.connect(web_root / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM brouillons").fetchone()[0] == 0


def test_a_day_written_as_text_is_edited_as_text(app: Flask, web_root: Path) -> None:
    path = web_root / "annexes/structures/blois.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("  lundi: 13:30-17:30", "  lundi: 8h-9h / 10h-11h / 14h-17h"))
    client = sign_in(app, BLOIS)
    form = form_values(client.get("/structures/blois").get_data(as_text=True))
    assert form["horaires.lundi"] == "8h-9h / 10h-11h / 14h-17h"
    form["horaires.lundi"] = "08:00-09:00 / 10:00-11:00 / 14:00-17:30"
    assert client.post("/structures/blois", data=form).status_code == 303
    with sqlite3.connect(web_root / DATABASE) as db:
        [content] = db.execute("SELECT contenu FROM brouillons").fetchone()
    assert "  lundi: 08:00-09:00 / 10:00-11:00 / 14:00-17:30\n" in content
