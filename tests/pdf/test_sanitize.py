"""National PDFs are passed on without what could act: each kind of active content, built
into a real PDF here, is gone from the sanitised copy, said once, and the page reads the same."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from fsdocs.errors import FsdocsError
from fsdocs.pdf.sanitize import sanitize

TEXT = "Charte nationale France services"


def plain_pdf(pages: int = 1) -> pikepdf.Pdf:
    """A real PDF whose pages each show TEXT in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(pages):
        content = f"BT /F1 18 Tf 72 720 Td ({TEXT} {number + 1}) Tj ET".encode()
        page = pikepdf.Page(
            Dictionary(
                Type=Name.Page,
                MediaBox=Array([0, 0, 595, 842]),
                Resources=Dictionary(Font=Dictionary(F1=font)),
                Contents=pdf.make_stream(content),
            )
        )
        pdf.pages.append(page)
    return pdf


def saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def link(action: Dictionary) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 600, 300, 620]), A=action)


def keys_and_names(data: bytes) -> set[str]:
    """Every dictionary key and name of every object of the file, nested ones included."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pending: list[object] = []
        for obj in pdf.objects:
            pending.append(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)
        while pending:
            obj = pending.pop()
            if isinstance(obj, Name):
                found.add(str(obj))
            elif isinstance(obj, Dictionary):
                for key, value in obj.items():
                    found.add(key)
                    if not getattr(value, "is_indirect", True):
                        pending.append(value)
            elif isinstance(obj, Array):
                pending += [item for item in obj if not getattr(item, "is_indirect", True)]
    return found


def page_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def test_a_plain_pdf_passes_unchanged_in_what_it_shows() -> None:
    data = saved(plain_pdf(2))
    clean, removed = sanitize(data, "annexes/charte.pdf")
    assert removed == []
    assert page_text(clean) == page_text(data)
    assert f"{TEXT} 2" in page_text(clean)


@pytest.mark.parametrize(
    ("build", "removed", "gone"),
    [
        (
            lambda pdf: pdf.Root.__setitem__("/OpenAction", js("app.alert(1)")),
            ["JavaScript"],
            {"/JS", "/JavaScript", "/OpenAction"},
        ),
        (
            lambda pdf: pdf.Root.__setitem__(
                "/Names",
                Dictionary(JavaScript=Dictionary(Names=Array([String("a"), js("app.alert(2)")]))),
            ),
            ["JavaScript (scripts du document)"],
            {"/JS", "/JavaScript"},
        ),
        (
            lambda pdf: pdf.Root.__setitem__("/AA", Dictionary(WC=js("app.alert(3)"))),
            ["JavaScript (actions du document)"],
            {"/JS", "/JavaScript", "/AA"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__("/AA", Dictionary(O=js("app.alert(4)"))),
            ["JavaScript (actions de page)"],
            {"/JS", "/JavaScript", "/AA"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__(
                "/Annots",
                Array([link(Dictionary(S=Name.Launch, F=String("calc.exe")))]),
            ),
            ["lancement de programme (action Launch)"],
            {"/Launch", "/Link"},
        ),
        (
            lambda pdf: pdf.Root.__setitem__(
                "/Names",
                Dictionary(
                    EmbeddedFiles=Dictionary(
                        Names=Array(
                            [
                                String("x.exe"),
                                Dictionary(
                                    Type=Name.Filespec,
                                    F=String("x.exe"),
                                    EF=Dictionary(F=pdf.make_stream(b"MZ")),
                                ),
                            ]
                        )
                    )
                ),
            ),
            ["fichier incorporé"],
            {"/EmbeddedFiles", "/EF", "/Filespec"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__(
                "/Annots",
                Array(
                    [
                        Dictionary(
                            Type=Name.Annot,
                            Subtype=Name.FileAttachment,
                            Rect=Array([0, 0, 10, 10]),
                            FS=Dictionary(Type=Name.Filespec, F=String("y.exe")),
                        )
                    ]
                ),
            ),
            ["fichier joint"],
            {"/FileAttachment", "/Filespec"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__(
                "/Annots",
                Array([Dictionary(Type=Name.Annot, Subtype=Name.RichMedia, Rect=Array([0] * 4))]),
            ),
            ["média"],
            {"/RichMedia"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__(
                "/Annots",
                Array([link(Dictionary(S=Name.URI, URI=String("file:///etc/passwd")))]),
            ),
            ["lien « file: »"],
            {"/URI", "/Link"},
        ),
        (
            lambda pdf: _form(pdf),
            ["formulaire XFA", "champ de formulaire"],
            {"/AcroForm", "/XFA", "/Widget", "/Tx"},
        ),
        (
            lambda pdf: pdf.pages[0].obj.__setitem__(
                "/Annots",
                Array(
                    [
                        link(
                            Dictionary(
                                S=Name.URI,
                                URI=String("https://www.france-services.gouv.fr"),
                                Next=js("app.alert(5)"),
                            )
                        )
                    ]
                ),
            ),
            ["JavaScript"],
            {"/JS", "/JavaScript", "/Link"},
        ),
    ],
    ids=[
        "open-action-js",
        "names-js",
        "document-aa",
        "page-aa",
        "launch",
        "embedded-file",
        "attached-file",
        "rich-media",
        "file-uri",
        "form-and-xfa",
        "chained-js-after-a-safe-link",
    ],
)
def test_each_kind_of_active_content_is_removed_and_said(
    build: object, removed: list[str], gone: set[str]
) -> None:
    pdf = plain_pdf()
    assert callable(build)
    build(pdf)
    data = saved(pdf)
    assert gone & keys_and_names(data), "the test PDF must carry what is to be removed"
    clean, said = sanitize(data, "annexes/charte.pdf")
    assert said == removed
    assert not gone & keys_and_names(clean)
    assert page_text(clean) == page_text(saved(plain_pdf()))


def _form(pdf: pikepdf.Pdf) -> None:
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("nom"),
            Rect=Array([72, 500, 300, 520]),
        )
    )
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=pdf.make_stream(b"<xdp/>"))


def test_safe_links_and_bookmarks_are_kept() -> None:
    pdf = plain_pdf(2)
    pdf.pages[0].obj.Annots = Array(
        [
            link(Dictionary(S=Name.URI, URI=String("https://www.france-services.gouv.fr"))),
            link(Dictionary(S=Name.URI, URI=String("mailto:contact@anct.gouv.fr"))),
            link(Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))),
        ]
    )
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Page 2", 1))
    clean, removed = sanitize(saved(pdf), "annexes/charte.pdf")
    assert removed == []
    with pikepdf.open(io.BytesIO(clean)) as result:
        actions = [a.A for a in result.pages[0].Annots]
        assert [str(a.S) for a in actions] == ["/URI", "/URI", "/GoTo"]
        assert bytes(actions[0].URI) == b"https://www.france-services.gouv.fr"
        with result.open_outline() as outline:
            assert [item.title for item in outline.root] == ["Page 2"]


def test_an_owner_password_is_lifted_and_said() -> None:
    data = saved(
        plain_pdf(),
        encryption=pikepdf.Encryption(
            owner="proprietaire",
            user="",
            allow=pikepdf.Permissions(modify_other=False, extract=False),
        ),
    )
    with pikepdf.open(io.BytesIO(data)) as check:
        assert check.is_encrypted
    clean, removed = sanitize(data, "annexes/charte.pdf")
    assert removed == ["la protection par mot de passe propriétaire (restrictions)"]
    with pikepdf.open(io.BytesIO(clean)) as result:
        assert not result.is_encrypted
    assert f"{TEXT} 1" in page_text(clean)


def test_a_pdf_that_needs_a_password_to_open_is_refused_with_the_way_out() -> None:
    data = saved(plain_pdf(), encryption=pikepdf.Encryption(owner="a", user="secret"))
    with pytest.raises(FsdocsError) as refused:
        sanitize(data, "annexes/charte.pdf")
    assert str(refused.value) == (
        "annexes/charte.pdf : ce PDF est protégé par un mot de passe d’ouverture ; fsdocs ne "
        "peut pas l’insérer. Demandez la version non protégée du document national, ou enlevez "
        "la protection : qpdf --password=MOT_DE_PASSE --decrypt protege.pdf libre.pdf"
    )


def test_a_page_without_any_media_box_gets_the_pdf_default() -> None:
    pdf = plain_pdf()
    del pdf.pages[0].obj["/MediaBox"]
    data = saved(pdf)
    assert b"/MediaBox" not in data
    clean, removed = sanitize(data, "annexes/charte.pdf")
    assert removed == []
    assert b"/MediaBox [ 0 0 612 792 ]" in clean
    assert f"{TEXT} 1" in page_text(clean)


def test_a_file_that_is_not_a_pdf_is_refused_in_french() -> None:
    with pytest.raises(FsdocsError) as refused:
        sanitize(b"%PDF-1.7\n" + b"\x00" * 100, "annexes/charte.pdf")
    assert str(refused.value).startswith("annexes/charte.pdf : PDF illisible (")
    assert str(refused.value).endswith(
        ") ; enregistrez-le de nouveau (« Imprimer en PDF ») et réessayez"
    )
