"""Budget imputation (M57) of a title's lines: nature, function, chapter, per fiscal year and kind
of debtor, with defaults; and the split of a title into one accounting line per nature.

Defaults (to be checked against the M57 chart by the accountant; each can be changed per year
and per kind of debtor through ``PUT /imputations/{year}/{debtor_kind}``):
member communes — 70845 (mise à disposition de personnel, the payroll share), 70875
(remboursements de frais, every other operating amount), 13141 (investment);
other bodies — 70848, 70878, 1318.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from services.billing.engine.money import to_cents

LINE_KINDS = ("payroll", "operating", "investment")
COMMUNE_KINDS = ("commune",)


@dataclass(frozen=True)
class Account:
    nature: str
    function: str
    chapter: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


DEFAULTS: dict[str, dict[str, Account]] = {
    "commune": {
        "payroll": Account("70845", "020", "70"),
        "operating": Account("70875", "020", "70"),
        "investment": Account("13141", "020", "13"),
    },
    "default": {
        "payroll": Account("70848", "020", "70"),
        "operating": Account("70878", "020", "70"),
        "investment": Account("1318", "020", "13"),
    },
}
MANDATE_OPERATING = Account("673", "020", "67")  # titres annulés sur exercices antérieurs


def debtor_group(member_kind: str) -> str:
    return "commune" if member_kind in COMMUNE_KINDS else "default"


def resolve_with_source(
    member_kind: str, configured: dict[tuple[str, str], Account]
) -> dict[str, tuple[Account, str]]:
    """Each line kind's account for a debtor and where it comes from: configured for its kind,
    else (for a body that is not a commune) configured for ``default``, else the defaults."""
    group = debtor_group(member_kind)
    out: dict[str, tuple[Account, str]] = {}
    for line_kind in LINE_KINDS:
        own = configured.get((member_kind, line_kind))
        shared = configured.get(("default", line_kind)) if group == "default" else None
        chosen = own or shared
        if chosen is not None:
            out[line_kind] = (chosen, "configured")
        else:
            out[line_kind] = (DEFAULTS[group][line_kind], "default")
    return out


def resolve(member_kind: str, configured: dict[tuple[str, str], Account]) -> dict[str, Account]:
    return {k: a for k, (a, _) in resolve_with_source(member_kind, configured).items()}


def line_kind(line: dict[str, Any]) -> str:
    if line["section"] == "investment":
        return "investment"
    return "payroll" if line["kind"] == "payroll" else "operating"


def accounting_lines(
    lines: Iterable[dict[str, Any]], accounts: dict[str, Account], *, total_cents: int
) -> list[dict[str, Any]]:
    """One line per nature, amounts in cents, adding up to ``total_cents``.

    The cap reduction (écrêtement) is negative: it is taken from the largest nature first, then
    the next, so that every accounting line stays positive (PES requires it) whatever the mix.
    """
    amounts: dict[str, int] = {}
    reduction = 0
    for line in lines:
        cents = to_cents(line["amount"])
        if line["kind"] == "cap":
            reduction += -cents
            continue
        kind = line_kind(line)
        amounts[kind] = amounts.get(kind, 0) + cents
    for kind in sorted(amounts, key=lambda k: (-amounts[k], k)):
        taken = min(reduction, amounts[kind])
        amounts[kind] -= taken
        reduction -= taken
    out: list[dict[str, Any]] = [
        {"line_kind": kind, **accounts[kind].as_dict(), "amount_cents": cents}
        for kind, cents in sorted(amounts.items(), key=lambda kv: LINE_KINDS.index(kv[0]))
        if cents > 0
    ]
    if sum(int(x["amount_cents"]) for x in out) != total_cents:  # a bug, never a rounding choice
        raise ValueError("accounting lines do not add up to the title's total")
    return out
