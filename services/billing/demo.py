"""Demo data of billing for ``make run``: fiscal years 2024–2026 and history 2021–2023.

Every figure here is FICTIONAL (données fictives): plausible orders of magnitude for the payroll
envelope of a metropolitan IT department and for what each member paid before Mutualis.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.billing import demo_settlements
from services.billing.models import FiscalYear, HistoryTotal

# fictional payroll envelopes (masse salariale), in cents
ENVELOPES = {2024: 285_000_000, 2025: 293_550_000, 2026: 302_350_000}

# invoiced members and a fictional workstation scale, used only to make the history plausible
SCALE = {
    "art-sur-meurthe": 14,
    "essey-les-nancy": 95,
    "houdemont": 31,
    "jarville-la-malgrange": 88,
    "laxou": 142,
    "ludres": 76,
    "malzeville": 84,
    "maxeville": 97,
    "nancy": 1420,
    "pulnoy": 46,
    "saint-max": 72,
    "saulxures-les-nancy": 39,
    "seichamps": 44,
    "vandoeuvre-les-nancy": 365,
    "villers-les-nancy": 158,
    "ccas-nancy": 120,
    "ccas-vandoeuvre-les-nancy": 35,
    "opera-national-de-lorraine": 110,
    "sillon-lorrain": 9,
    "sivu-saint-michel-jericho": 6,
    "syndicat-intercommunautaire-scolaire": 12,
    "dommartemont": 8,
    "fleville-devant-nancy": 27,
    "heillecourt": 41,
    "syndicat-creche-frimousse": 5,
}
# fictional cost per workstation billed before Mutualis, by year (cents)
PER_WORKSTATION = {2021: 61_000, 2022: 63_500, 2023: 66_000}


def _history_cents(index: int, code: str, year: int) -> int:
    # a deterministic ±9 % spread so that some members are capped and others are not
    spread = 100 + ((index * 7 + year * 3) % 19) - 9
    return SCALE[code] * PER_WORKSTATION[year] * spread // 100


def load(session: Session) -> bool:
    """Fill an empty billing database; change nothing and return False otherwise."""
    if session.scalar(select(func.count()).select_from(FiscalYear)):
        return False
    for year, envelope in ENVELOPES.items():
        session.add(
            FiscalYear(year=year, payroll_envelope_cents=envelope, cap_enabled=True, cap_window=3)
        )
    for index, code in enumerate(SCALE):
        for year in PER_WORKSTATION:
            if code == "syndicat-creche-frimousse" and year == 2021:
                continue  # fictional: joined the old scheme in 2022, two years of history
            session.add(
                HistoryTotal(
                    fiscal_year=year,
                    member_code=code,
                    operating_total_cents=_history_cents(index, code, year),
                    source="demo",
                )
            )
    demo_settlements.load(session)  # two communes settle 2026 through their AC
    session.flush()
    return True
