"""Every service's demo speaks of the same members as the registry's demo (a misspelt code
once made the demo billing fail)."""

from __future__ import annotations

from gateway import demo as gateway_demo
from kit.demo import DEMO_MEMBER_CODES
from services.billing import demo as billing_demo
from services.catalogue import demo as catalogue_demo
from services.governance import demo_data as governance_demo
from services.registry import demo as registry_demo

REGISTRY_CODES = {member[0] for member in registry_demo.MEMBERS}


def test_the_shared_codes_are_the_registry_demo_members() -> None:
    assert set(DEMO_MEMBER_CODES) == REGISTRY_CODES
    assert len(DEMO_MEMBER_CODES) == len(REGISTRY_CODES) == 26


def test_each_service_demo_names_only_registry_members() -> None:
    assert set(catalogue_demo.MEMBERS) == REGISTRY_CODES
    assert set(catalogue_demo.GLPI_ENTITIES) == REGISTRY_CODES
    assert set(billing_demo.SCALE) <= REGISTRY_CODES
    assert set(governance_demo.MEMBERS) == REGISTRY_CODES
    assert gateway_demo.DEMO_MEMBER_CODES == DEMO_MEMBER_CODES
