"""core.validation: pydantic's errors as FieldErrors, with no web framework (the command line uses it)."""
from __future__ import annotations

from datetime import date

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dongcheng.core.errors import FieldError
from dongcheng.core.validation import field_errors, field_name


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2)
    day: date
    count: int = Field(ge=0)
    items: list[int]
    note: str = ""

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        if value == "bad":
            raise ValueError("备注不可用 / note not allowed")
        return value


def _errors() -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        _In.model_validate({"name": "x", "day": "明天", "count": -1, "items": [1, "a"], "note": "bad", "extra": 1})
    return caught.value.errors()


def test_each_field_named_with_its_message():
    fields = {f.field: f for f in field_errors(_errors())}
    assert set(fields) == {"name", "day", "count", "items.1", "note", "extra"}
    assert fields["name"].zh == "太短" and fields["day"].zh == "日期格式应为 YYYY-MM-DD"
    assert fields["count"].zh == "数值太小" and fields["extra"].zh == "不允许的字段"
    assert fields["note"] == FieldError("note", "备注不可用", "note not allowed")  # the validator's own two messages


def test_the_request_location_is_not_part_of_the_name():
    assert field_name(("body", "holidays", 0, "to")) == "holidays.0.to"
    assert field_name(("query", "start")) == "start"
    assert field_name(("body",)) == "body"


def test_a_request_s_errors_named_without_their_location():
    """The API's 422 (api/errors) goes through the same function: the request's errors carry ``body`` / ``query``
    in their location, and the field is named without it."""
    errors = [{**e, "loc": ("body", *e["loc"])} for e in _errors()] + [
        {"type": "missing", "loc": ("query", "start"), "msg": "Field required", "input": None}]
    fields = field_errors(RequestValidationError(errors).errors())
    assert [f.field for f in fields] == ["name", "day", "count", "items.1", "note", "extra", "start"]
    assert fields[-1] == FieldError("start", "必填", "Field required")
    assert fields[:-1] == field_errors(_errors())


def test_an_unknown_error_type_is_still_named():
    assert field_errors([{"type": "url_parsing", "loc": ("site",), "msg": "Input should be a valid URL"}]) == [
        FieldError("site", "取值无效", "Input should be a valid URL")]
