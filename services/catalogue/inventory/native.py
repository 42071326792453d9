"""The GLPI agent's native inventory format (glpi-project/inventory_format) as a component.

A document has a ``deviceid`` (the agent's stable name for the device), an ``itemtype``
(``Computer`` when absent, ``NetworkEquipment``, ``Printer``, ``Phone``, ``Unmanaged``), an
optional ``tag`` (set in the agent's configuration: where it is deployed), ``partial`` (the
agent sends only the sections that changed, with ``bios`` and ``hardware`` to identify the
device) and the ``content``. Computers are described by ``hardware`` (name, chassis, virtual
machine system) and ``bios`` (serial ``ssn``, manufacturer, model); network devices and
printers by ``network_device`` (name, serial, manufacturer, model, location).

``component_fields`` reads only what the document carries: a field whose key is absent is left
out, so that a partial inventory never blanks what an earlier one stored. The kind comes from
the item type, then the virtual machine markers and the chassis (see ``kind_of``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from services.catalogue.common import ComponentKind

SOURCE = "glpi-agent"
ITEMTYPE_KINDS: dict[str, ComponentKind] = {
    "Computer": "workstation",
    "NetworkEquipment": "network",
    "Printer": "printer",
    "Phone": "telephony",
    "Unmanaged": "other",
}
# hardware.vmsystem values meaning "not a virtual machine" (the agent writes "Physical")
PHYSICAL = {"", "physical"}
# bios manufacturers and models of hypervisors' virtual hardware, compared in lower case
VM_MARKERS = (
    "vmware",
    "qemu",
    "kvm",
    "bochs",
    "virtualbox",
    "innotek",
    "xen",
    "parallels",
    "hyper-v",
    "virtual machine",
    "openstack",
    "amazon ec2",
    "google compute engine",
    "ovirt",
    "proxmox",
    "nutanix",
)
# SMBIOS chassis types (and what agents write for them) of servers and blades
SERVER_CHASSIS = (
    "server",
    "blade",
    "rack mount",
    "multi-system",
    "main server",
)
VM_CHASSIS = ("virtual machine", "virtual")
SERVER_OS_MARKERS = ("server", "esxi", "truenas", "proxmox virtual environment")
MAX_TEXT = 200  # the component's serial, manufacturer, model
SIZES = {"name": 300, "location": 300}


@lru_cache(maxsize=1)
def validator() -> Draft7Validator:
    """The format's JSON schema (draft-07, shipped with this package), with format checks."""
    text = resources.files(__package__).joinpath("inventory.schema.json").read_text("utf-8")
    return Draft7Validator(json.loads(text), format_checker=Draft7Validator.FORMAT_CHECKER)


def schema_errors(document: Any, *, limit: int = 3) -> list[str]:
    """What makes ``document`` fail the schema, each as ``path: message`` (at most ``limit``)."""
    found: list[ValidationError] = []
    try:
        for error in validator().iter_errors(document):
            found.append(error)
            if len(found) >= limit:
                break
    except RecursionError:
        return ["$: nested too deeply"]
    return [f"{error.json_path}: {_short(error.message)}" for error in found]


def _short(message: str, size: int = 120) -> str:
    return message if len(message) <= size else message[: size - 1] + "…"


def _section(content: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = content.get(name)
    return value if isinstance(value, dict) else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return " ".join(str(value).split()) or None


def _first(section: dict[str, Any] | None, *keys: str) -> tuple[bool, str | None]:
    """(carried, value): whether ``section`` holds one of ``keys``, and its first non-empty
    value. A section that is absent carries nothing."""
    if section is None:
        return False, None
    carried = False
    for key in keys:
        if key in section:
            carried = True
            value = _text(section[key])
            if value is not None:
                return True, value
    return carried, None


def itemtype_of(document: dict[str, Any]) -> str:
    itemtype = document.get("itemtype")
    return itemtype if isinstance(itemtype, str) and itemtype else "Computer"


def component_fields(document: dict[str, Any]) -> dict[str, str | None]:
    """name, serial, manufacturer, model, location, as far as ``document`` carries them."""
    content = document.get("content")
    content = content if isinstance(content, dict) else {}
    fields: dict[str, str | None] = {}
    if itemtype_of(document) == "Computer":
        hardware, bios = _section(content, "hardware"), _section(content, "bios")
        sources = {
            "name": (hardware, ("name",)),
            "serial": (bios, ("ssn",)),
            "manufacturer": (bios, ("smanufacturer", "mmanufacturer")),
            "model": (bios, ("smodel",)),
        }
    else:
        device = _section(content, "network_device")
        sources = {
            "name": (device, ("name",)),
            "serial": (device, ("serial",)),
            "manufacturer": (device, ("manufacturer",)),
            "model": (device, ("model",)),
            "location": (device, ("location",)),
        }
    for field, (section, keys) in sources.items():
        carried, value = _first(section, *keys)
        if carried:
            fields[field] = value[: SIZES.get(field, MAX_TEXT)] if value else None
    if "name" in fields and not fields["name"]:
        del fields["name"]  # an empty name is no name: keep the stored one
    return fields


def _lower(*values: Any) -> str:
    return " ".join(str(v).casefold() for v in values if isinstance(v, (str, int)))


def is_virtual(content: dict[str, Any]) -> bool:
    hardware = _section(content, "hardware") or {}
    bios = _section(content, "bios") or {}
    vmsystem = _text(hardware.get("vmsystem"))
    if vmsystem is not None and vmsystem.casefold() not in PHYSICAL:
        return True
    chassis = _lower(hardware.get("chassis_type"))
    if any(marker in chassis for marker in VM_CHASSIS):
        return True
    hardware_text = _lower(
        bios.get("smanufacturer"), bios.get("mmanufacturer"), bios.get("smodel"),
        bios.get("bmanufacturer"),
    )  # fmt: skip
    return any(marker in hardware_text for marker in VM_MARKERS)


def is_server(content: dict[str, Any]) -> bool:
    hardware = _section(content, "hardware") or {}
    chassis = _lower(hardware.get("chassis_type"))
    if any(marker in chassis for marker in SERVER_CHASSIS):
        return True
    system = _section(content, "operatingsystem") or {}
    os_text = _lower(system.get("name"), system.get("full_name"))
    return any(marker in os_text for marker in SERVER_OS_MARKERS)


def kind_of(document: dict[str, Any]) -> ComponentKind:
    """The component kind: from ``itemtype``; a computer is a virtual machine when its
    ``hardware.vmsystem`` is not "Physical", its chassis says so or its BIOS is a
    hypervisor's (VMware, QEMU, VirtualBox, Hyper-V…); a server when its chassis is a
    server's, a blade's or a rack's, or its operating system is a server edition; else a
    workstation."""
    itemtype = itemtype_of(document)
    kind = ITEMTYPE_KINDS.get(itemtype, "other")
    if itemtype != "Computer":
        return kind
    content = document.get("content")
    content = content if isinstance(content, dict) else {}
    if is_virtual(content):
        return "virtual_machine"
    if is_server(content):
        return "server"
    return kind
