"""A dossier that carries a signature is never replaced by ``fsdocs dossier``: signed with
pyHanko as a signatory's tool would, before a new run or during it."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader

from fsdocs.bundle import assemble
from fsdocs.bundle.assemble import BUNDLE
from fsdocs.bundle.signed import is_signed
from fsdocs.files.write import DIGESTS
from tests.bundle.conftest import NationalBundle
from tests.conftest import run_cli
from tests.signing import sign_field

REFUSAL = (
    "Erreur : output/dossier-signature.pdf porte déjà une signature : fsdocs ne le remplace "
    "pas ; pour préparer un nouveau dossier, déplacez-le hors de output/ ou renommez-le, puis "
    "relancez fsdocs dossier\n"
)


def _signed(root: Path, folder: Path) -> bytes:
    """The project's dossier with the prefect's field signed, in place."""
    path = root / "output" / BUNDLE
    signed = sign_field(path.read_bytes(), "signature-prefet", folder)
    path.write_bytes(signed)
    return signed


def test_a_signed_dossier_is_refused_before_any_work(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    signed = _signed(root, tmp_path)
    digests = (root / "output" / DIGESTS).read_bytes()
    # Broken data would stop a run that got as far as reading the project: this one does not.
    (root / "convention.yaml").write_text("departement: [\n", "utf-8")

    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == 1
    assert result.stderr == REFUSAL
    assert result.stdout == ""
    assert (root / "output" / BUNDLE).read_bytes() == signed
    assert (root / "output" / DIGESTS).read_bytes() == digests


def test_a_renamed_signed_dossier_stays_and_a_new_one_is_made(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    signed = _signed(root, tmp_path)
    assert run_cli("dossier", "--projet", str(root)).exit_code == 1
    kept = root / "output" / "dossier-signature-signe.pdf"
    (root / "output" / BUNDLE).rename(kept)

    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert kept.read_bytes() == signed
    fresh = PdfReader(root / "output" / BUNDLE)
    assert [f.get("/V") for f in (fresh.get_fields() or {}).values()] == [None] * 13


def test_a_dossier_signed_while_the_new_one_is_made_is_kept(
    national_bundled: NationalBundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    plan = assemble.plan
    signed: list[bytes] = []

    def signing_meanwhile(*args: object, **kwargs: object) -> assemble.Plan:
        signed.append(_signed(root, tmp_path))  # after the first look, before the writing
        return plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble, "plan", signing_meanwhile)
    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == 1
    assert result.stderr.endswith(REFUSAL)
    assert (root / "output" / BUNDLE).read_bytes() == signed[0]


def test_an_unsigned_dossier_is_not_taken_for_a_signed_one(
    national_bundled: NationalBundle,
) -> None:
    assert not is_signed((national_bundled.root / "output" / BUNDLE).read_bytes())


def test_a_signature_field_with_a_value_counts_even_without_byte_range() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    value = pdf.make_indirect(Dictionary(Type=Name.Sig, Filter=Name("/Adobe.PPKLite")))
    parent = pdf.make_indirect(Dictionary(FT=Name.Sig, T=String("signature-prefet"), V=value))
    widget = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, Rect=Array([0, 0, 1, 1]), Parent=parent)
    )
    parent.Kids = Array([widget])
    pdf.pages[0].obj.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([parent]))
    out = io.BytesIO()
    pdf.save(out)
    assert b"/ByteRange" not in out.getvalue()
    assert is_signed(out.getvalue())
    del parent["/V"]
    out = io.BytesIO()
    pdf.save(out)
    assert not is_signed(out.getvalue())
