"""Merging separately rendered parts: each of our faces embedded once, pages unchanged.

Real WeasyPrint renderings, read back with poppler (pdftotext, pdftoppm, pdffonts) and qpdf.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from fsdocs.pdf.fontshare import merge, share_fonts
from fsdocs.pdf.weasy import render_project_pdf

REPO = Path(__file__).resolve().parents[2]
FONTS = sorted((REPO / "templates" / "assets" / "fonts").glob("Inter-*.otf"))
PARTS = 20
WORDS = " ".join(
    (
        "abricot bélier cèdre dôme écluse fjord gîte hêtre île jonc kiwi lœss mûre nœud orée",
        "pâté quête râteau sûreté tréma ultime vœu wagon xérès yéti zèbre Ærø Œuvre Ça",
    )
).split()


def section(number: int) -> str:
    """One structure's page: distinct words, in the four faces, with French punctuation."""
    words = " ".join(WORDS[(number * 7 + k) % len(WORDS)] for k in range(14))
    return (
        f'<section style="break-before: page"><h1>Structure n° {number} — '
        f"{WORDS[number % len(WORDS)]}</h1>"
        f"<p>« {words} » : l’accueil ouvre à {8 + number % 4} h {number * 3 % 60:02d}, "
        f"{number * 137} demandes traitées.</p>"
        f"<p><em>Italique {WORDS[(number + 3) % len(WORDS)]} {number}</em> et "
        f"<strong>semi-gras {WORDS[(number + 5) % len(WORDS)]} {number * 41}</strong>.</p>"
        "</section>"
    )


def html(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="convention.css"></head>'
        f"<body>{body}</body></html>"
    )


def render(body: str) -> bytes:
    return render_project_pdf(html(body), REPO)[0].data


@dataclass(frozen=True)
class Rendered:
    parts: list[bytes]
    single: bytes  # the same pages rendered as one document
    naive: bytes  # the parts appended by pypdf alone
    shared: bytes  # the parts merged by fontshare.merge


def written(writer: PdfWriter) -> bytes:
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    parts = [render(section(number)) for number in range(PARTS)]
    single = render("".join(section(number) for number in range(PARTS)))
    naive = PdfWriter()
    for part in parts:
        naive.append(PdfReader(io.BytesIO(part)))
    return Rendered(parts, single, written(naive), merge(parts, FONTS))


def run(*command: str | Path) -> bytes:
    return subprocess.run(command, check=True, capture_output=True).stdout


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text_of_pages(path: Path) -> list[str]:
    return run("pdftotext", "-layout", path, "-").decode().split("\f")[:-1]


def font_programs(data: bytes) -> set[int]:
    """Object numbers of the font files the fonts of every page point at."""
    programs: set[int] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        programs.add(descriptor.raw_get(key).idnum)
    return programs


def test_merged_file_is_about_the_size_of_one_rendering(rendered: Rendered) -> None:
    single, naive, shared = len(rendered.single), len(rendered.naive), len(rendered.shared)
    print(
        f"\n{PARTS} pages : un seul rendu {single} o, fusion pypdf {naive} o, partagée {shared} o"
    )
    assert shared <= 1.3 * single
    assert naive > 2 * single  # without sharing, each part carries its own fonts


def test_text_is_unchanged(rendered: Rendered, tmp_path: Path) -> None:
    before = [text_of_pages(save(tmp_path, f"{n}.pdf", p))[0] for n, p in enumerate(rendered.parts)]
    after = text_of_pages(save(tmp_path, "shared.pdf", rendered.shared))
    assert after == before
    assert "« " in after[3] and "l’accueil" in after[3] and "Italique" in after[3]


def raster(path: Path, page: int) -> bytes:
    return run("pdftoppm", "-r", "60", "-gray", "-f", str(page), "-l", str(page), path)


@pytest.mark.parametrize("number", [0, 7, PARTS - 1])
def test_pixels_are_unchanged(rendered: Rendered, tmp_path: Path, number: int) -> None:
    before = raster(save(tmp_path, "part.pdf", rendered.parts[number]), 1)
    after = raster(save(tmp_path, "shared.pdf", rendered.shared), number + 1)
    # Widths one thousandth of an em apart are shared (fontshare._WIDTH_TOLERANCE): a glyph
    # may move by a hundredth of a point, which flips a few anti-aliased pixels at most.
    assert len(after) == len(before)
    differing = sum(1 for a, b in zip(after, before, strict=True) if abs(a - b) > 40)
    assert differing <= len(before) // 2000, differing


def test_each_face_is_embedded_once(rendered: Rendered, tmp_path: Path) -> None:
    path = save(tmp_path, "shared.pdf", rendered.shared)
    run("qpdf", "--check", path)  # check=True: fails on any error qpdf reports
    listing = run("pdffonts", path).decode().splitlines()[2:]
    faces = {line.split()[0].split("+")[1] for line in listing}
    assert faces == {"Inter", "Inter-Italic", "Inter-Semi-Bold", "Inter-Bold"}
    assert all(line.split()[-5] == "yes" for line in listing)  # the "emb" column
    assert len(font_programs(rendered.shared)) == len(faces)
    assert len(font_programs(rendered.naive)) == PARTS * len(faces)


def test_share_fonts_counts_the_programs_it_replaced(rendered: Rendered) -> None:
    pdf = pikepdf.new()
    for part in rendered.parts[:3]:
        pdf.pages.extend(pikepdf.open(io.BytesIO(part)).pages)
    assert share_fonts(pdf, FONTS) == 3 * 4
    assert share_fonts(pdf, FONTS) == 4  # already shared: one program per face


def has_font_for(character: str) -> bool:
    listing = subprocess.run(
        ["fc-list", f":charset={ord(character):x}"], capture_output=True, text=True
    )
    return bool(listing.stdout.strip())


def test_fonts_not_ours_are_left_alone(rendered: Rendered, tmp_path: Path) -> None:
    # "中" comes from a system font if one has it; "⟁" is in no font here, so WeasyPrint draws
    # Inter's .notdef through an encoding of its own: both paths must survive the merge.
    other = render("<p>Caractère d’une autre police : 中 et ⟁ sans police.</p>")
    parts = [*rendered.parts[:2], other]
    shared = merge(parts, FONTS)
    path = save(tmp_path, "shared.pdf", shared)
    run("qpdf", "--check", path)
    pages = text_of_pages(path)
    assert pages[:2] == [text_of_pages(save(tmp_path, f"{n}.pdf", parts[n]))[0] for n in (0, 1)]
    assert "⟁ sans police" in pages[2]
    assert raster(path, 3) == raster(save(tmp_path, "other.pdf", other), 1)
    # .ci/run installs fonts-wqy-microhei: without a fallback font this check would prove nothing.
    assert has_font_for("中"), "aucune police du système n’a « 中 » (paquet fonts-wqy-microhei)"
    assert "中" in pages[2]
    listing = run("pdffonts", path).decode()
    fallback = [line for line in listing.splitlines()[2:] if "Inter" not in line]
    assert fallback, listing
    assert all(line.split()[-5] == "yes" for line in fallback)
