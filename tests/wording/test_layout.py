"""The page as a proofreader sees it, read back from the PDFs' word boxes: no page left
mostly blank, signature blocks whole with room to sign, a running header on every annex
page, one title style for every annex, and no number parted from what it counts."""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import Built
from tests.readback import PageWords, normalize, pdf_words, pdftotext
from tests.wording.test_parties import GESTIONNAIRES, PARTENAIRES, flat

MM = 72 / 25.4
TOP, BOTTOM = 24 * MM, 22 * MM  # the @page margins of templates/html/convention.css
ANNEXES = (4, 5, 6, 7, 8)
HEADER = "Convention départementale France services de Loir-et-Cher"


def _body(page: PageWords) -> list[tuple[float, float]]:
    """The vertical extent of the words between the running header and the footer."""
    return [(w.y0, w.y1) for w in page.words if w.y0 >= TOP and w.y1 <= page.height - BOTTOM]


def _documents(built: Built) -> dict[str, Path]:
    out = built.root / "output"
    return {"convention": out / "convention.pdf"} | {
        f"annexe {n}": out / f"annexe-{n}.pdf" for n in ANNEXES
    }


@pytest.mark.parametrize("document", ["convention", *(f"annexe {n}" for n in ANNEXES)])
def test_no_page_but_the_last_is_less_than_a_third_full(
    built_default: Built, document: str
) -> None:
    pages = pdf_words(_documents(built_default)[document])
    for number, page in enumerate(pages[:-1], start=1):
        lowest = max(y1 for _, y1 in _body(page))
        filled = (lowest - TOP) / (page.height - TOP - BOTTOM)
        assert filled >= 1 / 3, f"{document}, page {number}: {filled:.0%} full"


@pytest.mark.parametrize("party", [*GESTIONNAIRES, *PARTENAIRES], ids=lambda party: party.nom)
def test_a_signature_block_is_never_split(built_default: Built, party: object) -> None:
    """Name and function are on one page, together (a block never breaks across pages)."""
    pages = [
        flat(re.sub(r"(?<=\w-)\n", "", page)) for page in pdftotext(built_default.pdf).split("\f")
    ]
    block = f"{party.nom} {party.fonction}"  # type: ignore[attr-defined]
    assert sum(block in page for page in pages) == 1


def test_the_prefet_title_is_printed_once_over_his_block(built_default: Built) -> None:
    text = flat(" ".join(pdftotext(built_default.pdf).split("\f")))
    signatures = text.partition(" Fait à ")[2].partition("Les signataires")[2]
    assert signatures.count("Préfet") == 1
    assert signatures.startswith(" Le Préfet de Loir-et-Cher Yves Rousset ")


def test_each_block_has_the_same_room_to_sign(built_default: Built) -> None:
    """Blocks side by side start on one line, and below each row's last line of text there
    is the signing space (24 mm, and the blocks' margins) before the next text or the page's
    end."""
    pages = pdf_words(built_default.pdf)
    first = {p.nom.split()[0]: p.nom.split()[1] for p in (*GESTIONNAIRES, *PARTENAIRES)}
    start = next(i for i, page in enumerate(pages) if any(w.text == "Fait" for w in page.words))
    heading = next(w.y0 for w in pages[start].words if w.text == "signataires")
    rows = 0
    for index, page in enumerate(pages[start:], start=start):
        words = page.words
        names = [
            word
            for word, after in itertools.pairwise(words)
            if first.get(word.text) == after.text and (index > start or word.y0 > heading)
        ]
        by_row: dict[float, list[float]] = {}
        for word in names:
            by_row.setdefault(round(word.y0, 1), []).append(word.x0)
        assert all(len(xs) <= 2 for xs in by_row.values()), by_row
        body = sorted({(w.y0, w.y1) for w in words if w.y1 <= page.height - BOTTOM})
        for top in sorted(by_row):
            # The row's text runs line after line; the first wide gap below it is the space
            # left to sign, up to the next text (heading, row, witness) or the page's end.
            lines = [line for line in body if line[0] >= top]
            room = page.height - BOTTOM - lines[-1][1]
            for upper, lower in itertools.pairwise(lines):
                if lower[0] - upper[1] > 10:
                    room = lower[0] - upper[1]
                    break
            # 24 mm to sign, the block's 5 mm margin and the next one's 2.5 mm padding
            assert room >= 30 * MM, f"page {index + 1}, row at {top:.0f} pt: {room:.0f} pt"
            rows += 1
    assert rows == 6  # 4 gestionnaires and 8 partners, two by two


@pytest.mark.parametrize("number", ANNEXES)
def test_every_annex_page_has_the_running_header(built_default: Built, number: int) -> None:
    path = built_default.root / "output" / f"annexe-{number}.pdf"
    for index, page in enumerate(pdf_words(path), start=1):
        top = normalize(" ".join(w.text for w in page.words if w.y1 <= TOP))
        assert top == f"{HEADER} – Annexe {number}", f"annexe {number}, page {index}: {top!r}"


def test_every_annex_title_has_one_size(built_default: Built) -> None:
    sizes = {}
    for number in ANNEXES:
        page = pdf_words(built_default.root / "output" / f"annexe-{number}.pdf")[0]
        first = next(w for w in page.words if w.y0 >= TOP and w.text == "Annexe")
        sizes[number] = round(first.y1 - first.y0, 1)
    assert len(set(sizes.values())) == 1, sizes


# A number parted from the unit or noun it counts (« 72 » / « heures »), or a word from its
# number (« article » / « 8 »). Running headers and footers are left out, page by page.
SPLIT = re.compile(
    r"\b\d{1,3}\n(?!(?:et|ou|à|au|du|de|des|le|la|les|en|sur)\b)[a-zà-ÿ]"
    r"|\b(?i:article|articles|annexe|annexes|n°)\n\d"
)
FOOTER = re.compile(r"^Page \d+ sur \d+$")


@pytest.mark.parametrize("document", ["convention", *(f"annexe {n}" for n in ANNEXES)])
def test_no_number_is_parted_from_what_it_counts(built_default: Built, document: str) -> None:
    found = []
    for page in pdftotext(_documents(built_default)[document]).split("\f"):
        lines = [normalize(line) for line in page.splitlines()]
        kept = [line for line in lines if line and not FOOTER.match(line) and HEADER not in line]
        joined = "\n".join(kept)
        found += [joined[max(0, m.start() - 30) : m.end() + 20] for m in SPLIT.finditer(joined)]
    assert found == []


def _lists(html: str, kind: str = "") -> list[list[str]]:
    """The items of each list of an HTML output (of class ``kind`` if given), as text."""
    return [
        [
            normalize(unescape(re.sub(r"<[^>]+>", "", item)))
            for item in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)
        ]
        for css, body in re.findall(r'<ul(?: class="([^"]*)")?[^>]*>(.*?)</ul>', html, re.S)
        if not kind or kind in css.split()
    ]


def test_sentence_lists_are_punctuated_and_fact_lists_are_not(built_default: Built) -> None:
    """The style guide of the templates (README, « Typographie »), on the outputs: in a list
    of phrases, each item ends with « ; » or « , » (« et » may follow), the last with a
    period — the parties, three lists joined by « et », are one such list; a list of facts
    has no final punctuation."""
    out = built_default.root / "output"
    convention = (out / "convention.html").read_text("utf-8")
    parties = [item for items in _lists(convention, "parties") for item in items]
    sentences = [[*parties]]
    sentences += [items for items in _lists(convention) if not set(items) <= set(parties)]
    sentences += _lists((out / "annexe-7.html").read_text("utf-8"))
    assert len(parties) == 13 and len(sentences) >= 8
    for items in sentences:
        assert items[-1].endswith("."), items[-1]
        assert all(re.search(r"(?:[;,.]| et)$", item) for item in items[:-1]), items
    facts = _lists((out / "annexe-4.html").read_text("utf-8"))
    assert facts
    for items in facts:
        assert not [item for item in items if re.search(r"[;,.]$", item)], items
