"""The 13 parties of the 2020 convention, in the header list and on the signature page.

The seed's header list is the source of truth (PRODUCT.md): the 2020 signature page disagreed
with it ("Emery-Bricout", "Directeur territorial", a CPAM signatory the header does not name,
delegates gone). Each party is one record, printed twice; both places are read back from the
PDF and the DOCX. A variant with a Préfète and Présidentes checks every agreement of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document

from tests.conftest import RUNNING_HEADER, SOURCE_DATE_EPOCH, Built, copy_default_project, run_cli
from tests.readback import docx_body, normalize, pdf_body


@dataclass(frozen=True)
class Party:
    civilite: str
    nom: str
    fonction: str
    delegue: str = ""  # "représenté par Monsieur …, fonction", as both places print it

    @property
    def designation(self) -> str:
        return f"{self.civilite} {self.nom}"


# As the seed's header list writes them (OCR corrected, typography applied), each function
# completed by the body it is exercised for (signatories/partenaires.yaml, « organisation »).
PREFET = Party("Monsieur", "Yves Rousset", "Préfet de Loir-et-Cher")
GESTIONNAIRES = (
    Party("Monsieur", "Claude Denis", "Président de la communauté de communes Beauce Val de Loire"),
    Party("Monsieur", "Jean Léger", "Président de la communauté de communes Collines du Perche"),
    Party(
        "Monsieur", "Olivier Pavy", "Président de la communauté de communes Sologne des Rivières"
    ),
    Party("Monsieur", "Jean-Claude Morchoine", "Président de l'association Quartiers Proximité"),
)
PARTENAIRES = (
    Party("Monsieur", "Denys Baillard", "Président du Tribunal judiciaire de Blois"),
    Party(
        "Monsieur",
        "Alain Chapon",
        "Directeur départemental des Finances publiques de Loir-et-Cher",
    ),
    Party("Monsieur", "Eric Kraemer", "Directeur régional de Pôle emploi"),
    Party("Monsieur", "Francis Thivet", "Chef de projet, réseau La Poste"),
    Party(
        "Monsieur",
        "Damien Maurice",
        "Président de la Caisse d'assurance retraite et de la santé au travail Centre-Val de Loire",
        "représenté par Monsieur Sébastien Beau, responsable départemental",
    ),
    Party(
        "Monsieur",
        "Etienne le Maur",
        "Directeur général de la Mutualité sociale agricole Berry-Touraine",
    ),
    Party(
        "Madame",
        "Elodie Hemery-Bricout",
        "Directrice départementale de la Caisse d'allocations familiales de Loir-et-Cher",
        "représentée par Monsieur Vincent Montmagnon, "
        "Directeur en charge des prestations et de la politique d'accueil",
    ),
    Party(
        "Monsieur",
        "Pierre Cuchet",
        "Directeur départemental de la Caisse primaire d'assurance maladie de Loir-et-Cher",
    ),
)
SIGNATORIES = (*GESTIONNAIRES, *PARTENAIRES)  # the Préfet's block has its own shape
WITNESS = "En présence de Nicolas Perruchot, Président du Conseil départemental."
# What the 2020 signature page printed instead of the header's facts.
SIGNATURE_PAGE_DEFECTS = ("Emery-Bricout", "Directeur territorial", "Carole Blanc")


def flat(text: str) -> str:
    return normalize(text).replace("’", "'")


@dataclass(frozen=True)
class Places:
    header: str  # from the start to "Préambule"
    signatures: str  # from "Les signataires" to "Liste des annexes"
    whole: str


def places(text: str) -> Places:
    text = flat(text)
    header, _, _ = text.partition(" Préambule ")
    page = re.search(r" Fait à [^.]+\. Les signataires (.+) Liste des annexes ", text)
    assert header and page, "no header list or no signature page"
    return Places(header, page[1], text)


def outputs(built: Built) -> dict[str, Places]:
    return {
        "pdf": places(pdf_body(built.pdf, RUNNING_HEADER)),
        "docx": places(docx_body(built.docx)),
    }


@pytest.fixture(scope="module")
def default_places(built_default: Built) -> dict[str, Places]:
    return outputs(built_default)


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_the_prefet_is_in_both_places(default_places: dict[str, Places], output: str) -> None:
    found = default_places[output]
    assert f"L'État représenté par {PREFET.designation}, {PREFET.fonction}," in found.header
    assert found.signatures.startswith(f"Le {PREFET.fonction} {PREFET.nom} ")


@pytest.mark.parametrize("party", SIGNATORIES, ids=lambda party: party.nom)
@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_every_party_is_in_both_places_with_the_same_facts(
    default_places: dict[str, Places], output: str, party: Party
) -> None:
    found = default_places[output]
    delegate = f", {party.delegue}" if party.delegue else ""
    listed = f"{party.designation}, {party.fonction}{delegate}"
    assert f"{listed}," in found.header or found.header.endswith(f"{listed}.")
    delegate = f" {party.delegue}" if party.delegue else ""
    assert f" {party.nom} {party.fonction}{delegate} " in f" {found.signatures} "
    assert found.whole.count(party.nom) == 2


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_the_signature_page_follows_the_header(
    default_places: dict[str, Places], output: str
) -> None:
    found = default_places[output]
    names = [party.nom for party in (PREFET, *SIGNATORIES)]
    assert [found.header.index(name) for name in names] == sorted(
        found.header.index(name) for name in names
    )
    assert [found.signatures.index(name) for name in names] == sorted(
        found.signatures.index(name) for name in names
    )
    assert [defect for defect in SIGNATURE_PAGE_DEFECTS if defect in found.whole] == []


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_the_witness_signs_nothing(default_places: dict[str, Places], output: str) -> None:
    found = default_places[output]
    assert "Perruchot" not in found.header
    assert found.signatures.endswith(WITNESS)
    assert found.whole.count("Perruchot") == 1


def test_the_docx_has_one_signature_block_per_party(built_default: Built) -> None:
    document = Document(str(built_default.docx))
    # The blocks are side by side, in table cells (tests/docx/test_word_native.py).
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [*document.paragraphs, *(p for cell in cells for p in cell.paragraphs)]
    signing = [
        flat(p.text) for p in paragraphs if p.style is not None and p.style.name == "FsSignatureNom"
    ]
    assert signing == [party.nom for party in (PREFET, *SIGNATORIES)]


# --- A Préfète, two Présidentes, a Directrice: every agreement ------------------------------


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _feminine_variant(root: Path) -> None:
    """The Préfet, a gestionnaire, the CARSAT (delegate kept) and the CAF's delegate become
    women; their functions stay written in the masculine, as a person would copy them."""
    signatories = root / "signatories"

    def prefet(data: dict[str, Any]) -> None:
        data["prefet"].update(civilite="Madame", prenom="Claire", nom="Vasseur")

    def gestionnaires(data: dict[str, Any]) -> None:
        data["gestionnaires"][0]["representant"].update(
            civilite="Madame", prenom="Anne", nom="Martin"
        )

    def partenaires(data: dict[str, Any]) -> None:
        by_id = {p["id"]: p for p in data["partenaires"]}
        by_id["carsat-centre-val-de-loire"]["representant"].update(
            civilite="Madame", prenom="Sophie", nom="Leroy"
        )
        by_id["caf-41"]["represente_par"].update(
            civilite="Madame",
            prenom="Valérie",
            nom="Girard",
            fonction="Directeur en charge des prestations et de la politique d'accueil",
        )

    _edit(signatories / "prefet.yaml", prefet)
    _edit(signatories / "gestionnaires.yaml", gestionnaires)
    _edit(signatories / "partenaires.yaml", partenaires)


@pytest.fixture(scope="module")
def feminine_places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Places]:
    root = copy_default_project(tmp_path_factory.mktemp("feminin") / "projet")
    _feminine_variant(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = run_cli("build", "--convention", "--projet", str(root))
    assert result.exit_code == 0, result.output
    out = root / "output"
    return outputs(
        Built(root, out / "convention.pdf", out / "convention.docx", out / "convention.html")
    )


CARSAT = "Caisse d'assurance retraite et de la santé au travail Centre-Val de Loire"
CAF_DELEGATE = (
    "représentée par Madame Valérie Girard, "
    "Directrice en charge des prestations et de la politique d'accueil"
)
# (where, text): every place the wording or a title agrees with a woman.
FEMININE = (
    ("header", "L'État représenté par Madame Claire Vasseur, Préfète de Loir-et-Cher,"),
    ("header", "Madame Anne Martin, Présidente de la communauté de communes Beauce Val de Loire,"),
    (
        "header",
        f"Madame Sophie Leroy, Présidente de la {CARSAT}, représentée par Monsieur Sébastien",
    ),
    (
        "header",
        f"Directrice départementale de la Caisse d'allocations familiales de Loir-et-Cher, "
        f"{CAF_DELEGATE},",
    ),
    ("whole", "Cette convention est tripartite : les signataires en sont la Préfète, les"),
    ("whole", "Les signataires de la présente convention, le représentant de la Préfète et"),
    ("whole", "Ils en informent la Préfète de département."),
    ("signatures", "La Préfète de Loir-et-Cher Claire Vasseur "),
    ("signatures", "Anne Martin Présidente de la communauté de communes Beauce Val de Loire "),
    (
        "signatures",
        f"Sophie Leroy Présidente de la {CARSAT} représentée par Monsieur Sébastien Beau",
    ),
    ("signatures", f"Caisse d'allocations familiales de Loir-et-Cher {CAF_DELEGATE} "),
)
# Masculine forms that must be gone, and masculine forms that must stay.
NOT_MASCULINE = (
    r"\bPréfet\b",
    r"Anne Martin,? Président\b",
    r"Sophie Leroy,? Président\b",
    r"Loire,? représenté\b",
    r"Girard, Directeur\b",
)
STILL_MASCULINE = (
    "L'État représenté par",  # agrees with l'État, not with the Préfète
    "Monsieur Jean Léger, Président de la communauté de communes Collines du Perche,",
    "Pierre Cuchet Directeur départemental de la Caisse primaire d'assurance maladie",
)


@pytest.mark.parametrize("expected", FEMININE, ids=lambda e: f"{e[0]}: {e[1][:40]}")
@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_every_title_agrees_with_a_woman(
    feminine_places: dict[str, Places], output: str, expected: tuple[str, str]
) -> None:
    where, text = expected
    assert text in getattr(feminine_places[output], where)


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_no_masculine_title_is_left_for_a_woman(
    feminine_places: dict[str, Places], output: str
) -> None:
    whole = feminine_places[output].whole
    assert [pattern for pattern in NOT_MASCULINE if re.search(pattern, whole)] == []
    assert [text for text in STILL_MASCULINE if text not in whole] == []
