"""Stock as a ledger (应急物资库, 东政发〔2022〕3号 §6.4.1, §6.2.2) — pure.

Stock never changes by editing: every change is a movement (入库, 调拨出库, 归还, 调库, 盘点调整, 报废) and a lot's balance is
the sum of its movements. A movement that would take a lot below zero is refused (409). Alerts the text does not
give a figure for are platform defaults, stated as such.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.emergency.preparedness.enums import MovementKind
from dongcheng.emergency.preparedness.rules import CENTRAL, Acting, clause

LEDGER = clause("§6.4.1", "应急物资的集中管理：库存为出入库记录之和，不得直接修改")
COUNT = clause("§6.4.1", "盘点：实盘数与账面数逐批记录，差额以盘点调整入账")
SCRAP = clause("§6.4.1", "报废须经区应急办批准；" + platform_default(
    "scrap_approval", "报废由区应急办另一人批准（应急管理部门牵头健全应急物资储备管理制度；原文未规定报废程序）"))
EXPIRY_ALERT_DAYS = 30  # platform default: the text gives no figure; configurable (DONGCHENG_EXPIRY_ALERT_DAYS)
EXPIRY_BASIS = clause("§6.4.1", platform_default("expiry_alert_days",
                                                 f"临期预警：{EXPIRY_ALERT_DAYS}天内到期（原文未规定天数，可配置）"))
MINIMUM_BASIS = clause("§6.4.1", "低于最低储备量预警（最低储备量由物资所属单位设定）")

# Signs: what a movement of each kind does to a lot (entered as a positive quantity; an adjustment carries its sign).
SIGN = {MovementKind.RECEIPT: 1, MovementKind.RETURN: 1, MovementKind.TRANSFER_IN: 1, MovementKind.ISSUE: -1,
        MovementKind.TRANSFER_OUT: -1, MovementKind.SCRAP: -1}


def balance(quantities: list[int]) -> int:
    """A lot's balance: the sum of its movements."""
    return sum(quantities)


def may_move(current: int, delta: int, *, lot: str) -> Decision:
    """Stock never goes negative: a movement taking the lot below zero is refused (409: it is not there now)."""
    if current + delta < 0:
        return refuse(LEDGER, f"批次{lot}库存不足：现有{current}，不能减少{-delta}",
                      f"lot {lot}: {current} in stock, cannot take {-delta}", 409)
    return allow(LEDGER)


@dataclass(frozen=True)
class LotBalance:
    lot_id: int
    lot_no: str
    expires_on: date | None
    balance: int


def usable(lot: LotBalance, today: date) -> bool:
    """An expired lot is not issued (it waits for scrapping)."""
    return lot.balance > 0 and (lot.expires_on is None or lot.expires_on >= today)


def allocate(lots: list[LotBalance], quantity: int, today: date, *, item: str) -> tuple[list[tuple[int, int]], Decision]:
    """First expiry, first out (platform default: lots expiring soonest leave first; lots without expiry last):
    [(lot_id, quantity)], or a 409 when the usable stock is short."""
    ordered = sorted((lot for lot in lots if usable(lot, today)),
                     key=lambda lot: (lot.expires_on is None, lot.expires_on or date.max, lot.lot_id))
    available = sum(lot.balance for lot in ordered)
    if available < quantity:
        return [], refuse(CENTRAL, f"“{item}”可用库存{available}，不足{quantity}", f"{item}: {available} usable in "
                          f"stock, {quantity} needed", 409)
    out, left = [], quantity
    for lot in ordered:
        if left == 0:
            break
        take = min(left, lot.balance)
        out.append((lot.lot_id, take))
        left -= take
    return out, allow(CENTRAL)


def signed(kind: MovementKind, quantity: int) -> int:
    """The signed change of a movement entered as a positive quantity (adjustments are entered signed)."""
    return quantity if kind == MovementKind.ADJUSTMENT else SIGN[kind] * quantity


def check_adjustment_reason(reason: str) -> Decision:
    if not reason.strip():
        return refuse(COUNT, "盘点调整须写明原因", "a stock adjustment needs a reason", 422, "reason")
    return allow(COUNT)


def count_difference(booked: int, counted: int) -> int:
    """盘点: counted minus booked is the adjustment entered for the lot (0: none)."""
    return counted - booked


def may_handle_stock(acting: Acting, owner_unit_id: int) -> Decision:
    """The unit that keeps the warehouse books its movements; the 区应急办 for all (§6.4.1 集中管理)."""
    if acting.in_unit(owner_unit_id) or acting.for_committee:
        return allow(LEDGER)
    return refuse(LEDGER, "只有仓库所属单位或区应急办可以办理出入库",
                  "Only the warehouse's unit or the emergency office books stock")


def may_approve_scrap(acting: Acting, proposed_by: str, username: str) -> Decision:
    """报废 needs the approval of the 区应急办, by someone other than who proposed it (four eyes)."""
    if not acting.for_committee:
        return refuse(SCRAP, "报废须经区应急办批准", "Scrapping is approved by the emergency office")
    if proposed_by == username:
        return refuse(SCRAP, "报废申请人不能自行批准", "The proposer cannot approve their own scrapping", 409)
    return allow(SCRAP)


def expiring(expires_on: date | None, today: date, days: int = EXPIRY_ALERT_DAYS) -> bool:
    """A lot with stock that expires within ``days`` (or has expired)."""
    return expires_on is not None and expires_on <= today + timedelta(days=days)


def below_minimum(total: int, minimum: int) -> bool:
    return minimum > 0 and total < minimum


def expiry_basis(days: int) -> Basis:
    return clause("§6.4.1", f"临期预警：{days}天内到期" + ("；" + EXPIRY_BASIS.note if days == EXPIRY_ALERT_DAYS
                                                        else "（按配置）"))
