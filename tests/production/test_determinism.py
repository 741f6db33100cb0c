"""``fsdocs build`` is reproducible: same project, same documents, whatever the clock says.

Builds run as separate processes with different hash seeds, so that an order that depends on
Python's hashing (sets, dict of sets) would show; the only date a build may take from its
environment is SOURCE_DATE_EPOCH, for the PDF's modification date.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from pypdf import PdfReader

from tests.conftest import SOURCE_DATE_EPOCH, copy_default_project
from tests.readback import docx_paragraphs, pdftotext

SIGNED = "D:20200206120000+00'00"  # the signature date, 6 February 2020, at noon UTC
LATER_EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC
LATER = "D:20231114221320+00'00"


@dataclass(frozen=True)
class Observed:
    """What a reader can observe of one build's outputs."""

    pdf_text: str
    pdf_metadata: dict[str, str]
    docx_text: list[str]
    docx_properties: tuple[str, str, datetime | None, datetime | None, int]


def build(root: Path, epoch: str | None, hash_seed: str) -> Observed:
    """Build ``root`` in a fresh process, with SOURCE_DATE_EPOCH set to ``epoch`` or unset."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = hash_seed
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    done = subprocess.run(
        [sys.executable, "-m", "fsdocs", "build", "--projet", str(root)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pdf, docx = root / "output" / "convention.pdf", root / "output" / "convention.docx"
    info = PdfReader(pdf).metadata
    assert info is not None
    core = Document(str(docx)).core_properties
    return Observed(
        pdftotext(pdf),
        {str(key): str(value) for key, value in info.items()},
        docx_paragraphs(docx),
        (core.title, core.author, core.created, core.modified, core.revision),
    )


def test_two_builds_in_a_row_are_identical(tmp_path: Path) -> None:
    first_copy = copy_default_project(tmp_path / "un")
    other_copy = copy_default_project(tmp_path / "deux")
    first = build(first_copy, SOURCE_DATE_EPOCH, hash_seed="1")
    again = build(first_copy, SOURCE_DATE_EPOCH, hash_seed="2")  # over its own output
    elsewhere = build(other_copy, SOURCE_DATE_EPOCH, hash_seed="3")
    assert again == first
    assert elsewhere == first
    assert first.pdf_metadata == {
        **first.pdf_metadata,  # /Creator, /Producer: tool versions, compared between builds above
        "/CreationDate": SIGNED,
        "/ModDate": SIGNED,
        "/Title": "Convention départementale France services de Loir-et-Cher",
        "/Author": "Préfecture de Loir-et-Cher",
        "/Subject": "Convention tripartite entre l’État, les gestionnaires des France services "
        "et les partenaires France services",
        "/Keywords": "France services, convention départementale, Loir-et-Cher, 2020",
    }


def test_source_date_epoch_dates_the_modification_only(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH (pinned in the test above) moves /ModDate, nothing else; without it
    the build reads no clock and dates everything on the signature."""
    root = copy_default_project(tmp_path / "projet")
    later = build(root, LATER_EPOCH, hash_seed="1")
    unset = build(root, None, hash_seed="1")
    assert (later.pdf_metadata["/CreationDate"], later.pdf_metadata["/ModDate"]) == (SIGNED, LATER)
    assert (unset.pdf_metadata["/CreationDate"], unset.pdf_metadata["/ModDate"]) == (SIGNED, SIGNED)
    assert later.pdf_text == unset.pdf_text
    assert later.docx_text == unset.docx_text
