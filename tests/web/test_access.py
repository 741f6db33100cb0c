"""Signing in, sessions, CSRF and the deny-by-default rule of every route."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from flask import Flask

from fsdocs.web import throttle
from fsdocs.web.access import PUBLIC, ROLES
from fsdocs.web.database import DATABASE
from tests.web.conftest import BLOIS, PREFECTURE, csrf_token, sign_in


def test_an_unauthenticated_request_goes_to_the_sign_in_page(app: Flask) -> None:
    answer = app.test_client().get("/?onglet=1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/connexion?suite=/?onglet%3D1"


def test_signing_in_opens_a_server_side_session_with_a_safe_cookie(
    app: Flask, web_root: Path
) -> None:
    client = sign_in(app, PREFECTURE)
    cookie = client.get_cookie("fsdocs_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    home = client.get("/")
    assert "Bonjour Claire Martin" in home.get_data(as_text=True)
    with sqlite3.connect(web_root / DATABASE) as db:
        stored = [row[0] for row in db.execute("SELECT jeton FROM sessions")]
    # The database keeps the token's digest, never the token itself.
    assert cookie.value not in stored and len(stored) >= 1


def test_the_cookie_is_secure_unless_told_otherwise(web_root: Path) -> None:
    from fsdocs.web.app import create_app

    client = create_app(web_root).test_client()
    client.get("/connexion")
    cookie = client.get_cookie("fsdocs_session")
    assert cookie is not None and cookie.secure


def test_a_wrong_password_is_refused_then_attempts_are_limited(app: Flask) -> None:
    client = app.test_client()
    for _ in range(throttle.PER_IDENTIFIER):
        token = csrf_token(client, "/connexion")
        answer = client.post(
            "/connexion",
            data={"jeton_csrf": token, "identifiant": BLOIS.identifiant, "mot_de_passe": "faux"},
        )
        assert answer.status_code == 401
        assert "Identifiant ou mot de passe incorrect." in answer.get_data(as_text=True)
    token = csrf_token(client, "/connexion")
    answer = client.post(
        "/connexion",
        data={
            "jeton_csrf": token,
            "identifiant": BLOIS.identifiant,
            "mot_de_passe": BLOIS.mot_de_passe,  # right, but too late
        },
    )
    assert answer.status_code == 429
    assert "Trop de tentatives" in answer.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client()
    client.get("/connexion")
    answer = client.post(
        "/connexion",
        data={"identifiant": PREFECTURE.identifiant, "mot_de_passe": PREFECTURE.mot_de_passe},
    )
    assert answer.status_code == 400
    assert "jeton de sécurité" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_signing_in_never_redirects_to_another_site(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client, "/connexion")
    answer = client.post(
        "/connexion",
        data={
            "jeton_csrf": token,
            "identifiant": PREFECTURE.identifiant,
            "mot_de_passe": PREFECTURE.mot_de_passe,
            "suite": "//exemple.org/piege",
        },
    )
    assert answer.headers["Location"] == "/"


def test_signing_out_ends_the_session(app: Flask) -> None:
    client = sign_in(app, PREFECTURE)
    token = csrf_token(client, "/")
    assert client.post("/deconnexion", data={"jeton_csrf": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_every_route_is_public_or_declares_its_roles(app: Flask) -> None:
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        assert getattr(view, PUBLIC, False) or getattr(view, ROLES, None), endpoint


def test_health_answers_json(app: Flask) -> None:
    answer = app.test_client().get("/sante")
    assert answer.status_code == 200
    assert answer.get_json()["etat"] == "pret"


def test_the_prefecture_reads_the_audit_log_others_may_not(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client, "/connexion")
    client.post(
        "/connexion",
        data={"jeton_csrf": token, "identifiant": BLOIS.identifiant, "mot_de_passe": "faux"},
    )
    assert sign_in(app, BLOIS).get("/journal").status_code == 403
    page = sign_in(app, PREFECTURE).get("/journal").get_data(as_text=True)
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    actions = [(who, what) for _, who, _, what in rows]
    # Latest first: the préfecture's sign-in, the manager's, the refused attempt.
    assert actions[:3] == [
        ("prefecture", "connexion"),
        ("gestion-blois", "connexion"),
        ("gestion-blois", "connexion refusée"),
    ]
    assert all(address == "127.0.0.1" for _, _, address, _ in rows[:3])
    mine = sign_in(app, PREFECTURE).get("/journal?compte=gestion-blois").get_data(as_text=True)
    assert "connexion refusée" in mine and "<td>prefecture</td>" not in mine


_SAMPLE = {"structure": "salbris", "numero": "1", "name": "convention.pdf", "de": "1", "a": "2"}


def test_every_route_refuses_the_roles_it_does_not_declare(app: Flask) -> None:
    """Each route, opened by each role it does not name, answers 403 — GET and POST alike,
    with a valid CSRF token, so that only the role check can refuse; a manager is refused
    another manager's structure on every route that names one."""
    from fsdocs.web.accounts import Role
    from tests.web.conftest import RELECTEUR, SALBRIS

    people = {Role.PREFECTURE: PREFECTURE, Role.GESTIONNAIRE: BLOIS, Role.RELECTEUR: RELECTEUR}
    clients = {role: sign_in(app, person) for role, person in people.items()}
    tokens = {role: csrf_token(client, "/") for role, client in clients.items()}
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in ("static", "auth.deconnexion") or getattr(view, PUBLIC, False):
            continue  # signing out is every role's, and would end these sessions
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{argument}>", _SAMPLE[argument], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role, client in clients.items():
                if method == "GET":
                    answer = client.get(url)
                else:
                    answer = client.post(url, data={"jeton_csrf": tokens[role]})
                allowed = role in getattr(view, ROLES)
                mine = "structure" not in rule.arguments or role is not Role.GESTIONNAIRE
                if not (allowed and mine):
                    assert answer.status_code == 403, (role, method, url, answer.status_code)
                    checked += 1
                else:
                    assert answer.status_code != 403, (role, method, url)
    assert checked > 40
    # The other manager is let in where the first was not.
    assert sign_in(app, SALBRIS).get("/structures/salbris").status_code == 200
