"""Warnings grouped by kind, with counts, before the located lines (``fsdocs.rules.groups``)."""

from __future__ import annotations

from fsdocs.errors import Problem, Severity
from fsdocs.rules.groups import groups, report, report_lines

W = Severity.WARNING


def _agents(ident: str) -> Problem:
    return Problem(
        f"annexes/structures/{ident}.yaml", 4, "agents", "aucun", W, groupe="agents", mentions=1
    )


FOUND = [
    # Two agents of one structure count one structure; two of another, another.
    _agents("blois"),
    Problem(
        "annexes/structures/blois.yaml", 30, "agents[0].nom", "nom", W, groupe="agents", mentions=1
    ),
    _agents("mer"),
    Problem("convention.yaml", 10, "signature.lieu", "lieu", W, groupe="signature", mentions=2),
    Problem("convention.yaml", 11, "signature.date", "date", W, groupe="signature", mentions=2),
    Problem("convention.yaml", 12, "signature.x", "x", W, groupe="signature", mentions=0),
    Problem("a.yaml", 3, "horaires", "court", W, article="4.2", regle="ouverture"),
    Problem("b.yaml", 3, "", "JavaScript retiré", W),
    Problem("c.yaml", 1, "x", "erreur", Severity.ERROR),
]


def test_groups_count_what_each_kind_counts_largest_first() -> None:
    found = groups(FOUND)
    assert [(g.id, g.titre, g.mentions, len(g.problems)) for g in found] == [
        ("signature", "Lieu et date de signature : 3 champs", 4, 3),
        ("agents", "Agents à nommer : 2 structures", 3, 3),
        (
            "ouverture",
            "Chaque structure est ouverte au moins 24 h par semaine sur au moins 5 jours "
            "[art. 4.2] : 1 constat",
            0,
            1,
        ),
        ("autres-avertissements", "Autres avertissements : 1 avertissement", 0, 1),
    ]


def test_the_text_gives_the_counts_then_each_group_s_lines() -> None:
    lines = report_lines(groups(FOUND))
    assert lines[:8] == [
        "À compléter : 6 faits ; le dossier de signature imprimerait « [à compléter] » 7 fois :",
        "  Lieu et date de signature : 3 champs",
        "  Agents à nommer : 2 structures",
        "Autres constats :",
        "  Chaque structure est ouverte au moins 24 h par semaine sur au moins 5 jours "
        "[art. 4.2] : 1 constat",
        "  Autres avertissements : 1 avertissement",
        "",
        "Lieu et date de signature (3 champs) :",
    ]
    assert lines[8:11] == [
        "convention.yaml:10: signature.lieu: avertissement : lieu",
        "convention.yaml:11: signature.date: avertissement : date",
        "convention.yaml:12: signature.x: avertissement : x",
    ]
    assert "c.yaml:1: x: erreur" not in lines  # errors stop everything; they are not grouped


def test_warnings_of_one_kind_with_nothing_to_fill_are_just_their_lines() -> None:
    alone = [Problem("b.yaml", None, "", "JavaScript retiré", W)]
    assert report_lines(groups(alone)) == ["b.yaml: avertissement : JavaScript retiré"]
    assert report_lines(groups([])) == []


def test_json_gives_the_same_groups() -> None:
    document = report(FOUND)
    assert document["resume"] == {
        "erreurs": 1,
        "avertissements": 8,
        "a_completer": 6,
        "mentions": 7,
    }
    assert document["groupes"][1] == {
        "groupe": "agents",
        "libelle": "Agents à nommer",
        "nombre": 2,
        "unite": "structures",
        "a_completer": True,
        "mentions": 3,
        "problemes": 3,
    }
    assert [g["groupe"] for g in document["groupes"]] == [g.id for g in groups(FOUND)]
