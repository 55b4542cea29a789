"""A refusal says what was refused and why: the action in words, the caller's role and the roles that have it (read
from the permission table), in Chinese and English — the API's 403 body and the 403 page alike — and the page offers
the way back to the home page."""
from __future__ import annotations

import re

from dongcheng.auth import permission_names, rules
from dongcheng.auth.permissions import PERMISSIONS
from dongcheng.auth.roles import ROLE_LABELS, Role

HTML = {"Accept": "text/html"}


def test_every_action_of_the_permission_table_has_words():
    assert sorted(set(PERMISSIONS) - set(permission_names.NAMES)) == []
    assert sorted(set(permission_names.NAMES) - set(PERMISSIONS)) == []  # no words for an action that is gone
    assert {s for row in PERMISSIONS.values() for s in row.values()} <= set(permission_names.SCOPES)


def test_the_refusal_names_the_action_the_role_and_who_has_it():
    d = rules.may(Role.CLERK, "accountability.read")
    assert not d.allowed and d.status == 403
    assert d.zh == ("无权执行此操作：查阅迟报漏报统计。您的角色“经办人”没有此权限；"
                    "可办理的角色：值班员、区领导、部门用户（限本单位）。")
    assert "read the late and missing reports (accountability.read)" in d.en and "Your role (clerk)" in d.en
    assert "duty officer, district leader, department user (own unit only)" in d.en


def test_the_holders_follow_the_table_not_a_list_of_their_own():
    for action, row in PERMISSIONS.items():
        refused = next((r for r in Role if r not in row), None)
        if refused is None:
            continue
        d = rules.may(refused, action)
        holders = d.zh.split("可办理的角色：", 1)[1]
        assert [h for h in ROLE_LABELS.values() if h in holders] == [ROLE_LABELS[r] for r in Role if r in row], action
        assert permission_names.NAMES[action][0] in d.zh and f"({action})" in d.en


def test_the_api_answers_the_same_words(client, login):
    r = client.get("/api/accountability/reports", headers=login("clerk.rsj"))
    assert r.status_code == 403
    error = r.json()["error"]
    assert error["msg_zh"].startswith("无权执行此操作：查阅迟报漏报统计") and "accountability.read" in error["msg_en"]


def test_the_page_says_what_was_refused_why_and_offers_the_way_home(client, login):
    r = client.get("/accountability", headers={**HTML, **login("clerk.rsj")})
    assert r.status_code == 403
    page = r.text
    assert "<h1>无权访问" in page and "无权执行此操作：查阅迟报漏报统计" in page
    assert "您的角色“经办人”没有此权限；可办理的角色：值班员、区领导、部门用户（限本单位）" in page
    assert "Not allowed: read the late and missing reports" in page  # and in English
    assert re.search(r'<a class="button" id="refusal-home" href="/">返回首页', page)
    assert "您当前登录为" in page and "平台管理员" in page
