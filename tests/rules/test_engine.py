"""The convention's rules (``fsdocs.rules.engine``) in ``fsdocs check``: message, line, article,
exit code.

Each case of ``tests/fixtures/rules/<case>/`` holds only the files that differ from the
embedded default; they are laid over a copy of it. The default passes its own gate (no
warning at all), so a case's output is its own findings; a case that writes referents.yaml
without some partner adds that partner's « aucun référent ».
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from fsdocs.errors import Problem, ProjectError, Severity
from fsdocs.rules.checked import load_project
from fsdocs.rules.engine import REGLES
from tests.conftest import REPO, copy_default_project, run_cli, supply_national_pdfs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
SEED = Path(__file__).resolve().parents[1] / "seed" / "convention-loir-et-cher-2020.ocr.txt"

# The default's signatories: id, line in signatories/partenaires.yaml, organisation.
SIGNATORIES = (
    ("tribunal-judiciaire-blois", 5, "le Tribunal judiciaire de Blois"),
    ("ddfip-41", 14, "la Direction départementale des Finances publiques de Loir-et-Cher"),
    ("pole-emploi-41", 23, "Pôle emploi"),
    ("la-poste-41", 32, "La Poste"),
    (
        "carsat-centre-val-de-loire",
        41,
        "la Caisse d'assurance retraite et de la santé au travail Centre-Val de Loire",
    ),
    ("msa-berry-touraine", 55, "la Mutualité sociale agricole Berry-Touraine"),
    ("caf-41", 64, "la Caisse d'allocations familiales de Loir-et-Cher"),
    ("cpam-41", 78, "la Caisse primaire d'assurance maladie de Loir-et-Cher"),
)
NO_REFERENT = {
    ident: f"signatories/partenaires.yaml:{line}: partenaires[{i}]: avertissement : aucun "
    f"référent désigné par {organisation} : ajoutez dans annexes/referents.yaml, sous "
    f"« referents: », la clé « {ident}: » avec au moins une personne joignable par téléphone "
    "et par courriel directs [art. 5.2.1]"
    for i, (ident, line, organisation) in enumerate(SIGNATORIES)
}
TODO_LINE = "avertissement : à compléter (s’imprime « [à compléter] »)"
# A key left « ~ » that no document prints (a referent's civility: Annexe 6 prints names).
UNPRINTED_LINE = "avertissement : à compléter (« ~ ») ; ne s’imprime dans aucun document"
PROBLEM_LINE = re.compile(r"^[\w./-]+\.yaml(?::\d+)?: ")


def located(output: str) -> list[str]:
    """The located lines of a report (not its counts by kind, nor its titles), in order."""
    return [line for line in output.splitlines() if PROBLEM_LINE.match(line)]


def in_order(lines: list[str]) -> list[str]:
    """``lines`` as fsdocs prints problems: by file, then line, then key path."""

    def where(line: str) -> tuple[str, int, str]:
        found = re.match(r"([^:]+):(?:(\d+):)? ?([^\s:]*):", line)
        assert found is not None
        return found.group(1), int(found.group(2) or 0), found.group(3)

    return sorted(lines, key=where)


SALBRIS = "annexes/structures/salbris.yaml"
MINIMUM = (
    "l’équipement minimal de toute France services comprend un accès à internet, un "
    "ordinateur, une imprimante/scanner, un photocopieur et un téléphone [art. 4.3]"
)
VISIO = (
    f"{SALBRIS}:29: equipements.visioconference: avertissement : pas d’équipement de "
    "visioconférence (France services Salbris) : il est obligatoire dans toute France services "
    "depuis le 31 décembre 2022 [art. 4.3]"
)
TODO = TODO_LINE


@dataclass(frozen=True)
class Case:
    lines: list[str]  # the case's own findings
    summary: str
    exit_code: int = 0
    # Findings of the default's own files the case brings out (a partner left without
    # referent when the case writes referents.yaml).
    defaults: tuple[str, ...] = ()


def hours(count: str, days: str, where: str = SALBRIS, line: int = 13) -> str:
    name = "Bus France services Mer" if "bus" in where else "France services Salbris"
    key = "arrets" if "bus" in where else "horaires"
    return (
        f"{where}:{line}: {key}: avertissement : ouverte {count} sur {days} par semaine "
        f"({name}) : la convention demande au moins 24 h réparties sur au moins 5 jours "
        "[art. 4.2]"
    )


CASES: dict[str, Case] = {
    # --- art. 4.2: hours
    "under-24-hours-over-4-days": Case(
        [hours("19 h 30", "4 jours")], "Projet valide : 0 erreur, 1 avertissement."
    ),
    "enough-hours-over-4-days": Case(
        [hours("32 h", "4 jours")], "Projet valide : 0 erreur, 1 avertissement."
    ),
    "five-days-under-24-hours": Case(
        [hours("20 h", "5 jours")], "Projet valide : 0 erreur, 1 avertissement."
    ),
    "exactly-24-hours-over-5-days": Case([], "Projet valide : 0 erreur, 0 avertissement."),
    "no-opening-hours": Case(
        [
            # No « horaires: » line to point at: the structure's first key.
            f"{SALBRIS}:4: horaires: avertissement : aucun horaire d’ouverture (France services "
            "Salbris) : indiquez sous « horaires: » les créneaux de chaque jour (au moins 24 h "
            "réparties sur au moins 5 jours) [art. 4.2]"
        ],
        "Projet valide : 0 erreur, 1 avertissement.",
    ),
    # Mardi 09:00-12:00 and 11:00-12:30 overlap (two stops): 3 h 30, not 4 h 30.
    "bus-stops-under-24-hours": Case(
        [hours("9 h 30", "2 jours", "annexes/structures/bus-beauce-val-de-loire.yaml")],
        "Projet valide : 0 erreur, 1 avertissement.",
    ),
    # --- art. 4.2: contact
    "no-email-nor-form": Case(
        [
            f"{SALBRIS}:4: courriel: avertissement : ni courriel ni formulaire de contact "
            "(France services Salbris) : tout usager doit pouvoir écrire à la structure ; "
            "ajoutez « courriel: » ou « formulaire: » [art. 4.2]"
        ],
        "Projet valide : 0 erreur, 1 avertissement.",
    ),
    "contact-form-only": Case([], "Projet valide : 0 erreur, 0 avertissement."),
    # --- art. 4.3: equipment and premises (visio: false, but a 2020 convention)
    "premises-below-minimum": Case(
        [
            f"{SALBRIS}:26: equipements.imprimante_scanner: avertissement : pas "
            f"d’imprimante/scanner (France services Salbris) : {MINIMUM}",
            f"{SALBRIS}:27: equipements.photocopieur: avertissement : pas de photocopieur "
            f"(France services Salbris) : {MINIMUM}",
            f"{SALBRIS}:30: accessibilite_pmr: avertissement : locaux non accessibles aux "
            "personnes à mobilité réduite (France services Salbris) : ils doivent l’être "
            "[art. 4.3]",
            f"{SALBRIS}:31: espace_confidentiel: avertissement : pas d’espace confidentiel "
            "(France services Salbris) : toute France services doit en comporter un [art. 4.3]",
        ],
        "Projet valide : 0 erreur, 4 avertissements.",
    ),
    # « ~ » is « à compléter », once, never also a rule's finding.
    "equipment-left-to-fill": Case(
        [
            f"{SALBRIS}:26: equipements.imprimante_scanner: {TODO}",
            f"{SALBRIS}:29: equipements.visioconference: {TODO}",
            f"{SALBRIS}:31: espace_confidentiel: {TODO}",
        ],
        "Projet valide : 0 erreur, 3 avertissements.",
    ),
    "no-visio-convention-signed-2022-12-30": Case([], "Projet valide : 0 erreur, 0 avertissement."),
    "no-visio-convention-signed-2022-12-31": Case(
        [VISIO], "Projet valide : 0 erreur, 1 avertissement."
    ),
    # Signed in 2024: the signing date, not the labelling date, names the partners.
    "no-visio-convention-signed-2024": Case(
        [
            VISIO,
            "signatories/partenaires.yaml:23: partenaires[2]: avertissement : « Pôle emploi » "
            "s’appelle « France Travail » depuis le 1er\xa0janvier 2024 : mettez le nom à jour",
        ],
        "Projet valide : 0 erreur, 2 avertissements.",
    ),
    "no-visio-structure-labelled-2023": Case([VISIO], "Projet valide : 0 erreur, 1 avertissement."),
    # --- art. 2.2: an error, on the line of the entry that takes the CAF out of Salbris
    "national-partner-absent-from-structure": Case(
        [
            "annexes/offres/caf-41.yaml:11: offres.salbris.agents_formes: partenaire national "
            "« Caisse d’allocations familiales » absent de cette structure (France services "
            "Salbris) : « agents_formes: false » sans permanence, rendez-vous ni "
            "visioconférence ; chaque partenaire national doit être présent dans chaque France "
            "services : décrivez sa permanence, ses rendez-vous ou sa visioconférence, ou "
            "retirez « agents_formes: false » [art. 2.2]"
        ],
        "Échec : 1 erreur, 0 avertissement.",
        exit_code=1,
    ),
    "national-partner-by-appointment-or-visio": Case(
        [], "Projet valide : 0 erreur, 0 avertissement."
    ),
    # --- art. 5.2.1: referents
    "every-partner-has-a-referent": Case([], "Projet valide : 0 erreur, 0 avertissement."),
    "referents-incomplete": Case(
        [
            "annexes/referents.yaml:4: referents.caf-41[0]: avertissement : Claire Martin n’a "
            "pas de courriel direct : un référent doit être joignable par téléphone et par "
            "courriel directs ; renseignez « courriel: » [art. 5.2.1]",
            "annexes/referents.yaml:10: referents.cpam-41[0]: avertissement : Paul Durand n’a ni "
            "téléphone ni courriel directs : un référent doit être joignable par téléphone et "
            "par courriel directs ; renseignez « telephone: » et « courriel: » [art. 5.2.1]",
            # An empty list: reported where it is written, not in partenaires.yaml.
            "annexes/referents.yaml:14: referents.msa-berry-touraine: avertissement : aucun "
            "référent désigné par la Mutualité sociale agricole Berry-Touraine : ajoutez au "
            "moins une personne joignable par téléphone et par courriel directs [art. 5.2.1]",
            "annexes/referents.yaml:23: referents.ddfip-41[0]: avertissement : le référent "
            "n° 1 n’a pas de téléphone direct : un référent doit être joignable par téléphone "
            "et par courriel directs ; renseignez « telephone: » [art. 5.2.1]",
            # Annexe 6 prints names, not civilities: a civility left « ~ » prints nowhere.
            f"annexes/referents.yaml:23: referents.ddfip-41[0].civilite: {UNPRINTED_LINE}",
            *(
                f"annexes/referents.yaml:{line}: referents.ddfip-41[0].{key}: {TODO_LINE}"
                for line, key in enumerate(("prenom", "nom", "fonction"), start=24)
            ),
            # Each referent must be reachable, even when a colleague is.
            "annexes/referents.yaml:29: referents.tribunal-judiciaire-blois[0]: avertissement : "
            "Léa Bernard n’a pas de courriel direct : un référent doit être joignable par "
            "téléphone et par courriel directs ; renseignez « courriel: » [art. 5.2.1]",
        ],
        "Projet valide : 0 erreur, 11 avertissements.",
        defaults=(
            NO_REFERENT["pole-emploi-41"],
            NO_REFERENT["carsat-centre-val-de-loire"],
        ),
    ),
    # Only the local partner that offers something needs a referent (not the ADIL); and a local
    # partner absent from a structure (« agents_formes: false ») is no breach of art. 2.2.
    "local-partner-with-offer-needs-referent": Case(
        [
            "annexes/partenaires-locaux.yaml:5: partenaires_locaux[1]: avertissement : aucun "
            "référent désigné par la Mission locale du Blaisois : ajoutez dans "
            "annexes/referents.yaml, sous « referents: », la clé « mission-locale-blaisois: » "
            "avec au moins une personne joignable par téléphone et par courriel directs "
            "[art. 5.2.1]"
        ],
        "Projet valide : 0 erreur, 1 avertissement.",
    ),
}


def make_case(name: str, tmp_path: Path) -> Path:
    """The default project with the case's files laid over it."""
    root = copy_default_project(tmp_path / "projet")
    case = FIXTURES / name
    for path in sorted(case.rglob("*")):
        if path.is_file():
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def expected(case: Case) -> list[str]:
    return in_order([*case.lines, *case.defaults])


def test_every_fixture_has_its_expected_messages() -> None:
    on_disk = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_case_gets_exact_messages_and_exit_code(case: str, tmp_path: Path) -> None:
    root = make_case(case, tmp_path)
    result = run_cli("check", "--projet", str(root))
    out, other = (
        (result.stdout, result.stderr)
        if result.exit_code == 0
        else (
            result.stderr,
            result.stdout,
        )
    )
    # Grouped by kind in the report; compared here in file order.
    assert in_order(located(out)) == expected(CASES[case])
    assert out.splitlines()[-1] == CASES[case].summary
    assert other == ""
    assert result.exit_code == CASES[case].exit_code


def test_default_project_passes_its_own_gate(default_project: Path) -> None:
    result = run_cli("check", "--strict", "--projet", str(default_project))
    assert result.stdout.splitlines() == ["Projet valide : 0 erreur, 0 avertissement."]
    assert result.exit_code == 0
    # The helper that writes the lines below is itself checked against one written out.
    assert NO_REFERENT["caf-41"] == (
        "signatories/partenaires.yaml:64: partenaires[6]: avertissement : aucun référent "
        "désigné par la Caisse d'allocations familiales de Loir-et-Cher : ajoutez dans "
        "annexes/referents.yaml, sous « referents: », la clé « caf-41: » avec au moins une "
        "personne joignable par téléphone et par courriel directs [art. 5.2.1]"
    )


# --- the problems carry their rule ------------------------------------------------------------


def test_findings_carry_article_rule_and_severity(tmp_path: Path) -> None:
    root = make_case("premises-below-minimum", tmp_path)
    found = {(p.path, p.regle, p.article, p.severity) for p in load_project(root).warnings}
    assert found >= {
        ("equipements.imprimante_scanner", "equipement", "4.3", Severity.WARNING),
        ("accessibilite_pmr", "accessibilite-pmr", "4.3", Severity.WARNING),
        ("espace_confidentiel", "espace-confidentiel", "4.3", Severity.WARNING),
    }


def test_a_rule_error_stops_load_project_so_build_refuses(tmp_path: Path) -> None:
    root = make_case("national-partner-absent-from-structure", tmp_path)
    with pytest.raises(ProjectError) as caught:
        load_project(root)
    errors = [p for p in caught.value.problems if p.severity is Severity.ERROR]
    assert [(p.file, p.line, p.regle, p.article) for p in errors] == [
        ("annexes/offres/caf-41.yaml", 11, "partenaires-nationaux", "2.2")
    ]
    result = run_cli("build", "--projet", str(root))
    assert result.exit_code == 1
    assert "absent de cette structure (France services Salbris)" in result.stderr
    assert not (root / "output").exists()


def test_build_reports_the_rule_warnings(tmp_path: Path) -> None:
    # The whole build but WeasyPrint's layout: what is checked here is what build reports.
    root = make_case("under-24-hours-over-4-days", tmp_path)
    result = run_cli("build", "--convention", "--formats", "docx,html", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert located(result.stderr) == [hours("19 h 30", "4 jours")]
    assert "1 avertissement(s)" in result.stdout


def test_existing_messages_keep_their_format() -> None:
    plain = Problem("f.yaml", 3, "nom", "texte vide", Severity.WARNING)
    assert str(plain) == "f.yaml:3: nom: avertissement : texte vide"
    ruled = replace(plain, article="4.2", regle="ouverture")
    assert str(ruled) == "f.yaml:3: nom: avertissement : texte vide [art. 4.2]"
    assert str(replace(ruled, severity=Severity.ERROR)) == "f.yaml:3: nom: texte vide [art. 4.2]"


# --- --format json ----------------------------------------------------------------------------

KEYS = {
    "fichier",
    "ligne",
    "colonne",
    "champ",
    "message",
    "gravite",
    "article",
    "regle",
    "groupe",
    "mentions",
}


def from_json(item: dict[str, Any]) -> Problem:
    return Problem(
        item["fichier"],
        item["ligne"],
        item["champ"] or "",
        item["message"],
        Severity(item["gravite"]),
        item["colonne"],
        item["article"],
        item["regle"],
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_gives_the_same_findings_as_the_text(case: str, tmp_path: Path) -> None:
    root = make_case(case, tmp_path)
    text = run_cli("check", "--projet", str(root))
    result = run_cli("check", "--format", "json", "--projet", str(root))
    assert result.exit_code == text.exit_code
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert all(set(item) == KEYS for item in report["problemes"])
    lines = [str(from_json(item)) for item in report["problemes"]]
    assert lines == expected(CASES[case])
    summary = re.search(r"(\d+) erreurs?, (\d+) avertissements?", CASES[case].summary)
    assert summary is not None
    to_fill = [item for item in report["problemes"] if item["groupe"]]
    assert report["resume"] == {
        "erreurs": int(summary.group(1)),
        "avertissements": int(summary.group(2)),
        "a_completer": len(to_fill),
        "mentions": sum(item["mentions"] for item in to_fill),
    }
    assert report["valide"] is (text.exit_code == 0)
    assert report["strict"] is False
    assert report["erreur"] is None


def test_json_lists_the_rules_checked(tmp_path: Path) -> None:
    root = make_case("referents-incomplete", tmp_path)
    report = json.loads(run_cli("check", "--format", "json", "-C", str(root)).stdout)
    assert report["regles"] == [
        {
            "regle": r.id,
            "article": r.article,
            "gravite": r.gravite.value,
            "description": r.description,
        }
        for r in REGLES
    ]
    first = report["problemes"][0]
    assert first == {
        "fichier": "annexes/referents.yaml",
        "ligne": 4,
        "colonne": None,
        "champ": "referents.caf-41[0]",
        "message": "Claire Martin n’a pas de courriel direct : un référent doit être joignable "
        "par téléphone et par courriel directs ; renseignez « courriel: »",
        "gravite": "avertissement",
        "article": "5.2.1",
        "regle": "referents",
        # A rule's finding that the annex prints « [à compléter] » is also a fact to fill in.
        "groupe": "referents",
        "mentions": 1,
    }


def test_json_of_a_validation_error_has_no_article(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    path = root / "signatories" / "prefet.yaml"
    path.write_text(path.read_text("utf-8").replace("prenom:", "prenon:"), "utf-8")
    result = run_cli("check", "--format", "json", "--projet", str(root))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valide"] is False
    assert report["resume"] == {
        "erreurs": 1,
        "avertissements": 0,
        "a_completer": 0,
        "mentions": 0,
    }
    assert report["problemes"] == [
        {
            "fichier": "signatories/prefet.yaml",
            "ligne": 4,
            "colonne": None,
            "champ": "prefet.prenon",
            "message": "clé « prenon » inconnue : vouliez-vous dire « prenom » ?",
            "gravite": "erreur",
            "article": None,
            "regle": None,
            "groupe": None,
            "mentions": 0,
        }
    ]


def test_json_without_a_project_says_why(tmp_path: Path) -> None:
    result = run_cli("check", "--format", "json", "--projet", str(tmp_path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valide"] is False
    assert report["problemes"] == []
    assert report["erreur"].startswith(f"aucun projet fsdocs dans « {tmp_path.resolve()} »")


# --- --strict ---------------------------------------------------------------------------------


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    root = make_case("no-visio-structure-labelled-2023", tmp_path)
    result = run_cli("check", "--strict", "--projet", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert located(result.stderr) == [VISIO]
    assert result.stderr.splitlines()[-1] == (
        "Échec : 0 erreur, 1 avertissement (--strict : les avertissements sont des erreurs)."
    )
    report = json.loads(run_cli("check", "--strict", "--format", "json", "-C", str(root)).stdout)
    assert report["valide"] is False and report["strict"] is True


def test_strict_passes_without_warnings(tmp_path: Path) -> None:
    root = make_case("every-partner-has-a-referent", tmp_path)
    supply_national_pdfs(root)
    result = run_cli("check", "--strict", "--projet", str(root))
    assert result.stdout == "Projet valide : 0 erreur, 0 avertissement.\n"
    assert result.exit_code == 0
    result = run_cli("check", "--strict", "--format", "json", "--projet", str(root))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valide"] is True


# --- personal data ----------------------------------------------------------------------------


def test_messages_never_quote_a_referents_phone_or_email(tmp_path: Path) -> None:
    root = make_case("referents-incomplete", tmp_path)
    referents = (root / "annexes" / "referents.yaml").read_text("utf-8")
    contacts = re.findall(r"(?:telephone|courriel): (.+)", referents)
    assert len(contacts) == 7
    outputs = [
        run_cli("-v", "check", "--projet", str(root)).output,
        run_cli("check", "--format", "json", "--projet", str(root)).output,
        run_cli("check", "--strict", "--projet", str(root)).output,
    ]
    for output in outputs:
        assert "Claire Martin n’a pas de courriel direct" in output
        for contact in contacts:
            assert contact not in output
            assert contact.replace(" ", "") not in output.replace(" ", "")


# --- the registry -----------------------------------------------------------------------------


def test_every_rule_names_an_article_of_the_seed() -> None:
    seed = SEED.read_text("utf-8")
    assert len({r.id for r in REGLES}) == len(REGLES)
    for regle in REGLES:
        assert re.search(rf"^{re.escape(regle.article)} \w", seed, re.MULTILINE), regle.id
        assert regle.description and "\n" not in regle.description


def test_only_article_2_2_is_an_error() -> None:
    severities = {r.id: r.gravite for r in REGLES}
    assert [i for i, s in severities.items() if s is Severity.ERROR] == ["partenaires-nationaux"]


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Règles vérifiées", 1)[1].split("\n## ", 1)[0]
    for regle in REGLES:
        row = next((line for line in section.splitlines() if f"`{regle.id}`" in line), "")
        assert f"| {regle.article} |" in row, regle.id
        assert regle.gravite.value in row, regle.id
    assert "--format json" in readme
    assert "--strict" in readme


# --- hours, against an independent count ------------------------------------------------------


DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def random_week(rng: random.Random) -> list[list[tuple[int, int]]]:
    """Each day: up to two slots, as (start, end) minutes, apart from each other."""
    week = []
    for _ in DAYS:
        bounds = sorted(rng.sample(range(6 * 60, 20 * 60), rng.choice((0, 0, 2, 2, 4))))
        week.append(list(zip(bounds[::2], bounds[1::2], strict=True)))
    return week


# The same weeks on every run; a few chosen so that the boundaries are reached.
WEEKS = [random_week(random.Random(seed)) for seed in range(30)] + [
    [[(540, 828)]] * 5 + [[], []],  # 24 h over 5 days exactly
    [[(540, 828)]] * 4 + [[(540, 827)], [], []],  # a minute short
    [[(480, 1200)]] * 2 + [[], [], [], [], []],  # 24 h over 2 days
    [[]] * 7,
]


@pytest.mark.parametrize("week", WEEKS)
def test_hours_warning_agrees_with_an_independent_count(
    week: list[list[tuple[int, int]]], tmp_path: Path
) -> None:
    lines, minutes, days = [], 0, 0
    for day, pairs in zip(DAYS, week, strict=True):
        if pairs:
            slots = " / ".join(
                f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in pairs
            )
            lines.append(f"  {day}: {slots}")
            minutes += sum(b - a for a, b in pairs)
            days += 1
    root = copy_default_project(tmp_path / "projet")
    path = root / SALBRIS
    text = re.sub(
        r"horaires:\n(  .*\n)+",
        "horaires:\n" + "".join(f"{x}\n" for x in lines),
        path.read_text("utf-8"),
    )
    if not lines:
        text = text.replace("horaires:\n", "horaires: {}\n")
    path.write_text(text, "utf-8")
    found = [p for p in load_project(root).warnings if p.regle == "ouverture"]
    short = minutes < 24 * 60 or days < 5
    assert len(found) == short
    if not minutes:
        assert found[0].message.startswith("aucun horaire d’ouverture (France services Salbris)")
    elif short:
        h, m = divmod(minutes, 60)
        total = f"{h} h {m:02d}" if m else f"{h} h"
        assert (
            f"ouverte {total} sur {days} jour{'s' if days > 1 else ''} par semaine"
            in found[0].message
        )
