"""Safe YAML loading: values, the line of every key, and French, located syntax errors."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from fsdocs.files.read import ProjectFiles
from fsdocs.project.load import MAX_FILE_BYTES, load_yaml, parse_yaml
from fsdocs.project.yaml_nodes import MAX_ALIASES, MAX_DEPTH


def load(text: str) -> tuple[object, list[str]]:
    source, problems = parse_yaml(text.encode(), "f.yaml")
    return (source.data if source else None), [str(problem) for problem in problems]


def test_values_and_lines_of_every_key() -> None:
    source, problems = parse_yaml(
        b"# commentaire\nprefet:\n  nom: Rousset\nliste:\n  - a: 1\n  - b\n", "f.yaml"
    )
    assert problems == []
    assert source is not None
    assert source.data == {"prefet": {"nom": "Rousset"}, "liste": [{"a": 1}, "b"]}
    assert source.line_of(("prefet", "nom")) == 3
    assert source.line_of(("liste", 1)) == 6
    assert source.line_of(("liste", 0, "a")) == 5
    assert source.line_of(("prefet", "absent")) == 2  # its nearest written ancestor


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("0254453454", "0254453454"),  # a phone number, not the octal 22702892
        ("01", "01"),  # the Ain, not 1
        ("9:30", "9:30"),  # an hour, not 570 in base 60
        ("250", 250),
        ("-3", -3),
        ("0", 0),
        ("2.5", 2.5),
        ("2020-02-06", date(2020, 2, 6)),
        ("true", True),
        ("~", None),
    ],
)
def test_scalars_read_as_a_person_means_them(written: str, value: object) -> None:
    data, problems = load(f"v: {written}\n")
    assert problems == []
    assert data == {"v": value}


def test_scalars_that_are_not_text_remember_how_they_were_written() -> None:
    source, _ = parse_yaml(b"a: yes\nb: 2020-02-06\nc: texte\nd: ~\n", "f.yaml")
    assert source is not None
    assert source.texts == {("a",): "yes", ("b",): "2020-02-06"}


def test_byte_order_mark_is_harmless() -> None:
    source, problems = parse_yaml("\ufeffnom: Blois\n".encode(), "f.yaml")
    assert problems == []
    assert source is not None
    assert source.data == {"nom": "Blois"}


def test_comments_only_is_an_empty_document() -> None:
    source, problems = parse_yaml(b"# rien\n", "f.yaml")
    assert problems == []
    assert source is not None
    assert source.data is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'a:\n  b: "x\n  c: d\n',
            "f.yaml:2:6: guillemet ouvert ici mais jamais fermé : ajoutez le guillemet fermant à "
            "la fin de la valeur",
        ),
        (
            "a: 1\nb: Chef de projet : réseau\n",
            "f.yaml:2:19: « : » inattendu : si la valeur contient « : », mettez-la entre "
            "guillemets ; sinon vérifiez l’indentation",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "f.yaml:3:2: indentation incohérente : alignez cette ligne sur les clés de même niveau "
            "(même nombre d’espaces en début de ligne)",
        ),
        (
            "a:\n  b: 1\n  - c\n",
            "f.yaml:3:3: élément de liste « - » inattendu : alignez-le sur les autres éléments de "
            "la liste, sous la clé qui l’annonce",
        ),
        (
            "a: 1\nb\nc: 2\n",
            "f.yaml:2:1: « : » manquant : chaque ligne est « clé: valeur » (avec une espace après "
            "« : ») ou un élément de liste « - … »",
        ),
        (
            "a: [1, 2\nb: 3\n",
            "f.yaml:1:4: « [ » ouvert ici mais jamais fermé : ajoutez « ] », ou mettez la valeur "
            "entre guillemets",
        ),
        (
            "a: @b\n",
            "f.yaml:1:4: « @ » ne peut pas commencer une valeur : mettez la valeur entre "
            'guillemets (« "@…" »)',
        ),
        (
            'a: "C:\\dossier"\n',
            "f.yaml:1:8: « \\d » inconnu entre guillemets doubles : écrivez « \\\\ » pour une "
            "barre oblique inverse, ou mettez la valeur entre guillemets simples",
        ),
        (
            'a: "b" c\n',
            "f.yaml:1:8: texte inattendu après la valeur : si elle commence par un guillemet, "
            "mettez-la entièrement entre guillemets ; sinon vérifiez l’indentation",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: un seul document YAML par fichier : supprimez la ligne « --- » et "
            "réunissez les deux parties",
        ),
        (
            "a: b\x07\n",
            "f.yaml:1:5: caractère de contrôle U+0007 interdit : supprimez-le (il est invisible et "
            "vient souvent d’un copier-coller)",
        ),
        (
            "a: &x 1\nb: &x 2\n",
            "f.yaml:2:4: les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : "
            "recopiez la valeur à chaque endroit où elle sert",
        ),
    ],
)
def test_syntax_errors_have_line_column_and_french_advice(text: str, expected: str) -> None:
    data, problems = load(text)
    assert data is None
    assert problems == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: *x\n",
            "f.yaml:1: a: alias « *x » refusé : les ancres et alias YAML (« & » et « * ») ne sont "
            "pas acceptés : recopiez la valeur à chaque endroit où elle sert",
        ),
        (
            "base: &b\n  nom: x\nautre:\n  <<: *b\n",
            "f.yaml:4: autre: fusion « <<: » refusée : les ancres et alias YAML (« & » et « * ») "
            "ne sont pas acceptés : recopiez la valeur à chaque endroit où elle sert",
        ),
        (
            "a: !!python/name:os.system\n",
            "f.yaml:1: a: étiquette YAML « !!python/name:os.system » refusée : fsdocs ne lit que "
            "du texte, des nombres, des dates, des listes et des clés ; supprimez l’étiquette (ce "
            "qui commence par « ! »)",
        ),
        (
            "a: !local x\n",
            "f.yaml:1: a: étiquette YAML « !local » refusée : fsdocs ne lit que du texte, des "
            "nombres, des dates, des listes et des clés ; supprimez l’étiquette (ce qui commence "
            "par « ! »)",
        ),
        (
            "? [a, b]\n: c\n",
            "f.yaml:1: clé invalide : une clé est un simple mot suivi de « : » (ex. « nom: »)",
        ),
        (
            "d: 2021-02-29\n",
            "f.yaml:1: d: date impossible « 2021-02-29 » : février 2021 n’a que 28 jours ; "
            "corrigez le jour (AAAA-MM-JJ)",
        ),
        (
            "d: 2020-13-01\n",
            "f.yaml:1: d: date impossible « 2020-13-01 » : le mois 13 n’existe pas (AAAA-MM-JJ)",
        ),
        (
            "a: 1\na: 2\n",
            "f.yaml:2: a: clé « a » en double (déjà écrite ligne 1) : une clé ne s’écrit qu’une "
            "fois par bloc ; supprimez ou renommez l’une des deux",
        ),
    ],
)
def test_refused_values_are_located_problems(text: str, expected: str) -> None:
    _, problems = load(text)
    assert problems == [expected]


def test_refused_values_are_marked_so_validation_stays_silent() -> None:
    source, _ = parse_yaml(b"a:\n  b: *x\n  c: !!binary aGk=\n", "f.yaml")
    assert source is not None
    assert source.data == {"a": {"b": None, "c": None}}
    assert source.rejected == {("a", "b"), ("a", "c")}


def test_aliases_never_expand() -> None:
    # The "billion laughs": nine levels of ten aliases would build 10**9 values.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    start = time.monotonic()
    _, problems = load("\n".join(lines) + "\n")
    assert time.monotonic() - start < 2
    # Reading stops at the alias past the limit, on line 4 (a3): no flood of messages.
    assert problems == [
        f"f.yaml:4:10: a3[0]: plus de {MAX_ALIASES} alias « * » : lecture arrêtée ; les ancres "
        "et alias YAML (« & » et « * ») ne sont pas acceptés : recopiez la valeur à chaque "
        "endroit où elle sert"
    ]


def test_each_alias_is_reported_up_to_the_limit() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * MAX_ALIASES) + "]\n"
    _, problems = load(text)
    assert len(problems) == MAX_ALIASES
    assert problems[-1].startswith(f"f.yaml:2: b[{MAX_ALIASES - 1}]: alias « *a » refusé")


def test_too_deep_nesting_is_refused() -> None:
    _, problems = load("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert problems == [
        f"f.yaml:1:{MAX_DEPTH + 4}: a: imbrication trop profonde : plus de {MAX_DEPTH} niveaux "
        "de listes ou de blocs (une convention en demande au plus 5) ; vérifiez les « [ », "
        "« { » et l’indentation"
    ]


def test_nesting_up_to_the_limit_is_read() -> None:
    data, problems = load("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    assert problems == []
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(data, dict | list) and data
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == []


def test_too_large_file_is_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    source, problems = load_yaml(ProjectFiles(tmp_path), "gros.yaml")
    assert source is None
    # Just over 1 Mo shows as 1,1 Mo, never as the limit itself.
    assert [str(p) for p in problems] == [
        "gros.yaml: fichier trop volumineux : 1,1 Mo, la limite est 1 Mo ; un fichier de "
        "convention fait quelques kilo-octets : vérifiez qu’il s’agit du bon fichier"
    ]


def test_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "tube.yaml")  # would block for ever
    source, problems = load_yaml(ProjectFiles(tmp_path), "tube.yaml")
    assert source is None
    assert [str(p) for p in problems] == [
        "tube.yaml: ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : "
        "remplacez-le par un vrai fichier"
    ]


def test_a_link_to_a_device_leaves_the_project_and_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")  # would never end
    source, problems = load_yaml(ProjectFiles(tmp_path), "zero.yaml")
    assert source is None
    assert [str(p) for p in problems] == [
        "zero.yaml: mène hors du projet (chemin ou lien symbolique) : refusé ; copiez le "
        "fichier dans le dossier du projet"
    ]


def test_unreadable_file_is_explained_in_french(tmp_path: Path) -> None:
    (tmp_path / "dossier.yaml").mkdir()
    source, problems = load_yaml(ProjectFiles(tmp_path), "dossier.yaml")
    assert source is None
    assert [str(p) for p in problems] == [
        "dossier.yaml: c’est un dossier, pas un fichier : renommez-le ou déplacez-le"
    ]


def test_non_utf8_byte_is_located_by_line_and_character() -> None:
    raw = "a: 1\nnom: Hélène Rouss".encode() + b"\xe9t\n"  # UTF-8, then one Latin-1 byte
    data, problems = load_bytes(raw)
    assert data is None
    assert problems == [
        "f.yaml:2:18: octet 0xE9 (« é » en Windows-1252) illisible : le fichier n’est pas "
        "enregistré en UTF-8 ; réenregistrez-le en UTF-8 depuis votre éditeur"
    ]


def load_bytes(raw: bytes) -> tuple[object, list[str]]:
    source, problems = parse_yaml(raw, "f.yaml")
    return (source.data if source else None), [str(problem) for problem in problems]
