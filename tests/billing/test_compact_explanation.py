"""The explanation kept as integers and formatted when read gives the lines the engine gave
before, to the character (golden result written by ``golden/make_run_golden.py`` at the previous
revision), and survives its storage format (zlib'd JSON blob) unchanged."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import orjson
import pytest

from services.billing.engine import explanation
from services.billing.engine.compute import compute
from tests.billing.golden.make_run_golden import golden_snapshot, result_document

GOLDEN = Path(__file__).parent / "golden" / "run_golden.json.gz"


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(gzip.decompress(GOLDEN.read_bytes()))
    return data


def test_compute_gives_the_golden_result_to_the_character(golden: dict[str, Any]) -> None:
    # JSON round trip: tuples become lists, as they do in the API
    now = orjson.loads(orjson.dumps(result_document(golden_snapshot())))
    assert now["totals"] == golden["totals"]
    assert now["payroll"] == golden["payroll"]
    assert now["pools"] == golden["pools"]
    assert [m["code"] for m in now["members"]] == [m["code"] for m in golden["members"]]
    for member, expected in zip(now["members"], golden["members"], strict=True):
        assert member == expected, member["code"]
    kinds = {line["kind"] for m in golden["members"] for line in m["lines"]}
    assert kinds == {"payroll", "direct", "indirect", "cap"}  # the golden covers every kind


def test_a_stored_blob_explains_the_member_as_computed(golden: dict[str, Any]) -> None:
    result = compute(golden_snapshot())
    for member, expected in zip(result.members, golden["members"], strict=True):
        blob = member.encoded()
        assert explanation.decode(blob, member.cap) == expected["lines"]
    # compact: the 40 members' explanations weigh far less than their formatted lines
    stored = sum(len(m.encoded()) for m in result.members)
    formatted = sum(len(orjson.dumps(m["lines"])) for m in golden["members"])
    assert stored * 5 < formatted


def test_an_unknown_blob_format_is_refused_not_misread() -> None:
    import zlib

    with pytest.raises(ValueError, match="unknown explanation format"):
        explanation.decode(zlib.compress(orjson.dumps({"v": 99})), None)
