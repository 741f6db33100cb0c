"""The lists of the structure form (agents, stops), the controler's warnings beside the
fields, a flag set back to the département's value, and /controle's links into the form."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from fsdocs.errors import ProjectError
from fsdocs.project.annexes_model import StructureFile
from fsdocs.rules.checked import load_project
from fsdocs.web.database import DATABASE
from tests.readback import normalize, pdftotext
from tests.web.conftest import BLOIS, PREFECTURE, sign_in
from tests.web.forms import form_values

BLOIS_FILE = Path("annexes/structures/blois.yaml")
BUS_FILE = Path("annexes/structures/bus-beauce-val-de-loire.yaml")
TWO_AGENTS = """agents:
  - prenom: Marie  # responsable
    nom: Lefèvre
    fonction: animatrice
  - prenom: Luc  # recruté en 2024
    nom: Girard
"""
STOPS = """arrets:
  - jour: mardi
    horaires: 09:00-12:00
    lieu: place de l’Église
    commune: Suèvres
  - jour: jeudi  # marché
    horaires: 14:00-17:00
    lieu: salle des fêtes
    commune: Beaugency
horaires:"""


def _form(client: FlaskClient, structure: str = "blois") -> dict[str, str]:
    page = client.get(f"/structures/{structure}")
    assert page.status_code == 200
    return form_values(page.get_data(as_text=True))


def _draft(root: Path, structure: str = "blois") -> str:
    with sqlite3.connect(root / DATABASE) as db:
        row = db.execute(
            "SELECT contenu FROM brouillons WHERE structure = ?", (structure,)
        ).fetchone()
    assert row, "no draft"
    return str(row[0])


def _comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


def _replace_agents(root: Path, agents: str) -> str:
    path = root / BLOIS_FILE
    text = path.read_text("utf-8")
    start, end = text.index("agents:\n"), text.index("equipements:\n")
    text = text[:start] + agents + text[end:]
    path.write_text(text, "utf-8")
    return text


def test_a_manager_adds_an_agent(app: Flask, web_root: Path) -> None:
    before = (web_root / BLOIS_FILE).read_text("utf-8")
    client = sign_in(app, BLOIS)
    form = _form(client)
    # The existing agent, then two empty rows.
    assert form["agents[0].nombre"] == "2" and form["agents[2].prenom"] == ""
    assert "agents[3].prenom" not in form
    form |= {
        "agents[1].prenom": "Anne",
        "agents[1].nom": "Durand",
        "agents[1].fonction": "conseillère",
        "agents[1].formation": "2024-03-15",
    }
    answer = client.post("/structures/blois", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    text = _draft(web_root)
    assert all(line in text.splitlines() for line in _comments(before))
    added = (
        "  - prenom: Anne\n    nom: Durand\n    fonction: conseillère\n    formation: 2024-03-15\n"
    )
    assert text.replace(added, "") == before
    data = StructureFile.model_validate(yaml.safe_load(text))
    assert [a.nom for a in data.agents] == [None, "Durand"]
    assert str(data.agents[1].formation) == "2024-03-15"
    page = client.get("/structures/blois").get_data(as_text=True)
    assert re.search(r'id="champ-agents-1-nom" name="agents\[1\]\.nom"[^>]*value="Durand"', page)
    assert 'id="champ-agents-3-nom"' in page  # two empty rows again


def test_a_manager_removes_an_agent_and_edits_another(app: Flask, web_root: Path) -> None:
    before = _replace_agents(web_root, TWO_AGENTS)
    client = sign_in(app, BLOIS)
    form = _form(client)
    assert form["agents[1].prenom"] == "Luc"
    for key in ("prenom", "nom", "fonction"):
        form[f"agents[0].{key}"] = ""
    form["agents[1].fonction"] = "conseiller numérique"
    assert client.post("/structures/blois", data=form).status_code == 303
    text = _draft(web_root)
    assert "Marie" not in text and "  # responsable" not in text
    # The kept item keeps its comment; the comments elsewhere stay.
    assert (
        "  - prenom: Luc  # recruté en 2024\n    nom: Girard\n    fonction: conseiller numérique\n"
        in text
    )
    assert all(line in text for line in _comments(before) if "Marie" not in line)
    assert len(StructureFile.model_validate(yaml.safe_load(text)).agents) == 1


def test_emptying_every_agent_gives_the_departement_s_agents_back(
    app: Flask, web_root: Path
) -> None:
    before = (web_root / BLOIS_FILE).read_text("utf-8")
    client = sign_in(app, BLOIS)
    form = _form(client)
    form |= {"agents[0].nombre": "", "agents[0].fonction": ""}
    assert client.post("/structures/blois", data=form).status_code == 303
    text = _draft(web_root)
    assert "agents:" not in text and "labellisation: 2020-01-01\nequipements:\n" in text
    assert _comments(text) == [c for c in _comments(before) if c.startswith("#")]


def test_the_prefecture_edits_a_stop_of_the_bus(app: Flask, web_root: Path) -> None:
    path = web_root / BUS_FILE
    before = path.read_text("utf-8").replace("horaires:", STOPS, 1)
    path.write_text(before, "utf-8")
    client = sign_in(app, PREFECTURE)
    form = _form(client, "bus-beauce-val-de-loire")
    assert form["arrets[1].lieu"] == "salle des fêtes" and form["arrets[2].lieu"] == ""
    form["arrets[1].lieu"] = "halle du marché"
    form["arrets[1].frequence"] = "1er jeudi du mois"
    answer = client.post("/structures/bus-beauce-val-de-loire", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    text = _draft(web_root, "bus-beauce-val-de-loire")
    expected = before.replace(
        "    lieu: salle des fêtes\n    commune: Beaugency\n",
        "    lieu: halle du marché\n    commune: Beaugency\n    frequence: 1er jeudi du mois\n",
    )
    assert text == expected  # « # marché » and every other comment kept, nothing else moved
    stop = StructureFile.model_validate(yaml.safe_load(text)).arrets[1]
    assert (stop.lieu, stop.frequence) == ("halle du marché", "1er jeudi du mois")


def _controler_errors(root: Path, tmp_path: Path, agents: str) -> list[tuple[str, str]]:
    """What « fsdocs controler » says of Blois' agents written ``agents`` (on a copy)."""
    copy = tmp_path / "copie"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".fsdocs"))
    _replace_agents(copy, agents)
    with pytest.raises(ProjectError) as refused:
        load_project(copy)
    return [(p.path, p.message) for p in refused.value.problems if p.file == str(BLOIS_FILE)]


def test_an_invalid_row_is_refused_beside_its_input(
    app: Flask, web_root: Path, tmp_path: Path
) -> None:
    wrong = "agents:\n  - nombre: deux\n    fonction: agents\n"
    [(where, message)] = _controler_errors(web_root, tmp_path, wrong)
    assert where == "agents[0].nombre"
    client = sign_in(app, BLOIS)
    form = _form(client)
    # The existing agent removed, a new one typed in the last row: the reader's agents[0]
    # is that row, the third.
    form |= {"agents[0].nombre": "", "agents[0].fonction": ""}
    form |= {"agents[2].nombre": "deux", "agents[2].fonction": "agents"}
    answer = client.post("/structures/blois", data=form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert f'<p class="erreur-champ" id="erreur-agents-2-nombre">{message}</p>' in page
    field = re.search(r'<input id="champ-agents-2-nombre"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="erreur-agents-2-nombre"' in field.group(0)
    assert 'value="deux"' in field.group(0)  # what was typed is shown again
    assert not re.search(r'<input id="champ-agents-0-nombre"[^>]*aria-invalid', page)
    with sqlite3.connect(web_root / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM brouillons").fetchone()[0] == 0


def test_an_agent_named_and_counted_is_refused_on_its_row(app: Flask) -> None:
    client = sign_in(app, BLOIS)
    form = _form(client) | {"agents[0].nom": "Durand"}
    answer = client.post("/structures/blois", data=form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert re.search(r'<p class="erreur-champ" id="erreur-agents-0">[^<]*pas les deux', page)
    field = re.search(r'<input id="champ-agents-0-nom"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert "erreur-agents-0" in field.group(0)


def test_warnings_show_beside_their_field_and_do_not_block_a_save(
    app: Flask, web_root: Path
) -> None:
    _replace_agents(web_root, "agents:\n  - prenom: ~\n    nom: Girard\n")
    client = sign_in(app, BLOIS)
    page = client.get("/structures/blois").get_data(as_text=True)
    warning = re.search(
        r'<p class="avertissement-champ" id="avertissement-agents-0-prenom">'
        r'<span class="invisible">Avertissement : </span>([^<]+)</p>',
        page,
    )
    assert warning and "compléter" in warning.group(1)
    field = re.search(r'<input id="champ-agents-0-prenom"[^>]*>', page)
    assert field and 'aria-describedby="avertissement-agents-0-prenom"' in field.group(0)
    assert "aria-invalid" not in field.group(0)
    assert 'class="erreur-champ"' not in page
    form = form_values(page) | {"telephone": "02 54 45 34 55"}
    assert client.post("/structures/blois", data=form).status_code == 303
    text = _draft(web_root)
    assert "  - prenom: ~\n    nom: Girard\n" in text  # the « ~ » is kept
    assert 'id="avertissement-agents-0-prenom"' in client.get("/structures/blois").get_data(
        as_text=True
    )


def test_controle_links_lead_to_ids_of_the_structure_page(app: Flask, web_root: Path) -> None:
    _replace_agents(web_root, "agents:\n  - prenom: ~\n    nom: ~\n")
    path = web_root / BLOIS_FILE
    path.write_text(path.read_text("utf-8").replace("11 place René Coty", "~"), "utf-8")
    client = sign_in(app, PREFECTURE)
    controle = client.get("/controle").get_data(as_text=True)
    fragments = set(re.findall(r'href="/structures/blois#([^"]+)"', controle))
    assert {"champ-agents-0-prenom", "champ-agents-0-nom", "champ-adresse-voie"} <= fragments
    page = client.get("/structures/blois").get_data(as_text=True)
    ids = set(re.findall(r' id="([^"]+)"', page))
    assert fragments <= ids


def test_a_flag_goes_back_to_the_departement_s_value(app: Flask, web_root: Path) -> None:
    before = (web_root / BLOIS_FILE).read_text("utf-8")
    client = sign_in(app, BLOIS)
    form = _form(client)
    assert form["equipements.wifi"] == "oui"
    form["equipements.wifi"] = ""
    assert client.post("/structures/blois", data=form).status_code == 303
    text = _draft(web_root)
    assert text == before.replace("  wifi: true\n", "")
    page = client.get("/structures/blois").get_data(as_text=True)
    assert '<option value="" selected>Valeur commune du département</option>' in page


def test_the_preview_prints_the_new_agent(app: Flask, web_root: Path, tmp_path: Path) -> None:
    client = sign_in(app, BLOIS)
    form = _form(client) | {"agents[1].prenom": "Anne", "agents[1].nom": "Durand"}
    form["agents[1].fonction"] = "conseillère numérique"
    assert client.post("/structures/blois", data=form).status_code == 303
    answer = client.get("/structures/blois/apercu.pdf")
    assert answer.status_code == 200
    pdf = tmp_path / "apercu.pdf"
    pdf.write_bytes(answer.data)
    text = normalize(pdftotext(pdf))
    assert "Anne Durand, conseillère numérique" in text
    assert "2 agents polyvalents France services" in text


def test_the_preview_prints_the_new_stop(app: Flask, tmp_path: Path) -> None:
    client = sign_in(app, PREFECTURE)
    form = _form(client, "bus-beauce-val-de-loire")
    form |= {
        "arrets[0].jour": "mardi",
        "arrets[0].horaires": "09:00-12:00",
        "arrets[0].lieu": "place de l’Église",
        "arrets[0].commune": "Suèvres",
    }
    assert client.post("/structures/bus-beauce-val-de-loire", data=form).status_code == 303
    answer = client.get("/structures/bus-beauce-val-de-loire/apercu.pdf")
    assert answer.status_code == 200
    pdf = tmp_path / "apercu.pdf"
    pdf.write_bytes(answer.data)
    text = normalize(pdftotext(pdf))
    assert "Arrêts de la France services itinérante" in text
    assert "place de l’Église, Suèvres" in text
