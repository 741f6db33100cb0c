"""The default convention says what the convention signed in 2020 says, read back from its outputs.

Three layers, from the scan to the product:

1. ``tests/seed/convention-2020.corrige.txt``, the hand-corrected wording, stays close to the OCR
   of the signed document, part by part: nobody "corrected" the seed into another text.
2. Every sentence of the corrected wording is in the built PDF and DOCX, in the same part
   (préambule, article, signatures…), in order, and the part says nothing else.
3. The whole text matches the golden files of ``tests/wording/golden/``, regenerated only with
   ``pytest --regenerer-golden``.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import RUNNING_HEADER, Built
from tests.readback import docx_body, docx_paragraphs, normalize, pdf_body, pdftotext

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
OCR = TESTS / "seed" / "convention-loir-et-cher-2020.ocr.txt"
OCR_SHA256 = "f80092303f90dba6585827e66a4b68c73c1d9a11c97119ac3341463a4951a4a5"
CORRECTED = TESTS / "seed" / "convention-2020.corrige.txt"
GOLDEN_PDF = HERE / "golden" / "convention.txt"
GOLDEN_DOCX = HERE / "golden" / "convention.docx.txt"

ARTICLES = tuple(f"Article {number}" for number in range(1, 12))
PARTS = ("En-tête", "Préambule", *ARTICLES, "Signatures", "Annexes")


# --- The corrected seed ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    added: bool  # printed by fsdocs, absent from the seed at this place ("+ " lines)


def read_corrected(path: Path = CORRECTED) -> dict[str, list[Line]]:
    """The corrected seed's parts, in file order (syntax: see the file's header)."""
    parts: dict[str, list[Line]] = {}
    current: list[Line] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=== "):
            name = line.removeprefix("=== ").strip()
            if name in parts:
                raise ValueError(f"{path.name}:{number}: part {name!r} appears twice")
            current = parts[name] = []
        elif current is None:
            raise ValueError(f"{path.name}:{number}: text before the first '=== part' line")
        elif line.startswith("+ "):
            current.append(Line(line.removeprefix("+ ").strip(), added=True))
        else:
            current.append(Line(line, added=False))
    return parts


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀ-ÖØ-Þ])")


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences; a heading or a signature line is one "sentence"."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


# --- 1. The corrected seed is faithful to the OCR -------------------------------------------

_OCR_STARTS = (
    ("Préambule", re.compile(r"^\s*Préambule\s*$")),
    ("Article", re.compile(r"^\s*Art\.\s*(\d+)\s*[-.–]")),
    ("Signatures", re.compile(r"^\s*Fait [aà] ")),
    ("Annexes", re.compile(r"^\s*Liste des annexes")),
)


def ocr_parts(text: str) -> dict[str, str]:
    """The OCR cut at its own part boundaries ("Préambule", "Art. 4-", "Fait a …", …)."""
    parts: dict[str, list[str]] = {"En-tête": []}
    current = parts["En-tête"]
    for line in text.splitlines():
        for name, pattern in _OCR_STARTS:
            match = pattern.match(line)
            if match:
                name = f"Article {int(match.group(1))}" if name == "Article" else name
                assert name not in parts, f"the OCR starts {name!r} twice"
                current = parts[name] = []
                break
        current.append(line)
    return {name: "\n".join(lines) for name, lines in parts.items()}


def words(text: str) -> list[str]:
    """Accent-folded, lower-cased words without punctuation: what OCR and correction share."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", text)


@dataclass(frozen=True)
class Fidelity:
    ratio: float  # difflib's similarity of the two word sequences
    longest_change: int  # most consecutive words replaced, dropped or added, on either side


def fidelity(ocr: str, corrected: str) -> Fidelity:
    matcher = difflib.SequenceMatcher(None, words(ocr), words(corrected), autojunk=False)
    changes = [
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    return Fidelity(matcher.ratio(), max(changes, default=0))


# Per part: (lowest similarity, longest run of changed words) the corrected seed may reach.
# The similarity (measured now: 0.89 to 0.99, lowest in the short articles 8 and 9) has a margin
# of about 0.04 and catches a rewritten part. The run catches a sentence dropped or added
# anywhere, even in the long Article 4 where one sentence barely moves the similarity; it has no
# margin on purpose: 3 is the largest documented correction ("à l'article 48 et 105" → "aux
# articles 48 et 105"; art. 9's repeated "avec tacite reconduction").
# The signature page of the OCR is mostly handwriting noise, and its blocks now follow the header
# (documented defect), so it is compared loosely here and strictly with the header below.
RUN = 3
FIDELITY: dict[str, tuple[float, int]] = {
    "En-tête": (0.95, RUN + 1),  # « Centre-Val de Loire »: the CARSAT signed for, 4 words
    "Préambule": (0.92, RUN),
    "Article 1": (0.93, RUN),
    "Article 2": (0.89, RUN),
    "Article 3": (0.94, RUN),
    "Article 4": (0.93, RUN),
    "Article 5": (0.94, RUN),
    "Article 6": (0.92, RUN),
    "Article 7": (0.93, RUN),
    "Article 8": (0.85, RUN),
    "Article 9": (0.85, RUN),
    "Article 10": (0.90, RUN),
    "Article 11": (0.89, RUN),
    "Signatures": (0.67, 28),
    "Annexes": (0.96, RUN),
}
# The lines of the signature page that are not a party's name, function or delegate.
SIGNATURE_FRAME = {
    "Fait à Vievy-le-Rayé, le 6 février 2020.",
    "Les signataires",
    "Le Préfet de Loir-et-Cher",
    "Les gestionnaires France services",
    "Les partenaires France services",
    "En présence de Nicolas Perruchot, Président du Conseil départemental.",
}


def _seed_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines if not line.added)


def test_the_seed_is_a_verbatim_copy_of_the_ocr() -> None:
    """The OCR is evidence: it is never edited, only copied (see tests/seed/README.md)."""
    assert hashlib.sha256(OCR.read_bytes()).hexdigest() == OCR_SHA256


def test_the_corrected_seed_has_every_part_in_order() -> None:
    assert tuple(read_corrected()) == PARTS
    assert tuple(ocr_parts(OCR.read_text(encoding="utf-8"))) == PARTS


@pytest.mark.parametrize("part", PARTS)
def test_the_corrected_seed_is_faithful_to_the_ocr(part: str) -> None:
    ocr = ocr_parts(OCR.read_text(encoding="utf-8"))[part]
    found = fidelity(ocr, _seed_text(read_corrected()[part]))
    lowest, longest = FIDELITY[part]
    assert found.ratio >= lowest and found.longest_change <= longest, (
        f"{part}: the corrected wording drifted from the OCR: {found} "
        f"(allowed: ratio ≥ {lowest}, longest change ≤ {longest} words)"
    )


def test_every_signature_line_comes_from_the_header() -> None:
    """The header list is the source of truth: a signature block repeats it, word for word."""
    corrected = read_corrected()
    header = fold(" ".join(line.text for line in corrected["En-tête"]))
    lines = [line.text for line in corrected["Signatures"] if line.text not in SIGNATURE_FRAME]
    # A name and a function per party (the Préfet's function is his title), and two delegates.
    assert len(lines) == 2 * 13 - 1 + 2
    assert [line for line in lines if fold(line) not in header] == []


@pytest.mark.parametrize("part", [part for part in PARTS if part != "Signatures"])
def test_the_fidelity_check_catches_a_dropped_sentence(part: str) -> None:
    """The check above can fail: drop any sentence longer than the allowed run, and it does."""
    ocr = ocr_parts(OCR.read_text(encoding="utf-8"))[part]
    lines = [line for line in read_corrected()[part] if not line.added]
    lowest, longest = FIDELITY[part]
    tried = 0
    for index, line in enumerate(lines):
        for sentence in sentences(line.text):
            if len(words(sentence)) <= longest:
                continue
            kept = [
                *lines[:index],
                Line(line.text.replace(sentence, ""), False),
                *lines[index + 1 :],
            ]
            found = fidelity(ocr, _seed_text(kept))
            assert found.ratio < lowest or found.longest_change > longest, (
                f"{part}: dropping {sentence!r} went unnoticed ({found})"
            )
            tried += 1
    assert tried, f"{part}: no sentence long enough to try"


# --- 2. The outputs say the corrected seed, article by article ------------------------------


def fold(text: str) -> str:
    """What a reader cannot see or does not read: spaces of every kind, ’ versus ', « » spacing."""
    text = normalize(text).replace("’", "'")
    text = re.sub(r"«\s*", "« ", text)
    return re.sub(r"\s*»", " »", text)


_OUTPUT_STARTS = re.compile(
    r"(?P<preambule>Préambule)|Article (?P<article>\d+)(?:er)? – "
    r"|(?P<signatures>Fait à )|(?P<annexes>Liste des annexes)"
)


def output_parts(text: str) -> list[tuple[str, str]]:
    """A document's flat text cut at its part headings, in document order (repeats kept)."""
    parts: list[tuple[str, str]] = []
    name, start = "En-tête", 0
    for match in _OUTPUT_STARTS.finditer(text):
        parts.append((name, text[start : match.start()]))
        if match["article"]:
            name = f"Article {int(match['article'])}"
        else:
            name = {"preambule": "Préambule", "signatures": "Signatures", "annexes": "Annexes"}[
                str(match.lastgroup)
            ]
        start = match.start()
    parts.append((name, text[start:]))
    return parts


def differences(part: str, expected: list[Line], text: str) -> list[str]:
    """Every sentence of ``expected`` missing from ``text``, and every word it has in excess.

    Sentences are looked for in order, each after the previous one, so a sentence found
    elsewhere in the part does not count, and the text between two found sentences is reported.
    """
    problems: list[str] = []
    position = 0
    for line in expected:
        for sentence in sentences(fold(line.text)):
            found = text.find(sentence, position)
            if found < 0:
                problems.append(f"{part}: sentence missing or altered: {sentence!r}")
                continue
            if extra := text[position:found].strip():
                problems.append(f"{part}: text the seed does not have: {extra!r}")
            position = found + len(sentence)
    if extra := text[position:].strip():
        problems.append(f"{part}: text the seed does not have: {extra!r}")
    return problems


@pytest.fixture(scope="module")
def texts(built_default: Built) -> dict[str, str]:
    return {
        "pdf": fold(pdf_body(built_default.pdf, RUNNING_HEADER)),
        "docx": fold(docx_body(built_default.docx)),
    }


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_the_parts_come_in_the_seeds_order(texts: dict[str, str], output: str) -> None:
    """Préambule, articles 1 to 11, signatures, annexes: none missing, repeated or added."""
    assert [name for name, _ in output_parts(texts[output])] == list(read_corrected())


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_every_sentence_of_the_seed_is_in_its_part(
    texts: dict[str, str], output: str, part: str
) -> None:
    found = dict(output_parts(texts[output]))
    assert part in found, f"{output}: no part {part!r}"
    problems = differences(part, read_corrected()[part], found[part])
    assert not problems, f"{output}, " + f"\n{output}, ".join(problems)


def test_the_comparison_catches_an_altered_sentence() -> None:
    """The article-by-article comparison can fail, and says where."""
    expected = [Line("Première phrase. Deuxième phrase.", False), Line("Troisième.", False)]
    assert differences("Article 9", expected, "Première phrase. Deuxième phrase. Troisième.") == []
    assert differences("Article 9", expected, "Première phrase. Deuxième phrases. Troisième.") == [
        "Article 9: sentence missing or altered: 'Deuxième phrase.'",
        "Article 9: text the seed does not have: 'Deuxième phrases.'",
    ]
    assert differences("Article 9", expected, "Première phrase. Deuxième phrase.") == [
        "Article 9: sentence missing or altered: 'Troisième.'"
    ]
    assert differences("Article 9", expected, "Troisième. Première phrase. Deuxième phrase.") == [
        "Article 9: text the seed does not have: 'Troisième.'",
        "Article 9: sentence missing or altered: 'Troisième.'",
    ]


# --- 3. Golden text -------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfLine:
    page: int
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


_FOOTER = re.compile(r"^Page \d+ sur \d+$")


def _words_by_page(path: Path) -> list[list[ET.Element]]:
    done = subprocess.run(
        ["pdftotext", "-raw", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    )
    xhtml = done.stdout.decode("utf-8")
    root = ET.fromstring(xhtml[xhtml.index("<html") :])
    ns = "{http://www.w3.org/1999/xhtml}"
    return [list(page.iter(f"{ns}word")) for page in root.iter(f"{ns}page")]


def _coordinate(word: ET.Element, name: str) -> float:
    return float(word.attrib[name])


def pdf_lines(path: Path) -> list[PdfLine]:
    """The lines of ``pdftotext -raw`` (drawing order), each with the box of its words.

    ``-raw -bbox`` lists the same words in the same order: a line is aligned with the words
    whose letters it spells. Running headers, page footers and list markers are left out.
    """
    lines: list[PdfLine] = []
    pages = pdftotext(path).split("\f")
    for number, (page_text, page_words) in enumerate(
        zip(pages, _words_by_page(path), strict=False), start=1
    ):
        queue = iter(page_words)
        for text in page_text.splitlines():
            letters = "".join(text.split())
            if not letters:
                continue
            taken: list[ET.Element] = []
            spelled = ""
            while len(spelled) < len(letters):
                word = next(queue, None)
                assert word is not None, f"page {number}: no word left for {text!r}"
                taken.append(word)
                spelled += word.text or ""
            assert spelled == letters, f"page {number}: cannot place {text!r} ({spelled!r})"
            flat = normalize(text)
            if flat in {normalize(RUNNING_HEADER), "–"} or _FOOTER.match(flat):
                continue
            lines.append(
                PdfLine(
                    number,
                    flat,
                    _coordinate(taken[0], "xMin"),
                    _coordinate(taken[-1], "xMax"),
                    min(_coordinate(w, "yMin") for w in taken),
                    max(_coordinate(w, "yMax") for w in taken),
                )
            )
    return lines


def pdf_paragraphs(path: Path) -> list[str]:
    """The PDF's body text, one paragraph (heading, list item, signature line…) per item.

    Lines are grouped by their geometry: within a paragraph the gap between two lines is the
    leading, the most common gap of the document; a larger gap, a jump up (next column) or a
    line starting further right (a nested item) starts a new paragraph. A paragraph continues
    over a page break when its last line on the page is full (justified to the right margin).
    """
    lines = pdf_lines(path)
    right = max(line.x1 for line in lines)
    pairs = list(itertools.pairwise(lines))
    leading = Counter(
        round((b.y0 - a.y1) / (a.y1 - a.y0), 2)
        for a, b in pairs
        if a.page == b.page and b.y0 > a.y0 and abs(b.x0 - a.x0) < 0.5
    ).most_common(1)[0][0]
    paragraphs: list[str] = [lines[0].text]
    for previous, line in pairs:
        if line.page != previous.page:
            continues = previous.x1 >= right - 1.0
        else:
            gap = (line.y0 - previous.y1) / (previous.y1 - previous.y0)
            continues = (
                line.y0 > previous.y0 and gap <= leading + 0.1 and line.x0 < previous.x0 + 0.5
            )
        if not continues:
            paragraphs.append(line.text)
        elif re.search(r"\w[-/]$", paragraphs[-1]):  # "rendez-" / "vous", "et/" / "ou"
            paragraphs[-1] += line.text
        elif paragraphs[-1].endswith("\u2010"):  # "administra‐" / "tives": hyphenation
            paragraphs[-1] = paragraphs[-1][:-1] + line.text
        else:
            paragraphs[-1] += " " + line.text
    return paragraphs


def _compare_golden(golden: Path, actual: list[str], regenerate: bool) -> None:
    text = "\n".join(actual) + "\n"
    if regenerate:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            str(golden.relative_to(TESTS.parent)),
            "built",
        )
    )
    assert text == expected, "differs from the golden text (pytest --regenerer-golden):\n" + diff


def test_pdf_text_matches_the_golden(built_default: Built, regenerate_golden: bool) -> None:
    paragraphs = pdf_paragraphs(built_default.pdf)
    # The grouping into paragraphs only adds line breaks to what every other test reads.
    assert normalize(" ".join(paragraphs)) == pdf_body(built_default.pdf, RUNNING_HEADER)
    _compare_golden(GOLDEN_PDF, paragraphs, regenerate_golden)


def test_docx_text_matches_the_golden(built_default: Built, regenerate_golden: bool) -> None:
    paragraphs = [flat for p in docx_paragraphs(built_default.docx) if (flat := normalize(p))]
    _compare_golden(GOLDEN_DOCX, paragraphs, regenerate_golden)


_FRENCH_TYPOGRAPHY = {
    "two spaces in a row": r"[ \u00a0\u202f]{2}",
    "breakable space or none before ; : ! ?": r"(?<![\u00a0\u202f])[;:!?](?=\s|$)",
    "breakable space or none inside « »": r"«(?!\u00a0)|(?<!\u00a0)»",
    "straight apostrophe or quote": r"['\"]",
    "three dots instead of …": r"\.\.\.",
}


def test_docx_typography_is_french(built_default: Built) -> None:
    """The seed's text, typeset: the DOCX keeps every character as written (the PDF's text
    extraction turns non-breaking spaces into spaces, so it cannot show this)."""
    problems = [
        (rule, text)
        for text in docx_paragraphs(built_default.docx)
        for rule, pattern in _FRENCH_TYPOGRAPHY.items()
        if re.search(pattern, text)
    ]
    assert problems == []
