"""The templates a process makes once for every project drawn with them (production/shared.py)."""

from __future__ import annotations

import os
from pathlib import Path

from fsdocs.production.shared import drawing


def test_projects_with_fsdocs_templates_share_one_drawing(tmp_path: Path) -> None:
    first, second = tmp_path / "41", tmp_path / "90"
    first.mkdir()
    second.mkdir()
    assert drawing(first) is drawing(second)
    assert "@page" in drawing(first).stylesheet


def test_a_template_changed_in_the_process_is_read_again(tmp_path: Path) -> None:
    own = tmp_path / "templates" / "html"
    own.mkdir(parents=True)
    sheet = own / "convention.css"
    sheet.write_text("@page { size: A4 }\n", encoding="utf-8")
    before = drawing(tmp_path)
    assert drawing(tmp_path) is before
    sheet.write_text("@page { size: A4 landscape }\n", encoding="utf-8")
    os.utime(sheet, ns=(0, 10**9))  # another modification time, whatever the clock's grain
    after = drawing(tmp_path)
    assert after is not before
    assert "landscape" in after.stylesheet
    assert after.assets != before.assets
