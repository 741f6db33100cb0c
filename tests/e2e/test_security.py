"""Safety of the build: escaping, no template injection, confined resources, atomic outputs."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import RUNNING_HEADER, run_cli
from tests.readback import docx_body, pdf_body

HOSTILE_ORG = 'Dupont & Fils <SARL> "l\'Atelier"'
INJECTION = "{{ 7*7 }} {% if true %}oui{% endif %}"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} absent de {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _outputs(root: Path) -> dict[str, bytes]:
    out = root / "output"
    # The documents, not the build cache (output/.cache), which only ever saves time.
    if not out.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture
def hostile_project(default_project: Path) -> Path:
    gest = default_project / "signatories" / "gestionnaires.yaml"
    _replace(
        gest,
        "fonction: Président de l'association Quartiers Proximité",
        "fonction: 'Président de " + HOSTILE_ORG.replace("'", "''") + "'",
    )
    _replace(gest, "nom: Léger", f"nom: '{INJECTION}'")
    return default_project


def test_markup_and_template_syntax_in_data_print_as_typed(hostile_project: Path) -> None:
    result = run_cli("build", "--projet", str(hostile_project))
    assert result.exit_code == 0, result.output
    out = hostile_project / "output"
    # French typography turns the straight quotes and apostrophe into « » and ’.
    expected_org = "Dupont & Fils <SARL> « l’Atelier »"
    pdf = pdf_body(out / "convention.pdf", RUNNING_HEADER)
    docx = docx_body(out / "convention.docx")
    for text in (pdf, docx):
        assert f"Président de {expected_org}" in text
        assert "Jean {{ 7*7 }} {% if true %}oui{% endif %}" in text
        assert " 49 " not in text
    html = (out / "convention.html").read_text("utf-8")
    assert "Dupont &amp; Fils &lt;SARL&gt;" in html
    assert "<SARL>" not in html
    # The DOCX is well-formed XML: every part parses, and the text survived escaping.
    with zipfile.ZipFile(out / "convention.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert "Dupont &amp; Fils &lt;SARL&gt;" in document


@pytest.mark.parametrize(
    "rule",
    [
        '@import url("http://example.invalid/x.css");',
        'body { background: url("file:///etc/passwd"); }',
        'body { background: url("../../../../../../etc/hostname"); }',
    ],
    ids=["http", "file-etc-passwd", "relative-escape"],
)
def test_resources_outside_the_templates_are_refused(default_project: Path, rule: str) -> None:
    first = run_cli("build", "--convention", "--projet", str(default_project))
    assert first.exit_code == 0, first.output
    before = _outputs(default_project)
    css = default_project / "templates" / "html" / "convention.css"
    css.parent.mkdir(parents=True)
    builtin = Path(__file__).resolve().parents[2] / "templates" / "html" / "convention.css"
    css.write_text(rule + "\n" + builtin.read_text("utf-8"), "utf-8")

    result = run_cli("build", "--convention", "--projet", str(default_project))

    assert result.exit_code == 1
    assert "ressource refusée" in result.output
    assert "Traceback" not in result.output
    assert _outputs(default_project) == before  # the previous good build is untouched


def test_a_template_symlinked_outside_is_refused(default_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.css"
    outside.write_text("body { color: red; }", "utf-8")
    html_dir = default_project / "templates" / "html"
    html_dir.mkdir(parents=True)
    (html_dir / "convention.css").symlink_to(outside)

    result = run_cli("build", "--convention", "--projet", str(default_project))

    assert result.exit_code == 1
    assert "hors du dossier des modèles" in result.output
    assert not (default_project / "output" / "convention.pdf").exists()


def test_an_output_folder_leading_outside_is_refused(default_project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (default_project / "output").symlink_to(elsewhere)

    result = run_cli("build", "--convention", "--projet", str(default_project))

    assert result.exit_code == 1
    assert "mène hors du projet" in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_failed_write_leaves_previous_outputs_and_no_temporary_file(
    default_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("build", "--convention", "--projet", str(default_project)).exit_code == 0
    before = _outputs(default_project)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if ".cache" not in Path(dst).parts:  # the disk fills when the documents are written
            calls["n"] += 1
            if calls["n"] == 1:
                raise OSError(28, "No space left on device")
        real_replace(src, dst)

    # A changed fact, so that the convention is written again (an unchanged file is not).
    convention = default_project / "convention.yaml"
    text = convention.read_text(encoding="utf-8")
    convention.write_text(text.replace("lieu: Vievy-le-Rayé", "lieu: Blois"), encoding="utf-8")
    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli("build", "--convention", "--projet", str(default_project))

    assert result.exit_code == 1
    assert "écriture impossible" in result.output
    assert _outputs(default_project) == before
    out = default_project / "output"
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"] == []
    assert list(out.rglob("*.tmp")) == []
