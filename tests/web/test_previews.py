"""The live preview of a structure's Annexe 4 page: a warm engine over a shadow copy of the
project with the drafts applied, which follows each save."""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from fsdocs.web.app import create_app
from fsdocs.web.previews import SHADOW
from tests.readback import normalize, pdftotext
from tests.web.conftest import BLOIS, sign_in
from tests.web.forms import form_values

SATURDAY = "Samedi 9 h – 12 h"


def _preview_text(client: FlaskClient, tmp_path: Path) -> str:
    answer = client.get("/structures/blois/apercu.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    path = tmp_path / "apercu.pdf"
    path.write_bytes(answer.data)
    return normalize(pdftotext(path))


def test_the_preview_follows_a_save(app: Flask, web_root: Path, tmp_path: Path) -> None:
    client = sign_in(app, BLOIS)
    before = _preview_text(client, tmp_path)
    assert "Vendredi 9 h – 12 h 13 h 30 – 17 h 30" in before and "Samedi fermé" in before
    assert client.get("/structures/blois/apercu/etat").get_json()["generation"] == 0

    form = form_values(client.get("/structures/blois").get_data(as_text=True))
    form |= {"horaires-samedi-1-debut": "09:00", "horaires-samedi-1-fin": "12:00"}
    assert client.post("/structures/blois", data=form).status_code == 303
    # The save waited for its preview: the page it leads to shows it, at once.
    state = client.get("/structures/blois/apercu/etat").get_json()
    assert state["generation"] == 1 and state["pret"] is True
    assert isinstance(state["delai_ms"], float) and 0 < state["delai_ms"] < 5000
    page = client.get("/structures/blois").get_data(as_text=True)
    assert 'src="/structures/blois/apercu.html?g=1"' in page
    assert 'data-generation="1"' in page and "Aperçu à jour" in page
    after = _preview_text(client, tmp_path)
    assert SATURDAY in after and "Samedi fermé" not in after

    html = client.get("/structures/blois/apercu.html?g=1")
    assert html.status_code == 200 and "Samedi" in html.get_data(as_text=True)
    policy = html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    # The project's own files and documents are untouched: the preview lives in .fsdocs/.
    assert "samedi" not in (web_root / "annexes/structures/blois.yaml").read_text("utf-8")
    assert not (web_root / "output").exists()
    assert (web_root / SHADOW / "pdf/output/structures/annexe-4-blois.pdf").is_file()


def test_the_preview_follows_the_project_files(app: Flask, web_root: Path, tmp_path: Path) -> None:
    """A change written in the project itself (the préfecture's acceptance) reaches the
    preview without a save."""
    client = sign_in(app, BLOIS)
    assert "Samedi fermé" in _preview_text(client, tmp_path)
    path = web_root / "annexes/structures/blois.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("  vendredi:", "  samedi: 09:00-12:00\n  vendredi:"), "utf-8")
    deadline = time.monotonic() + 20
    while SATURDAY not in _preview_text(client, tmp_path):
        assert time.monotonic() < deadline, "the preview did not follow the project's file"
        time.sleep(0.5)


def test_health_waits_for_the_first_warm_build(web_root: Path) -> None:
    app = create_app(web_root, secure_cookies=False, start_previews=True)
    service = app.extensions["fsdocs"]
    try:
        client = app.test_client()
        first = client.get("/sante")
        assert first.status_code == 503 and first.get_json()["etat"] == "demarrage"
        assert service.ready.wait(120)
        assert client.get("/sante").status_code == 200
        # The first build made every structure's preview: read one back.
        salbris = web_root / SHADOW / "pdf/output/structures/annexe-4-salbris.pdf"
        assert "France services Salbris" in normalize(pdftotext(salbris))
    finally:
        service.close()
    assert not any(lane.thread.is_alive() for lane in service.previews.lanes.values())
