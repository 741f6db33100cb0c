"""National PDFs made safe: each kind of active content, built into a real PDF, comes out
removed, with its exact warning, while the pages keep their count and their text."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Pdf, String
from pypdf import PdfReader

from fsdocs.errors import UnreadableFileError
from fsdocs.pdf import sanitize as sanitize_module
from fsdocs.pdf.sanitize import sanitize

SHOWN = "annexes/charte.pdf"
TEXTS = ["Charte nationale page 1", "Charte nationale page 2"]


def _document(change: Callable[[Pdf], None] | None = None, **save: object) -> bytes:
    """Two A4 pages of text (Helvetica), changed by ``change`` before it is saved."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for text in TEXTS:
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    if change is not None:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)  # type: ignore[arg-type]
    return out.getvalue()


def _texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _everything(data: bytes) -> Iterator[object]:
    """Every object of the file and every key of its dictionaries, direct objects inside
    indirect ones included."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pending: list[object] = list(pdf.objects)
        while pending:
            current = pending.pop()
            yield current
            if isinstance(current, Array):
                pending.extend(v for v in current if not _indirect(v))
            elif isinstance(current, Dictionary | pikepdf.Stream):
                for key in current.keys():  # noqa: SIM118 (a Stream is no mapping)
                    yield Name(key)
                    value = current.get(key)
                    if not _indirect(value):
                        pending.append(value)


def _indirect(value: object) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


def _names(data: bytes) -> set[str]:
    return {str(o) for o in _everything(data) if isinstance(o, Name)}


def _action(**entries: object) -> Dictionary:
    return Dictionary(Type=Name.Action, **entries)


def _link(pdf: Pdf, action: Dictionary, page: int = 0, y: int = 600) -> None:
    link = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, y, 300, y + 20]), A=action)
    )
    target = pdf.pages[page].obj
    if "/Annots" not in target:
        target.Annots = Array()
    target.Annots.append(link)


def _links(data: bytes) -> list[object]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            a.get("/A").unparse()
            for page in pdf.pages
            for a in page.obj.get("/Annots", Array())
            if a.get("/Subtype") == Name.Link
        ]


def _check(data: bytes, warnings: list[str]) -> bytes:
    """The sanitised copy, once its warnings are those given and its pages are untouched."""
    clean, found = sanitize(data, SHOWN)
    assert found == warnings
    assert _texts(clean) == TEXTS
    return clean


def test_a_plain_pdf_keeps_its_pages_and_gets_no_warning() -> None:
    clean = _check(_document(), [])
    assert len(PdfReader(io.BytesIO(clean)).pages) == 2


def test_document_javascript_goes_from_the_name_tree_and_the_opening() -> None:
    def scripts(pdf: Pdf) -> None:
        script = pdf.make_indirect(_action(S=Name.JavaScript, JS=String("app.alert('x')")))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("x"), script])))
        pdf.Root.OpenAction = _action(S=Name.JavaScript, JS=String("this.print()"))

    clean = _check(
        _document(scripts),
        [f"{SHOWN} : JavaScript retiré (action à l’ouverture du document, scripts du document)"],
    )
    assert not {"/JS", "/JavaScript", "/OpenAction"} & _names(clean)


def test_an_opening_that_goes_to_a_page_stays() -> None:
    def opening(pdf: Pdf) -> None:
        pdf.Root.OpenAction = _action(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))

    clean = _check(_document(opening), [])
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert str(pdf.Root.OpenAction.S) == "/GoTo"


def test_automatic_actions_of_the_document_and_pages_go() -> None:
    def events(pdf: Pdf) -> None:
        pdf.Root.AA = Dictionary(WC=_action(S=Name.JavaScript, JS=String("x")))
        pdf.pages[0].obj.AA = Dictionary(
            O=_action(S=Name.Launch, F=String("calc.exe")),
            C=_action(S=Name.URI, URI=String("https://pisteur.example/ouvert")),
        )

    clean = _check(
        _document(events),
        [
            f"{SHOWN} : JavaScript retiré (actions automatiques du document)",
            f"{SHOWN} : lancement de programme retiré (actions automatiques des pages)",
            f"{SHOWN} : ouverture automatique d’une adresse web retirée "
            "(actions automatiques des pages)",
        ],
    )
    assert not {"/AA", "/JS", "/Launch", "/URI"} & _names(clean)


@pytest.mark.parametrize(
    ("action", "warning"),
    [
        (_action(S=Name.JavaScript, JS=String("x")), "JavaScript retiré"),
        (_action(S=Name.Launch, F=String("cmd.exe")), "lancement de programme retiré"),
        (
            _action(S=Name.SubmitForm, F=String("https://x.example")),
            "envoi, import ou effacement de données de formulaire retiré",
        ),
        (
            _action(S=Name.ImportData, F=String("d.fdf")),
            "envoi, import ou effacement de données de formulaire retiré",
        ),
        (
            _action(S=Name.ResetForm),
            "envoi, import ou effacement de données de formulaire retiré",
        ),
        (_action(S=Name.Rendition, OP=1), "contenu multimédia (son, vidéo, 3D) retiré"),
        (_action(S=Name.Sound), "contenu multimédia (son, vidéo, 3D) retiré"),
        (_action(S=Name.Movie), "contenu multimédia (son, vidéo, 3D) retiré"),
        (
            _action(S=Name.GoToR, F=String("autre.pdf"), D=Array([0, Name.Fit])),
            "ouverture d’un autre fichier retirée",
        ),
        (_action(S=Name.GoToE, D=Array([0, Name.Fit])), "ouverture d’un autre fichier retirée"),
        (
            _action(S=Name.URI, URI=String("file:///etc/passwd")),
            "lien vers une adresse autre que web ou courriel retiré",
        ),
        (
            _action(S=Name.URI, URI=String("javascript:alert(1)")),
            "lien vers une adresse autre que web ou courriel retiré",
        ),
        (_action(S=Name.Named, N=Name.Print), "autre action retirée"),
        (
            _action(S=Name.GoTo, D=Array([0, Name.Fit]), Next=_action(S=Name.JavaScript, JS="x")),
            "JavaScript retiré",
        ),
    ],
)
def test_a_link_whose_action_acts_goes(action: Dictionary, warning: str) -> None:
    clean = _check(_document(lambda pdf: _link(pdf, action)), [f"{SHOWN} : {warning} (liens)"])
    assert _links(clean) == []


def test_web_mail_and_internal_links_stay() -> None:
    def links(pdf: Pdf) -> None:
        _link(pdf, _action(S=Name.URI, URI=String("https://www.france-services.gouv.fr")), y=600)
        _link(pdf, _action(S=Name.URI, URI=String("http://www.anct.gouv.fr")), y=560)
        _link(pdf, _action(S=Name.URI, URI=String("mailto:contact@anct.gouv.fr")), y=520)
        _link(pdf, _action(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])), y=480)
        _link(pdf, _action(S=Name.Named, N=Name.NextPage), y=440)

    clean = _check(_document(links), [])
    page_two = PdfReader(io.BytesIO(clean)).pages[1].indirect_reference.idnum
    assert _links(clean) == [
        b"<< /S /URI /Type /Action /URI (https://www.france-services.gouv.fr) >>",
        b"<< /S /URI /Type /Action /URI (http://www.anct.gouv.fr) >>",
        b"<< /S /URI /Type /Action /URI (mailto:contact@anct.gouv.fr) >>",
        f"<< /D [ {page_two} 0 R /Fit ] /S /GoTo /Type /Action >>".encode(),
        b"<< /N /NextPage /S /Named /Type /Action >>",
    ]


def test_javascript_of_outline_items_and_annotations_goes() -> None:
    def anywhere(pdf: Pdf) -> None:
        item = pdf.make_indirect(
            Dictionary(Title=String("Préambule"), A=_action(S=Name.JavaScript, JS=String("x")))
        )
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item))
        item.Parent = outlines
        pdf.Root.Outlines = outlines
        note = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Text,
            Rect=Array([10, 10, 30, 30]),
            Contents=String("Note"),
            AA=Dictionary(E=_action(S=Name.JavaScript, JS=String("x"))),
        )
        pdf.pages[1].obj.Annots = Array([pdf.make_indirect(note)])

    clean = _check(_document(anywhere), [f"{SHOWN} : JavaScript retiré (signets, annotations)"])
    assert not {"/JS", "/JavaScript", "/AA"} & _names(clean)
    with pikepdf.open(io.BytesIO(clean)) as pdf:  # the note and the bookmark themselves stay
        assert str(pdf.pages[1].obj.Annots[0].Contents) == "Note"
        assert str(pdf.Root.Outlines.First.Title) == "Préambule"


def test_embedded_and_attached_files_go() -> None:
    def files(pdf: Pdf) -> None:
        def spec(name: str) -> Dictionary:
            stream = pdf.make_stream(b"MZ...", Type=Name.EmbeddedFile)
            return Dictionary(Type=Name.Filespec, F=String(name), EF=Dictionary(F=stream))

        embedded = Array([String("outil.exe"), pdf.make_indirect(spec("outil.exe"))])
        pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=embedded))
        pdf.Root.AF = Array([pdf.make_indirect(spec("donnees.xml"))])
        clip = Dictionary(
            Type=Name.Annot,
            Subtype=Name.FileAttachment,
            Rect=Array([10, 10, 30, 30]),
            FS=spec("piece.docm"),
        )
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(clip)])

    clean = _check(
        _document(files),
        [
            f"{SHOWN} : fichiers joints retirés "
            "(annotations, pièces jointes du document, fichiers associés)"
        ],
    )
    assert not {"/EmbeddedFile", "/EmbeddedFiles", "/EF", "/AF", "/FileAttachment"} & _names(clean)


def test_multimedia_annotations_go() -> None:
    def media(pdf: Pdf) -> None:
        rect = Array([72, 300, 400, 500])
        pdf.pages[0].obj.Annots = Array(
            [
                pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=subtype, Rect=rect))
                for subtype in (Name.RichMedia, Name.Screen, Name.Movie, Name.Sound, Name("/3D"))
            ]
        )

    clean = _check(
        _document(media), [f"{SHOWN} : contenu multimédia (son, vidéo, 3D) retiré (annotations)"]
    )
    assert not {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D", "/Annots"} & (
        _names(clean) - {"/Annots"}
    )
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert list(pdf.pages[0].obj.Annots) == []


def _text_field(pdf: Pdf, value: str, xfa: bool = False) -> None:
    font = pdf.pages[0].obj.Resources.Font.F1
    appearance = pdf.make_stream(
        f"BT /F1 12 Tf 2 6 Td ({value}) Tj ET".encode(),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, 200, 20]),
        Resources=Dictionary(Font=Dictionary(F1=font)),
    )
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("signataire"),
            V=String(value),
            Rect=Array([72, 700, 272, 720]),
            F=4,
            AP=Dictionary(N=appearance),
            AA=Dictionary(K=_action(S=Name.JavaScript, JS=String("x"))),
            P=pdf.pages[0].obj,
        )
    )
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), DA=String("/Helv 0 Tf 0 g"))
    if xfa:
        pdf.Root.AcroForm.XFA = pdf.make_stream(b"<xdp:xdp/>")


def test_a_form_is_drawn_into_its_page_then_removed() -> None:
    data = _document(lambda pdf: _text_field(pdf, "Jean Dupont", xfa=True))
    clean, warnings = sanitize(data, SHOWN)
    assert warnings == [
        f"{SHOWN} : formulaire retiré (1 champ, figé dans la page tel qu’il s’affichait)",
        f"{SHOWN} : formulaire XFA retiré (vérifiez que ses pages s’affichent dans le dossier)",
    ]
    assert _texts(clean) == [f"{TEXTS[0]}\nJean Dupont", TEXTS[1]]
    assert not {"/AcroForm", "/Widget", "/XFA", "/FT", "/JS"} & _names(clean)


def test_an_owner_password_is_lifted_with_a_warning() -> None:
    data = _document(
        encryption=pikepdf.Encryption(
            owner="proprietaire", user="", allow=pikepdf.Permissions(modify_assembly=False)
        )
    )
    assert PdfReader(io.BytesIO(data)).is_encrypted
    clean = _check(
        data,
        [
            f"{SHOWN} : protection par mot de passe propriétaire retirée (le PDF s’ouvrait "
            "sans mot de passe ; ses pages sont reprises dans le dossier)"
        ],
    )
    assert not PdfReader(io.BytesIO(clean)).is_encrypted


def test_a_pdf_that_needs_a_password_to_open_is_refused_with_the_way_out() -> None:
    data = _document(encryption=pikepdf.Encryption(owner="proprietaire", user="lecture"))
    with pytest.raises(UnreadableFileError) as refused:
        sanitize(data, SHOWN)
    assert str(refused.value) == (
        f"{SHOWN} : PDF protégé par un mot de passe d’ouverture : fsdocs ne peut pas le lire ; "
        "enregistrez-en une copie sans protection (qpdf --decrypt --password=MOT-DE-PASSE "
        "entree.pdf sortie.pdf, ou ouvrez-le avec son mot de passe et « Imprimer en PDF ») et "
        "indiquez cette copie dans « fichier: »"
    )


def _box(data: bytes, page: int) -> list[float]:
    return [float(v) for v in PdfReader(io.BytesIO(data)).pages[page].mediabox]


def test_a_page_without_media_box_gets_a4() -> None:
    def unboxed(pdf: Pdf) -> None:
        pdf.pages[0].obj.MediaBox = Array([0, 0, 612, 792])
        del pdf.pages[1].obj["/MediaBox"]

    data = _document(unboxed)
    with pytest.raises(ValueError, match="/MediaBox"):
        PdfReader(io.BytesIO(data)).pages[1].mediabox  # noqa: B018 (what join.py reads)
    clean = _check(
        data,
        [
            f"{SHOWN} : format de page (/MediaBox) absent ou invalide à la page 2 : format A4 "
            "appliqué, vérifiez son rendu dans le dossier"
        ],
    )
    assert _box(clean, 0) == [0, 0, 612, 792]
    assert _box(clean, 1) == [0, 0, 595.28, 841.89]


def test_pages_with_an_empty_or_broken_media_box_get_a4() -> None:
    def broken(pdf: Pdf) -> None:
        pdf.pages[0].obj.MediaBox = Array([0, 0, 0, 0])
        pdf.pages[1].obj.MediaBox = Array([0, 0, Name.A4, 842])

    clean = _check(
        _document(broken),
        [
            f"{SHOWN} : format de page (/MediaBox) absent ou invalide aux pages 1, 2 : format "
            "A4 appliqué, vérifiez leur rendu dans le dossier"
        ],
    )
    assert _box(clean, 0) == _box(clean, 1) == [0, 0, 595.28, 841.89]


def test_a_pdf_without_pages_is_refused() -> None:
    out = io.BytesIO()
    pikepdf.new().save(out)
    with pytest.raises(UnreadableFileError) as refused:
        sanitize(out.getvalue(), SHOWN)
    assert str(refused.value) == (
        f"{SHOWN} : PDF sans aucune page : vérifiez qu’il s’agit du bon fichier"
    )


def test_garbage_is_refused_in_french_without_a_traceback() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        sanitize(b"%PDF-1.7\n" + bytes(range(256)) * 8, SHOWN)
    message = str(refused.value)
    assert message.startswith(f"{SHOWN} : PDF illisible ou endommagé (")
    assert message.endswith(
        ") : ouvrez-le et enregistrez-le de nouveau avec « Imprimer en PDF », ou réparez-le "
        "avec « qpdf entree.pdf sortie.pdf »"
    )
    assert "Traceback" not in message and "<_io.BytesIO" not in message


def test_a_pdf_that_takes_too_long_to_read_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sanitize_module, "LIMIT_S", 1.0)
    monkeypatch.setattr(sanitize_module, "LIMIT_PER_MB_S", 0.0)
    real_open = pikepdf.open

    def endless(*args: object, **kwargs: object) -> Pdf:
        time.sleep(30)  # a parser lost in a hostile file
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pikepdf, "open", endless)
    started = time.monotonic()
    with pytest.raises(UnreadableFileError) as refused:
        sanitize(_document(), SHOWN)
    assert time.monotonic() - started < 10
    assert str(refused.value) == (
        f"{SHOWN} : lecture du PDF arrêtée après 1 s : il est démesuré ou construit pour "
        "bloquer les lecteurs ; ouvrez-le et enregistrez-le de nouveau avec « Imprimer en PDF »"
    )
