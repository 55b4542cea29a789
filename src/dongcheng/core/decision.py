"""May the caller do this? A rule's answer, with the clause that decides it and the refusal in Chinese and English."""
from __future__ import annotations

from dataclasses import dataclass

from dongcheng.core.basis import Basis
from dongcheng.core.errors import DomainError


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: Basis
    zh: str = ""
    en: str = ""
    status: int = 403  # a refusal: 403 (not yours to do) or 409 (not now)

    def require(self) -> None:
        """Go on if allowed; otherwise refuse with the rule's own words."""
        if not self.allowed:
            raise DomainError(self.zh, self.en, self.status)
