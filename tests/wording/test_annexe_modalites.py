"""Annexe 4, modalités de gestion: one A4 page per structure, read back from the PDF and DOCX.

What each page must say is taken from the structure files themselves, parsed here with
plain YAML and a regular expression, independently of fsdocs' own reading of them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from fsdocs.files.write import DIGESTS
from fsdocs.production.build import build
from tests.conftest import Built, run_cli
from tests.readback import docx_text, normalize, pdf_body, pdf_fonts, pdf_pages

HEADER = "Convention départementale France services de Loir-et-Cher – Annexe 4"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
SLOT = re.compile(r"(\d{2}:\d{2}) ?[-–] ?(\d{2}:\d{2})")  # as the YAML writes a slot
# As the annex prints it, in the French notation: « 8 h 30 – 12 h ».
PRINTED = re.compile(r"(\d{1,2}) h(?: (\d{2})\b(?! h))? – (\d{1,2}) h(?: (\d{2})\b(?! h))?")


def printed_slots(text: str) -> list[tuple[str, str]]:
    """The slots a row prints, as the YAML would write them."""
    return [
        (f"{int(h1):02d}:{m1 or '00'}", f"{int(h2):02d}:{m2 or '00'}")
        for h1, m1, h2, m2 in PRINTED.findall(text)
    ]


# Sentences of modalités, repeated to the length a test needs.
LOREM = (
    "Les permanences des partenaires se tiennent dans la salle de réunion du rez-de-chaussée, "
    "réservée au moins deux jours à l'avance auprès de l'animatrice ; "
    "l'accueil du public se fait sans interruption pendant ces permanences. "
)


def structures(root: Path) -> dict[str, dict[str, Any]]:
    """The structure files of a project, by id, in the order of their file names."""
    folder = root / "annexes" / "structures"
    return {path.stem: yaml.safe_load(path.read_text()) for path in sorted(folder.glob("*.yaml"))}


def expected_slots(data: dict[str, Any], day: str) -> list[tuple[str, str]]:
    hours = (data.get("horaires") or {}).get(day) or ""
    return SLOT.findall(hours)


def week_rows(text: str) -> dict[str, str]:
    """Each printed day's row of the week table, from its name to the next day's."""
    table = text.split("Jour Matin Après-midi Durée", 1)[1].split("Total hebdomadaire", 1)[0]
    names = "|".join(day.capitalize() for day in DAYS)
    return {
        match.group(1).lower(): match.group(2)
        for match in re.finditer(rf"\b({names})\b(.*?)(?=\b(?:{names})\b|$)", table)
    }


def text(pdf: Path) -> str:
    return pdf_body(pdf, HEADER).replace("’", "'")


def test_one_page_per_structure_in_order(built_default: Built) -> None:
    facts = structures(built_default.root)
    assert len(facts) == 4
    pages = pdf_pages(built_default.root / "output" / "annexe-4.pdf")
    assert len(pages) == len(facts)
    for page, data in zip(pages, facts.values(), strict=True):
        assert normalize(data["nom"]) in normalize(page)


@pytest.mark.parametrize(
    "structure", ["blois", "bus-beauce-val-de-loire", "mondoubleau", "salbris"]
)
def test_page_names_the_structure_its_address_and_the_hours_of_each_day(
    built_default: Built, structure: str
) -> None:
    data = structures(built_default.root)[structure]
    pdf = built_default.root / "output" / "structures" / f"annexe-4-{structure}.pdf"
    assert len(PdfReader(pdf).pages) == 1
    page = text(pdf)
    assert normalize(data["nom"]).replace("’", "'") in page  # as text() reads it back
    assert normalize(data["adresse"]["voie"]) in page
    assert f"{data['adresse']['code_postal']} {data['commune']}" in page
    rows = week_rows(page)
    for day in DAYS:
        slots = expected_slots(data, day)
        if not slots and day == "dimanche":
            assert day not in rows  # a closed Sunday is not printed
            continue
        assert printed_slots(rows[day]) == slots, f"{structure}, {day} : {rows[day]!r}"
        if not slots:
            assert rows[day].strip() == "fermé"


def test_agents_without_names_print_by_count_and_function(built_default: Built) -> None:
    """No agent of 2020 is known by name: each page says how many, and what they do."""
    for ident, data in structures(built_default.root).items():
        (agents,) = data["agents"]
        page = text(built_default.root / "output" / "structures" / f"annexe-4-{ident}.pdf")
        expected = normalize(f"{agents['nombre']} {agents['fonction']}").replace("’", "'")
        assert f"Agents France services {expected} Équipements" in page, ident
        assert "[à compléter]" not in page


def test_docx_says_what_the_pdf_says(built_default: Built) -> None:
    out = built_default.root / "output"
    for name in [
        "annexe-4",
        *(f"structures/annexe-4-{s}" for s in structures(built_default.root)),
    ]:
        assert docx_text(out / f"{name}.docx") == pdf_body(out / f"{name}.pdf", HEADER), name


def test_docx_pages_break_between_structures(built_default: Built) -> None:
    from docx import Document

    paragraphs = Document(str(built_default.root / "output" / "annexe-4.docx")).paragraphs
    breaks = [p for p in paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == len(structures(built_default.root)) - 1


def _snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every document of output/ and output/structures/, by its path there."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted([*out.iterdir(), *(out / "structures").iterdir()])
        if p.is_file() and p.name != DIGESTS  # the list of digests follows every production
    }


def test_one_structure_is_rebuilt_alone(default_project: Path) -> None:
    """A manager changes Salbris' hours and rebuilds its page: no other file is touched."""
    assert run_cli("build", "--projet", str(default_project)).exit_code == 0
    out = default_project / "output"
    before = _snapshot(out)
    salbris = default_project / "annexes" / "structures" / "salbris.yaml"
    salbris.write_text(
        salbris.read_text().replace("horaires:\n", "horaires:\n  samedi: 09:00-12:00\n")
    )

    result = run_cli(
        "build", "--projet", str(default_project), "--annexe", "4", "--structure", "salbris"
    )

    assert result.exit_code == 0, result.output
    mine = {f"structures/annexe-4-salbris.{ext}" for ext in ("pdf", "docx", "html")}
    assert {line for line in result.output.splitlines() if line.startswith("écrit")} == {
        f"écrit : output/{name} ({(out / name).stat().st_size / 1024:.0f} Ko)" for name in mine
    }
    after = _snapshot(out)
    assert after.keys() == before.keys()
    assert {name for name in after if after[name] != before[name]} == mine
    assert len(PdfReader(out / "structures" / "annexe-4-salbris.pdf").pages) == 1
    assert printed_slots(
        week_rows(text(out / "structures" / "annexe-4-salbris.pdf"))["samedi"]
    ) == [("09:00", "12:00")]
    assert "fermé" in week_rows(text(out / "annexe-4.pdf"))["samedi"]  # not rebuilt


def _add_structure(root: Path, name: str, **facts: Any) -> dict[str, Any]:
    """A copy of Mondoubleau's file under another name, with ``facts`` added."""
    folder = root / "annexes" / "structures"
    data = yaml.safe_load((folder / "mondoubleau.yaml").read_text())
    data.pop("anct")
    data.update(nom=f"France services {name.capitalize()}", **facts)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    return data


def _text_of(length: int) -> str:
    return (LOREM * (length // len(LOREM) + 1))[:length].rsplit(" ", 1)[0] + "."


def test_a_long_modalites_text_still_fits_on_one_page(
    default_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """1,500 characters of modalités, with three agents, a contact form, three slots a day, a
    Saturday without a break and observations: the page is set in a smaller type, and stays
    one page."""
    modalites = _text_of(1500)
    assert len(modalites) >= 1450
    _add_structure(
        default_project,
        "longue",
        modalites=modalites,
        commentaire=_text_of(300),
        formulaire="https://www.cc-collinesperche.fr/france-services/nous-contacter",
        agents=[
            {"prenom": "Anne", "nom": f"Martin{i}", "fonction": "animatrice", "formation": day}
            for i, day in enumerate(("2020-03-12", "2021-09-20", "2022-01-10"))
        ],
        horaires=dict.fromkeys(DAYS[:5], "08:30-10:30 / 11:00-12:30 / 14:00-18:00")
        | {"samedi": "09:00-16:00"},
    )
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    with caplog.at_level(logging.WARNING):
        build(default_project, annexe=4, structure="longue")
    assert [r.getMessage() for r in caplog.records] == []
    pdf = default_project / "output" / "structures" / "annexe-4-longue.pdf"
    assert len(PdfReader(pdf).pages) == 1
    page = text(pdf)
    assert normalize(modalites) in page
    assert "Anne Martin2, animatrice – formation initiale le 10 janvier 2022" in page
    assert printed_slots(week_rows(page)["lundi"]) == [
        ("08:30", "10:30"),
        ("11:00", "12:30"),
        ("14:00", "18:00"),
    ]
    assert week_rows(page)["samedi"] == " 9 h – 16 h (journée continue) 7 h "
    assert 'class="page structure echelle-' in pdf.with_suffix(".html").read_text()
    assert docx_text(pdf.with_suffix(".docx")) == pdf_body(pdf, HEADER)


def test_past_the_limit_a_page_runs_on_and_loses_nothing(default_project: Path) -> None:
    """Two texts of 4,000 characters (the most a file may hold) cannot fit on one page even in
    the smallest type: that structure's page runs onto a second one, every word kept, and the
    next structure still starts on a page of its own."""
    modalites, commentaire = _text_of(4000), _text_of(3990)
    _add_structure(default_project, "aaa-longue", modalites=modalites, commentaire=commentaire)
    build(default_project, annexe=4)
    out = default_project / "output"
    assert len(PdfReader(out / "structures" / "annexe-4-aaa-longue.pdf").pages) == 2
    whole = text(out / "structures" / "annexe-4-aaa-longue.pdf")
    assert normalize(modalites) in whole
    assert normalize(commentaire) in whole
    pages = pdf_pages(out / "annexe-4.pdf")
    assert len(pages) == len(structures(default_project)) + 1
    assert "France services Blois" not in pages[1]
    assert "France services Blois" in pages[2]


def test_structure_pages_use_only_the_projects_embedded_fonts(built_default: Built) -> None:
    out = built_default.root / "output"
    for pdf in sorted(out.glob("annexe-4*.pdf")):
        assert set(pdf_fonts(pdf)) <= {"Inter", "Inter-Bold", "Inter-Semi-Bold", "Inter-Italic"}
        assert all(pdf_fonts(pdf).values()), pdf.name
