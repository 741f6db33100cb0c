"""The dossier's outline under « Convention »: each article, and the signature pages with one
bookmark per signatory, each on the page that shows it."""

from __future__ import annotations

import csv
import re
from typing import Any

from pypdf import PdfReader

from fsdocs.bundle.signers import SIGNERS
from tests.bundle.conftest import Bundled
from tests.readback import normalize

ARTICLES = [
    "Article 1er – Objet de la convention",
    "Article 2 – Missions",
    "Article 3 – Adhésion à la « Charte nationale d’engagement »",
    "Article 4 – Obligations des gestionnaires France services",
    "Article 5 – Obligations des partenaires",
    "Article 6 – Comité de pilotage",
    "Article 7 – Adhésion ou retrait de partenaires locaux",
    "Article 8 – Modalités de gestion de la structure France services",
    "Article 9 – Durée de la présente convention",
    "Article 10 – Attribution de juridiction",
    "Article 11 – Composition de la convention",
]


def _tree(reader: PdfReader, items: list[Any]) -> list[tuple[str, int, list[Any]]]:
    """(title, 0-based page, children) for each bookmark, in order."""
    found: list[tuple[str, int, list[Any]]] = []
    for item in items:
        if isinstance(item, list):
            found[-1][2].extend(_tree(reader, item))
        else:
            found.append((normalize(item.title), reader.get_destination_page_number(item), []))
    return found


def _convention(bundled: Bundled) -> tuple[PdfReader, list[tuple[str, int, list[Any]]]]:
    reader = bundled.reader()
    [(_, _, children)] = [b for b in _tree(reader, reader.outline) if b[0] == "Convention"]
    return reader, children


def _page_text(reader: PdfReader, page: int) -> str:
    return normalize(reader.pages[page].extract_text() or "")


def test_each_article_has_a_bookmark_on_its_page(bundled: Bundled) -> None:
    reader, children = _convention(bundled)
    titles = [title for title, _, _ in children]
    articles = [t for t in titles if t.startswith("Article")]
    assert articles == ARTICLES
    assert titles[0] == "Préambule"
    assert titles.index("Pages de signature") == len(ARTICLES) + 1  # after article 11
    assert titles[-1] == "Liste des annexes"
    for title, page, _ in children:
        if title != "Pages de signature":
            assert title in _page_text(reader, page), (title, page + 1)
    # An article's sections are nested under it.
    missions = next(c for t, _, c in children if t == "Article 2 – Missions")
    assert [t for t, _, _ in missions] == [
        "2.1 Missions principales",
        "2.2 Prestations rendues au public",
    ]
    # The pages go on: no article before the previous one.
    pages = [page for _, page, _ in children]
    assert pages == sorted(pages)


def test_signature_pages_have_one_bookmark_per_signatory_on_the_page_of_its_field(
    bundled: Bundled,
) -> None:
    reader, children = _convention(bundled)
    [(_, first, signatories)] = [c for c in children if c[0] == "Pages de signature"]
    assert "Les signataires" in _page_text(reader, first)
    assert re.search(r"Fait à Vievy-le-Rayé, le 6 février 2020", _page_text(reader, first))
    with bundled.output(SIGNERS).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(signatories) == len(rows) == 13
    for (title, page, _), row in zip(signatories, rows, strict=True):
        assert page + 1 == int(row["page"]), title
        name = f"{row['prenom']} {row['nom']}"
        assert title.startswith(f"{name}, "), title
        assert name in _page_text(reader, page)
    assert signatories[0][0] == "Yves Rousset, Préfet de Loir-et-Cher"
    # For a delegate, the one who signs.
    assert any(t.startswith("Vincent Montmagnon, Directeur en charge") for t, _, _ in signatories)
    # The headings of those pages (« Les signataires », its groups) gave way to them.
    flat = [title for title, _, _ in children] + [t for _, _, c in children for t, _, _ in c]
    assert "Les signataires" not in flat
    assert "Les gestionnaires France services" not in flat


def test_the_outline_counts_its_bookmarks(bundled: Bundled) -> None:
    reader = bundled.reader()

    def count(items: list[Any]) -> int:
        return sum(count(i) if isinstance(i, list) else 1 for i in items)

    # 9 documents, 4 structures; under « Convention »: Préambule, 11 articles, their 16
    # sections, « Pages de signature » and its 13 signatories, « Liste des annexes ».
    assert count(reader.outline) == 9 + 4 + 1 + 11 + 16 + 1 + 13 + 1
