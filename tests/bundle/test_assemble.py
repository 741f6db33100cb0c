"""The signature bundle, read back: pages, index, outline, labels, fields, signatures."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from fsdocs.bundle.assemble import BUNDLE, DRAFT
from tests.bundle.conftest import Bundled, NationalBundle, bundle_default
from tests.conftest import Built, copy_default_project, run_cli
from tests.readback import normalize
from tests.signing import throwaway_certificate


def _page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8").split("\f")[:-1]


def _stamped_number(text: str) -> tuple[int, int]:
    found = re.findall(r"Page (\d+) sur (\d+)", text)
    assert found, f"aucun numéro de page sur : {text[:200]!r}"
    page, total = found[-1]
    return int(page), int(total)


def test_every_page_is_numbered_continuously_and_labelled(bundled: Bundled) -> None:
    texts = _page_texts(bundled.pdf)
    reader = bundled.reader()
    assert len(texts) == len(reader.pages)
    for index, text in enumerate(texts, start=1):
        assert _stamped_number(text) == (index, len(texts))
    assert reader.page_labels == [str(n) for n in range(1, len(texts) + 1)]


def test_index_page_numbers_are_the_real_pages(bundled: Bundled) -> None:
    texts = _page_texts(bundled.pdf)
    index = texts[1]
    entries = re.findall(r"^\s*(\S.*?)\s?\.{3,}\s*(\d+)\s*$", index, flags=re.M)
    assert len(entries) >= 13  # convention, signatures, 8 annexes, 4 structures
    for title, number in entries:
        page = texts[int(number) - 1]
        assert _stamped_number(page)[0] == int(number)
        words = normalize(title).split(" – ")[-1]
        if words == "Pages de signature":
            assert "Les signataires" in page
        elif words == "Convention":
            assert "Convention départementale France services" in page
        else:
            assert normalize(words)[:40] in normalize(page), (title, number)


def test_outline_has_one_entry_per_part_and_per_structure(bundled: Bundled) -> None:
    reader = bundled.reader()
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [
        "Convention",
        *(f"Annexe {n} – " + t for n, t in enumerate(ANNEX_TITLES, start=1)),
    ]
    # Nested: the convention's articles and signature pages (test_bookmarks.py), and the
    # structures of Annexe 4; a list follows the entry it nests under.
    nested = {
        reader.outline[n - 1].title: item
        for n, item in enumerate(reader.outline)
        if isinstance(item, list)
    }
    assert sorted(nested) == ["Annexe 4 – " + ANNEX_TITLES[3], "Convention"]
    structures = nested["Annexe 4 – " + ANNEX_TITLES[3]]
    assert sorted(item.title for item in structures) == [
        "France services Blois",
        "France services Mer",
        "France services Mondoubleau",
        "France services Salbris",
    ]
    texts = _page_texts(bundled.pdf)
    for item in structures:
        page = reader.get_destination_page_number(item)
        assert item.title in normalize(texts[page])


ANNEX_TITLES = [
    "Charte nationale d’engagement",
    "Bouquet de services France services",
    "Accord cadre national France services",
    "Modalités de gestion propres à chaque structure France services du département",
    "Offre complémentaire par partenaire",
    "Tableau récapitulatif des référents",
    "Mandat",
    "Liste partenaires / France services",
]


def test_one_signature_field_per_signatory_on_its_block_page(bundled: Bundled) -> None:
    reader = bundled.reader()
    fields = reader.get_fields() or {}
    signatures = {name: f for name, f in fields.items() if f.get("/FT") == "/Sig"}
    assert len(signatures) == 13
    texts = _page_texts(bundled.pdf)
    expected = {
        "signature-prefet": "Yves Rousset",
        "signature-caf-41": "Vincent Montmagnon",  # the delegate signs for the CAF
        "signature-carsat-centre-val-de-loire": "Sébastien Beau",
        "signature-cpam-41": "Pierre Cuchet",
    }
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            name = widget.get("/T")
            if name in expected:
                assert expected[name] in normalize(texts[number])
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                assert x2 - x1 > 150 and y2 - y1 > 45, "champ trop petit pour signer"
    assert "Perruchot" not in " ".join(signatures), "un témoin ne signe pas"
    assert not reader.is_encrypted


def test_each_field_is_signed_in_turn_and_all_signatures_stay_valid(
    bundled: Bundled, tmp_path: Path
) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key, cert = throwaway_certificate(tmp_path)
    signer = signers.SimpleSigner.load(str(key), str(cert))
    data = bundled.pdf.read_bytes()
    names = [name for name, *_ in enumerate_sig_fields(PdfFileReader(io.BytesIO(data)))]
    assert len(names) == 13
    for name in names:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        meta = signers.PdfSignatureMetadata(field_name=name)
        data = signers.sign_pdf(writer, meta, signer=signer).getvalue()
    signed = tmp_path / "signe.pdf"
    signed.write_bytes(data)

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert))])
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert sorted(s.field_name for s in signatures) == sorted(names)
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        assert status.intact and status.valid and status.trusted, signature.field_name
        # Later signatures only filled form fields: nothing that was signed was rewritten.
        assert status.modification_level.name in {"NONE", "FORM_FILLING"}
    assert _qpdf_check(signed)


def _qpdf_check(pdf: Path) -> bool:
    done = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return "No syntax or stream encoding errors" in done.stdout


def test_qpdf_finds_the_bundle_clean(bundled: Bundled) -> None:
    assert _qpdf_check(bundled.pdf)


def test_fonts_are_embedded_once(bundled: Bundled) -> None:
    reader = bundled.reader()
    fonts: dict[str, set[int]] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            name = str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
            fonts.setdefault(name, set()).add(font.idnum)
    assert fonts, "aucune police"
    assert all(len(ids) == 1 for ids in fonts.values()), fonts


def test_building_twice_gives_the_same_bytes(bundled: Bundled) -> None:
    first = hashlib.sha256(bundled.pdf.read_bytes()).hexdigest()
    again = hashlib.sha256(bundle_default(bundled.root).read_bytes()).hexdigest()
    assert again == first


def test_metadata_comes_from_the_convention(bundled: Bundled) -> None:
    info = bundled.reader().metadata
    assert info is not None
    assert info.title == (
        "Dossier de signature – Convention départementale France services de Loir-et-Cher"
    )
    assert info.author == "Préfecture de Loir-et-Cher"
    assert info["/CreationDate"].startswith("D:20200206")
    assert "Convention : empreinte " in (info["/Keywords"] or "")


def _landscape_pdf(path: Path, pages: int) -> None:
    import weasyprint

    body = "".join(
        f'<p style="break-before: page">Charte nationale, page {n} sur {pages}</p>'
        for n in range(1, pages + 1)
    )
    html = f"<style>@page {{ size: A4 landscape; margin: 20mm }}</style>{body}"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())


def test_a_supplied_landscape_annex_keeps_its_pages_and_the_numbering_runs_on(
    tmp_path: Path,
) -> None:
    root = copy_default_project(tmp_path / "projet")
    _landscape_pdf(root / "charte.pdf", 3)
    convention = root / "convention.yaml"
    text = convention.read_text("utf-8")
    convention.write_text(
        text.replace("  - id: charte\n", "  - id: charte\n    fichier: charte.pdf\n")
    )
    pdf = bundle_default(root)

    reader = PdfReader(pdf)
    texts = _page_texts(pdf)
    charte = [n for n, text in enumerate(texts) if "Charte nationale, page" in text]
    assert len(charte) == 3
    assert charte == list(range(charte[0], charte[0] + 3))
    for n in charte:
        box = reader.pages[n].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
        assert _stamped_number(texts[n]) == (n + 1, len(texts))
    assert "Document national non fourni" not in texts[charte[0] - 1]


def test_a_rotated_national_pdf_shows_as_it_would_on_its_own(tmp_path: Path) -> None:
    """A page turned by /Rotate (not by its size) keeps the orientation a reader sees."""
    import weasyprint
    from pypdf import PdfWriter

    root = copy_default_project(tmp_path / "projet")
    portrait = weasyprint.HTML(string="<p>Bouquet de services, page tournée</p>").write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(portrait)))
    writer.pages[0].rotate(90)
    with (root / "bouquet.pdf").open("wb") as handle:
        writer.write(handle)
    convention = root / "convention.yaml"
    text = convention.read_text("utf-8")
    convention.write_text(
        text.replace("  - id: bouquet\n", "  - id: bouquet\n    fichier: bouquet.pdf\n")
    )
    pdf = bundle_default(root)

    reader = PdfReader(pdf)
    texts = _page_texts(pdf)
    [page] = [n for n, text in enumerate(texts) if "Bouquet de services, page tournée" in text]
    box = reader.pages[page].mediabox
    assert float(box.width) > float(box.height)
    assert not reader.pages[page].get("/Rotate")
    assert _stamped_number(texts[page]) == (page + 1, len(texts))


def test_page_count_is_the_sum_of_the_parts(bundled: Bundled, built_default: Built) -> None:
    """Cover, index, and 8 dividers around the very documents `fsdocs build` produces."""
    out = built_default.root / "output"
    parts = [out / "convention.pdf", *sorted(out.glob("structures/annexe-4-*.pdf"))]
    parts += [out / f"annexe-{n}.pdf" for n in (5, 6, 7, 8)]
    expected = 2 + 8 + sum(len(PdfReader(part).pages) for part in parts)
    assert len(bundled.reader().pages) == expected


def test_index_entries_are_links_to_their_pages(bundled: Bundled) -> None:
    reader = bundled.reader()
    links = [
        annotation.get_object()
        for annotation in reader.pages[1].get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    texts = _page_texts(bundled.pdf)
    entries = re.findall(r"\.{3,}\s*(\d+)\s*$", texts[1], flags=re.M)
    assert len(links) >= len(entries) >= 13
    targets = set()
    for link in links:
        destination = link.get("/Dest") or link["/A"].get("/D")
        if isinstance(destination, str) or not isinstance(destination, list):
            destination = reader.named_destinations[str(destination)]
            targets.add(reader.get_destination_page_number(destination) + 1)
        else:
            targets.add(reader.get_page_number(destination[0].get_object()) + 1)
    assert {int(n) for n in entries} <= targets


# --- the gate: no dossier to sign while a fact is to fill in; a draft instead ----------------

REFUSAL = (
    "Erreur : dossier de signature refusé : 95 faits à compléter, qu’il imprimerait « [à "
    "compléter] » 191 fois (liste ci-dessus). Complétez-les puis relancez « fsdocs dossier » ; "
    "pour relire un projet de dossier, sans champ de signature : « fsdocs dossier --brouillon » "
    "(output/dossier-projet.pdf)."
)


def _page_by_page(pdf: Path) -> list[str]:
    """Each page's text, read by pdftotext a page at a time."""
    count = len(PdfReader(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        for n in range(1, count + 1)
    ]


def test_an_incomplete_project_gets_no_dossier_to_sign(
    imported_draft: Path, tmp_path: Path
) -> None:
    root = shutil.copytree(imported_draft, tmp_path / "projet")
    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == REFUSAL
    # What is missing, grouped as « fsdocs controler » groups it: only what would print.
    assert lines[:3] == [
        "À compléter : 95 faits ; le dossier de signature imprimerait « [à compléter] » 191 fois :",
        "  Signataires et témoins à compléter : 55 champs",
        "  Coordonnées et horaires des structures : 15 champs",
    ]
    # The equipment, written once in convention.yaml's defaults, is 8 facts, not 8 per page.
    assert "  Équipements et accueil à renseigner : 8 champs" in lines
    assert "  Agents à nommer : 4 structures" in lines
    assert not any("ne s’imprime dans aucun document" in line for line in lines)
    assert not (root / "output" / BUNDLE).exists()
    assert (root / "output" / DRAFT).read_bytes() == (
        imported_draft / "output" / DRAFT
    ).read_bytes()


def test_the_draft_says_projet_on_every_page_and_has_no_signature_field(
    imported_draft: Path,
) -> None:
    pdf = imported_draft / "output" / DRAFT
    reader = PdfReader(pdf)
    assert "/AcroForm" not in reader.trailer["/Root"]
    widgets = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Widget"
    ]
    assert widgets == []
    pages = _page_by_page(pdf)
    assert len(pages) == len(reader.pages) == 30
    assert all("PROJET" in text for text in pages)
    assert not (imported_draft / "output" / BUNDLE).exists()  # never under the name to sign
    cover = normalize(pages[0])
    assert "Projet de dossier de signature, à relire" in cover
    assert "Ce projet ne se signe pas et ne porte aucun champ de signature." in cover
    # Annexes are feminine: « non fournie ».
    assert "Annexe 1 – Charte nationale d’engagement non fournie" in cover
    assert (reader.metadata.title or "").startswith("Projet de dossier de signature – ")


def test_a_draft_marks_the_national_pdfs_pages_too(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    result = run_cli("dossier", "--brouillon", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"écrit : output/dossier-projet\.pdf \(\d+ pages, \d+ Ko, projet à relire\)\n",
        result.stdout,
    )
    pages = _page_by_page(root / "output" / DRAFT)
    assert all("PROJET" in text for text in pages)
    # The three national PDFs are blank A4 pages: « PROJET » and the page number are all
    # they read, both drawn on them.
    blank = [
        n
        for n, text in enumerate(pages, start=1)
        if re.sub(r"PROJET|Page \d+ sur \d+|\s", "", text) == ""
    ]
    assert len(blank) == 3
    # The dossier to sign, made before, is left as it was; it never says « PROJET ».
    assert (root / "output" / BUNDLE).read_bytes() == (
        national_bundled.root / "output" / BUNDLE
    ).read_bytes()
    assert all("PROJET" not in text for text in _page_by_page(root / "output" / BUNDLE))
