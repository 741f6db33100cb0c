"""``signataires.csv``, read back against the dossier's own /Sig fields."""

from __future__ import annotations

import csv
from pathlib import Path

from pypdf import PdfReader

from fsdocs.bundle.signers import COLUMNS, SIGNERS
from tests.bundle.conftest import Bundled


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert tuple(header) == COLUMNS
        return [dict(zip(header, row, strict=True)) for row in reader]


def _fields(pdf: Path) -> list[tuple[str, int]]:
    """Each signature field of the PDF, in the form's order: its name and 1-based page."""
    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    found = []
    for reference in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        assert field["/FT"] == "/Sig"
        found.append((str(field["/T"]), pages[field.raw_get("/P").idnum]))
    # The widget is on the page it names: nothing points elsewhere.
    for n, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig":
                assert (str(widget["/T"]), n) in found
    return found


def test_one_row_per_signature_field_in_the_dossier_in_order(bundled: Bundled) -> None:
    rows = _rows(bundled.output(SIGNERS))
    fields = _fields(bundled.pdf)
    assert len(rows) == len(fields) == 13
    assert [(r["champ"], int(r["page"])) for r in rows] == fields
    assert [int(r["ordre"]) for r in rows] == list(range(1, 14))


def test_the_file_is_utf8_with_a_header_and_crlf(bundled: Bundled) -> None:
    data = bundled.output(SIGNERS).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert lines[-1] == "" and len(lines) == 15


def test_each_row_says_who_signs_as_the_dossier_prints_it(bundled: Bundled) -> None:
    rows = {r["champ"]: r for r in _rows(bundled.output(SIGNERS))}
    assert rows["signature-prefet"] == {
        "ordre": "1",
        "champ": "signature-prefet",
        "page": rows["signature-prefet"]["page"],
        "civilite": "Monsieur",
        "prenom": "Yves",
        "nom": "Rousset",
        "qualite": "Préfet de Loir-et-Cher",
        "organisme": "État",
        "courriel": "",
    }
    # The function completed with its body, typographic apostrophes as printed.
    quartiers = rows["signature-quartiers-proximite"]
    assert quartiers["qualite"] == "Président de l’association Quartiers Proximité"
    assert quartiers["organisme"] == "Association Quartiers Proximité"
    assert rows["signature-la-poste-41"]["organisme"] == "La Poste"  # a proper name keeps « La »
    # A delegate signs: his name, his function, « pour » the holder of the office.
    caf = rows["signature-caf-41"]
    assert (caf["civilite"], caf["prenom"], caf["nom"]) == ("Monsieur", "Vincent", "Montmagnon")
    assert caf["qualite"] == (
        "Directeur en charge des prestations et de la politique d’accueil, pour Madame\u00a0"
        "Elodie\u00a0Hemery-Bricout, Directrice départementale de la Caisse d’allocations "
        "familiales de Loir-et-Cher"
    )
    assert caf["organisme"] == "Caisse d’allocations familiales de Loir-et-Cher"
    assert "Hemery-Bricout" not in caf["nom"]


def test_a_known_email_is_listed(bundled: Bundled, tmp_path: Path) -> None:
    import shutil

    from tests.bundle.conftest import bundle_default

    root = shutil.copytree(bundled.root, tmp_path / "projet")
    partenaires = root / "signatories" / "partenaires.yaml"
    text = partenaires.read_text("utf-8")
    delegate = "      nom: Montmagnon\n"
    assert text.count(delegate) == 1
    partenaires.write_text(
        text.replace(delegate, delegate + "      courriel: vincent.montmagnon@caf.fr\n"), "utf-8"
    )
    bundle_default(root)
    rows = {r["champ"]: r for r in _rows(root / "output" / SIGNERS)}
    assert rows["signature-caf-41"]["courriel"] == "vincent.montmagnon@caf.fr"
    assert rows["signature-cpam-41"]["courriel"] == ""


def test_every_signing_space_has_one_size_and_each_row_one_height(bundled: Bundled) -> None:
    """Blocks of different lengths side by side: their fields are as large, level, and two
    by two (the Préfet alone on his row)."""
    rects: list[tuple[int, list[float]]] = []
    for number, page in enumerate(bundled.reader().pages, start=1):
        for annotation in page.get("/Annots") or []:
            field = annotation.get_object()
            if field.get("/FT") == "/Sig":
                rects.append((number, [round(float(v), 1) for v in field["/Rect"]]))
    assert len(rects) == 13
    assert len({(round(x1 - x0), round(y1 - y0)) for _, (x0, y0, x1, y1) in rects}) == 1
    rows: dict[tuple[int, float], list[float]] = {}
    for number, (x0, y0, _, _) in rects:
        rows.setdefault((number, y0), []).append(x0)
    assert sorted(len(xs) for xs in rows.values()) == [1, *[2] * 6]
    assert len({tuple(sorted(xs)) for xs in rows.values() if len(xs) == 2}) == 1  # two columns
