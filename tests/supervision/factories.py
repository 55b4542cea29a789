"""Shared helpers for the supervision tests: institutions with real-looking codes whose check digit is computed."""
from __future__ import annotations

from dongcheng.supervision.institutions.rules import uscc_check_digit

BASE = "/api/supervision"


def code(n: int) -> str:
    """A syntactically valid 统一社会信用代码 for a test institution (东城 区划 110101, 事业单位 12 or 社会 52)."""
    body = f"121101{n:09d}00"[:17]
    return body + uscc_check_digit(body)


def register(client, headers, n: int, **over):
    body = {"name": f"测试医院{n}", "uscc": code(n), "kind": "医院", "street": "东四街道", "ownership": "public",
            "licence_no": f"PDY{n:05d}", "risk": "medium", **over}
    return client.post(f"{BASE}/institutions", headers=headers, json=body)
