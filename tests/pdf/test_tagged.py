"""Tagged PDFs (PDF/UA-1), read back: structure, language, title, identification; every
piece of text either tagged or an artifact. No validator (veraPDF, PAC) runs here: these
tests check what PDF/UA asks of our files, as read by pikepdf."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from fsdocs.pdf.sanitize import sanitize
from tests.conftest import Built, run_cli, supply_national_pdfs

PDFUA = "http://www.aiim.org/pdfua/ns/id/"
PDFA = "http://www.aiim.org/pdfa/ns/id/"
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element reachable from the root, depth first."""
    found: list[pikepdf.Dictionary] = []
    pending = list(pdf.Root.StructTreeRoot.K)
    while pending:
        element = pending.pop(0)
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") == "/OBJR":
            continue
        found.append(element)
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending[0:0] = list(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            pending.insert(0, kids)
    return found


def _tags(pdf: pikepdf.Pdf) -> set[str]:
    return {str(e.S) for e in _elements(pdf)}


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _check_declared_tagged(path: Path) -> pikepdf.Pdf:
    pdf = pikepdf.open(path)
    assert pdf.Root.MarkInfo.Marked is True, path.name
    assert str(pdf.Root.Lang) == "fr-FR", path.name
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, path.name
    assert "/StructTreeRoot" in pdf.Root, path.name
    meta = pdf.open_metadata()
    assert meta.get(f"{{{PDFUA}}}part") == "1", path.name
    title = str(pdf.docinfo.Title)
    assert title and meta.get("dc:title") == title, path.name
    return pdf


def _check_all_text_tagged_or_artifact(pdf: pikepdf.Pdf, name: str) -> None:
    """PDF/UA 7.1: content is either real content in the tree, or an artifact."""
    parents = _parent_tree(pdf)
    reachable = {e.objgen for e in _elements(pdf)}
    for number, page in enumerate(pdf.pages, 1):
        key = page.obj.get("/StructParents")
        marked = parents.get(int(key)) if key is not None else None
        stack: list[str] = []  # "artifact", "tagged" or "other", innermost last
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                if str(operands[0]) == "/Artifact":
                    stack.append("artifact")
                elif op == "BDC" and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    assert marked is not None, f"{name} p. {number}: MCID sans arbre"
                    element = marked[mcid]
                    assert isinstance(element, pikepdf.Dictionary), f"{name} p. {number}: {mcid}"
                    assert element.objgen in reachable, f"{name} p. {number}: MCID {mcid} orphelin"
                    assert element.Pg.objgen == page.obj.objgen, f"{name} p. {number}"
                    stack.append("tagged")
                else:
                    stack.append("other")
            elif op == "EMC":
                stack.pop()
            elif op in _TEXT_OPERATORS:
                assert {"artifact", "tagged"} & set(stack), f"{name} p. {number}: texte non balisé"
        assert not stack, f"{name} p. {number}: séquence marquée non fermée"


def test_every_document_is_tagged_pdf_ua(built_default: Built) -> None:
    pdfs = sorted((built_default.root / "output").glob("**/*.pdf"))
    assert {p.name for p in pdfs} >= {"convention.pdf", "annexe-4.pdf", "annexe-8.pdf"}
    for path in pdfs:
        with _check_declared_tagged(path) as pdf:
            _check_all_text_tagged_or_artifact(pdf, path.name)
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    assert page.obj.Tabs == "/S", path.name


def test_convention_has_its_headings_in_reading_order(built_default: Built) -> None:
    with pikepdf.open(built_default.pdf) as pdf:
        headings = [str(e.S) for e in _elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
        assert headings[0] == "/H1"  # the title, first
        assert {"/H1", "/H2", "/H3"} <= set(headings)
        assert {"/P", "/L", "/LI"} <= _tags(pdf)
        pages = [p.objgen for p in pdf.pages]
        order = [pages.index(e.Pg.objgen) for e in _elements(pdf) if "/Pg" in e]
        assert order == sorted(order)  # page after page


@pytest.mark.parametrize("name", ["annexe-4.pdf", "structures/annexe-4-blois.pdf", "annexe-8.pdf"])
def test_tables_have_header_cells_linked_to_their_data(built_default: Built, name: str) -> None:
    with pikepdf.open(built_default.root / "output" / name) as pdf:
        elements = _elements(pdf)
        assert {"/Table", "/TR", "/TH", "/TD"} <= {str(e.S) for e in elements}
        ids = pdf.Root.StructTreeRoot.IDTree.Names
        known = {str(ids[i]) for i in range(0, len(ids), 2)}
        headed = 0
        for cell in (e for e in elements if e.S == "/TD"):
            headers = [str(h) for h in cell.A.get("/Headers", [])]
            assert set(headers) <= known, name
            headed += bool(headers)
        assert headed, f"{name}: aucune cellule reliée à son en-tête"


def test_margin_boxes_and_page_numbers_are_artifacts(built_default: Built) -> None:
    with pikepdf.open(built_default.root / "output" / "annexe-4.pdf") as pdf:
        kinds = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[1]):
            if str(operator) == "BDC" and str(operands[0]) == "/Artifact":
                kinds.append((str(operands[1].Type), str(operands[1].get("/Subtype", ""))))
        assert ("/Pagination", "") in kinds  # the running header, WeasyPrint's margin box
        assert ("/Pagination", "/Footer") in kinds  # « Page 2 sur 4 », drawn by fsdocs


def test_sanitizing_keeps_the_structure(built_default: Built) -> None:
    clean, _ = sanitize(built_default.pdf.read_bytes(), "convention.pdf")
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        _check_all_text_tagged_or_artifact(pdf, "convention.pdf (nettoyé)")


def test_pdfa_option_makes_them_pdfa_2b_as_well(default_project: Path) -> None:
    result = run_cli("produire", "--annexe", "8", "--pdfa", "--projet", str(default_project))
    assert result.exit_code == 0, result.output
    path = default_project / "output" / "annexe-8.pdf"
    with _check_declared_tagged(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get(f"{{{PDFA}}}part") == "2"
        assert meta.get(f"{{{PDFA}}}conformance") == "B"
        assert "pdfuaid" in pdf.Root.Metadata.read_bytes().decode()  # its extension schema
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert intent.DestOutputProfile.N == 3
        assert meta.get("xmp:CreateDate", "").startswith("2020-02-06T12:00:00")
        assert pdf.trailer.ID[0]
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                assert annotation.F == 4
    result = run_cli("produire", "--annexe", "8", "--projet", str(default_project))
    assert result.exit_code == 0, result.output
    with pikepdf.open(path) as pdf:  # without the option, the cache does not serve a PDF/A
        assert "/OutputIntents" not in pdf.Root
        assert pdf.open_metadata().get(f"{{{PDFA}}}part") is None


def test_signing_dossier_keeps_the_tags_but_its_fields_stay_out(default_project: Path) -> None:
    for args, name in ((("--brouillon",), "dossier-projet.pdf"), ((), "dossier-signature.pdf")):
        result = run_cli("dossier", *args, "--projet", str(default_project))
        assert result.exit_code == 0, result.output
        with pikepdf.open(default_project / "output" / name) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            _check_all_text_tagged_or_artifact(pdf, name)
            parents = _parent_tree(pdf)
            kinds = {
                str(parents[int(a.StructParent)].S)
                for page in pdf.pages
                for a in page.obj.get("/Annots", [])
                if "/StructParent" in a
            }
            assert "/Link" in kinds, name  # the index's links
            fields = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/FT")]
            # Signing fills each field: one the tree pointed at would read, to a validator,
            # as a change beyond form filling (tests/bundle/test_assemble.py signs them).
            assert all("/StructParent" not in f for f in fields), name
            claimed = pdf.open_metadata().get(f"{{{PDFUA}}}part")
            assert claimed == ("1" if not fields else None), name
        assert (name == "dossier-signature.pdf") == bool(fields)


def test_dossier_with_an_untagged_national_pdf_claims_no_pdf_ua(default_project: Path) -> None:
    supply_national_pdfs(default_project)  # blank pages of no structure
    result = run_cli("dossier", "--projet", str(default_project))
    assert result.exit_code == 0, result.output
    with pikepdf.open(default_project / "output" / "dossier-signature.pdf") as pdf:
        assert "/MarkInfo" not in pdf.Root
        assert pdf.open_metadata().get(f"{{{PDFUA}}}part") is None
        assert str(pdf.Root.Lang) == "fr-FR"
        assert "/StructTreeRoot" in pdf.Root  # fsdocs' own pages keep theirs


_REFERENCES = re.compile(r"""(?:href|src)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)""")


def test_html_previews_are_self_contained(built_default: Built) -> None:
    previews = sorted((built_default.root / "output").glob("**/*.html"))
    assert len(previews) >= 10
    for preview in previews:
        html = preview.read_text("utf-8")
        assert re.search(r'<html lang="fr"', html), preview.name
        references = [a or b for a, b in _REFERENCES.findall(html)]
        assert any(r.startswith("data:font/otf;base64,") for r in references), preview.name
        for reference in references:
            if reference.startswith(("data:", "#")):
                continue
            assert (preview.parent / reference).is_file(), f"{preview.name}: {reference}"
