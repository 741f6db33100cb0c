"""Annexes 5, 6 and 8 (offers, referents, partners × structures) built from fixture projects
and read back from the PDF and the DOCX.

What each annex should say is computed here from the YAML files themselves, with PyYAML and
a few lines of rules written out again, never with fsdocs' own views.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from pypdf import PdfReader

from fsdocs.wording.annexe_tableau import COLONNES_PAYSAGE, COLONNES_PORTRAIT, disposition
from tests.conftest import RUNNING_HEADER, SOURCE_DATE_EPOCH, copy_default_project, run_cli
from tests.readback import docx_tables, docx_text, normalize, pdf_body, pdftotext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annexes"
OFFERS_FIXTURE = FIXTURES / "offres-referents-partenaire-local"
PLACEHOLDER = "[à compléter]"
ABSENT = "—"
SOCLE = "Offre du socle : démarches accompagnées par les agents France services formés."

# The default's signatories as the annexes name them, written out rather than computed:
# Annexes 5 and 6 name the organisation, Annexe 8 the national partner's short name.
NAMES = {
    "tribunal-judiciaire-blois": "Tribunal judiciaire de Blois",
    "ddfip-41": "Direction départementale des Finances publiques de Loir-et-Cher",
    "pole-emploi-41": "Pôle emploi",
    "la-poste-41": "La Poste",
    "carsat-centre-val-de-loire": (
        "Caisse d’assurance retraite et de la santé au travail Centre-Val de Loire"
    ),
    "msa-berry-touraine": "Mutualité sociale agricole Berry-Touraine",
    "caf-41": "Caisse d’allocations familiales de Loir-et-Cher",
    "cpam-41": "Caisse primaire d’assurance maladie de Loir-et-Cher",
}
SHORT = {
    "tribunal-judiciaire-blois": "Ministère de la Justice",
    "ddfip-41": "DDFiP",
    "pole-emploi-41": "Pôle emploi",
    "la-poste-41": "La Poste",
    "carsat-centre-val-de-loire": "CARSAT",
    "msa-berry-touraine": "MSA",
    "caf-41": "CAF",
    "cpam-41": "CPAM",
}
# The ministère de l'Intérieur is a national partner the Préfet represents: it signs nothing
# but is present in every structure through the trained agents (art. 2.2).
INTERIEUR = "Ministère de l’Intérieur"


def _header(numero: int) -> str:
    return f"{RUNNING_HEADER} – Annexe {numero}"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


# --- the data, read independently -------------------------------------------------------------


class Data:
    """What a project's files say, read with PyYAML."""

    def __init__(self, root: Path, local: Path | None = None) -> None:
        self.signatories = [
            p["id"] for p in _yaml(root / "signatories/partenaires.yaml")["partenaires"]
        ]
        files = sorted((root / "annexes/structures").glob("*.yaml"))
        self.structures = [(f.stem, _yaml(f)["nom"]) for f in files]
        self.offers: dict[str, dict[str, Any]] = {
            f.stem: _yaml(f)["offres"] for f in sorted((root / "annexes/offres").glob("*.yaml"))
        }
        referents = root / "annexes/referents.yaml"
        self.referents: dict[str, list[dict[str, Any]]] = (
            _yaml(referents)["referents"] if referents.is_file() else {}
        )
        self.locals: list[dict[str, Any]] = []
        if local is not None:
            self.locals = _yaml(local / "partenaires-locaux.yaml")["partenaires_locaux"]
            for f in (local / "offres").glob("*.yaml"):
                self.offers[f.stem] = _yaml(f)["offres"]
            self.referents |= _yaml(local / "referents.yaml")["referents"]

    def partners(self) -> list[tuple[str, str, bool]]:
        """(id, Annexe 8 label, national) in the annexes' order."""
        return [
            *((pid, SHORT[pid], True) for pid in self.signatories),
            ("interieur", INTERIEUR, True),
            *((p["id"], p["court"], False) for p in self.locals),
        ]

    def codes(self, partner: str, national: bool, structure: str) -> str:
        """Annexe 8's cell: art. 2.2 for a national partner without entry, else the entry."""
        entry = self.offers.get(partner, {}).get(structure)
        if entry is None:
            return "A" if national else ABSENT
        present = [
            ("A", entry.get("agents_formes", True)),
            ("P", bool(entry.get("permanences"))),
            ("V", bool(entry.get("visio"))),
            ("R", bool(entry.get("rendez_vous"))),
        ]
        return " ".join(code for code, there in present if there) or ABSENT


def _build_with_local_partners(root: Path, local: Path, annexes: tuple[int, ...]) -> None:
    """Add a local partner's files to the project, then build as a user would."""
    target = root / "annexes"
    shutil.copy(local / "partenaires-locaux.yaml", target / "partenaires-locaux.yaml")
    for offer in (local / "offres").glob("*.yaml"):
        shutil.copy(offer, target / "offres" / offer.name)
    merged = (
        _yaml(target / "referents.yaml")["referents"] | _yaml(local / "referents.yaml")["referents"]
    )
    (target / "referents.yaml").write_text(
        yaml.safe_dump({"referents": merged}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    for numero in annexes:
        result = run_cli("build", "--projet", str(root), "--annexe", str(numero))
        assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def offers_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default with offers, referents and a local partner: Annexes 5, 6 and 8 built."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        root = copy_default_project(tmp_path_factory.mktemp("offres") / "projet")
        shutil.copytree(OFFERS_FIXTURE / "annexes", root / "annexes", dirs_exist_ok=True)
        _build_with_local_partners(root, OFFERS_FIXTURE / "partenaire-local", (5, 6, 8))
        yield root


@pytest.fixture(scope="module")
def default_annexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The embedded default, Annexes 5 and 6 only (through the command line)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        root = copy_default_project(tmp_path_factory.mktemp("defaut") / "projet")
        for numero in ("5", "6"):
            result = run_cli("build", "--projet", str(root), "--annexe", numero)
            assert result.exit_code == 0, result.output
        yield root


def _offers_data(root: Path) -> Data:
    return Data(root, OFFERS_FIXTURE / "partenaire-local")


# --- Annexe 8 ---------------------------------------------------------------------------------


def _in_order(text: str, pieces: list[str]) -> None:
    """Each piece occurs in ``text``, after the previous one."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"absent (ou dans le désordre) : {piece!r}"
        at = found + len(piece)


def test_annex_8_has_a_row_per_partner_and_a_column_per_structure(offers_project: Path) -> None:
    data = _offers_data(offers_project)
    partners = data.partners()
    assert len(partners) == 8 + 1 + 1  # signatories, the Intérieur, the local partner
    expected = [
        ["Partenaire", *(nom for _, nom in data.structures)],
        *(
            [label, *(data.codes(pid, national, sid) for sid, _ in data.structures)]
            for pid, label, national in partners
        ),
    ]
    # The fixture makes every kind of cell: base offer, P, V, R, a local partner's absence.
    cells = {cell for row in expected[1:] for cell in row[1:]}
    assert {"A", "A P", "A V", "A V R", "P", ABSENT} <= cells

    out = offers_project / "output"
    tables = docx_tables(out / "annexe-8.docx")
    assert len(tables) == 1
    assert [[normalize(cell) for cell in row] for row in tables[0]] == expected

    body = pdf_body(out / "annexe-8.pdf", _header(8))
    _in_order(body, [" ".join(row) for row in expected])
    page = PdfReader(out / "annexe-8.pdf").pages[0]
    assert page.mediabox.width < page.mediabox.height  # 4 structures: portrait


STRUCTURE_NAMES = [
    "Saint-Aignan",
    "Lamotte-Beuvron",
    "Herbault",
    "Mennetou-sur-Cher",
    "Beauce la Romaine",
    "Morée",
    "Droué",
    "Bracieux",
    "Neung-sur-Beuvron",
    "Montrichard Val de Cher",
    "Saint-Laurent-Nouan",
    "Romorantin-Lanthenay",
    "Vineuil",
    "Veuzain-sur-Loire",
    "Chailles",
    "Cour-Cheverny",
    "Montoire-sur-le-Loir",
    "Selles-sur-Cher",
    "Vendôme",
]


def _twenty_three_structures(root: Path) -> None:
    """Loir-et-Cher's 23 France services of 2024: 19 more files, copies of Salbris renamed."""
    model = (root / "annexes/structures/salbris.yaml").read_text("utf-8")
    model = re.sub(r"(?m)^anct: .*\n", "", model)
    for i, commune in enumerate(STRUCTURE_NAMES, start=5):
        text = re.sub(r"(?m)^nom: .*$", f"nom: France services de {commune}", model)
        text = re.sub(r"(?m)^appellation: .*$", f"appellation: de {commune}", text)
        text = re.sub(r"(?m)^commune: .*$", f"commune: {commune}", text)
        (root / f"annexes/structures/fs-{i:02d}.yaml").write_text(text, "utf-8")


def test_annex_8_of_23_structures_is_landscape_with_every_structure(
    default_project: Path,
) -> None:
    _twenty_three_structures(default_project)
    result = run_cli("build", "--projet", str(default_project), "--annexe", "8")
    assert result.exit_code == 0, result.output
    data = Data(default_project)
    assert len(data.structures) == 23
    partners = data.partners()
    out = default_project / "output"

    pages = PdfReader(out / "annexe-8.pdf").pages
    assert len(pages) >= 2
    assert all(page.mediabox.width > page.mediabox.height for page in pages)
    section = Document(str(out / "annexe-8.docx")).sections[0]
    assert section.page_width > section.page_height

    # More structures than partners: one row per structure, one column per partner.
    expected = [
        ["France services", *(label for _, label, _ in partners)],
        *(
            [nom, *(data.codes(pid, national, sid) for pid, _, national in partners)]
            for sid, nom in data.structures
        ),
    ]
    tables = docx_tables(out / "annexe-8.docx")
    assert [[normalize(c) for c in row] for row in tables[0]] == expected
    body = pdf_body(out / "annexe-8.pdf", _header(8))
    _in_order(body, [" ".join(row) for row in expected[1:]])
    for _, nom in data.structures:
        assert normalize(nom) in body


def test_annex_8_splits_its_columns_past_the_landscape_width(
    default_project: Path,
) -> None:
    """23 structures and 14 partners: the partner columns are shared between two tables,
    each on its own landscape page(s), each listing every structure."""
    _twenty_three_structures(default_project)
    local = default_project / "local"
    (local / "offres").mkdir(parents=True)
    (local / "partenaires-locaux.yaml").write_text(
        "partenaires_locaux:\n"
        + "".join(
            f"  - id: local-{i}\n    nom: l'association locale n° {i}\n    court: Asso {i}\n"
            for i in range(1, 6)
        ),
        "utf-8",
    )
    (local / "offres/local-1.yaml").write_text(
        "offres:\n  salbris:\n    agents_formes: false\n    rendez_vous: Sur rendez-vous\n",
        "utf-8",
    )
    (local / "referents.yaml").write_text("referents: {}\n", "utf-8")
    _build_with_local_partners(default_project, local, (8,))

    data = Data(default_project, local)
    partners = data.partners()
    assert len(partners) == 14 > COLONNES_PAYSAGE
    out = default_project / "output"
    tables = docx_tables(out / "annexe-8.docx")
    assert len(tables) == 2
    headers = [normalize(c) for table in tables for c in table[0][1:]]
    assert headers == [label for _, label, _ in partners]
    column = 0
    for table in tables:
        width = len(table[0]) - 1
        assert width <= COLONNES_PAYSAGE
        rows = [[normalize(c) for c in row] for row in table[1:]]
        assert rows == [
            [
                nom,
                *(
                    data.codes(pid, national, sid)
                    for pid, _, national in partners[column : column + width]
                ),
            ]
            for sid, nom in data.structures
        ]
        column += width
    salbris = next(row for row in tables[1] if row[0] == dict(data.structures)["salbris"])
    assert salbris[tables[1][0].index("Asso 1")] == "R"  # by appointment only

    # The second table starts a page of its own.
    pages = [normalize(page) for page in pdftotext(out / "annexe-8.pdf").split("\f")]
    second = next(page for page in pages if "Asso 1" in page)
    assert "DDFiP" not in second
    assert all(p.mediabox.width > p.mediabox.height for p in PdfReader(out / "annexe-8.pdf").pages)


@pytest.mark.parametrize(
    ("partners", "structures", "transpose", "landscape", "tables"),
    [
        (9, 4, False, False, [4]),  # the default: one column per structure, portrait
        (9, COLONNES_PORTRAIT, False, False, [COLONNES_PORTRAIT]),
        (9, COLONNES_PORTRAIT + 1, False, True, [COLONNES_PORTRAIT + 1]),
        (9, 23, True, True, [9]),  # Loir-et-Cher 2024: one row per structure
        (14, 70, True, True, [7, 7]),
        (10, 10, False, True, [10]),
        (30, 27, False, True, [9, 9, 9]),
    ],
)
def test_annex_8_layout_is_decided_by_size(
    partners: int, structures: int, transpose: bool, landscape: bool, tables: list[int]
) -> None:
    layout = disposition(partners, structures)
    assert layout.partenaires_en_colonnes is transpose
    assert layout.paysage is landscape
    assert [len(columns) for columns in layout.tables] == tables
    assert [i for columns in layout.tables for i in columns] == list(
        range(partners if transpose else structures)
    )


# --- Annexe 6 ---------------------------------------------------------------------------------


def _referent_rows(data: Data) -> list[list[str]]:
    rows: list[list[str]] = []
    names = NAMES | {p["id"]: "Mission locale du Blaisois" for p in data.locals}
    for pid in [*data.signatories, *(p["id"] for p in data.locals)]:
        people = data.referents.get(pid) or []
        if not people:
            rows.append([names[pid], f"{PLACEHOLDER} {PLACEHOLDER}", PLACEHOLDER, PLACEHOLDER])
        for person in people:
            rows.append(
                [
                    names[pid],
                    normalize(f"{person['prenom']} {person['nom']} {person['fonction']}"),
                    person["telephone"],
                    person["courriel"],
                ]
            )
    return rows


def test_annex_6_lists_each_referent_with_phone_and_email(offers_project: Path) -> None:
    data = _offers_data(offers_project)
    expected = _referent_rows(data)
    assert sum(PLACEHOLDER in row[2] for row in expected) == 6  # partners who named nobody
    out = offers_project / "output"
    (table,) = docx_tables(out / "annexe-6.docx")
    header = ["Partenaire", "Référent", "Téléphone direct", "Courriel direct"]
    assert [[normalize(c).replace("’", "'") for c in row] for row in table] == [
        header,
        *([cell.replace("’", "'") for cell in row] for row in expected),
    ]
    body = pdf_body(out / "annexe-6.pdf", _header(6)).replace("’", "'")
    _in_order(body, [" ".join(row).replace("’", "'") for row in [header, *expected]])


def test_annex_6_of_the_default_names_each_referent_by_function(default_annexes: Path) -> None:
    """The 2020 convention names no referent: each signatory's row gives the function, and
    its « coordonnees » across both contact columns, with no placeholder."""
    out = default_annexes / "output"
    data = Data(default_annexes)
    assert all(
        set(person) == {"fonction", "coordonnees"}
        for people in data.referents.values()
        for person in people
    )
    (table,) = docx_tables(out / "annexe-6.docx")
    assert [[normalize(cell) for cell in row] for row in table[1:]] == [
        [NAMES[pid], person["fonction"], person["coordonnees"]]
        for pid in data.signatories
        for person in data.referents[pid]
    ]
    assert PLACEHOLDER not in pdftotext(out / "annexe-6.pdf")


def test_annex_6_without_referents_shows_highlighted_rows_to_fill(tmp_path: Path) -> None:
    """Without referents.yaml, each signatory gets a row « [à compléter] », highlighted in the
    DOCX as in the PDF."""
    root = copy_default_project(tmp_path / "projet")
    (root / "annexes" / "referents.yaml").unlink()
    result = run_cli("build", "--projet", str(root), "--annexe", "6")
    assert result.exit_code == 0, result.output
    out = root / "output"
    data = Data(root)
    (table,) = docx_tables(out / "annexe-6.docx")
    assert [row[0] for row in table[1:]] == [NAMES[pid] for pid in data.signatories]
    assert all(
        row[1:] == [f"{PLACEHOLDER}\n{PLACEHOLDER}", PLACEHOLDER, PLACEHOLDER] for row in table[1:]
    )
    runs = [
        run
        for row in Document(str(out / "annexe-6.docx")).tables[0].rows[1:]
        for cell in row.cells[1:]
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    ]
    assert runs and all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in runs)
    assert pdftotext(out / "annexe-6.pdf").count(PLACEHOLDER) == 4 * len(data.signatories)


def _sixty_referents(root: Path) -> list[dict[str, str]]:
    """60 fictional referents (ARCEP's fiction numbers, example.org) over the 8 signatories."""
    signatories = Data(root).signatories
    people = []
    lines = ["referents:"]
    for k in range(60):
        pid = signatories[k * len(signatories) // 60]
        if not people or people[-1]["partner"] != pid:
            lines.append(f"  {pid}:")
        person = {
            "partner": pid,
            "name": f"Prénom{k:02d} Référent{k:02d}",
            "phone": f"01 99 00 {10 + k // 100:02d} {k % 100:02d}",
            "email": f"referent.{k:02d}@example.org",
            # Unique and long enough to wrap: a row cut in two would leave part of it behind.
            "function": f"Responsable n° {k:02d} des relations avec les France services",
        }
        people.append(person)
        first, last = person["name"].split()
        lines += [
            f"    - civilite: {'Madame' if k % 2 else 'Monsieur'}",
            f"      prenom: {first}",
            f"      nom: {last}",
            f"      fonction: {person['function']}",
            f"      telephone: {person['phone']}",
            f"      courriel: {person['email']}",
        ]
    (root / "annexes/referents.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return people


def test_annex_6_long_table_repeats_its_header_and_never_cuts_a_row(
    default_project: Path,
) -> None:
    people = _sixty_referents(default_project)
    result = run_cli("build", "--projet", str(default_project), "--annexe", "6")
    assert result.exit_code == 0, result.output
    out = default_project / "output"

    pages = [normalize(page) for page in pdftotext(out / "annexe-6.pdf").split("\f")]
    pages = [page for page in pages if page]
    assert len(pages) >= 3
    header = "Partenaire Référent Téléphone direct Courriel direct"
    assert all(header in page for page in pages)
    for person in people:
        holding = [page for page in pages if person["email"] in page]
        assert len(holding) == 1, person["email"]
        for fact in (person["name"], person["function"], person["phone"]):
            assert fact in holding[0], fact

    # The DOCX asks the same of Word: a header row repeated on each page, no row split.
    (table,) = Document(str(out / "annexe-6.docx")).tables
    rows = table.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    cells = docx_tables(out / "annexe-6.docx")[0][1:]
    assert [(normalize(r[1]).split(" Responsable")[0], normalize(r[2]), r[3]) for r in cells] == [
        (p["name"], p["phone"], p["email"]) for p in people
    ]


# --- Annexe 5 ---------------------------------------------------------------------------------


def _french_hours(slots: str) -> str:
    """« 09:00-12:00 / 14:00-16:30 » as printed: « 9 h – 12 h, 14 h – 16 h 30 »."""

    def moment(match: re.Match[str]) -> str:
        hour, minute = int(match[1]), match[2]
        return f"{hour} h" if minute == "00" else f"{hour} h {minute}"

    return re.sub(r"(\d{2}):(\d{2})", moment, slots).replace("-", " – ").replace(" / ", ", ")


def _permanence(permanence: dict[str, str]) -> str:
    place = permanence.get("lieu") or "dans les locaux de la structure"
    day = permanence["jour"].capitalize()
    return f"{day}, {permanence['frequence']}, {_french_hours(permanence['horaires'])} – {place}"


def test_annex_5_prints_each_permanence_appointment_and_visio(offers_project: Path) -> None:
    data = _offers_data(offers_project)
    names = dict(data.structures)
    out = offers_project / "output"
    rows = [
        [normalize(cell).replace("’", "'") for cell in row]
        for table in docx_tables(out / "annexe-5.docx")
        for row in table[1:]
    ]
    body = pdf_body(out / "annexe-5.pdf", _header(5)).replace("’", "'")
    expected = []
    for entries in data.offers.values():
        for sid, entry in entries.items():
            if set(entry) == {"agents_formes"} and entry["agents_formes"]:
                continue  # a national partner's base offer, said once for all structures
            permanences = [_permanence(p) for p in entry.get("permanences", [])]
            expected.append(
                [
                    names[sid].replace("’", "'"),
                    " ".join(permanences) or ABSENT,
                    entry.get("rendez_vous", ABSENT),
                    entry.get("visio", ABSENT),
                    "oui" if entry.get("agents_formes", True) else "non",
                ]
            )
            for permanence in permanences:
                assert permanence in body
    assert len(expected) == 4
    assert sorted(rows) == sorted(expected)
    _in_order(body, [" ".join(row) for row in expected])
    # Every national partner without a complementary offer says so in one line.
    assert body.count(SOCLE) == 6 + 1  # six signatories and the Intérieur
    _in_order(body, [NAMES[pid].replace("’", "'") for pid in data.signatories])


def test_annex_5_of_the_default_is_the_base_offer_of_every_partner(default_annexes: Path) -> None:
    body = pdf_body(default_annexes / "output/annexe-5.pdf", _header(5))
    assert body.count(SOCLE) == len(NAMES) + 1
    _in_order(body, [*(f"{name} {SOCLE}" for name in NAMES.values()), f"{INTERIEUR} {SOCLE}"])


# --- both outputs, and the log ----------------------------------------------------------------


@pytest.mark.parametrize("numero", [5, 6, 8])
def test_docx_says_what_the_pdf_says(offers_project: Path, numero: int) -> None:
    out = offers_project / "output"
    pdf = pdf_body(out / f"annexe-{numero}.pdf", _header(numero))
    assert docx_text(out / f"annexe-{numero}.docx") == pdf


def test_rendering_logs_no_warning(default_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    shutil.copytree(OFFERS_FIXTURE / "annexes", default_project / "annexes", dirs_exist_ok=True)
    _twenty_three_structures(default_project)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    with caplog.at_level(logging.WARNING):
        _build_with_local_partners(default_project, OFFERS_FIXTURE / "partenaire-local", (5, 6, 8))
    assert [r.getMessage() for r in caplog.records] == []
