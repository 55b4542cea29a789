"""Value sets of the incubator module (东人社发〔2021〕101号《东城区创业孵化示范基地管理办法》)."""
from __future__ import annotations

from enum import StrEnum


class Route(StrEnum):
    STANDARD = "standard"  # 申报 → 审核及公示 → 认定及授牌 (第八条)
    DIRECT = "direct"  # 国家级、市级示范基地：备案后直接认定 (第十条)
    FORMER = "former"  # 原领导小组认定的示范基地（附件3）：经评估可继续认定 (第十条)


class Status(StrEnum):
    APPLIED = "applied"  # 申报 (第八条（一）)
    MATERIALS_CHECKED = "materials_checked"  # 申报材料真实性、完整性审核 (第八条（二）)
    SITE_VISITED = "site_visited"  # 认定考评小组实地走访
    REVIEWED = "reviewed"  # 评审会通过
    NOTICE = "notice"  # 在数字东城网站公示5个工作日
    CERTIFIED = "certified"  # 认定并授予标牌 (第八条（三）)
    REJECTED = "rejected"  # 审核、评审未通过或公示有异议成立
    REVOKED = "revoked"  # 撤销称号 (第十三条)


STATUS_LABELS = {
    Status.APPLIED: "已申报",
    Status.MATERIALS_CHECKED: "材料审核通过",
    Status.SITE_VISITED: "已实地走访",
    Status.REVIEWED: "评审通过",
    Status.NOTICE: "公示中",
    Status.CERTIFIED: "已认定",
    Status.REJECTED: "未通过",
    Status.REVOKED: "已撤销",
}


class Action(StrEnum):
    CHECK_MATERIALS = "check-materials"
    VISIT_SITE = "visit-site"
    REVIEW = "review"
    START_NOTICE = "start-notice"
    OBJECT = "object"  # 公示期间收到异议
    RESOLVE_OBJECTION = "resolve-objection"
    CERTIFY = "certify"
    RECOGNISE = "recognise"  # 第十条 直接认定
    CONTINUE = "continue"  # 第十条 附件3 所列基地经评估继续认定
    REJECT = "reject"
    REVOKE = "revoke"


ACTION_LABELS = {
    Action.CHECK_MATERIALS: "材料审核", Action.VISIT_SITE: "实地走访", Action.REVIEW: "评审会",
    Action.START_NOTICE: "开始公示", Action.OBJECT: "登记异议", Action.RESOLVE_OBJECTION: "处理异议",
    Action.CERTIFY: "认定并授牌", Action.RECOGNISE: "直接认定", Action.CONTINUE: "评估并继续认定",
    Action.REJECT: "不予认定", Action.REVOKE: "撤销称号",
}


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_GIVEN = "not_given"


OUTCOME_LABELS = {Outcome.MET: "符合", Outcome.NOT_MET: "不符合", Outcome.NOT_GIVEN: "未提供"}
