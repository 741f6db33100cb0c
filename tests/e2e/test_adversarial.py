"""Adversarial corpus: hostile or absurd input ends in a French, located refusal that writes
nothing, or in a correct document.

Small cases are overlays in ``tests/e2e/adversarial/<case>/``, laid over the default project like
``tests/fixtures/invalid/`` (``make_case``). Inputs that are large (50 Mo, 10,000 levels, an
alias bomb) or that a Windows checkout could not hold (a device, ``con.yaml``) are generated
into ``tmp_path`` by the test itself. Each case is named for what it proves.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from pydantic import BaseModel

from fsdocs.project.annexes_model import OffresFile, StructureFile
from fsdocs.project.fields import MAX_TEXT
from fsdocs.project.load import parse_yaml
from fsdocs.project.paths import OFFRES, STRUCTURES
from fsdocs.project.project import FILES
from fsdocs.project.validate import validate
from fsdocs.project.yaml_nodes import MAX_ALIASES, MAX_DEPTH
from tests.conftest import RUNNING_HEADER, copy_default_project, run_cli
from tests.project.test_check import make_case
from tests.readback import docx_text, normalize, pdf_body, pdftotext

CORPUS = Path(__file__).resolve().parent / "adversarial"
FAILED_1 = "Échec : 1 erreur, 0 avertissement."
PREVIOUS = b"version precedente, a garder intacte"


def _tags_refused(tag: str) -> str:
    return (
        f"étiquette YAML « {tag} » refusée : fsdocs ne lit que du texte, des nombres, des dates, "
        "des listes et des clés ; supprimez l’étiquette (ce qui commence par « ! »)"
    )


def _bad_id(value: str) -> str:
    return (
        f"identifiant « {value} » invalide : lettres minuscules sans accent, chiffres et tirets "
        "uniquement (ex. « cc-beauce-val-de-loire »)"
    )


def _invisible(code: str) -> str:
    return f"caractère invisible ou de contrôle interdit (U+{code}) : retapez ce texte"


def _blank(codes: str) -> str:
    return (
        f"texte invisible : seulement des espaces ou des caractères invisibles ({codes}) ; "
        "écrivez une valeur, ou « ~ » si elle reste à compléter"
    )


def _not_utf8(where: str, byte: str, looks: str) -> str:
    return (
        f"{where}: octet 0x{byte}{looks} illisible : le fichier n’est pas enregistré en UTF-8 ; "
        "réenregistrez-le en UTF-8 depuis votre éditeur"
    )


_REFUSED_RESOURCE = "Erreur : ressource refusée (seuls les fichiers des modèles du projet sont "
_REFUSED_RESOURCE += "autorisés) : "

# Overlay case → the exact stderr of ``fsdocs check`` and of ``fsdocs build`` (the same lines).
DATA_REFUSED: dict[str, list[str]] = {
    # The tag is refused before anything is built: os.system never runs.
    "yaml-python-tag-runs-nothing": [
        "signatories/temoins.yaml:4: temoins[0].nom: "
        + _tags_refused("!!python/object/apply:os.system"),
        FAILED_1,
    ],
    "duplicate-day-in-opening-hours": [
        "annexes/structures/blois.yaml:18: horaires.lundi: clé « lundi » en double (déjà écrite "
        "ligne 14) : une clé ne s’écrit qu’une fois par bloc ; supprimez ou renommez l’une des "
        "deux",
        FAILED_1,
    ],
    "tab-indenting-a-nested-block": [
        "annexes/structures/blois.yaml:24:1: tabulation trouvée : YAML n’accepte que des espaces "
        "pour indenter ; remplacez la tabulation par des espaces",
        FAILED_1,
    ],
    # Notepad's « Unicode »: the first byte of its byte order mark is where reading stops.
    "utf16-file-from-notepad": [
        _not_utf8("signatories/prefet.yaml:1:1", "FF", " (« ÿ » en Windows-1252)"),
        FAILED_1,
    ],
    "latin1-accent-in-a-structure": [
        # « août », in a comment: the place is exact even there.
        _not_utf8("annexes/structures/blois.yaml:3:12", "FB", " (« û » en Windows-1252)"),
        FAILED_1,
    ],
    "empty-structure-file": [
        "annexes/structures/blois.yaml: fichier vide (ou seulement des commentaires) : il doit "
        "contenir les clés « nom: », « appellation: », « commune: » et « gestionnaire: »",
        FAILED_1,
    ],
    "list-instead-of-mapping-in-a-structure": [
        "annexes/structures/blois.yaml:1: attendu : des clés, à commencer par les clés « nom: », "
        "« appellation: », « commune: » et « gestionnaire: » ; trouvé : une liste (« - »). "
        "Écrivez les clés en début de ligne, sans tiret devant",
        FAILED_1,
    ],
    # U+202E would print « Rousset » reversed on paper, from text that reads otherwise.
    "bidi-override-in-a-name": [
        "signatories/prefet.yaml:5: prefet.nom: " + _invisible("202E"),
        FAILED_1,
    ],
    "bidi-isolate-in-an-organisation": [
        "signatories/gestionnaires.yaml:21: gestionnaires[2].organisation: " + _invisible("2067"),
        FAILED_1,
    ],
    # A raw ESC would clear the terminal of whoever prints the file: refused where it stands.
    "terminal-escape-sequence-in-a-file": [
        "signatories/prefet.yaml:5:15: caractère de contrôle U+001B interdit : supprimez-le (il "
        "est invisible et vient souvent d’un copier-coller)",
        FAILED_1,
    ],
    "escaped-control-character-in-a-name": [
        "signatories/prefet.yaml:4: prefet.prenom: " + _invisible("0007"),
        FAILED_1,
    ],
    # Zero-width spaces print as nothing, yet the name is not empty: refused like an empty one.
    "zero-width-spaces-as-a-structure-name": [
        "annexes/structures/blois.yaml:5: nom: " + _blank("U+200B"),
        FAILED_1,
    ],
    "word-joiner-and-nbsp-as-an-organisation": [
        "signatories/gestionnaires.yaml:21: gestionnaires[2].organisation: "
        + _blank("U+2060, U+00A0"),
        FAILED_1,
    ],
    "nbsp-only-as-a-prefet-name": [
        "signatories/prefet.yaml:5: prefet.nom: texte vide : écrivez une valeur, ou « ~ » si "
        "elle reste à compléter",
        FAILED_1,
    ],
    "windows-reserved-signatory-id": [
        "signatories/gestionnaires.yaml:28: gestionnaires[3].id: identifiant « con » réservé : "
        "Windows ne peut pas créer de fichier à ce nom (CON, PRN, AUX, NUL, COM1 à COM9, LPT1 "
        "à LPT9) ; choisissez-en un autre",
        FAILED_1,
    ],
    "path-traversal-in-ids": [
        "annexes/referents.yaml:8: referents.../../tmp/x: " + _bad_id("../../tmp/x"),
        "annexes/structures/blois.yaml:9: gestionnaire: " + _bad_id("..\\..\\windows\\system32"),
        "signatories/gestionnaires.yaml:28: gestionnaires[3].id: " + _bad_id("../../etc/passwd"),
        "Échec : 3 erreurs, 0 avertissement.",
    ],
}

# Overlay case → the exact stderr of ``fsdocs build --convention`` (the data is valid).
TEMPLATE_REFUSED: dict[str, list[str]] = {
    "template-image-over-http": [_REFUSED_RESOURCE + "http://example.invalid/logo.png"],
    "template-attaches-etc-passwd": [_REFUSED_RESOURCE + "file:///etc/passwd"],
    "stylesheet-imports-etc-passwd": [_REFUSED_RESOURCE + "file:///etc/passwd"],
    "stylesheet-reads-a-project-file-outside-templates": [
        _REFUSED_RESOURCE + "file://{root}/convention.yaml"
    ],
    "template-includes-a-path-outside": [
        "Erreur : modèle introuvable : ../../../../../../etc/passwd"
    ],
    "template-includes-an-absolute-path": ["Erreur : modèle introuvable : /etc/passwd"],
    # A project's template is sandboxed: it prints values, it does not run commands.
    "template-reaches-python-internals": [
        "Erreur : wording/convention.html.j2 : l’accès à « __init__ » est refusé : un modèle "
        "affiche des valeurs, il n’atteint pas les rouages de Python"
    ],
}


def _snapshot(root: Path) -> dict[str, bytes]:
    out = root / "output"
    # The documents, not the build cache (output/.cache): a refused build may have kept the
    # layout of parts it rendered before the refusal, which never reaches a document.
    if not out.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _previous_build(root: Path) -> dict[str, bytes]:
    """Outputs of an earlier build, which a refused build must leave byte for byte."""
    out = root / "output"
    out.mkdir()
    for name in ("convention.pdf", "convention.docx", "convention.html"):
        (out / name).write_bytes(PREVIOUS)
    return _snapshot(root)


def _refused(root: Path, command: list[str], expected: list[str]) -> None:
    before = _previous_build(root) if command[0] == "build" else None
    result = run_cli(*command, "--projet", str(root))
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""
    assert result.exit_code == 1
    if before is not None:
        assert _snapshot(root) == before
        assert not list(root.rglob(".*.tmp"))


def test_every_overlay_has_its_expectation() -> None:
    on_disk = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert on_disk == set(DATA_REFUSED) | set(TEMPLATE_REFUSED) | {"utf8-bom-is-accepted"}


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", sorted(DATA_REFUSED))
def test_hostile_data_is_refused_with_a_located_french_message(
    case: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where « touch fsdocs-pwned » would land
    root = make_case(case, tmp_path, CORPUS)
    _refused(root, [command], DATA_REFUSED[case])
    assert not (tmp_path / "fsdocs-pwned").exists()


@pytest.mark.parametrize("case", sorted(TEMPLATE_REFUSED))
def test_hostile_templates_are_refused_and_write_nothing(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = make_case(case, tmp_path, CORPUS)
    expected = [line.format(root=root) for line in TEMPLATE_REFUSED[case]]
    _refused(root, ["build", "--convention"], expected)
    assert not (tmp_path / "fsdocs-pwned").exists()


def test_utf8_bom_is_accepted_and_reads_like_without(tmp_path: Path) -> None:
    """Windows editors write a byte order mark: it is not part of the first key."""
    plain = run_cli("check", "--projet", str(copy_default_project(tmp_path / "sans")))
    with_bom = run_cli(
        "check", "--projet", str(make_case("utf8-bom-is-accepted", tmp_path, CORPUS))
    )
    assert with_bom.exit_code == 0
    assert with_bom.stdout == plain.stdout
    assert with_bom.stdout.splitlines()[-1].startswith("Projet valide : 0 erreur")


# Generated cases: too large, or unportable as files in a repository.


def _alias_bomb(root: Path) -> None:
    """The « billion laughs »: 9 levels of 10 aliases would expand to 10**9 values."""
    lines = ["a0: &a0 [rire, rire, rire, rire, rire, rire, rire, rire, rire, rire]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    (root / "signatories" / "temoins.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def _fifty_megabytes(root: Path) -> None:
    with (root / "annexes" / "structures" / "blois.yaml").open("ab") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: written in no time, read never


def _nested_10000_deep(root: Path) -> None:
    path = root / "signatories" / "temoins.yaml"
    path.write_text("temoins: " + "[" * 10_000 + "]" * 10_000 + "\n", "utf-8")


def _device_as_structure(root: Path) -> None:
    (root / "annexes" / "structures" / "zero.yaml").symlink_to("/dev/zero")  # never ends


def _pipe_as_structure(root: Path) -> None:
    os.mkfifo(root / "annexes" / "structures" / "tube.yaml")  # would block for ever


def _windows_reserved_file_names(root: Path) -> None:
    structures = root / "annexes" / "structures"
    for name in ("con.yaml", "aux.yaml", "NUL.yaml", "COM1.yaml"):
        shutil.copyfile(structures / "blois.yaml", structures / name)


def _dots_and_backslashes_in_a_file_name(root: Path) -> None:
    structures = root / "annexes" / "structures"
    shutil.copyfile(structures / "blois.yaml", structures / "..\\..\\evil.yaml")


def _text_over_the_limit(root: Path) -> None:
    path = root / "signatories" / "gestionnaires.yaml"
    text = path.read_text("utf-8")
    old = "organisation: la communauté de communes Collines du Perche"
    path.write_text(text.replace(old, "organisation: " + "x" * (MAX_TEXT + 1)), "utf-8")


def _file_name_message(name: str, hint: str = "") -> str:
    return (
        f"annexes/structures/{name}: nom de fichier « {name} » invalide : il sert d’identifiant "
        "à la structure et ne doit contenir que des minuscules sans accent, des chiffres et des "
        f"tirets{hint}"
    )


def _reserved_message(name: str) -> str:
    stem = name.removesuffix(".yaml").lower()
    return (
        f"annexes/structures/{name}: nom de fichier « {name} » réservé : Windows ne peut pas "
        f"créer de fichier à ce nom ; renommez-le, par exemple « structure-{stem}.yaml »"
    )


GENERATED: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "yaml-alias-bomb-stops-at-the-alias-limit": (
        _alias_bomb,
        [
            f"signatories/temoins.yaml:4:10: a3[0]: plus de {MAX_ALIASES} alias « * » : lecture "
            "arrêtée ; les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : recopiez "
            "la valeur à chaque endroit où elle sert",
            FAILED_1,
        ],
    ),
    "file-of-50-mo-is-not-read": (
        _fifty_megabytes,
        [
            "annexes/structures/blois.yaml: fichier trop volumineux : 50,0 Mo, la limite est "
            "1 Mo ; un fichier de convention fait quelques kilo-octets : vérifiez qu’il s’agit du "
            "bon fichier",
            FAILED_1,
        ],
    ),
    "nesting-10000-deep-stops-at-the-depth-limit": (
        _nested_10000_deep,
        [
            f"signatories/temoins.yaml:1:{10 + MAX_DEPTH}: temoins: imbrication trop profonde : "
            f"plus de {MAX_DEPTH} niveaux de listes ou de blocs (une convention en demande au "
            "plus 5) ; vérifiez les « [ », « { » et l’indentation",
            FAILED_1,
        ],
    ),
    "link-to-a-device-as-a-structure-file-is-not-read": (
        _device_as_structure,
        [
            "annexes/structures/zero.yaml: mène hors du projet (chemin ou lien symbolique) : "
            "refusé ; copiez le fichier dans le dossier du projet",
            FAILED_1,
        ],
    ),
    "named-pipe-as-a-structure-file-is-not-read": (
        _pipe_as_structure,
        [
            "annexes/structures/tube.yaml: ce n’est pas un fichier ordinaire (périphérique, tube "
            "ou socket) : remplacez-le par un vrai fichier",
            FAILED_1,
        ],
    ),
    "windows-reserved-structure-file-names": (
        _windows_reserved_file_names,
        [
            _reserved_message("COM1.yaml"),
            _reserved_message("NUL.yaml"),
            _reserved_message("aux.yaml"),
            _reserved_message("con.yaml"),
            "Échec : 4 erreurs, 0 avertissement.",
        ],
    ),
    "dots-and-backslashes-in-a-structure-file-name": (
        _dots_and_backslashes_in_a_file_name,
        [
            _file_name_message("..\\..\\evil.yaml", " ; renommez-le « evil.yaml »"),
            FAILED_1,
        ],
    ),
    "text-over-the-length-limit": (
        _text_over_the_limit,
        [
            "signatories/gestionnaires.yaml:13: gestionnaires[1].organisation: texte trop long "
            f"({MAX_TEXT + 1} caractères, au plus {MAX_TEXT}) : abrégez-le",
            FAILED_1,
        ],
    ),
}


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_hostile_input_is_refused_fast(case: str, command: str, tmp_path: Path) -> None:
    root = copy_default_project(tmp_path / "projet")
    generate, expected = GENERATED[case]
    generate(root)
    _refused(root, [command], expected)


def test_structure_option_cannot_name_a_path(default_project: Path) -> None:
    _refused(
        default_project,
        ["build", "--annexe", "4", "--structure", "../../convention"],
        [
            "Erreur : structure « ../../convention » inconnue ; structures : blois, "
            "bus-beauce-val-de-loire, mondoubleau, salbris"
        ],
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("template-symlinked-outside", "wording/convention.html.j2"),
        ("template-folder-symlinked-outside", "html"),
        ("font-symlinked-to-etc-passwd", "assets/fonts/Inter-Regular.otf"),
    ],
)
def test_a_symlink_in_templates_leading_outside_is_refused(
    name: str, make: str, tmp_path: Path
) -> None:
    root = copy_default_project(tmp_path / "projet")
    link = root / "templates" / make
    link.parent.mkdir(parents=True)
    if make == "html":
        outside = tmp_path / "ailleurs"
        shutil.copytree(Path(__file__).resolve().parents[2] / "templates" / "html", outside)
        expected = f"Erreur : {link}/convention.css pointe hors du dossier des modèles : refusé"
    elif make.endswith(".j2"):
        outside = tmp_path / "ailleurs.html.j2"
        outside.write_text("<p>dehors</p>\n", "utf-8")
        expected = (
            f"Erreur : le modèle « {make} » pointe hors du dossier des modèles ({outside}) : refusé"
        )
    else:
        outside = Path("/etc/passwd")
        expected = (
            f"Erreur : le fichier « {make} » des modèles pointe hors du dossier des modèles "
            f"({outside}) : refusé"
        )
    link.symlink_to(outside)
    _refused(root, ["build", "--convention"], [expected])


# Documents that must come out right.

MARKUP = "{{ 7*7 }} {% raw %}<b>gras</b> <script>alert(1)</script>"
XML = 'A & B <C> "D" l\'E &amp; ]]>'
MARKER = re.compile(r"X(\d{3})X")


def _project_files(root: Path) -> Iterator[tuple[Path, type[BaseModel]]]:
    for name, model in FILES.items():
        if (root / name).is_file():
            yield root / name, model
    for folder, model in ((STRUCTURES, StructureFile), (OFFRES, OffresFile)):
        for path in sorted((root / folder).glob("*.yaml")):
            yield path, model


def _text_leaves(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _text_leaves(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _text_leaves(value, (*loc, i))
    elif isinstance(data, str):
        yield loc


def _set(data: Any, loc: tuple[Any, ...], value: str) -> None:
    for step in loc[:-1]:
        data = data[step]
    data[loc[-1]] = value


def _hostile_in_every_text_field(root: Path, payload: str) -> int:
    """Append ``X<n>X payload`` to every free-text value the model accepts it in (not to
    identifiers, e-mails, phones, hours or choices); the number of fields changed."""
    count = 0
    for path, model in _project_files(root):
        source, problems = parse_yaml(path.read_bytes(), path.name)
        assert source is not None and problems == []
        data = source.data
        for loc in list(_text_leaves(data)):
            if loc == ("departement",):
                continue  # a code, checked against the list of départements
            if model is StructureFile and loc == ("nom",):
                continue  # see test_a_long_structure_name_fits_the_docx_title
            original = data
            for step in loc:
                original = original[step]
            _set(data, loc, f"{original} X{count:03d}X {payload}")
            if validate(model, type(source)(path.name, data))[1]:
                _set(data, loc, original)  # not free text
            else:
                count += 1
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return count


def _markers(text: str) -> set[str]:
    return set(MARKER.findall(text))


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The default project with markup, template syntax and XML specials in every text field."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1580990400")
    root = copy_default_project(tmp_path_factory.mktemp("hostile") / "projet")
    count = _hostile_in_every_text_field(root, f"{MARKUP} {XML}")
    result = run_cli("build", "--projet", str(root))
    mp.undo()
    assert result.exit_code == 0, result.output
    return root / "output", count


def _squashed(text: str) -> str:
    """Without any space: a PDF line may wrap anywhere, even inside « </b> »."""
    return "".join(text.split())


# Running headers, footers, and list markers (drawn after the page's text, alone on a line).
_PAGE_FURNITURE = re.compile(rf"^({re.escape(RUNNING_HEADER)}.*|Page \d+ sur \d+|–)$")


def _pdf_squashed(pdf: Path) -> str:
    """The PDF's text without what layout adds inside a field's text, squashed."""
    lines = pdftotext(pdf).splitlines()
    return _squashed(
        "\n".join(line for line in lines if not _PAGE_FURNITURE.match(normalize(line)))
    )


def test_markup_and_template_syntax_in_every_text_field_print_literally(
    hostile_build: tuple[Path, int],
) -> None:
    out, count = hostile_build
    printed_pdf: set[str] = set()
    printed_docx: set[str] = set()
    for pdf in sorted(out.glob("**/*.pdf")):
        pdf_text = _pdf_squashed(pdf)
        docx_flat = docx_text(pdf.with_suffix(".docx"))
        for number in _markers(pdf_text):
            assert _squashed(f"X{number}X {MARKUP}") in pdf_text, (pdf.name, number)
            printed_pdf.add(number)
        for number in _markers(docx_flat):
            assert f"X{number}X {MARKUP}" in docx_flat, (pdf.name, number)
            printed_docx.add(number)
        html = pdf.with_suffix(".html").read_text("utf-8")
        assert "<script>" not in html and "<b>gras" not in html
        if _markers(docx_flat):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert printed_pdf == printed_docx  # one wording, two formats
    assert " 49 " not in docx_flat
    assert len(printed_pdf) >= 0.6 * count, (sorted(printed_pdf), count)


def test_xml_special_characters_in_every_field_print_as_typed_in_the_docx(
    hostile_build: tuple[Path, int],
) -> None:
    # As typed, through French typography (README): "D" → « D », l'E → l’E, and a narrow
    # space before « ; » — in the PDF as in the DOCX; nothing is unescaped or lost.
    typed = "A & B <C> « D » l’E &amp ; ]]>"
    out, _ = hostile_build
    seen = 0
    for document in sorted(out.glob("*.docx")):
        text = docx_text(document)
        for number in _markers(text):
            assert f"X{number}X {MARKUP} {typed}" in text, (document.name, number)
            seen += 1
        pdf = _pdf_squashed(document.with_suffix(".pdf"))
        assert pdf.count(_squashed(typed)) == text.count(typed), document.name
    assert seen > 0


def test_a_2000_character_organisation_name_wraps_inside_the_page(tmp_path: Path) -> None:
    """Words, then a run of 300 letters without a space: both must wrap, nothing is cut."""
    words = "la communauté de communes des Collines du Perche et du Val de Loire réunis "
    name = (words * 13)[:1000] + " " + "Z" * 300 + " " + words * 13
    name = name[: MAX_TEXT - 4].rstrip().ljust(MAX_TEXT - 4, "s") + " fin"
    assert len(name) == MAX_TEXT
    root = copy_default_project(tmp_path / "projet")
    path = root / "signatories" / "gestionnaires.yaml"
    text = path.read_text("utf-8")
    old = "organisation: la communauté de communes Collines du Perche"
    path.write_text(text.replace(old, f"organisation: {name}"), "utf-8")

    result = run_cli("build", "--annexe", "4", "--structure", "mondoubleau", "--projet", str(root))
    assert result.exit_code == 0, result.output

    pdf = root / "output" / "structures" / "annexe-4-mondoubleau.pdf"
    flat = "".join(pdf_body(pdf, "").split()).casefold()  # « La communauté… » in the table
    assert "".join(name.split()).casefold() in flat
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    words_drawn = 0
    for width, height, body in pages:
        for found in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', body
        ):
            x_min, y_min, x_max, y_max = map(float, found.groups())
            assert 0 <= x_min <= x_max <= float(width), found.group()
            assert 0 <= y_min <= y_max <= float(height), found.group()
            words_drawn += 1
    assert words_drawn > 300


def test_a_long_structure_name_fits_the_docx_title(tmp_path: Path) -> None:
    # ANCT's longest names reach 97 characters; 110 is valid for the model.
    root = copy_default_project(tmp_path / "projet")
    path = root / "annexes" / "structures" / "blois.yaml"
    text = path.read_text("utf-8")
    old = "nom: France services Blois"
    path.write_text(text.replace(old, "nom: France services " + "de Blois " * 10), "utf-8")
    result = run_cli("build", "--annexe", "4", "--structure", "blois", "--projet", str(root))
    assert result.exit_code == 0, result.output
    title = docx.Document(
        str(root / "output" / "structures" / "annexe-4-blois.docx")
    ).core_properties.title
    assert len(title) == 255 and title.endswith("…")
    assert title.startswith("Annexe 4 – Modalités de gestion")
