"""Every page a role opens, read as an accessibility checker would (RGAA basics): French,
a title, one main heading and no skipped level, every form field labelled, every table with
header cells, a link to skip to the content."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.web.conftest import BLOIS, PREFECTURE, RELECTEUR, Person, sign_in

PAGES = {
    "prefecture": (
        PREFECTURE,
        [
            "/",
            "/structures",
            "/structures/blois",
            "/propositions",
            "/controle",
            "/documents",
            "/partenaires",
            "/versions",
            "/comparer",
            "/journal",
        ],
    ),
    "gestionnaire": (BLOIS, ["/", "/structures", "/structures/blois"]),
    "relecteur": (RELECTEUR, ["/", "/versions", "/comparer"]),
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.in_title = False
        self.headings: list[int] = []
        self.fields: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.tables = 0
        self.header_cells = 0
        self.skip_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        elif tag == "title":
            self.in_title = True
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        elif tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            if values.get("type") not in ("submit", "button"):
                self.fields.append(values)
        elif tag == "label" and values.get("for"):
            self.labels.add(values["for"] or "")
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.header_cells += 1
        elif tag == "a" and values.get("href") == "#contenu":
            self.skip_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


@pytest.mark.parametrize("role", sorted(PAGES))
def test_pages_meet_the_basics(app: Flask, role: str) -> None:
    person: Person
    person, urls = PAGES[role]
    client = sign_in(app, person)
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        page = _Page()
        page.feed(answer.get_data(as_text=True))
        assert page.lang == "fr", url
        assert page.title.strip().endswith("– fsdocs"), (url, page.title)
        assert page.headings.count(1) == 1, (url, page.headings)
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, page.headings)  # no level skipped
        for field in page.fields:
            labelled = field.get("id") in page.labels or field.get("aria-label")
            assert labelled, (url, field)
        assert page.header_cells >= page.tables, url
        assert page.skip_link, url
