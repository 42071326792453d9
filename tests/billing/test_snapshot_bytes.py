"""The canonical bytes of a snapshot are those of the standard library's canonical JSON, so a
hash taken yesterday is the hash recomputed today."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.billing.engine.snapshot import canonical_bytes

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_bytes_equal_the_standard_canonical_json(doc: dict[str, Any]) -> None:
    expected = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_bytes(doc) == expected.encode()


def test_tuples_are_arrays_and_french_text_stays_as_is() -> None:
    doc = {"usage": [("storage_gb", "vandoeuvre-les-nancy", "12.50")], "name": "Opéra"}
    assert (
        canonical_bytes(doc)
        == '{"name":"Opéra","usage":[["storage_gb","vandoeuvre-les-nancy","12.50"]]}'.encode()
    )
