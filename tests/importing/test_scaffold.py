"""``fsdocs init``: a new project that checks, builds, and shows every missing fact.

Every one of the 101 départements is initialised, checked and built to PDF, DOCX and HTML
through the CLI (about 75 s of the suite: WeasyPrint's layout, a second or so each).
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from fsdocs.errors import InitError
from fsdocs.importing.scaffold import init_project
from fsdocs.production.build import build
from fsdocs.project.schema import KINDS
from tests.conftest import copy_default_project, run_cli, supply_national_pdfs
from tests.importing.meeting import run_together
from tests.project.test_departements import EXPECTED_FORMS
from tests.readback import docx_body, normalize, pdf_body
from tests.rules.test_engine import located

PLACEHOLDER = "[à compléter]"
FILES = [
    "signatories/prefet.yaml",
    "signatories/gestionnaires.yaml",
    "signatories/partenaires.yaml",
    "signatories/temoins.yaml",
    "annexes/structures/structure-1.yaml",
    "convention.yaml",
]
SCHEMAS = {
    "convention.yaml": "# yaml-language-server: $schema=.schemas/convention.schema.json",
    "signatories/prefet.yaml": "# yaml-language-server: $schema=../.schemas/prefet.schema.json",
    "signatories/gestionnaires.yaml": (
        "# yaml-language-server: $schema=../.schemas/gestionnaires.schema.json"
    ),
    "signatories/partenaires.yaml": (
        "# yaml-language-server: $schema=../.schemas/partenaires.schema.json"
    ),
    "signatories/temoins.yaml": "# yaml-language-server: $schema=../.schemas/temoins.schema.json",
    "annexes/structures/structure-1.yaml": (
        "# yaml-language-server: $schema=../../.schemas/structure.schema.json"
    ),
}
PDF_CODES = sorted(EXPECTED_FORMS)
# The signing national partners and the office fsdocs proposes, before and after 2024-01-01.
OFFICES_2020 = [
    "Directeur territorial de Pôle emploi",
    "Directeur de la Caisse primaire d’assurance maladie",
    "Directeur général de la Mutualité sociale agricole",
    "Directeur de la Caisse d’allocations familiales",
    "Directeur de la Caisse d’assurance retraite et de la santé au travail",
    "Directeur départemental des Finances publiques",
    "Délégué régional du groupe La Poste",
    "Président du Tribunal judiciaire",
]
OFFICES_2024 = ["Directeur territorial de France Travail", *OFFICES_2020[1:]]


def _init(target: Path, code: str = "41", day: str = "2024-03-01") -> None:
    result = run_cli("init", str(target), "--departement", code, "--date", day)
    assert result.exit_code == 0, result.output


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _todo_lines(root: Path) -> set[tuple[str, int]]:
    """(file, line) of every line the scaffold marked « # à compléter »."""
    return {
        (name, number)
        for name in FILES
        for number, line in enumerate((root / name).read_text("utf-8").splitlines(), start=1)
        if "# à compléter" in line
    }


# --- the files ---------------------------------------------------------------------------


def test_init_writes_every_file_with_its_schema_line(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "p"), "--departement", "37", "--date", "2024-03-01")
    assert result.exit_code == 0, result.output
    root = tmp_path / "p"
    schemas = [f".schemas/{kind}.schema.json" for kind in KINDS]
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == sorted(FILES + schemas)
    for name, line in SCHEMAS.items():
        assert (root / name).read_text("utf-8").splitlines()[0] == line
        target = (root / name).parent / line.split("$schema=", 1)[1]
        assert target.is_file(), f"{name}: le schéma {target} n’existe pas"
    assert [line for line in result.stdout.splitlines() if line.startswith("créé : ")] == [
        f"créé : {root / name}" for name in FILES
    ] + [f"créé : {root / name}" for name in schemas]


def test_every_null_is_commented_a_completer(tmp_path: Path) -> None:
    _init(tmp_path / "p")
    for name in FILES:
        for line in (tmp_path / "p" / name).read_text("utf-8").splitlines():
            if re.search(r":\s+~(\s|$)", line):
                assert "  # à compléter" in line, f"{name}: {line}"


def test_convention_sets_departement_date_and_annexes(tmp_path: Path) -> None:
    _init(tmp_path / "p", code="2a", day="2021-09-15")
    data = yaml.safe_load((tmp_path / "p" / "convention.yaml").read_text("utf-8"))
    repository = yaml.safe_load(
        (copy_default_project(tmp_path / "d") / "convention.yaml").read_text()
    )
    assert data["departement"] == "2A"
    assert data["labellisation"] == date(2021, 9, 15)
    assert data["signature"] == {"lieu": None, "date": None}
    # The same annexes (the default joins its national annexes by reference; a new project
    # has still to supply them).
    assert [a["id"] for a in data["annexes"]] == [a["id"] for a in repository["annexes"]]
    assert all(set(a) == {"id"} for a in data["annexes"])
    assert data["duree"] == {"tacite_reconduction": True}


@pytest.mark.parametrize(
    ("day", "offices"), [("2020-01-01", OFFICES_2020), ("2024-03-01", OFFICES_2024)]
)
def test_partners_in_force_are_listed_with_their_office(
    tmp_path: Path, day: str, offices: list[str]
) -> None:
    _init(tmp_path / "p", day=day)
    data = yaml.safe_load((tmp_path / "p" / "signatories" / "partenaires.yaml").read_text("utf-8"))
    entries = data["partenaires"]
    # The usual office is no data of the project: it prints from the catalogue at the signing
    # date unless a « fonction » is written; the file only shows it in a comment.
    text = (tmp_path / "p" / "signatories" / "partenaires.yaml").read_text("utf-8")
    shown = re.findall(r"à la date de création : « (.+) »\.$", text, re.MULTILINE)
    assert shown == offices
    assert [e["partenaire"] for e in entries] == [
        "france-travail", "cpam", "msa", "caf", "carsat", "dgfip", "la-poste", "justice"
    ]  # fmt: skip
    for entry in entries:
        assert entry["organisation"] is None
        assert entry["representant"] == dict.fromkeys(("civilite", "prenom", "nom"))


# --- check --------------------------------------------------------------------------------


# The keys of the structure that init does not write and its page prints « [à compléter] »
# for: the gate names them too.
ABSENT_KEYS = [
    f"annexes/structures/structure-1.yaml:4: {key}: avertissement : « {key}: » absent : "
    f"s’imprime « [à compléter] » ; ajoutez « {key}: … »"
    for key in ("labellisation", "rendez_vous", "telephone")
] + [
    "annexes/structures/structure-1.yaml:4: agents: avertissement : aucun agent France "
    "services nommé : la page de la structure imprime « Agents France services [à compléter] "
    "» ; ajoutez sous « agents: » chaque agent (« prenom: », « nom: », « fonction: ») ou, faute "
    "de noms, leur « nombre: » et leur « fonction: »"
]


def test_check_lists_every_placeholder_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _init(root)
    result = run_cli("check", "--projet", str(root))
    assert result.exit_code == 0, result.output
    lines = located(result.stdout)
    assert result.stdout.splitlines()[-1] == "Projet valide : 0 erreur, 72 avertissements."
    # Besides the placeholders, the convention's rules (tests/rules/test_engine.py): the structure's
    # hours and contact, and a referent for each of the 8 partners, which init does not write;
    # and the national documents of annexes 1 to 3, whose PDFs init cannot supply.
    rules = [line for line in lines if "[art. " in line]
    national = [line for line in lines if "(document national) non fournie" in line]
    assert len(rules) == 10
    assert national == [
        f"convention.yaml:{15 + i}: annexes[{i}]: avertissement : annexe {i + 1} (document "
        "national) non fournie : son intercalaire imprime « [à compléter] » ; indiquez son PDF "
        "avec « fichier: … », ou, pour la joindre par référence, où la consulter avec "
        "« reference: … »"
        for i in range(3)
    ]
    absent = [line for line in lines if line in ABSENT_KEYS]
    assert sorted(absent) == sorted(ABSENT_KEYS)
    placeholders = [
        line for line in lines if line not in rules and line not in national and line not in absent
    ]
    warned = set()
    for line in placeholders:
        match = re.fullmatch(
            r"([\w/.-]+):(\d+): ([\w.\[\]]+): avertissement : à compléter\b.*",
            line,
        )
        assert match, line
        warned.add((match.group(1), int(match.group(2))))
    assert len(warned) == len(placeholders) == 55
    assert warned == _todo_lines(root)
    assert "convention.yaml:10: signature.lieu: avertissement : à compléter" in result.stdout
    assert "signatories/prefet.yaml:4: prefet.civilite: avertissement" in result.stdout
    assert "annexes/structures/structure-1.yaml:5: appellation: avertissement" in result.stdout


def test_filled_project_has_no_warning_left(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _init(root, code="18", day="2024-03-01")
    for name in FILES:
        path = root / name
        text = path.read_text("utf-8")
        text = text.replace("date: ~  # à compléter : AAAA-MM-JJ", "date: 2024-04-02")
        text = text.replace("~  # à compléter : true ou false", "true")
        text = text.replace("code_postal: ~  # à compléter", 'code_postal: "18000"')
        text = text.replace("~  # à compléter : Monsieur ou Madame", "Madame")
        text = re.sub(r"~  # à compléter.*", "Valeur", text)
        path.write_text(text, "utf-8")
    supply_national_pdfs(root)
    result = run_cli("check", "--projet", str(root))
    assert result.exit_code == 0, result.output
    # No « ~ » left, the national PDFs supplied; only the convention's rules on what init does
    # not write (hours, contact, referents), checked in tests/rules/test_engine.py, and the
    # structure's keys init does not write, which its page prints « [à compléter] ».
    lines = located(result.stdout)
    assert result.stdout.splitlines()[-1] == "Projet valide : 0 erreur, 14 avertissements."
    assert sorted(line for line in lines if "[art. " not in line) == sorted(ABSENT_KEYS)
    assert len(lines) == 14


def _init_warnings(code: str) -> int:
    """72 where eight partners sign; overseas, the CGSS (971 to 974) or the CSSM (976) signs
    once for several of them, leaving six signatories, five facts to fill fewer for each."""
    return 62 if code in {"971", "972", "973", "974", "976"} else 72


@pytest.mark.parametrize("code", sorted(EXPECTED_FORMS))
def test_init_then_check_for_every_departement(tmp_path: Path, code: str) -> None:
    root = tmp_path / code
    _init(root, code=code)
    result = run_cli("check", "--projet", str(root))
    assert result.exit_code == 0, result.output
    warnings = _init_warnings(code)
    assert result.stdout.splitlines()[-1] == f"Projet valide : 0 erreur, {warnings} avertissements."
    assert f"Convention départementale France services {EXPECTED_FORMS[code]}, créée" in (
        root / "convention.yaml"
    ).read_text("utf-8")


# --- build --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(EXPECTED_FORMS))
def test_init_then_build_html_and_docx_for_every_departement(tmp_path: Path, code: str) -> None:
    # The whole build except WeasyPrint's layout, which the PDF tests below exercise.
    root = tmp_path / code
    init_project(root, code, date(2024, 3, 1))
    build(root, formats=("docx", "html"))
    form = EXPECTED_FORMS[code]
    docx = docx_body(root / "output" / "convention.docx")
    html = normalize(re.sub(r"<[^>]+>", "", (root / "output" / "convention.html").read_text()))
    for text in (docx, html):
        assert f"Département {form} Entre, L’État représenté par" in text
        assert f", Préfet {form}, et les gestionnaires" in text
        assert f"Le Préfet {form}" in text
        assert PLACEHOLDER in text
    assert docx.count(PLACEHOLDER) == html.count(PLACEHOLDER)


@pytest.mark.parametrize("code", PDF_CODES)
def test_init_then_build_pdf(tmp_path: Path, code: str) -> None:
    root = tmp_path / code
    _init(root, code=code)
    result = run_cli("build", "--convention", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert f"{_init_warnings(code)} avertissement(s)" in result.stdout
    form = EXPECTED_FORMS[code]
    pdf = pdf_body(
        root / "output" / "convention.pdf", f"Convention départementale France services {form}"
    )
    docx = docx_body(root / "output" / "convention.docx")
    assert f"Département {form} Entre, L’État représenté par" in pdf
    assert f"Préfet {form}, et les gestionnaires" in pdf
    assert f"Le Préfet {form}" in pdf
    assert pdf.count(PLACEHOLDER) == docx.count(PLACEHOLDER) > 0


@pytest.mark.parametrize(
    ("day", "now", "before"),
    [
        ("2024-03-01", "France Travail", "Pôle emploi"),
        ("2020-01-01", "Pôle emploi", "France Travail"),
    ],
)
def test_partner_names_follow_the_date(tmp_path: Path, day: str, now: str, before: str) -> None:
    root = tmp_path / "p"
    _init(root, day=day)
    result = run_cli("build", "--convention", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert "s’appelle" not in result.output
    pdf = pdf_body(
        root / "output" / "convention.pdf",
        "Convention départementale France services de Loir-et-Cher",
    )
    assert f"Directeur territorial de {now}" in pdf
    assert f"partenaires de France services ({now}, CPAM," in pdf
    assert before not in pdf
    assert before not in docx_body(root / "output" / "convention.docx")


# --- refusals -----------------------------------------------------------------------------


def test_init_refuses_an_existing_project_and_leaves_it_untouched(tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "p")
    before = _snapshot(root)
    result = run_cli("init", str(root), "--departement", "18", "--date", "2024-03-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Erreur : un projet existe déjà dans « {root} »")
    assert "Traceback" not in result.output
    assert _snapshot(root) == before


def test_init_refuses_to_overwrite_any_file(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "signatories").mkdir(parents=True)
    (root / "signatories" / "prefet.yaml").write_text("mes notes\n", "utf-8")
    before = _snapshot(root)
    result = run_cli("init", str(root), "--departement", "18")
    assert result.exit_code == 1
    assert "contient déjà signatories/prefet.yaml : rien n’a été modifié" in result.stderr
    assert _snapshot(root) == before


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("975", r"« 97[46] » \((La Réunion|Mayotte)\)"), ("411", r"« 41 » \(Loir-et-Cher\)")],
)
def test_unknown_departement_is_refused_in_french(tmp_path: Path, typed: str, hint: str) -> None:
    result = run_cli("init", str(tmp_path / "p"), "--departement", typed)
    assert result.exit_code == 1
    assert re.fullmatch(
        f"Erreur : département « {typed} » inconnu : donnez son code INSEE "
        f"\\(ex. « 41 », « 2A », « 974 »\\). Vouliez-vous dire {hint} \\?\n",
        result.stderr,
    ), result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "p").exists()


def test_invalid_date_is_refused(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "p"), "--departement", "41", "--date", "2024-02-30")
    assert result.exit_code == 2
    assert not (tmp_path / "p").exists()


def test_an_interrupted_init_leaves_no_project_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = Path.replace
    done: list[Path] = []

    def failing_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if len(done) == 3:
            raise OSError(28, "No space left on device")
        done.append(Path(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    root = tmp_path / "p"
    with pytest.raises(InitError, match="écriture impossible"):
        init_project(root, "41", date(2024, 3, 1))
    assert len(done) == 3
    assert not root.exists()


def test_an_interrupted_init_keeps_what_was_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    (root / "signatories").mkdir(parents=True)
    (root / "notes.txt").write_text("à garder\n", "utf-8")
    before = _snapshot(root)

    def failing_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target).name == "convention.yaml":
            raise OSError(13, "Permission denied")
        return real_replace(self, target)

    real_replace = Path.replace
    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(InitError, match="Permission denied ; rien n’a été créé"):
        init_project(root, "41", date(2024, 3, 1))
    assert _snapshot(root) == before
    assert sorted(p.name for p in root.rglob("*")) == ["notes.txt", "signatories"]


def test_init_refuses_a_file_as_target(tmp_path: Path) -> None:
    target = tmp_path / "convention"
    target.write_text("pas un dossier\n", "utf-8")
    assert run_cli("init", str(target), "--departement", "41").exit_code == 2  # click refuses
    with pytest.raises(InitError, match="existe et n’est pas un dossier"):
        init_project(target, "41", date(2024, 3, 1))
    assert target.read_text("utf-8") == "pas un dossier\n"


def test_two_creer_at_once_in_one_folder_make_one_whole_project(tmp_path: Path) -> None:
    """Two real « fsdocs creer » of two départements in one new folder, meeting just before
    writing (tests/importing/meeting.py): the folder is held from its check to its last file,
    so one creates its project and the other finds it and refuses — never a mix of both."""
    commands = [
        ["creer", "projet", "--departement", code, "--date", "2024-03-01"] for code in ("41", "37")
    ]
    results = run_together(
        tmp_path / "rendez-vous", "fsdocs.importing.scaffold:_write_all", commands, tmp_path
    )
    codes = [result.returncode for result in results]
    assert sorted(codes) == [0, 1], [result.stderr for result in results]
    refused = results[codes.index(1)]
    assert (refused.stdout, refused.stderr) == (
        "",
        "Erreur : un projet existe déjà dans « projet » (convention.yaml présent) : rien n’a "
        "été modifié. Choisissez un dossier vide ou nouveau.\n",
    )
    _init(tmp_path / "seul", ("41", "37")[codes.index(0)])
    assert _files(tmp_path / "projet") == _files(tmp_path / "seul")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
