"""Migrations stay safe for rolling upgrades: while old and new pods run side by side, no
release drops or renames what the previous release's code still reads (expand, then contract).

A destructive operation in ``upgrade()`` is allowed only in a migration that says, in a
``# contract: <why>`` comment, which earlier release stopped using the column or table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kit.migrations import migrations_dir
from mutualis.apps import DATABASE_APPS

DESTRUCTIVE = {"drop_column", "drop_table", "drop_constraint", "rename_table"}


def destructive_calls(source: str) -> list[str]:
    """The destructive Alembic operations called by ``upgrade()`` (renames included)."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    name = call.func.attr
                    renames = name == "alter_column" and any(
                        k.arg == "new_column_name" for k in call.keywords
                    )
                    if name in DESTRUCTIVE or renames:
                        found.append(name)
    return found


def migration_files() -> list[Path]:
    return sorted(
        path
        for spec in DATABASE_APPS
        for path in (migrations_dir(spec.name) / "versions").glob("*.py")
    )


@pytest.mark.parametrize("path", migration_files(), ids=lambda p: p.name)
def test_upgrade_is_additive_unless_it_declares_a_contract(path: Path) -> None:
    source = path.read_text()
    calls = destructive_calls(source)
    if calls:
        assert re.search(r"#\s*contract:\s*\S", source), (
            f"{path.name} {calls} in upgrade(): split into expand now, contract in a later "
            "release, and say so with a '# contract: <release that stopped using it>' comment"
        )


def test_the_policy_sees_a_dropped_column() -> None:
    source = (
        "def upgrade():\n    with op.batch_alter_table('t') as b:\n        b.drop_column('c')\n"
    )
    assert destructive_calls(source) == ["drop_column"]
    rename = "def upgrade():\n    op.alter_column('t', 'a', new_column_name='b')\n"
    assert destructive_calls(rename) == ["alter_column"]
    assert destructive_calls("def downgrade():\n    op.drop_table('t')\n") == []
