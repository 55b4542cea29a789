"""Vocabularies of the emergency master plan 东政发〔2022〕3号 used by incidents."""
from __future__ import annotations

from enum import StrEnum


class Grade(StrEnum):
    """§1.4.2: 特别重大、重大、较大、一般 (undetermined = None)."""

    GENERAL = "一般"
    LARGER = "较大"
    MAJOR = "重大"
    EXTRAORDINARY = "特别重大"


GRADE_RANK = {Grade.GENERAL: 1, Grade.LARGER: 2, Grade.MAJOR: 3, Grade.EXTRAORDINARY: 4}


class Source(StrEnum):
    """§3.1.5, §4.1.2, §4.1.3: where the information came from."""

    POLICE_110 = "110"
    FIRE_119 = "119"
    HOTLINE_12345 = "12345"
    GRID = "grid"
    DEPARTMENT = "department"
    PUBLIC = "public"


SOURCE_LABELS = {"110": "110 报警", "119": "119 火警", "12345": "12345 市民服务热线", "grid": "网格员",
                 "department": "部门报送", "public": "群众报告"}


class ResponseLevel(StrEnum):
    """§4.3: 一级 highest."""

    ONE = "一级"
    TWO = "二级"
    THREE = "三级"


LEVEL_RANK = {ResponseLevel.THREE: 1, ResponseLevel.TWO: 2, ResponseLevel.ONE: 3}


class Status(StrEnum):
    OPEN = "open"  # received, response not confirmed
    RESPONDING = "responding"  # a response level confirmed
    HANDED_OVER = "handed_over"  # city command leads (§4.3.4, §4.3.6)
    ENDED = "ended"  # §4.8 应急结束
    CLOSED = "closed"  # recovery (§5) finished
    MERGED = "merged"  # a duplicate report, closed into the incident it repeats


STATUS_LABELS = {"open": "已接报", "responding": "响应中", "handed_over": "市级指挥", "ended": "应急结束",
                 "closed": "已结案", "merged": "已合并（重复接报）"}


class DeadlineKind(StrEnum):
    INITIAL = "initial"  # §4.1.5 10 分钟
    DETAILED = "detailed"  # §4.1.4 1 小时
    FOLLOW_UP = "follow_up"  # §4.1.5 每 30 分钟续报


DEADLINE_LABELS = {"initial": "初报（10分钟）", "detailed": "详报（1小时）", "follow_up": "续报（每30分钟）"}


class DeadlineStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    LATE = "late"
    MISSED = "missed"
    CANCELLED = "cancelled"
