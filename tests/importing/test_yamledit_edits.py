"""Removing a key and editing a list of mappings with the comment-keeping YAML editor."""

from __future__ import annotations

import pytest
import yaml

from fsdocs.importing.yamledit import delete_value, dump_document, load_document, set_items

TEXT = """# En-tête du fichier.
nom: France services Blois
equipements:
  internet: true  # vérifié en 2024
  # Les suivants viennent de la liste ANCT.
  ordinateur: true
  wifi: true  # borne du hall
  # Avant la tablette.
  tablette: false
# Accueil des personnes à mobilité réduite :
accessibilite_pmr: true
agents:
  # Deux agents connus.
  - prenom: Marie  # responsable
    nom: Lefèvre
  - nombre: 2
    fonction: agents polyvalents
espace_confidentiel: true  # fin
"""
ORDER = ("prenom", "nom", "fonction", "nombre", "formation")


def _edited(*paths: str) -> str:
    doc = load_document(TEXT)
    for path in paths:
        assert delete_value(doc, path)
    return str(dump_document(doc))


@pytest.mark.parametrize(
    ("path", "gone"),
    [
        ("equipements.internet", "  internet: true  # vérifié en 2024\n"),
        ("equipements.ordinateur", "  ordinateur: true\n"),
        ("equipements.tablette", "  tablette: false\n"),
        ("accessibilite_pmr", "accessibilite_pmr: true\n"),
        ("espace_confidentiel", "espace_confidentiel: true  # fin\n"),
        ("nom", "nom: France services Blois\n"),
    ],
)
def test_removing_a_key_keeps_every_other_comment(path: str, gone: str) -> None:
    assert _edited(path) == TEXT.replace(gone, "")


def test_a_mapping_left_empty_goes_and_a_missing_key_is_said() -> None:
    doc = load_document("a: 1\nb:\n  c: 2  # seul\n# après b\nd: 3\n")
    assert delete_value(doc, "b.c")
    assert dump_document(doc) == "a: 1\n# après b\nd: 3\n"
    assert not delete_value(doc, "b.c") and not delete_value(doc, "x.y")


def test_items_kept_are_edited_in_place() -> None:
    doc = load_document(TEXT)
    set_items(
        doc,
        "agents",
        [
            (0, {"prenom": "Marie", "nom": "Lefèvre", "fonction": "animatrice"}),
            (1, {"nombre": 3, "fonction": "agents polyvalents"}),
            (None, {"prenom": "Luc", "nom": "Girard"}),
        ],
        ORDER,
    )
    expected = TEXT.replace("    nom: Lefèvre\n", "    nom: Lefèvre\n    fonction: animatrice\n")
    expected = expected.replace("  - nombre: 2\n", "  - nombre: 3\n")
    expected = expected.replace(
        "    fonction: agents polyvalents\n",
        "    fonction: agents polyvalents\n  - prenom: Luc\n    nom: Girard\n",
    )
    assert dump_document(doc) == expected


def test_an_item_removed_and_a_list_emptied() -> None:
    doc = load_document(TEXT)
    set_items(doc, "agents", [(1, {"nombre": 2, "fonction": "agents polyvalents"})], ORDER)
    text = str(dump_document(doc))
    assert "Marie" not in text and "# responsable" not in text
    assert text.replace("  - nombre: 2\n    fonction: agents polyvalents\n", "") == TEXT.replace(
        "  - prenom: Marie  # responsable\n    nom: Lefèvre\n  - nombre: 2\n"
        "    fonction: agents polyvalents\n",
        "",
    )
    set_items(doc, "agents", [], ORDER)
    assert "agents" not in yaml.safe_load(dump_document(doc))
    assert "espace_confidentiel: true  # fin\n" in dump_document(doc)


def test_a_new_list_takes_its_place_in_the_order() -> None:
    doc = load_document("nom: Bus\nhoraires:\n  lundi: 09:00-12:00\n")
    order = {(): ("nom", "arrets", "horaires")}
    stop = {"jour": "mardi", "horaires": "09:00-12:00", "lieu": "place", "commune": "Mer"}
    set_items(doc, "arrets", [(None, stop)], tuple(stop), parent_order=order)
    assert dump_document(doc) == (
        "nom: Bus\narrets:\n  - jour: mardi\n    horaires: 09:00-12:00\n    lieu: place\n"
        "    commune: Mer\nhoraires:\n  lundi: 09:00-12:00\n"
    )
