"""Request bodies of the funds API (§6.8); each bad field is named in the 422 answer."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.emergency.funds.rules import Source

Note = Annotated[str, Field(max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DisbursementIn(Strict):
    """拨款申请 for an incident: the amount (yuan), what it is for, and the source of the money (§6.8.1, §6.8.2)."""

    incident_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("999999999999.99"), max_digits=14, decimal_places=2)]
    purpose: Annotated[str, Field(min_length=1, max_length=2000)]
    source: Source = Source.SPECIAL_RESERVE


class DecisionIn(Strict):
    note: Note = ""


class RejectIn(Strict):
    note: Annotated[str, Field(min_length=1, max_length=2000, description="未批准的理由")]


class CompleteIn(Strict):
    voucher_no: Annotated[str, Field(min_length=1, max_length=60, description="拨款凭证号")]
    note: Note = ""
