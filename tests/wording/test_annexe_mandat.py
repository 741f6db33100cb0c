"""Annexe 7, the model mandate: every mention of art. 4.6 of the convention, read back from the
PDF and the DOCX; boxes to tick and lines to write on drawn, not typed."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from fsdocs.production.build import build
from tests.conftest import Built
from tests.readback import docx_text, normalize, pdf_body, pdf_fonts

HEADER = "Convention départementale France services de Loir-et-Cher – Annexe 7"

# Art. 4.6 of the seed, mention by mention, and the words that carry it on the mandate.
MENTIONS = {
    "signé sur place": "Il est signé sur place par le mandant et le mandataire",
    "après vérification d'identité": "après vérification de l'identité du mandant",
    "après information de l'usager": "après que celui-ci a été informé de l'utilisation de ses "
    "données à caractère personnel, de ses droits et des démarches qui seront effectuées",
    "identité du mandant": "Le mandant (l'usager) Nom : Prénom(s) : Date de naissance : Adresse :",
    "identité du mandataire": "Le mandataire (l'agent France services) Nom : Prénom : "
    "France services : Gestionnaire :",
    "identité vérifiée, à cocher": "Le mandataire a vérifié l'identité du mandant sur "
    "présentation d'une pièce d'identité.",
    "au nom et pour le compte de l'usager": "d'accomplir en son nom et pour son compte",
    "les actions effectuées pour le compte de l'usager": "les actions effectuées pour le compte "
    "du mandant",
    "les demandes de communication de données personnelles": "les demandes de communication des "
    "données à caractère personnel du mandant nécessaires à ces démarches",
    "responsable du traitement": "Responsable du traitement Le gestionnaire de la France "
    "services désignée ci-dessus.",
    "finalité": "Finalité Accomplir les seules démarches désignées ci-dessus, au seul bénéfice "
    "du mandant.",
    "données strictement nécessaires": "Seules les données strictement nécessaires à ces "
    "démarches sont utilisées",
    "aucune utilisation commerciale": "aucune utilisation ou exploitation commerciale, ni "
    "d'aucune cession",
    "base juridique": "Base juridique Le présent mandat",
    "destinataires": "Destinataires Le mandataire et les seuls organismes et administrations "
    "auprès desquels les démarches sont accomplies.",
    "données détruites à la fin de la démarche": "Les données sont détruites à la résolution de "
    "la démarche administrative engagée ou, à défaut, au terme du délai imposé par une "
    "disposition législative ou réglementaire.",
    "sécurité des données": "protégées dans des conditions de sécurité adaptées à leur nature",
    "secret professionnel": "le mandataire est tenu au secret professionnel",
    "droits": "Le mandant peut accéder aux données qui le concernent, les faire rectifier ou "
    "effacer, demander la limitation de leur traitement ou s'y opposer",
    "réclamation à la CNIL": "adresser une réclamation à la Commission nationale de "
    "l'informatique et des libertés (CNIL",
    "RGPD": "Règlement (UE) 2016/679 du 27 avril 2016, dit règlement général sur la protection "
    "des données",
    "loi Informatique et libertés, art. 48 et 105": "loi n° 78-17 du 6 janvier 1978 "
    "« Informatique et libertés », notamment ses articles 48 et 105",
    "révocable à tout moment": "Le mandant peut à tout moment retirer son mandat",
    "exemplaires originaux": "Le présent mandat est établi en autant d'exemplaires originaux "
    "qu'il y a de parties",
    "lieu et date": "Fait à le",
    "signatures": "Signature du mandant Signature du mandataire",
}
CATEGORIES = (
    "Papiers – citoyenneté",
    "Famille",
    "Social – santé",
    "Travail",
    "Logement",
    "Transports",
    "Argent – impôts",
    "Justice",
    "Étranger",
    "Loisirs",
)
BOXES = len(CATEGORIES) + 3  # the identity check, the actions, the requests for data
BOX_MM = 3.4  # side of a drawn box (convention.css, p.case::before)


def text(pdf: Path) -> str:
    return pdf_body(pdf, HEADER).replace("’", "'").replace("\u202f", " ")


@pytest.fixture(scope="module")
def mandate(built_default: Built) -> Path:
    return built_default.root / "output" / "annexe-7.pdf"


@pytest.mark.parametrize("words", MENTIONS.values(), ids=MENTIONS.keys())
def test_the_mandate_carries_each_mention_of_article_4_6(mandate: Path, words: str) -> None:
    assert normalize(words) in text(mandate)


def test_rights_are_exercised_where_the_project_says(mandate: Path, built_default: Built) -> None:
    settings = yaml.safe_load((built_default.root / "annexes" / "mandat.yaml").read_text())
    where = normalize(settings["contact_donnees"].replace("’", "'"))
    assert f"Ces droits s'exercent {where}." in text(mandate)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_of_demarche_is_offered(mandate: Path, category: str) -> None:
    assert normalize(category) in text(mandate)


def test_the_mandate_fits_on_two_pages_at_most(mandate: Path) -> None:
    assert 1 <= len(PdfReader(mandate).pages) <= 2


def test_docx_says_what_the_pdf_says(mandate: Path) -> None:
    assert docx_text(mandate.with_suffix(".docx")) == pdf_body(mandate, HEADER)


def _boxes(page_content: str) -> int:
    """Squares of the drawn tick boxes' size (WeasyPrint draws in CSS px, 0.75 pt each)."""
    found = 0
    for width, height in re.findall(r"[-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+) re", page_content):
        side = float(width) * 0.75 * 25.4 / 72
        if abs(float(width) - float(height)) < 0.01 and abs(side - BOX_MM) < 0.1:
            found += 1
    return found


def _rules(page_content: str) -> int:
    """Horizontal strokes at least 15 mm long: the lines to write on."""
    found = 0
    pattern = r"([-\d.]+) ([-\d.]+) m\s+([-\d.]+) ([-\d.]+) l\s+S"
    for x1, y1, x2, y2 in re.findall(pattern, page_content):
        if y1 == y2 and abs(float(x2) - float(x1)) * 0.75 * 25.4 / 72 >= 15:
            found += 1
    return found


def test_boxes_and_lines_are_drawn_not_typed(mandate: Path) -> None:
    pages = [page.get_contents().get_data().decode("latin-1") for page in PdfReader(mandate).pages]
    assert _boxes(pages[0]) == BOXES
    assert _rules(pages[0]) >= 11  # mandant 5, mandataire 4, démarche 2, organismes 1
    whole = text(mandate) + docx_text(mandate.with_suffix(".docx"))
    assert "__" not in whole and "…" not in whole and "☐" not in whole


def test_docx_boxes_are_numbering_markers_and_lines_are_cell_borders(mandate: Path) -> None:
    document = Document(str(mandate.with_suffix(".docx")))
    body = document.element.body
    boxed = [p for p in body.iter(qn("w:p")) if p.style == "FsCase"]
    assert len(boxed) == BOXES
    style = document.styles["FsCase"].element
    num_id = style.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    level = next(
        a.find(qn("w:lvl"))
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(abstract_id)
    )
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "☐"
    rules = body.findall(".//" + qn("w:tcBorders") + "/" + qn("w:bottom"))
    assert len(rules) >= 14  # the lines to fill in on both pages, « Fait à » and « le »


def test_fonts_are_the_projects_and_embedded(mandate: Path) -> None:
    assert pdf_fonts(mandate) == {"Inter": True, "Inter-Bold": True, "Inter-Semi-Bold": True}


def test_settings_of_the_mandate_file_are_printed(
    default_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (default_project / "annexes" / "mandat.yaml").write_text(
        "responsable_traitement: la communauté de communes qui gère la structure\n"
        "contact_donnees: auprès de son délégué à la protection des données, dpo@exemple.fr\n"
        "conservation: cinq ans pour les dossiers d'aide sociale\n"
    )
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    with caplog.at_level(logging.WARNING):
        build(default_project, annexe=7)
    assert [r.getMessage() for r in caplog.records] == []
    printed = text(default_project / "output" / "annexe-7.pdf")
    assert "Responsable du traitement La communauté de communes qui gère la structure." in printed
    assert (
        "Ces droits s'exercent auprès de son délégué à la protection des données, dpo@exemple.fr."
        in printed
    )
    assert (
        "disposition législative ou réglementaire (cinq ans pour les dossiers d'aide sociale)."
        in (printed)
    )
