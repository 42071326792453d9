"""Import of the asset lists GLPI's APIs answer, in either of their two shapes.

- **Legacy** ``apirest.php`` (``GET /apirest.php/Computer?expand_dropdowns=true``): flat rows
  whose dropdowns are ``*_id`` columns (``entities_id``, ``computertypes_id``,
  ``computermodels_id``, ``manufacturers_id``, ``states_id``, ``locations_id``…) holding the
  dropdown's name with expanded dropdowns (``"&nbsp;"`` when empty), its numeric id without.
- **API v2** (GLPI 11, ``GET /api.php/v2/Assets/Computer``): every foreign key a nested
  ``{"id", "name"}`` (``entity`` also has ``completename``): ``entity``, ``type``, ``model``,
  ``manufacturer``, ``status``, ``location``; ``is_deleted`` a boolean.

The shape is told object by object; both give the same component. Texts are HTML-decoded
(GLPI's legacy API writes ``&amp;``, ``&#039;``); a bare numeric id stands for no name (only
an entity keeps its id, which the member mappings may name). Each asset type has its own
source (``glpi-computer``, ``glpi-network-equipment``, ``glpi-printer``, ``glpi-phone``,
``glpi-licence``), so a full load of one type never retires another; the external id is
GLPI's ``id``. End of support comes from the licence's ``expire`` or from the asset's
financial information (``_infocoms``, see ``glpi_infocom``); a list that carries neither
leaves the stored end of support alone.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any, Literal

from kit.i18n import say
from services.catalogue.bulk import ItemError
from services.catalogue.inventory.glpi_infocom import end_of_support, parse_date
from services.catalogue.inventory.glpi_kinds import computer_kind
from services.catalogue.inventory.mappings import MemberMap
from services.catalogue.inventory.service import RawItem

GlpiItemType = Literal[
    "computers", "network-equipment", "printers", "phones", "licences", "software"
]


@dataclass(frozen=True)
class AssetType:
    glpi: str  # GLPI's itemtype
    source: str
    kind: str  # the component kind when nothing says otherwise
    type_column: str  # legacy column of the type dropdown
    model_column: str | None


ASSET_TYPES: dict[str, AssetType] = {
    "computers": AssetType(
        "Computer", "glpi-computer", "workstation", "computertypes_id", "computermodels_id"
    ),
    "network-equipment": AssetType(
        "NetworkEquipment",
        "glpi-network-equipment",
        "network",
        "networkequipmenttypes_id",
        "networkequipmentmodels_id",
    ),
    "printers": AssetType(
        "Printer", "glpi-printer", "printer", "printertypes_id", "printermodels_id"
    ),
    "phones": AssetType("Phone", "glpi-phone", "telephony", "phonetypes_id", "phonemodels_id"),
    "licences": AssetType(
        "SoftwareLicense", "glpi-licence", "licence", "softwarelicensetypes_id", None
    ),
}
SOURCE_OF_ITEMTYPE = {t.glpi: t.source for t in ASSET_TYPES.values()}
V2_KEYS = ("entity", "type", "model", "manufacturer", "status", "location")
# GLPI Software rows (installed software) carry these; a licence never does
SOFTWARE_MARKERS = ("softwarecategories_id", "is_helpdesk_visible", "is_update", "category")


def text(value: Any) -> str | None:
    """A GLPI text as a person reads it: HTML entities decoded, blanks (``&nbsp;``) empty."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    decoded = html.unescape(html.unescape(str(value))).strip()
    return decoded or None


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true")


def is_v2(obj: dict[str, Any]) -> bool:
    """API v2 nests its foreign keys; the legacy list has ``*_id`` columns."""
    return any(isinstance(obj.get(key), dict) for key in V2_KEYS) or (
        "entities_id" not in obj and "entity" in obj
    )


def _dropdown(obj: dict[str, Any], v2_key: str, column: str | None, *, v2: bool) -> str | None:
    """A dropdown's name, whichever the shape; None for an id without its name."""
    if v2:
        value = obj.get(v2_key)
        if isinstance(value, dict):
            return text(value.get("completename")) or text(value.get("name"))
        return None if isinstance(value, int) else text(value)
    value = obj.get(column) if column else None
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return None  # dropdowns not expanded: an id, not a name
    return text(value)


def entity_of(obj: dict[str, Any], *, v2: bool) -> str | None:
    """The entity's complete name (its id when GLPI gave only that: mappings may name ids)."""
    value = obj.get("entity") if v2 else obj.get("entities_id")
    if isinstance(value, dict):
        name = text(value.get("completename")) or text(value.get("name"))
        return name or (str(value["id"]) if value.get("id") is not None else None)
    return None if value is None else text(value)


@dataclass
class Asset:
    """One GLPI object as read, whichever its shape."""

    id: str
    name: str | None
    entity: str | None
    type: str | None
    model: str | None
    manufacturer: str | None
    location: str | None
    state: str | None
    serial: str | None
    deleted: bool
    template: bool
    modified: str | None
    software: str | None


def read(obj: dict[str, Any], asset_type: AssetType) -> Asset:
    v2 = is_v2(obj)
    name = text(obj.get("name"))
    if v2 and asset_type.glpi == "SoftwareLicense":
        name = text(obj.get("completename")) or name
    return Asset(
        id=text(obj.get("id")) or "",
        name=name,
        entity=entity_of(obj, v2=v2),
        type=_dropdown(obj, "type", asset_type.type_column, v2=v2),
        model=_dropdown(obj, "model", asset_type.model_column, v2=v2),
        manufacturer=_dropdown(obj, "manufacturer", "manufacturers_id", v2=v2),
        location=_dropdown(obj, "location", "locations_id", v2=v2),
        state=_dropdown(obj, "status", "states_id", v2=v2),
        serial=text(obj.get("serial")),
        deleted=_truthy(obj.get("is_deleted")),
        template=_truthy(obj.get("is_template")),
        modified=text(obj.get("date_mod")),
        software=None if v2 else _dropdown(obj, "", "softwares_id", v2=False),
    )


def kind_of(asset: Asset, asset_type: AssetType) -> str:
    """A computer is a virtual machine, a server (blades included) or a workstation; other
    types have their own kind."""
    if asset_type.glpi != "Computer":
        return asset_type.kind
    return computer_kind(
        computer_type=asset.type,
        model=asset.model,
        manufacturer=asset.manufacturer,
        serial=asset.serial,
    )


def _retired_on(asset: Asset, retired_states: list[str]) -> dt.date | None:
    retired = {s.casefold() for s in retired_states}
    if not asset.deleted and (asset.state is None or asset.state.casefold() not in retired):
        return None
    return parse_date(asset.modified) or dt.date.today()


def _end_of_support(obj: dict[str, Any], asset_type: AssetType) -> tuple[bool, dt.date | None]:
    """(given, date): a licence's ``expire`` first, then the inline ``_infocoms``."""
    if asset_type.glpi == "SoftwareLicense" and parse_date(obj.get("expire")):
        return True, parse_date(obj.get("expire"))
    infocom = obj.get("_infocoms")
    if isinstance(infocom, dict) and infocom:
        return True, end_of_support(infocom)
    if asset_type.glpi == "SoftwareLicense" and "expire" in obj:
        return True, None  # GLPI says: no expiry
    return False, None


def _rejected(entry: RawItem, key: str, field: str, message: str) -> None:
    entry.raw = {"external_id": key}
    entry.errors = [ItemError(field=field, message=message)]


def to_items(
    objects: list[Any],
    *,
    itemtype: str,
    members: MemberMap,
    retired_states: list[str],
) -> list[RawItem]:
    """GLPI objects as inventory items; what cannot be mapped is rejected with its field."""
    asset_type = ASSET_TYPES[itemtype]
    items = []
    for index, obj in enumerate(objects):
        entry = RawItem(index=index, raw=obj)
        items.append(entry)
        if not isinstance(obj, dict) or text(obj.get("id")) is None:
            _rejected(
                entry,
                "",
                "id",
                say(
                    "a GLPI object with an id is expected", "Un objet GLPI avec son id est attendu."
                ),
            )
            continue
        asset = read(obj, asset_type)
        v2 = is_v2(obj)
        if asset.template:
            _rejected(
                entry,
                asset.id,
                "is_template",
                say("a GLPI template, not an asset", "Un modèle GLPI, pas un équipement."),
            )
            continue
        if asset_type.glpi == "SoftwareLicense" and any(k in obj for k in SOFTWARE_MARKERS):
            _rejected(
                entry,
                asset.id,
                "id",
                say(
                    "a GLPI Software (installed software), not a SoftwareLicense: only licences "
                    "are billed",
                    "Un logiciel installé (Software de GLPI), pas une licence (SoftwareLicense) : "
                    "seules les licences sont refacturées.",
                ),
            )
            continue
        member = members.for_entity(asset.entity)
        if member is None:
            field = "entity" if v2 else "entities_id"
            _rejected(
                entry,
                asset.id,
                field,
                say(
                    f"GLPI entity '{asset.entity or ''}' is not mapped to a member: map it, or "
                    "one of its parents, in the GLPI member mappings",
                    f"L'entité GLPI « {asset.entity or ''} » n'a pas d'adhérent : associez-la, "
                    "ou l'une de ses entités parentes, dans les correspondances GLPI.",
                ),
            )
            continue
        entry.raw = _component(obj, asset, asset_type, member, retired_states)
        given, _ = _end_of_support(obj, asset_type)
        if not given:
            entry.leave_alone = frozenset({"end_of_support_on"})
    return items


def _component(
    obj: dict[str, Any], asset: Asset, asset_type: AssetType, member: str, retired: list[str]
) -> dict[str, Any]:
    name = asset.name or f"{asset_type.glpi} {asset.id}"
    if asset.software and asset.software.casefold() not in name.casefold():
        name = f"{asset.software} — {name}"
    retired_on = _retired_on(asset, retired)
    _, end = _end_of_support(obj, asset_type)
    component: dict[str, Any] = {
        "external_id": asset.id,
        "name": name[:300],
        "kind": kind_of(asset, asset_type),
        "member_codes": [member],
        "serial": asset.serial[:200] if asset.serial else None,
        "manufacturer": asset.manufacturer[:200] if asset.manufacturer else None,
        "model": asset.model[:200] if asset.model else None,
        "location": asset.location[:300] if asset.location else None,
    }
    if end:
        component["end_of_support_on"] = end.isoformat()
    if retired_on:
        component["retired_on"] = retired_on.isoformat()
    return component
