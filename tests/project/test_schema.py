"""JSON Schemas for editors: generated from the model, committed, referenced by every YAML file."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from fsdocs.project import model as fsdocs_model
from fsdocs.project.load import parse_yaml
from fsdocs.project.schema import KEY_TITLES, KINDS, PART_TITLES, SCHEMAS, render, write_schemas
from tests.conftest import REPO, run_cli

COMMITTED = REPO / SCHEMAS
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")
DEFAULT_FILES = sorted(
    path.relative_to(REPO).as_posix()
    for pattern in ("convention.yaml", "signatories/*.yaml", "annexes/*.yaml", "annexes/*/*.yaml")
    for path in REPO.glob(pattern)
)


def kind_of(name: str) -> str:
    """The kind of schema a project file must follow, from its place in the project."""
    if name.startswith("annexes/structures/"):
        return "structure"
    if name.startswith("annexes/offres/"):
        return "offres"
    return Path(name).stem


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((COMMITTED / f"{kind}.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_editor_sees(value: Any) -> Any:
    """YAML 1.2, which editors speak, has no date type: ``2020-02-06`` is a string there."""
    if isinstance(value, dict):
        return {key: as_editor_sees(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def yaml_data(text: str) -> Any:
    source, problems = parse_yaml(text.encode("utf-8"), "f.yaml")
    assert problems == []
    assert source is not None
    return as_editor_sees(source.data)


def test_default_project_has_every_file_kind() -> None:
    assert {kind_of(name) for name in DEFAULT_FILES} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_schema_is_what_the_model_generates(kind: str) -> None:
    committed = (COMMITTED / f"{kind}.schema.json").read_text("utf-8")
    assert committed == render(kind), "schéma périmé : lancez « fsdocs schemas » et validez"


def test_no_stray_schema_is_committed() -> None:
    assert sorted(path.name for path in COMMITTED.iterdir()) == sorted(
        f"{kind}.schema.json" for kind in KINDS
    )


def test_fsdocs_schema_writes_the_committed_files(default_project: Path) -> None:
    result = run_cli("schema", "--projet", str(default_project))
    assert result.exit_code == 0, result.output
    target = default_project.resolve() / SCHEMAS
    assert result.stdout.splitlines() == [
        f"écrit : {target / f'{kind}.schema.json'}" for kind in KINDS
    ]
    assert sorted(path.name for path in target.iterdir()) == sorted(
        path.name for path in COMMITTED.iterdir()
    )  # nothing else, not even a temporary file
    for path in target.iterdir():
        assert path.read_bytes() == (COMMITTED / path.name).read_bytes()


def test_writing_twice_gives_the_same_bytes(default_project: Path) -> None:
    first = {path.name: path.read_bytes() for path in write_schemas(default_project)}
    second = {path.name: path.read_bytes() for path in write_schemas(default_project)}
    assert first == second
    assert all(data.endswith(b"}\n") for data in first.values())


def test_schema_outside_a_project_is_a_french_error(tmp_path: Path) -> None:
    result = run_cli("schema", "--projet", str(tmp_path))
    assert result.stderr.startswith("Erreur : aucun projet fsdocs dans")
    assert result.exit_code == 1
    assert not (tmp_path / SCHEMAS).exists()


@pytest.mark.parametrize("name", DEFAULT_FILES)
def test_each_yaml_file_names_the_schema_of_its_kind(name: str) -> None:
    first_line = (REPO / name).read_text("utf-8").splitlines(keepends=True)[0]
    found = SCHEMA_LINE.match(first_line)
    assert found, f"{name} doit commencer par « # yaml-language-server: $schema=… »"
    target = ((REPO / name).parent / found.group(1)).resolve()
    assert target == (COMMITTED / f"{kind_of(name)}.schema.json").resolve()
    assert target.is_file()


@pytest.mark.parametrize("name", DEFAULT_FILES)
def test_each_default_yaml_file_is_valid_for_its_schema(name: str) -> None:
    data = yaml_data((REPO / name).read_text("utf-8"))
    errors = [error.message for error in validator(kind_of(name)).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("convention", "departement: 41\nlabellisation: 2020-01-01\n"),  # a code as a number
        ("convention", 'departement: "2A"\nlabellisation: 2020-01-01\n'),
        ("prefet", "prefet:\n  civilite: ~\n  prenom: ~\n  nom: ~\n"),  # still to fill in
        ("temoins", "temoins: []\n"),
    ],
)
def test_schema_accepts_what_fsdocs_accepts(kind: str, text: str) -> None:
    data = yaml_data(text)
    if kind == "convention":
        data |= {"signature": {"lieu": "Blois", "date": None}, "annexes": [{"id": "charte"}]}
    assert [error.message for error in validator(kind).iter_errors(data)] == []


@pytest.mark.parametrize(
    ("kind", "text", "rule"),
    [
        (
            "prefet",
            "prefet:\n  civilite: Monsieur\n  prenon: Yves\n  nom: Rousset\n",
            "additionalProperties",
        ),
        ("prefet", "prefet:\n  civilite: Monsieur\n  prenom: Yves\n", "required"),
        (
            "temoins",
            "temoins:\n  - {civilite: Madame, prenom: A, nom: B, fonction: C, x: 1}\n",
            "additionalProperties",
        ),
        ("structure", "nom: a\nappellation: b\ncommune: c\ngestionnaire: cc\nanct: [1]\n", "anyOf"),
        ("structure", "nom: a\nappellation: b\ncommune: c\ngestionnaire: CC Perche\n", "pattern"),
        ("structure", "nom: a\nappellation: b\ncommune: c\ngestionnaire: cc\ntype: bus\n", "enum"),
        (
            "convention",
            'departement: "41"\nlabellisation: premier janvier\nsignature: {lieu: a, '
            "date: 2020-02-06}\nannexes: [{id: charte}]\n",
            "format",
        ),
        ("gestionnaires", "gestionnaires: []\n", "minItems"),
    ],
)
def test_schema_rejects_a_known_bad_document(kind: str, text: str, rule: str) -> None:
    errors = list(validator(kind).iter_errors(yaml_data(text)))
    assert rule in {error.validator for error in errors}, [error.message for error in errors]


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_key_has_a_french_title(kind: str) -> None:
    schema = json.loads(render(kind))
    for node in _nodes(schema):
        for key, value in node.get("properties", {}).items():
            assert value.get("title") == KEY_TITLES.get(key, "<absent de KEY_TITLES>"), key


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_english_docstring_reaches_the_editor(kind: str) -> None:
    text = render(kind)
    docstrings = [
        inspect.cleandoc(cls.__doc__)
        for _, cls in inspect.getmembers(fsdocs_model, inspect.isclass)
        if cls.__module__ == fsdocs_model.__name__ and cls.__doc__
    ]
    assert docstrings  # the model does document its classes, in English
    for doc in docstrings:
        assert json.dumps(doc, ensure_ascii=False)[1:-1] not in text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_title_is_ours_and_french(kind: str) -> None:
    schema = json.loads(render(kind))
    ours = {*KEY_TITLES.values(), *PART_TITLES.values(), *(title for _, title, _ in KINDS.values())}
    titles = [node["title"] for node in _nodes(schema) if isinstance(node.get("title"), str)]
    assert set(titles) <= ours
    for name, part in schema.get("$defs", {}).items():
        assert part.get("title") == PART_TITLES.get(name, "<absent de PART_TITLES>"), name
