"""National PDFs in the dossier, end to end (``fsdocs dossier``): what they could do is gone
from the dossier, with the warnings printed; an owner password and a page without a box do
not stop it; a PDF that needs a password to open does, saying how to fix it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String
from pypdf import PdfReader

from fsdocs.bundle.assemble import BUNDLE
from tests.bundle.conftest import NationalBundle
from tests.conftest import run_cli

HTTPS = "https://www.france-services.gouv.fr"


def _national(path: Path, title: str, change: Callable[[Pdf], None], **save: object) -> None:
    """Two A4 pages (« <title>, page 1 », « …, page 2 »), changed by ``change``, at ``path``."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in (1, 2):
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1].obj
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        text = f"{title}, page {number}"
        page.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    change(pdf)
    pdf.save(path, **save)  # type: ignore[arg-type]


def _active(pdf: Pdf) -> None:
    """What a national PDF should not bring into a dossier to be signed."""
    script = _action(Name.JavaScript, JS=String("app.launchURL('https://pisteur.example')"))
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=_action(Name.JavaScript, JS=String("this.print()")))
    pdf.Root.OpenAction = script
    stream = pdf.make_stream(b"MZ\x90\x00", Type=Name.EmbeddedFile)
    spec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("outil.exe"), EF=Dictionary(F=stream))
    )
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("ouverture"), pdf.make_indirect(script)])),
        EmbeddedFiles=Dictionary(Names=Array([String("outil.exe"), spec])),
    )
    font = page.Resources.Font.F1
    appearance = pdf.make_stream(
        b"BT /F1 12 Tf 2 6 Td (Valeur du champ) Tj ET",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, 200, 20]),
        Resources=Dictionary(Font=Dictionary(F1=font)),
    )
    field = _annotation(
        pdf, Name.Widget, 700, FT=Name.Tx, T=String("commune"), V=String("Valeur du champ")
    )
    field.AP = Dictionary(N=appearance)
    field.P = page
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    page.Annots = Array(
        [
            field,
            _annotation(pdf, Name.Link, 600, A=_action(Name.Launch, F=String("cmd.exe"))),
            _annotation(pdf, Name.Link, 560, A=_action(Name.URI, URI=String(HTTPS))),
            _annotation(pdf, Name.FileAttachment, 520, FS=spec),
        ]
    )


def _action(kind: Name, **entries: object) -> Dictionary:
    return Dictionary(Type=Name.Action, S=kind, **entries)


def _annotation(pdf: Pdf, subtype: Name, y: int, **entries: object) -> Dictionary:
    rect = Array([72, y, 272, y + 20])
    return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=subtype, Rect=rect, **entries))


def _names(pdf_path: Path) -> set[str]:
    """Every key and name value of every object of the file."""
    found: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        pending: list[object] = list(pdf.objects)
        while pending:
            current = pending.pop()
            if isinstance(current, Name):
                found.add(str(current))
            elif isinstance(current, Array):
                pending.extend(v for v in current if not _indirect(v))
            elif isinstance(current, Dictionary | pikepdf.Stream):
                for key in current.keys():  # noqa: SIM118 (a Stream is no mapping)
                    found.add(key)
                    value = current.get(key)
                    if not _indirect(value):
                        pending.append(value)
    return found


def _indirect(value: object) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


def _texts(pdf: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8").split("\f")[:-1]


def _page_of(texts: list[str], text: str) -> int:
    [page] = [n for n, t in enumerate(texts) if text in t]
    return page


def _dossier(root: Path, expected_code: int = 0) -> tuple[list[str], Path]:
    result = run_cli("dossier", "--projet", str(root))
    assert result.exit_code == expected_code, result.output
    return result.stderr.splitlines(), root / "output" / BUNDLE


def test_nothing_that_acts_comes_into_the_dossier(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    _national(root / "annexes" / "charte.pdf", "Charte nationale", _active)
    stderr, pdf = _dossier(root)

    assert stderr == [
        *national_bundled.warnings,
        "annexes/charte.pdf: avertissement : JavaScript retiré (action à l’ouverture du "
        "document, scripts du document, actions automatiques des pages)",
        "annexes/charte.pdf: avertissement : lancement de programme retiré (liens)",
        "annexes/charte.pdf: avertissement : fichiers joints retirés (annotations, pièces "
        "jointes du document)",
        "annexes/charte.pdf: avertissement : formulaire retiré (1 champ, figé dans la page tel "
        "qu’il s’affichait)",
    ]
    names = _names(pdf)
    for name in ("/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF"):
        assert name not in names, name
    assert not {"/FileAttachment", "/AA", "/OpenAction", "/Tx"} & names
    reader = PdfReader(pdf)
    fields = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    assert len(fields) == 13
    assert all(f.get_object()["/FT"] == "/Sig" for f in fields)
    widgets = [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots") or []
        if a.get_object()["/Subtype"] == "/Widget"
    ]
    assert sorted(w["/T"] for w in widgets) == sorted(f.get_object()["/T"] for f in fields)
    texts = _texts(pdf)
    page = _page_of(texts, "Charte nationale, page 1")
    assert "Valeur du champ" in texts[page]  # the field's value still shows
    links = [a.get_object() for a in reader.pages[page].get("/Annots") or []]
    assert [link["/A"]["/URI"] for link in links] == [HTTPS]


def test_an_owner_password_is_lifted(national_bundled: NationalBundle, tmp_path: Path) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    protection = pikepdf.Encryption(
        owner="proprietaire", user="", allow=pikepdf.Permissions(modify_assembly=False)
    )
    path = root / "annexes" / "bouquet.pdf"
    _national(path, "Bouquet de services", lambda pdf: None, encryption=protection)
    assert PdfReader(path).is_encrypted
    stderr, pdf = _dossier(root)

    assert stderr == [
        *national_bundled.warnings,
        "annexes/bouquet.pdf: avertissement : protection par mot de passe propriétaire retirée "
        "(le PDF s’ouvrait sans mot de passe ; ses pages sont reprises dans le dossier)",
    ]
    texts = _texts(pdf)
    page = _page_of(texts, "Bouquet de services, page 2")
    assert f"Page {page + 1} sur {len(texts)}" in texts[page]
    assert not PdfReader(pdf).is_encrypted


def test_a_page_without_media_box_is_shown_on_a4(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")

    def unboxed(pdf: Pdf) -> None:
        del pdf.pages[1].obj["/MediaBox"]

    _national(root / "annexes" / "accord-cadre.pdf", "Accord cadre", unboxed)
    stderr, pdf = _dossier(root)

    assert stderr == [
        *national_bundled.warnings,
        "annexes/accord-cadre.pdf: avertissement : format de page (/MediaBox) absent ou "
        "invalide à la page 2 : format A4 appliqué, vérifiez son rendu dans le dossier",
    ]
    texts = _texts(pdf)
    page = _page_of(texts, "Accord cadre, page 2")
    assert [float(v) for v in PdfReader(pdf).pages[page].mediabox] == [0, 0, 595.28, 841.89]
    assert f"Page {page + 1} sur {len(texts)}" in texts[page]


def test_a_pdf_that_needs_a_password_to_open_stops_the_dossier_with_the_way_out(
    national_bundled: NationalBundle, tmp_path: Path
) -> None:
    root = national_bundled.copy(tmp_path / "projet")
    before = (root / "output" / BUNDLE).read_bytes()
    locked = pikepdf.Encryption(owner="proprietaire", user="lecture")
    _national(root / "annexes" / "charte.pdf", "Charte", lambda pdf: None, encryption=locked)
    stderr, pdf = _dossier(root, expected_code=1)

    assert stderr[-1] == (
        "Erreur : annexes/charte.pdf : PDF protégé par un mot de passe d’ouverture : fsdocs ne "
        "peut pas le lire ; enregistrez-en une copie sans protection (qpdf --decrypt "
        "--password=MOT-DE-PASSE entree.pdf sortie.pdf, ou ouvrez-le avec son mot de passe et "
        "« Imprimer en PDF ») et indiquez cette copie dans « fichier: »"
    )
    assert pdf.read_bytes() == before
