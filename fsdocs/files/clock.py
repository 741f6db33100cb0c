"""The one reading of ``SOURCE_DATE_EPOCH``: reproducible builds fix « now » with it."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def fixed_now() -> datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` sets (seconds since 1970, UTC), or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return None


def now() -> datetime:
    """``SOURCE_DATE_EPOCH``'s moment, otherwise the clock's, to the second (UTC)."""
    return fixed_now() or datetime.now(UTC).replace(microsecond=0)
