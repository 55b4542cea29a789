"""Domain errors carry their HTTP status and a message in Chinese and English; one handler renders them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    zh: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "msg_zh": self.zh, "msg_en": self.en}


@dataclass
class DomainError(Exception):
    zh: str
    en: str
    status_code: int = 400
    fields: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # sent with the response (Retry-After of a 429)

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    def to_dict(self) -> dict:
        body: dict = {"error": {"status": self.status_code, "msg_zh": self.zh, "msg_en": self.en}}
        if self.fields:
            body["detail"] = [f.to_dict() for f in self.fields]
        return body


def not_found(what_zh: str, what_en: str, key: object) -> DomainError:
    return DomainError(f"未找到{what_zh}：{key}", f"{what_en} not found: {key}", 404)


def forbidden(zh: str, en: str) -> DomainError:
    return DomainError(zh, en, 403)


def conflict(zh: str, en: str) -> DomainError:
    return DomainError(zh, en, 409)


def invalid(field_name: str, zh: str, en: str) -> DomainError:
    """A 422 naming one bad field."""
    return DomainError("输入有误", "Invalid input", 422, [FieldError(field_name, zh, en)])


def unauthorized() -> DomainError:
    return DomainError("请先登录", "Authentication required", 401)
