"""Path parameters every service reads the same way."""

from typing import Annotated

from fastapi import Path

# A fiscal year is a calendar year; bounded so a typo is a 422, never an overflow.
FiscalYearPath = Annotated[int, Path(ge=2000, le=2100, description="Fiscal year (calendar year)")]
