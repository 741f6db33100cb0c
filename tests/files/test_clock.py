"""``SOURCE_DATE_EPOCH`` is read in one place, and fixes « now » for everything that dates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fsdocs.files.clock import fixed_now, now

PACKAGE = Path(__file__).resolve().parents[2] / "fsdocs"


def test_the_epoch_fixes_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert fixed_now() == now() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "demain", "-5"])
def test_without_a_valid_epoch_now_is_the_clock(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = datetime.now(UTC).replace(microsecond=0)
    assert fixed_now() is None
    assert before <= now() <= datetime.now(UTC)


def test_only_the_clock_reads_the_variable() -> None:
    readers = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if 'environ.get("SOURCE_DATE_EPOCH")' in path.read_text("utf-8")
        or 'getenv("SOURCE_DATE_EPOCH")' in path.read_text("utf-8")
        or 'environ["SOURCE_DATE_EPOCH"]' in path.read_text("utf-8")
    )
    assert readers == ["files/clock.py"]
