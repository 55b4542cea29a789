"""May the caller do this? A rule's answer, with the clause that decides it and the refusal in Chinese and English.

Every rule that can refuse returns a ``Decision``; the service calls ``.require()`` and the refusal leaves with the
rule's own words, its status and — when it is about one input — the field or unit it names (a 422 ``detail`` row).
"""
from __future__ import annotations

from dataclasses import dataclass

from dongcheng.core.basis import Basis
from dongcheng.core.errors import DomainError, FieldError


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: Basis
    zh: str = ""
    en: str = ""
    status: int = 403  # a refusal: 403 (not yours to do), 409 (not now), 422 (not this input)
    field: str | None = None  # the input the refusal is about ("unit", "birth_date"): named in the 422 detail

    def error(self) -> DomainError:
        """The refusal as the error that leaves the request (zh + en, status, the named field)."""
        fields = [FieldError(self.field, self.zh, self.en)] if self.field else []
        if self.status == 422 and fields:
            return DomainError("输入有误", "Invalid input", 422, fields)
        return DomainError(self.zh, self.en, self.status, fields)

    def require(self) -> None:
        """Go on if allowed; otherwise refuse with the rule's own words."""
        if not self.allowed:
            raise self.error()


def allow(basis: Basis) -> Decision:
    return Decision(True, basis)


def refuse(basis: Basis, zh: str, en: str, status: int = 403, field: str | None = None) -> Decision:
    return Decision(False, basis, zh, en, status, field)
