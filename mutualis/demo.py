"""Demo data for ``make run``: each service's ``demo.load(session)`` fills an empty database.

A service's loader returns False when its database already holds data, so a second
``make run`` changes nothing. Demo figures are fictional and marked as such.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from kit.db import create_db_engine, make_sessionmaker
from mutualis.apps import DATABASE_APPS, AppSpec

logger = logging.getLogger("mutualis.demo")


def _loader(spec: AppSpec) -> Callable[[Session], bool] | None:
    name = f"{spec.package}.demo"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
    loader: Callable[[Session], bool] = module.load
    return loader


def load_demo_data() -> dict[str, bool]:
    """Load every service's demo data where its database is empty; say which were loaded."""
    loaded: dict[str, bool] = {}
    for spec in DATABASE_APPS:
        loader = _loader(spec)
        if loader is None:
            continue
        engine = create_db_engine(spec.settings().database_url)  # type: ignore[attr-defined]
        try:
            with make_sessionmaker(engine).begin() as session:
                loaded[spec.name] = loader(session)
        finally:
            engine.dispose()
    return loaded
