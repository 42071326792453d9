"""The kind of a computer GLPI knows: a hypervisor's guest, a server (blades included) or a
workstation, from its type (GLPI's ComputerType, which the agent fills with the chassis type),
model, manufacturer and serial."""

from __future__ import annotations

import re

# words of a computer type (ComputerType, or the agent's chassis type) meaning a server
SERVER_WORDS = {"server", "serveur", "serveurs", "servers", "blade", "blades", "lame", "lames"}
SERVER_PHRASES = ("rack mount", "main server chassis", "multi-system chassis")
# a computer type, model or manufacturer that names a hypervisor's guest
VIRTUAL_PATTERN = re.compile(
    r"virtual|virtuel|vmware|qemu|kvm|\bxen\b|hvm domu|virtualbox|innotek|parallels|bochs|bhyve",
    re.IGNORECASE,
)


def is_virtual(*values: str | None, serial: str | None = None) -> bool:
    """A type, model or manufacturer naming a hypervisor's guest, or a VMware serial."""
    return any(VIRTUAL_PATTERN.search(v) for v in values if v) or (serial or "").lower().startswith(
        "vmware-"
    )


def is_server(computer_type: str | None) -> bool:
    """Server words matched as words (``Lame``, never inside another word)."""
    lowered = (computer_type or "").casefold()
    words = set(re.findall(r"\w+", lowered))
    return bool(words & SERVER_WORDS) or any(p in lowered for p in SERVER_PHRASES)


def computer_kind(
    *,
    computer_type: str | None,
    model: str | None = None,
    manufacturer: str | None = None,
    serial: str | None = None,
) -> str:
    """``virtual_machine`` (a guest typed "Serveur" is still a guest), ``server`` or
    ``workstation``."""
    if is_virtual(computer_type, model, manufacturer, serial=serial):
        return "virtual_machine"
    return "server" if is_server(computer_type) else "workstation"
