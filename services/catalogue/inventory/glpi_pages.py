"""Whether a GLPI list posted for a full load is whole, or one page of a longer answer.

GLPI pages its lists (``apirest.php``: ``range=0-49`` by default, answered 206 with
``Content-Range: 0-49/200``; API v2: ``limit``). A full load of one page would retire every
component only found on the other pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """GLPI's ``Content-Range: <first>-<last>/<total>``."""

    first: int
    last: int
    total: int


CONTENT_RANGE = re.compile(r"^\s*(?:items\s+)?(\d+)\s*-\s*(\d+)\s*/\s*(\d+)\s*$")
# the default page of a list: apirest.php's range=0-49, API v2's limit
DEFAULT_PAGE_SIZES = (50, 100)


def parse_content_range(value: str | None) -> Page | None:
    """``"0-49/200"`` as a page; None when absent. A value that is no range is refused."""
    if value is None or not value.strip():
        return None
    found = CONTENT_RANGE.match(value)
    if not found:
        raise ValueError(value)
    first, last, total = (int(g) for g in found.groups())
    return Page(first, last, total)


def partial_reason(count: int, page: Page | None) -> str | None:
    """Why a full load of ``count`` objects looks like one page of a longer list, or None."""
    if page is not None:
        if page.total > count or page.first > 0:
            return (
                f"GLPI's Content-Range {page.first}-{page.last}/{page.total} says this list is "
                f"one page of {page.total} objects ({count} posted)"
            )
        return None
    if count in DEFAULT_PAGE_SIZES:
        return (
            f"{count} objects is exactly GLPI's default page size, and no Content-Range "
            "tells the list is whole"
        )
    return None
