"""Conventions right on their signing date: the law cited, the partners and their names, no
deadline already past, and the local bodies of each territory (fsdocs/data/partenaires.yaml).

Each case creates a project with « fsdocs creer », gives it its signing date, builds only
the convention and reads the PDF back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from fsdocs.project.reading import read_project
from fsdocs.wording.annexes_partenaires import partenaires
from tests.conftest import run_cli
from tests.project.test_departements import EXPECTED_FORMS
from tests.readback import pdf_body

DATES = ("2020-02-06", "2023-06-01", "2025-06-01")
CODES = ("41", "33", "974", "976")

VISA = (
    "Vu la loi n° 2000-321 du 12 avril 2000 relative aux droits des citoyens dans leurs "
    "relations avec les administrations, notamment son article 27, dans sa rédaction issue "
    "de la loi n° 2022-217 du 21 février 2022 relative à la différenciation, la "
    "décentralisation, la déconcentration et portant diverses mesures de simplification de "
    "l’action publique locale ;"
)
DEADLINES = (
    "France services avant 2022",
    "dispositif existant jusqu’à fin 2021",
    "obligatoirement d’ici au 31 décembre 2022",
)
# The préambule's partners, by territory: who is there, in the catalogue's order.
SOCIAL = {
    "41": ("CPAM", "MSA", "CAF", "CARSAT"),
    "33": ("CPAM", "MSA", "CAF", "CARSAT"),
    "974": ("CGSS", "CAF"),
    "976": ("CSSM", "MSA"),
}
ABSENT = {
    "41": ("CGSS", "CSSM"),
    "33": ("CGSS", "CSSM"),
    "974": (
        "CPAM",
        "CARSAT",
        "MSA",
        "Caisse primaire d’assurance maladie",
        "Caisse d’assurance retraite",
        "Mutualité sociale agricole",
        "CSSM",
    ),
    "976": (
        "CPAM",
        "CARSAT",
        "CAF",
        "Caisse primaire d’assurance maladie",
        "Caisse d’assurance retraite",
        "Caisse d’allocations familiales",
        "CGSS",
    ),
}
NUMBERS = {9: "neuf", 7: "sept"}


def _project(root: Path, code: str, day: str) -> Path:
    result = run_cli("creer", str(root), "--departement", code, "--date", day)
    assert result.exit_code == 0, result.output
    convention = root / "convention.yaml"
    text = convention.read_text("utf-8")
    text = text.replace("lieu: ~  # à compléter : « Fait à … »", "lieu: Préfecture")
    text = text.replace("date: ~  # à compléter : AAAA-MM-JJ", f"date: {day}")
    convention.write_text(text, "utf-8")
    return root


def _names(day: str) -> tuple[str, str]:
    if day < "2024":
        return "Pôle emploi", "ministère de l’Intérieur"
    return "France Travail", "ministère de l’Intérieur (France Titres)"


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("code", CODES)
def test_convention_is_right_on_its_signing_date(tmp_path: Path, code: str, day: str) -> None:
    root = _project(tmp_path / f"{code}-{day}", code, day)
    result = run_cli("produire", "--convention", "--projet", str(root))
    assert result.exit_code == 0, result.output
    form = EXPECTED_FORMS[code]
    pdf = pdf_body(
        root / "output" / "convention.pdf", f"Convention départementale France services {form}"
    )
    emploi, interieur = _names(day)
    listed = (emploi, *SOCIAL[code], "DDFiP", "La Poste", "ministère de la Justice", interieur)
    count = NUMBERS[len(listed)]
    assert f"propres aux {count} partenaires de France services ({', '.join(listed)})." in pdf
    assert f"Fait à Préfecture, le {_long(day)}." in pdf
    for word in ABSENT[code]:  # as a word: « MSA » is not in « MSAP »
        assert not re.search(rf"\b{word}\b", pdf), word
    if day == "2020-02-06":
        assert "Vu la loi" not in pdf
        assert all(deadline in pdf for deadline in DEADLINES)
    else:
        assert pdf.count(VISA) == 1
        assert not [deadline for deadline in DEADLINES if deadline in pdf]
        assert "2021" not in pdf
        assert "Les France services doivent être équipées d’un dispositif de visioconférence." in (
            pdf
        )
    other = "Pôle emploi" if emploi == "France Travail" else "France Travail"
    assert other not in pdf
    if interieur == "ministère de l’Intérieur":
        assert "France Titres" not in pdf


def _long(day: str) -> str:
    return {"2020-02-06": "6 février 2020", "2023-06-01": "1er juin 2023"}.get(day, "1er juin 2025")


@pytest.mark.parametrize(
    ("code", "columns"),
    [
        ("41", ["France Travail", "CPAM", "MSA", "CAF", "CARSAT", "DDFiP", "La Poste"]),
        ("974", ["France Travail", "CGSS", "CAF", "DDFiP", "La Poste"]),
        ("976", ["France Travail", "CSSM", "MSA", "DDFiP", "La Poste"]),
    ],
)
def test_annex_8_columns_follow_the_territory(
    tmp_path: Path, code: str, columns: list[str]
) -> None:
    root = _project(tmp_path / code, code, "2025-06-01")
    project, _ = read_project(root)
    courts = [p.court for p in partenaires(project)]
    # The signatories first (their « organisation » is still to fill: no short name yet is
    # printed as the national one), then the Intérieur, which the Préfet represents.
    assert courts[-1] == "Ministère de l’Intérieur (France Titres)"
    assert [p.id.rsplit("-", 1)[0] for p in partenaires(project)][:-1] == [
        *[_ID[c] for c in columns],
        "justice",
    ]


_ID = {
    "France Travail": "france-travail",
    "CPAM": "cpam",
    "MSA": "msa",
    "CAF": "caf",
    "CARSAT": "carsat",
    "DDFiP": "dgfip",
    "La Poste": "la-poste",
    "CGSS": "cgss",
    "CSSM": "cssm",
}


def test_a_partner_without_a_local_body_is_left_out_with_a_warning(tmp_path: Path) -> None:
    root = _project(tmp_path / "974", "974", "2025-06-01")
    partners = root / "signatories" / "partenaires.yaml"
    text = partners.read_text("utf-8")
    partners.write_text(text.replace("partenaire: cgss", "partenaire: cpam"), "utf-8")
    result = run_cli("controler", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert (
        "partenaires[1].partenaire: avertissement : « Caisse primaire d’assurance maladie » ne "
        "figure pas dans la convention : dans ce département, « Caisse générale de sécurité "
        "sociale » tient son rôle (« partenaire: cgss »)"
    ) in result.stdout
    project, _ = read_project(root)
    assert [p.partenaire for p in project.partenaires_signataires()] == [
        "france-travail",
        "caf",
        "dgfip",
        "la-poste",
        "justice",
    ]


AIDANTS_CONNECT = (
    "En ligne, avec Aidants Connect, service public numérique de l’État",
    "le mandant s’identifie avec FranceConnect pour signer un mandat",
    "d’un jour à douze mois au plus",
    "qu’il peut annuler à tout moment",
    "demande l’autorisation du mandant avant toute autre démarche",
)


@pytest.mark.parametrize("day", ["2020-02-06", "2025-06-01"])
def test_annex_7_follows_the_mandate_model_of_its_signing_date(tmp_path: Path, day: str) -> None:
    """The 2020 mandate says nothing of Aidants Connect; from the Aidants Connect mandate of
    8 March 2021 on, Annexe 7 recalls its frame for online démarches (« mandats »)."""
    root = _project(tmp_path / day, "41", day)
    result = run_cli("produire", "--annexe", "7", "--formats", "pdf", "--projet", str(root))
    assert result.exit_code == 0, result.output
    mandate = root / "output" / "annexe-7.pdf"
    pdf = pdf_body(mandate, "Convention départementale France services de Loir-et-Cher – Annexe 7")
    # What both models say: the mandate of art. 4.6, signed on site, revocable.
    assert "Il est signé sur place par le mandant et le mandataire" in pdf
    assert "Le mandant peut à tout moment retirer son mandat" in pdf
    if day == "2020-02-06":
        assert not [words for words in ("Aidants Connect", "FranceConnect") if words in pdf]
    else:
        assert [words for words in AIDANTS_CONNECT if words not in pdf] == []
    assert 1 <= len(PdfReader(mandate).pages) <= 2


def _header(root: Path) -> str:
    result = run_cli("produire", "--convention", "--formats", "pdf", "--projet", str(root))
    assert result.exit_code == 0, result.output
    pdf = pdf_body(root / "output" / "convention.pdf", "Convention départementale France services")
    return pdf.partition("Préambule")[0]


def test_a_partners_title_follows_the_signing_date_unless_written(tmp_path: Path) -> None:
    """No « fonction » written: the catalogue's title on the signing date prints, agreed with
    the civilité, with the body signed for; a written one replaces it."""
    root = _project(tmp_path / "p", "41", "2023-06-01")
    partners = root / "signatories" / "partenaires.yaml"
    data = yaml.safe_load(partners.read_text("utf-8"))
    head = data["partenaires"][0]
    assert head["partenaire"] == "france-travail" and "fonction" not in head["representant"]
    head["organisation"] = "la direction territoriale de Loir-et-Cher"
    head["representant"].update(civilite="Madame", prenom="Anne", nom="Martin")
    partners.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    who = "Madame Anne Martin, Directrice territoriale de {}, pour la direction territoriale de "
    assert who.format("Pôle emploi") in _header(root)

    convention = root / "convention.yaml"
    text = convention.read_text("utf-8").replace("date: 2023-06-01", "date: 2025-06-01")
    convention.write_text(text, "utf-8")
    header = _header(root)
    assert who.format("France Travail") in header
    assert "Pôle emploi" not in header
    # Its signature block says for whom she signs, above her name and title.
    pdf = pdf_body(root / "output" / "convention.pdf", "Convention départementale France services")
    block = "Pour la direction territoriale de Loir-et-Cher Anne Martin Directrice territoriale de "
    assert " ".join(pdf.partition("Les signataires")[2].split()).count(block) == 1

    head["representant"]["fonction"] = "Directeur de l’agence de Blois"
    partners.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    header = _header(root)
    assert "Madame Anne Martin, Directrice de l’agence de Blois, pour la direction" in header
    assert "territoriale de France Travail" not in header
