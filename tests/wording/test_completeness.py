"""The completeness gate: every « [à compléter] » a document prints is a fact ``fsdocs
controler`` names, with its file, line and field, grouped by kind, and counted.

The proof reads the PDF, not the code: the draft dossier of an imported project (every
document once) is read back and its placeholders counted; the same dossier, made while each
placeholder is numbered after its fact, says which fact each one is. Both must be the report,
kind by kind — a placeholder added to a template without its fact, or a fact the report
forgets, fails here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from fsdocs.bundle.assemble import DRAFT, bundle
from fsdocs.project.yaml_nodes import format_loc
from fsdocs.wording.gaps import kind_of, marking
from tests.conftest import Built, run_cli
from tests.readback import pdftotext

PLACEHOLDER = "[àcompléter]"  # as read with every space taken out
NUMBERED = re.compile(r"\[àcompléter#(\d+)\]")


def _read(pdf: Path) -> str:
    """The PDF's text without any space or line break: a placeholder broken over two lines
    of a narrow cell reads whole again (the documents never hyphenate)."""
    return re.sub(r"\s+", "", pdftotext(pdf))


def _report(root: Path) -> dict[str, Any]:
    result = run_cli("controler", "--format", "json", "--projet", str(root))
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_check_names_every_placeholder_the_dossier_prints_by_kind(
    imported_draft: Path, tmp_path: Path
) -> None:
    report = _report(imported_draft)
    printed = [p for p in report["problemes"] if p["mentions"]]
    # The draft as delivered: as many placeholders as the report counts.
    plain = _read(imported_draft / "output" / DRAFT)
    assert plain.count(PLACEHOLDER) == report["resume"]["mentions"] == 191
    assert sum(p["mentions"] for p in printed) == 191
    # The same draft, each placeholder numbered after the fact it stands for.
    root = shutil.copytree(imported_draft, tmp_path / "numerote")
    with marking() as marks:
        bundle(root, brouillon=True)
    numbered = _read(root / "output" / DRAFT)
    assert PLACEHOLDER not in numbered  # none is printed but through its fact
    found = Counter(marks.order[int(n)] for n in NUMBERED.findall(numbered))
    assert sum(found.values()) == 191
    # Fact by fact: where it is written, and how many times it prints.
    assert {(f, format_loc(loc)): n for (f, loc), n in found.items()} == {
        (p["fichier"], p["champ"]): p["mentions"] for p in printed
    }
    # Kind by kind: the facts and the placeholders each group of the report counts.
    groups = {g["groupe"]: g for g in report["groupes"] if g["a_completer"]}
    kinds = Counter(kind_of(*where) for where in found.elements())
    assert kinds == {kind: g["mentions"] for kind, g in groups.items() if g["mentions"]}
    facts = Counter(kind_of(*where) for where in found)
    assert facts == Counter(p["groupe"] for p in printed)
    # The agents of the four structures, each printed once, on its page of Annexe 4.
    assert (groups["agents"]["nombre"], groups["agents"]["mentions"]) == (4, 4)
    assert plain.count("AgentsFranceservices[àcompléter]") == 4


def test_the_report_groups_by_kind_with_counts_then_the_lines(imported_draft: Path) -> None:
    result = run_cli("controler", "--projet", str(imported_draft))
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "À compléter : 95 faits ; le dossier de signature imprimerait « [à compléter] » 191 fois :",
        "  Signataires et témoins à compléter : 55 champs",
        "  Coordonnées et horaires des structures : 15 champs",
        "  Référents à désigner ou à compléter : 8 lignes",
        # Written once, in convention.yaml's defaults, each printed on the 4 pages of Annexe 4.
        "  Équipements et accueil à renseigner : 8 champs",
        "  Agents à nommer : 4 structures",
        "  Documents nationaux à joindre : 3 annexes",
        "  Lieu et date de signature : 2 champs",
        "",
    ]
    at = lines.index("Agents à nommer (4 structures) :")
    assert lines[at + 1 : at + 6] == [
        *(
            f"annexes/structures/{ident}.yaml:4: agents: avertissement : aucun agent France "
            "services nommé : la page de la structure imprime « Agents France services [à "
            "compléter] » ; ajoutez sous « agents: » chaque agent (« prenom: », « nom: », "
            "« fonction: ») ou, faute de noms, leur « nombre: » et leur « fonction: »"
            for ident in ("blois", "mer", "mondoubleau", "salbris")
        ),
        "",
    ]
    assert lines[-1] == "Projet valide : 0 erreur, 95 avertissements."
    # The JSON says the same, group by group.
    counted = [re.fullmatch(r"  (.+) : (\d+) (\S+)", line) for line in lines[1:8]]
    report = _report(imported_draft)
    assert [(g["libelle"], g["nombre"], g["unite"]) for g in report["groupes"]] == [
        (found[1], int(found[2]), found[3]) for found in counted if found
    ]


def test_a_key_left_to_fill_that_prints_nowhere_is_named_apart(
    imported_draft: Path, tmp_path: Path
) -> None:
    """A project whose own template prints neither the parties nor the signatures: a
    partner's body is still a fact to fill in, but the report says it prints nowhere and
    counts it no placeholder. Printed, it is one of the facts the dossier prints twice."""
    organisation = next(
        p
        for p in _report(imported_draft)["problemes"]
        if p["champ"] == "partenaires[0].organisation"
    )
    assert (organisation["ligne"], organisation["mentions"]) == (10, 2)
    root = shutil.copytree(imported_draft, tmp_path / "sans-parties")
    override = root / "templates" / "wording" / "convention.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "fsdocs/wording/convention.html.j2" %}\n'
        "{% block parties %}{% endblock %}\n{% block signatures %}{% endblock %}\n",
        "utf-8",
    )
    organisation = next(
        p for p in _report(root)["problemes"] if p["champ"] == "partenaires[0].organisation"
    )
    assert organisation == {
        "fichier": "signatories/partenaires.yaml",
        "ligne": 10,
        "colonne": None,
        "champ": "partenaires[0].organisation",
        "message": "à compléter (« ~ ») ; ne s’imprime dans aucun document",
        "gravite": "avertissement",
        "article": None,
        "regle": None,
        "groupe": "signataires",
        "mentions": 0,
    }


def test_a_rule_that_the_documents_print_keeps_its_article(imported_draft: Path) -> None:
    """No hours: the rule of art. 4.2 says so once, and counts among the facts to fill in."""
    report = _report(imported_draft)
    hours = [p for p in report["problemes"] if p["champ"] == "horaires"]
    assert len(hours) == 4
    assert all(
        (p["regle"], p["article"], p["groupe"], p["mentions"])
        == ("ouverture", "4.2", "structures", 1)
        for p in hours
    )


def test_strict_fails_on_any_fact_to_fill(imported_draft: Path) -> None:
    result = run_cli("controler", "--strict", "--projet", str(imported_draft))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Échec : 0 erreur, 95 avertissements (--strict : les avertissements sont des erreurs)."
    )


def test_the_default_prints_no_placeholder(built_default: Built) -> None:
    """79 « [à compléter] » in the documents of the 2020 default before the gate; none now."""
    pdfs = sorted((built_default.root / "output").glob("**/*.pdf"))
    assert len(pdfs) == 10
    assert all(PLACEHOLDER not in _read(pdf) for pdf in pdfs)
    report = _report(built_default.root)
    assert report["resume"] == {"erreurs": 0, "avertissements": 0, "a_completer": 0, "mentions": 0}
