"""The clause citation every automated decision carries: document number + clause."""
from __future__ import annotations

from dataclasses import dataclass

EMERGENCY_PLAN = "东政发〔2022〕3号"
DIVISION_OF_WORK = "东政办发〔2021〕18号"


@dataclass(frozen=True, slots=True)
class Basis:
    document: str
    clause: str = ""
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.document} {self.clause}".strip()
        return f"{text}（{self.note}）" if self.note else text

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "clause": self.clause, "text": str(self), "note": self.note}

    @classmethod
    def parse(cls, text: str) -> Basis:
        """``"东政发〔2022〕3号 §2.3.6"`` → Basis(document, clause)."""
        document, _, clause = text.strip().partition(" ")
        return cls(document=document, clause=clause.strip())


PLATFORM_DEFAULT = "platform default"


def platform_default(key: str, why: str) -> str:
    """The words a basis carries for a figure the gazette does not give (a platform default): the marker, the
    default's key and why it was chosen, in Chinese and English —
    ``平台默认（platform default quarterly_report_grace）：…``. Every key is a row of the
    README's "Platform defaults" table; tests/test_platform_defaults.py fails when code and table disagree, so a
    module merged later lists its defaults too. Write the key as a literal: the test reads it from the source."""
    return f"平台默认（{PLATFORM_DEFAULT} {key}）：{why}"
