"""The divider of a national annex the dossier does not reproduce: a neutral page in the
dossier (the document, where it is published); what to do about a missing one is for the
operator — ``fsdocs controler`` and the draft — and stops the dossier to sign."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from fsdocs.bundle.assemble import DRAFT
from fsdocs.project.paths import CONVENTION
from fsdocs.rules.checked import load_project
from fsdocs.wording.completeness import checked, missing
from fsdocs.wording.context import get_context
from fsdocs.wording.dossier import DIVIDER, divider_values
from fsdocs.wording.jinja import environment, render_wording
from tests.bundle.conftest import Bundled
from tests.readback import normalize

NATIONAL = {
    1: "Charte nationale d’engagement",
    2: "Bouquet de services France services",
    3: "Accord cadre national France services",
}
# Words only an operator's instruction would use.
OPERATOR = re.compile(r"compléter|convention\.yaml|fichier|reference|indiquez|placez|PDF", re.I)


def _pages(pdf: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return [normalize(page) for page in done.stdout.decode("utf-8").split("\f")[:-1]]


def _divider(pages: list[str], numero: int) -> str:
    # « PROJET », across a draft's page, may come between the two.
    head = re.compile(rf"Annexe {numero} (PROJET )?{NATIONAL[numero]} ")
    [page] = [p for p in pages if head.match(p)]
    return page


def test_a_national_annex_joined_by_reference_gets_a_neutral_page(bundled: Bundled) -> None:
    pages = _pages(bundled.pdf)
    for numero in NATIONAL:
        page = _divider(pages, numero)
        assert "Document national joint par référence, non reproduit dans le présent dossier." in (
            page
        )
        assert (
            "Consultable auprès de l’Agence nationale de la cohésion des territoires (ANCT)."
            in page
        )
        assert not OPERATOR.search(page), page


def test_the_draft_tells_the_operator_what_to_write(imported_draft: Path) -> None:
    """A project just created joins no national document: its draft says where to say how."""
    page = _divider(_pages(imported_draft / "output" / DRAFT), 1)
    assert "[à compléter]" in page
    assert "indiquez dans convention.yaml son PDF (clé « fichier »)" in page
    assert "où le consulter (clé « reference »)" in page


def test_a_missing_national_annex_stops_the_dossier_and_prints_no_instruction_in_it(
    default_project: Path,
) -> None:
    convention = default_project / CONVENTION
    text = convention.read_text("utf-8")
    line = "  - id: charte\n    reference: consultable auprès de l’Agence nationale"
    assert line in text
    convention.write_text(text.replace(line, "  - id: charte\n    # reference: …"), "utf-8")
    project = checked(load_project(default_project))
    # The gate counts its placeholder: no dossier to sign until it is given.
    [gap] = [p for p in missing(project) if p.path == "annexes[0]"]
    assert "« fichier: … »" in gap.message and "« reference: … »" in gap.message
    env = environment(default_project)
    annex = get_context(project).annexes[0]
    signed = render_wording(env, DIVIDER, divider_values(project, annex, "a", False, 0))
    draft = render_wording(env, DIVIDER, divider_values(project, annex, "a", False, 0, True))
    assert "à compléter" in signed and "convention.yaml" not in signed
    assert "à compléter" in draft and "convention.yaml" in draft
    # With its reference back, nothing is missing there any more.
    convention.write_text(text, "utf-8")
    assert not [p for p in missing(checked(load_project(default_project))) if "annexes" in p.path]
