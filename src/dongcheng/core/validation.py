"""Pydantic's validation errors as the platform's ``FieldError`` (the field named, a message in Chinese and English),
for any caller that validates input: the API's handler, the pages' forms, the command line. No web framework here.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dongcheng.core.errors import FieldError

MESSAGES_ZH = {
    "missing": "必填",
    "string_type": "应为文本",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "float_parsing": "应为数字",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601（如 2022-02-01T08:00:00+08:00）",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601",
    "timezone_aware": "时间须带时区",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "json_invalid": "JSON 格式错误",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "value_error": "取值无效",
    "extra_forbidden": "不允许的字段",
}
# Where a request carries the value; not part of the field's name.
_LOCATIONS = ("body", "query", "path", "form", "header", "cookie")


def field_name(loc: Iterable[Any]) -> str:
    """``("body", "holidays", 0, "to")`` → ``holidays.0.to``; the body itself → ``body``."""
    return ".".join(str(p) for p in loc if p not in _LOCATIONS) or "body"


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """``ValidationError.errors()`` (or ``RequestValidationError.errors()``) as FieldErrors. A validator's own
    ``ValueError("中文 / English")`` keeps both its messages."""
    out = []
    for err in errors:
        zh = MESSAGES_ZH.get(err.get("type", ""), "取值无效")
        if err.get("type") == "value_error" and str(err.get("msg", "")).startswith("Value error, "):
            msg = str(err["msg"]).removeprefix("Value error, ")
            zh, _, en = msg.partition(" / ")
            out.append(FieldError(field_name(err.get("loc", ())), zh, en or zh))
            continue
        out.append(FieldError(field_name(err.get("loc", ())), zh, str(err.get("msg", "invalid"))))
    return out
