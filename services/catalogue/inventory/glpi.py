"""Import of computers and software from the JSON GLPI's REST API returns.

``GET /apirest.php/Computer?expand_dropdowns=true`` (and ``/Software``) answer a list of objects
(``id``, ``name``, ``serial``, ``entities_id``, ``states_id``, ``computertypes_id``,
``manufacturers_id``, ``is_deleted``, ``is_template``, ``date_mod``…). With expanded dropdowns a
dropdown is its name (``"Entité racine > Ville de Ludres"``), ``"&nbsp;"`` when empty; without,
its numeric id. Each object becomes an inventory item of source ``glpi-computer`` or
``glpi-software`` keyed by the GLPI id. The member is found from the entity through the member
mappings managed in Mutualis (``services.catalogue.inventory.mappings``: the longest mapped
parent path wins); an unmapped entity rejects the item, saying what to map.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from services.catalogue.bulk import ItemError
from services.catalogue.inventory.mappings import MemberMap
from services.catalogue.inventory.service import RawItem

GlpiItemType = Literal["computers", "software"]
SOURCES: dict[str, str] = {"computers": "glpi-computer", "software": "glpi-software"}
SERVER_TYPES = ("server", "serveur")
EMPTY = ("", "&nbsp;", "None")


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return None if text in EMPTY else text


def _retired_on(obj: dict[str, Any], retired_states: list[str]) -> dt.date | None:
    state = _text(obj.get("states_id"))
    deleted = str(obj.get("is_deleted", 0)) in ("1", "true", "True")
    if not deleted and (state is None or state not in retired_states):
        return None
    modified = _text(obj.get("date_mod"))
    try:
        return dt.date.fromisoformat(modified[:10]) if modified else dt.date.today()
    except ValueError:
        return dt.date.today()


def to_items(
    objects: list[Any],
    *,
    itemtype: GlpiItemType,
    members: MemberMap,
    retired_states: list[str],
) -> list[RawItem]:
    """GLPI objects as inventory items; what cannot be mapped is rejected with its field."""
    items = []
    for index, obj in enumerate(objects):
        entry = RawItem(index=index, raw=obj)
        items.append(entry)
        if not isinstance(obj, dict) or _text(obj.get("id")) is None:
            entry.raw = {"external_id": ""}
            entry.errors = [ItemError(field="id", message="a GLPI object with an id is expected")]
            continue
        glpi_id = _text(obj["id"])
        if str(obj.get("is_template", 0)) in ("1", "true", "True"):
            entry.raw = {"external_id": glpi_id}
            entry.errors = [ItemError(field="is_template", message="a GLPI template, not an asset")]
            continue
        member = members.for_entity(_text(obj.get("entities_id")))
        if member is None:
            entry.raw = {"external_id": glpi_id}
            entry.errors = [
                ItemError(
                    field="entities_id",
                    message=f"GLPI entity '{obj.get('entities_id')}' is not mapped to a member: "
                    "map it, or one of its parents, in the GLPI member mappings",
                )
            ]
            continue
        entry.raw = _component(obj, glpi_id or "", itemtype, member, retired_states)
    return items


def _component(
    obj: dict[str, Any], glpi_id: str, itemtype: GlpiItemType, member: str, retired: list[str]
) -> dict[str, Any]:
    name = _text(obj.get("name")) or f"{itemtype} {glpi_id}"
    manufacturer = _text(obj.get("manufacturers_id"))
    if manufacturer and manufacturer.isdigit():  # dropdowns not expanded: an id, not a name
        manufacturer = None
    if itemtype == "computers":
        computer_type = (_text(obj.get("computertypes_id")) or "").lower()
        kind = "server" if any(t in computer_type for t in SERVER_TYPES) else "workstation"
    else:
        kind = "licence"
    retired_on = _retired_on(obj, retired)
    return {
        "external_id": glpi_id,
        "name": f"{name} ({manufacturer})" if manufacturer and itemtype == "software" else name,
        "kind": kind,
        "member_codes": [member],
        **({"retired_on": retired_on.isoformat()} if retired_on else {}),
    }
