"""The web application on a copy of the default project, with one account per role: the
Flask test client for the routes' rules (tests/web/test_*.py); a real server and a real
browser for the ``navigateur`` tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fsdocs.web.accounts import Role, add_account
from fsdocs.web.app import create_app
from fsdocs.web.database import connect
from tests.conftest import copy_default_project


@dataclass(frozen=True)
class Person:
    identifiant: str
    mot_de_passe: str
    nom: str
    role: Role
    structures: tuple[str, ...] = ()


PREFECTURE = Person("prefecture", "mot-de-passe-prefecture", "Claire Martin", Role.PREFECTURE)
BLOIS = Person(
    "gestion-blois", "mot-de-passe-blois", "Jeanne Dupont", Role.GESTIONNAIRE, ("blois",)
)
SALBRIS = Person(
    "gestion-salbris", "mot-de-passe-salbris", "Paul Durand", Role.GESTIONNAIRE, ("salbris",)
)
RELECTEUR = Person("relecteur", "mot-de-passe-relecteur", "Louise Bernard", Role.RELECTEUR)
PEOPLE = (PREFECTURE, BLOIS, SALBRIS, RELECTEUR)

_TOKEN = re.compile(r'name="jeton_csrf" value="([^"]+)"')


def add_people(root: Path) -> None:
    db = connect(root)
    try:
        for person in PEOPLE:
            add_account(
                db,
                root,
                person.identifiant,
                person.role,
                person.mot_de_passe,
                person.nom,
                person.structures,
            )
    finally:
        db.close()


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """A copy of the default project with the four accounts above."""
    root = copy_default_project(tmp_path / "projet")
    add_people(root)
    return root


@pytest.fixture
def app(web_root: Path) -> Iterator[Flask]:
    application = create_app(web_root, secure_cookies=False)
    application.config["TESTING"] = True
    yield application
    application.extensions["fsdocs"].close()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on the page at ``url`` (as a browser would read it)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def sign_in(app: Flask, person: Person) -> FlaskClient:
    """A client signed in as ``person``, through the sign-in form."""
    client = app.test_client()
    token = csrf_token(client, "/connexion")
    answer = client.post(
        "/connexion",
        data={
            "jeton_csrf": token,
            "identifiant": person.identifiant,
            "mot_de_passe": person.mot_de_passe,
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client
