"""The dossier sent for signature carries nothing that acts: a national PDF's JavaScript,
launch actions, embedded files and form fields are removed (and said), its only fields are
fsdocs' signature fields — and once signed, it is never overwritten."""

from __future__ import annotations

import hashlib
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from fsdocs.bundle.assemble import BUNDLE
from tests.bundle.test_assemble import _throwaway_certificate
from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project, run_cli, supply_national_pdfs
from tests.pdf.test_sanitize import TEXT, keys_and_names, plain_pdf, saved

ACTIVE = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/Tx"}


def hostile_charter() -> bytes:
    """A national charter that runs a script on opening, launches a program from a link,
    embeds an executable and carries a form field."""
    pdf = plain_pdf(2)
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.launchURL('x')"))
    executable = Dictionary(
        Type=Name.Filespec, F=String("outil.exe"), EF=Dictionary(F=pdf.make_stream(b"MZ"))
    )
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("o"), executable])))
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("x"), Rect=Array([0] * 4)
        )
    )
    launch = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 600, 300, 620]),
        A=Dictionary(S=Name.Launch, F=String("cmd.exe")),
    )
    pdf.pages[0].obj.Annots = Array([launch, field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    return saved(pdf)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    root = copy_default_project(tmp_path_factory.mktemp("propre") / "projet")
    supply_national_pdfs(root)
    charter = hostile_charter()
    assert keys_and_names(charter) | {"/EmbeddedFile"} >= ACTIVE
    (root / "annexes" / "charte.pdf").write_bytes(charter)
    result = run_cli("bundle", "--projet", str(root))
    assert result.exit_code == 0, result.output
    yield root, result.stderr
    mp.undo()


def test_the_national_pdf_s_active_content_is_not_in_the_dossier(
    dossier: tuple[Path, str],
) -> None:
    root, _ = dossier
    data = (root / "output" / BUNDLE).read_bytes()
    assert not ACTIVE & keys_and_names(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OpenAction" not in pdf.Root or isinstance(pdf.Root.OpenAction, Array)
        fields = [str(f.T) for f in pdf.Root.AcroForm.Fields]
        assert len(fields) == 13 and all(name.startswith("signature-") for name in fields)
        assert all(str(f.FT) == "/Sig" for f in pdf.Root.AcroForm.Fields)
    assert f"{TEXT} 2".encode() in _pdftotext(data)  # the charter's pages are all there


def test_each_removal_is_said_once(dossier: tuple[Path, str]) -> None:
    _, stderr = dossier
    said = [line for line in stderr.splitlines() if line.startswith("annexes/charte.pdf")]
    assert said == [
        "annexes/charte.pdf: avertissement : retiré du dossier de signature : JavaScript",
        "annexes/charte.pdf: avertissement : retiré du dossier de signature : fichier incorporé",
        "annexes/charte.pdf: avertissement : retiré du dossier de signature : champ de formulaire",
        "annexes/charte.pdf: avertissement : retiré du dossier de signature : lancement de "
        "programme (action Launch)",
    ]


def test_a_signed_dossier_is_never_overwritten(dossier: tuple[Path, str], tmp_path: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    root, _ = dossier
    key, cert = _throwaway_certificate(tmp_path)
    signer = signers.SimpleSigner.load(str(key), str(cert))
    path = root / "output" / BUNDLE
    unsigned = path.read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(unsigned))
    meta = signers.PdfSignatureMetadata(field_name="signature-prefet")
    signed = signers.sign_pdf(writer, meta, signer=signer).getvalue()
    path.write_bytes(signed)
    try:
        result = run_cli("bundle", "--projet", str(root))
        assert result.exit_code == 1
        assert result.output == (
            "Erreur : output/dossier-signature.pdf porte déjà une signature : fsdocs ne le "
            "remplace pas. Pour commencer un nouveau dossier, déplacez le dossier signé hors de "
            "output/ (ou renommez-le, par exemple « dossier-signe-1.pdf »), puis relancez "
            "« fsdocs dossier »\n"
        )
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(signed).digest()
        path.rename(root / "dossier-signe-1.pdf")
        again = run_cli("bundle", "--projet", str(root))
        assert again.exit_code == 0, again.output
        assert path.read_bytes() == unsigned  # the same project gives the same dossier
    finally:
        path.write_bytes(unsigned)


def test_an_owner_password_national_pdf_goes_in_unprotected_with_a_warning(
    tmp_path: Path,
) -> None:
    root = copy_default_project(tmp_path / "projet")
    supply_national_pdfs(root)
    protected = saved(
        plain_pdf(),
        encryption=pikepdf.Encryption(
            owner="proprietaire", user="", allow=pikepdf.Permissions(extract=False)
        ),
    )
    (root / "annexes" / "bouquet.pdf").write_bytes(protected)
    result = run_cli("bundle", "--projet", str(root))
    assert result.exit_code == 0, result.output
    assert (
        "annexes/bouquet.pdf: avertissement : retiré du dossier de signature : la protection par "
        "mot de passe propriétaire (restrictions)"
    ) in result.stderr.splitlines()
    with pikepdf.open(root / "output" / BUNDLE) as pdf:
        assert not pdf.is_encrypted


def _pdftotext(data: bytes) -> bytes:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout
