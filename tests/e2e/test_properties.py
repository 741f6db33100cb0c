"""Properties checked on generated data (hypothesis): whatever a manager types that is valid
prints as typed in the PDF; whatever is invalid stops with a located French message, writes
nothing, and never shows a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsdocs.french import typography
from tests.conftest import copy_default_project, run_cli
from tests.readback import normalize, pdftotext

EXAMPLES = 25
SALBRIS = Path("annexes") / "structures" / "salbris.yaml"

# Names as people type them: letters with accents, digits, spaces and the punctuation found
# in French organisation names, HTML's special characters included.
NAME_ALPHABET = st.characters(
    max_codepoint=0x24F,  # the Latin letters (and digits) of the documents' typeface
    categories=("Lu", "Ll", "Nd"),
    include_characters=" -'’&<>\"().,/«»éèêàçôîûÉÈÀÇŒœ",
    exclude_characters="\u00ad",
)
NAMES = st.text(NAME_ALPHABET, min_size=3, max_size=60).filter(
    lambda name: name.strip() == name and re.search(r"\w", name) is not None and "  " not in name
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_default_project(tmp_path_factory.mktemp("proprietes") / "projet")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _with_salbris(root: Path, old: str, new: str) -> str:
    path = root / SALBRIS
    original = path.read_text("utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), "utf-8")
    return original


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(name=NAMES)
def test_a_valid_name_prints_as_typed(project: Path, name: str) -> None:
    original = _with_salbris(project, "nom: France services Salbris", f"nom: {json.dumps(name)}")
    try:
        result = run_cli(
            "build", "-C", str(project), "--annexe", "4", "--structure", "salbris",
            "--formats", "pdf,html",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        text = normalize(pdftotext(project / "output" / "structures" / "annexe-4-salbris.pdf"))
        # As typed, through French typography (« 0«0 » prints « 0« 0 »: a space inside « »).
        assert normalize(typography(name)) in text.replace("- ", "-"), (name, text[:300])
    finally:
        (project / SALBRIS).write_text(original, "utf-8")


# Values that break a rule of the model: hours that are not hours, a postcode that is not
# five digits, a date that does not exist, a type that is not one.
INVALID = st.one_of(
    st.tuples(
        st.just("  lundi: 08:30-12:30 / 13:30-17:30"),
        st.from_regex(r"  lundi: [a-z]{1,8}[0-9]{0,3}", fullmatch=True),
    ),
    st.tuples(
        st.just('  code_postal: "41300"'),
        st.from_regex(r'  code_postal: "[0-9]{1,4}"', fullmatch=True),
    ),
    st.tuples(
        st.just("labellisation: 2020-01-01"),
        st.from_regex(r"labellisation: 20[0-9]{2}-(1[3-9]|[2-9][0-9])-0[1-9]", fullmatch=True),
    ),
    st.tuples(st.just("type: fixe"), st.from_regex(r"type: [a-z]{3,10}", fullmatch=True)),
).filter(lambda pair: pair[1] not in ("type: fixe", "type: itinerante", "type: mobile"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(change=INVALID)
def test_an_invalid_value_stops_with_a_located_message_and_writes_nothing(
    project: Path, change: tuple[str, str]
) -> None:
    out = project / "output"
    before = {p.name: p.read_bytes() for p in out.glob("*") if p.is_file()}
    original = _with_salbris(project, *change)
    try:
        checked = run_cli("check", "-C", str(project))
        assert checked.exit_code == 1, (change, checked.output)
        assert "Traceback" not in checked.output
        result = run_cli("build", "-C", str(project), "--formats", "pdf")
        assert result.exit_code == 1, (change, result.output)
        assert "Traceback" not in result.output
        assert re.search(r"annexes/structures/salbris\.yaml:\d+: \S", result.stderr), (
            change,
            result.stderr,
        )
        assert {p.name: p.read_bytes() for p in out.glob("*") if p.is_file()} == before
    finally:
        (project / SALBRIS).write_text(original, "utf-8")
