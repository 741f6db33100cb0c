"""A préfecture changes one article with a five-line template in its project's templates/
that extends fsdocs' own: the article changes in the PDF and the DOCX, nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from fsdocs.errors import FsdocsError
from fsdocs.production.build import Renderer, build
from fsdocs.rules.checked import load_project
from fsdocs.wording.context import get_context
from fsdocs.wording.registry import all_parts
from fsdocs.wording.texts import plain_text
from tests.readback import normalize, pdftotext

OVERRIDE = """{% extends "fsdocs/wording/convention.html.j2" %}
{% block article_9 %}
<h2>Article 9 – Durée de la présente convention</h2>
<p>La présente convention est conclue pour trois ans à compter de sa signature.</p>
{% endblock %}
"""
NEW = "La présente convention est conclue pour trois ans à compter de sa signature."
BLOCKS = ("titre", "parties", "preambule", *(f"article_{n}" for n in range(1, 12)))


def _wording(root: Path) -> list[str]:
    project = load_project(root)
    ctx = get_context(project)
    convention = all_parts(project, ctx)[0]
    text = plain_text(Renderer(project, ctx).fragment(convention))
    return text.replace("\u00a0", " ").replace("\u202f", " ").splitlines()  # « article\u00a09 »


def _article_9(lines: list[str]) -> tuple[int, int]:
    start = next(k for k, line in enumerate(lines) if line.startswith("Article 9 "))
    end = next(k for k, line in enumerate(lines) if line.startswith("Article 10 "))
    return start, end


def test_a_five_line_template_overrides_article_9_only(default_project: Path) -> None:
    before = _wording(default_project)
    (default_project / "templates" / "wording").mkdir(parents=True)
    (default_project / "templates" / "wording" / "convention.html.j2").write_text(OVERRIDE)
    assert len(OVERRIDE.splitlines()) == 5
    after = _wording(default_project)
    (b0, b1), (a0, a1) = _article_9(before), _article_9(after)
    assert before[:b0] == after[:a0]
    assert before[b1:] == after[a1:]
    assert after[a0:a1] == ["Article 9 – Durée de la présente convention", NEW]
    assert before[b0:b1] != after[a0:a1]

    build(default_project, only_convention=True, formats=("pdf", "docx"), jobs=1)
    pdf = normalize(pdftotext(default_project / "output" / "convention.pdf"))
    assert NEW in pdf and "Article 10 – Attribution de juridiction" in pdf
    assert "sans pouvoir excéder celle de l’Accord cadre national" not in pdf
    from docx import Document

    docx = [
        p.text for p in Document(str(default_project / "output" / "convention.docx")).paragraphs
    ]
    assert NEW in docx


def test_every_part_and_article_is_a_block() -> None:
    from fsdocs.wording.jinja import BUILTIN_TEMPLATES

    source = (BUILTIN_TEMPLATES / "wording" / "convention.html.j2").read_text("utf-8")
    for name in (*BLOCKS, "fait", "signatures", "liste_annexes"):
        assert f"{{% block {name} %}}" in source, name


@pytest.mark.parametrize(
    "extends", ["fsdocs/../../../../etc/passwd", "fsdocs/wording/absent.html.j2"]
)
def test_a_builtin_name_outside_the_templates_is_refused(
    default_project: Path, extends: str
) -> None:
    (default_project / "templates" / "wording").mkdir(parents=True)
    (default_project / "templates" / "wording" / "convention.html.j2").write_text(
        f'{{% extends "{extends}" %}}\n'
    )
    with pytest.raises(FsdocsError, match="modèle introuvable"):
        _wording(default_project)
