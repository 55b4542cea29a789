"""Every commissioner workflow step done through the pages (issue 14 item 4), each by the clerk whose step it is:
a street's clerk counts its retirees, hires, rates, files the year's fund application and has its self-report
recorded, sends the 意向书, renews and ends; the application's five steps (112号 第五条) by five other clerks. Each step
answers with its notice after the redirect and shows the new state; each refusal is in words: a clerk who may not
take the step gets the error page saying why, a form missing a field comes back with the field named by its label.
"""
from __future__ import annotations

import html as htmllib
import re
from urllib.parse import unquote

import pytest

from tests.html import unlinked

HTML = {"Accept": "text/html"}
API = "/api/commissioners"
STREET = "/commissioners/streets/东四街道"
# 112号 第五条, walked by five people (the module's demo users; no one takes two steps of one application)
CHAIN = [("review", "ldzx.review", "审核合格", "已审核合格，待劳服中心主任办公会审议"),
         ("centre-meeting", "ldzx.office", "主任办公会通过", "劳服中心主任办公会已审议通过，待局长办公会审议"),
         ("bureau-meeting", "clerk.rsj", "局长办公会通过", "局长办公会已审议通过，待局党组会审议"),
         ("party-group", "rsj.party", "党组会同意", "局党组会已审议同意，待劳服中心拨付"),
         ("disburse", "ldzx.pay", "已拨付", "岗补资金已拨付")]


class Pages:
    """A browser-like walk: open the page as a user, find the form the step is on, send it, follow the redirect."""

    def __init__(self, client, login):
        self.client, self.login, self.tokens = client, login, {}

    def headers(self, user: str) -> dict:
        if user not in self.tokens:
            self.tokens[user] = self.login(user)
        return {**HTML, **self.tokens[user]}

    def get(self, url: str, user: str, status: int = 200) -> str:
        r = self.client.get(url, headers=self.headers(user))
        assert r.status_code == status, (url, r.status_code, r.text[:400])
        return unlinked(r.text)

    def submit(self, page: str, action: str, user: str, data: dict, status: int = 303):
        """Send the form of ``page`` whose action is ``action`` (it must be on the page) with its CSRF token."""
        forms = re.findall(r'<form class="act" method="post" action="([^"#]+)[^"]*"', page)
        assert action in [unquote(htmllib.unescape(f)) for f in forms], (action, forms)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        extra = re.search(r'name="form_token" value="([^"]+)"', page) if action.endswith("/hire") else None
        body = {"csrf_token": token, **({"form_token": extra.group(1)} if extra else {}), **data}
        r = self.client.post(action, data=body, headers=self.headers(user), follow_redirects=False)
        assert r.status_code == status, (action, r.status_code, r.text[:600])
        return r

    def step(self, url: str, action: str, user: str, data: dict) -> tuple[str, str]:
        """A step done: the redirect's page, with its success notice."""
        r = self.submit(self.get(url, user), action, user, data)
        location = r.headers["location"]
        page = self.get(location, user)
        return location, page


def notice(page: str) -> str:
    found = re.search(r'role="status" id="step-notice">✓ (.*?)</div>', page)
    assert found, "no success notice on the page"
    return found.group(1) + "。"


def alert(page: str, form: str) -> str:
    found = re.search(rf'role="alert" id="error-{re.escape(form)}">(.*?)</div>', page, re.S)
    assert found, f"no error beside the form {form}"
    return htmllib.unescape(found.group(1))


@pytest.fixture
def pages(client, login):
    return Pages(client, login)


def test_every_step_through_the_pages(pages):
    street = "bmfw.dongsi"  # 东四街道便民服务中心 (112号 第二条)
    _, page = pages.step(STREET, f"{STREET}/retirees", street, {"retirees": "4000", "as_of": "2022-01-01"})
    assert notice(page).startswith("管理退休人员人数已更新") and "管理退休人员 4000 人 · 配置名额 2 名 · 在聘 0 名" in page

    location, page = pages.step(STREET, f"{STREET}/hire", street, {
        "name": "王秀兰", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    cid = int(re.match(r"/commissioners/(\d+)\?done=commissioners.hire", location).group(1))
    person = f"/commissioners/{cid}"
    assert notice(page) == "服务专员已聘任。" and 'id="term-end">2022-12-31</b>' in page
    assert 'id="trial-end">2022-02-28</b>' in page and "在聘 1 名" in pages.get(STREET, street)

    _, page = pages.step(person, f"{person}/ratings", street, {"year": "2022", "month": "3", "rating": "basic"})
    assert notice(page) == "满意度评价已登记。" and "2022-03 基本满意" in page

    # the year's fund application, filed by the street, then 审核 → 主任办公会 → 局长办公会 → 党组会 → 拨付
    location, page = pages.step(STREET, f"{STREET}/fund-applications", street, {"year": "2022"})
    fund = location.split("?")[0]
    assert notice(page).startswith("岗补资金申请已提交") and 'id="status">已申报</span>' in page
    assert "32600" in page and 'id="step-review"' not in page  # the street files; it does not review
    waiting = pages.get("/commissioners", "ldzx.review")  # where the centre's reviewer finds it
    assert re.search(r'<a href="/commissioners/fund-applications/\d+">东四街道</a></td><td>2022</td><td>32600</td>\s*'
                     r'<td>已申报</td><td>劳服中心审核合格（区劳动服务管理中心）</td>', waiting)
    for step, user, status, done in CHAIN:
        data = {"on": "2022-02-01", "note": f"{step} 纪要"}
        if step == "disburse":
            data = {"on": "2022-02-10", "note": "转账凭证 2022-017", "confirm": "yes"}
        _, page = pages.step(fund, f"{fund}/steps/{step}", user, data)
        assert notice(page) == f"{done}。" and f'id="status">{status}</span>' in page
    actors = re.findall(r'<tr class="step-[^"]+"><td>[^<]*</td><td>[^<]*</td>\s*<td class="nowrap">[^<]*</td>'
                        r'<td>([^<]*)</td>', page)
    assert actors == ["bmfw.dongsi", *(u for _, u, _, _ in CHAIN)]
    assert "转账凭证 2022-017" in page and 'id="next"' not in page  # nothing left to do

    _, page = pages.step(fund, f"{fund}/self-report", street, {"submitted_on": "2023-03-20"})
    assert notice(page) == "资金使用报告已登记收到。" and "2023-03-20 收到" in page and '<span class="tag ok">按时</span>' in page

    # the 意向书, the renewal after it, and the end of the service
    _, page = pages.step(person, f"{person}/notice", street, {"sent_on": "2022-11-20"})
    assert notice(page).startswith("终止或续签劳务协议意向书已登记") and "（2022-11-20 已发出）" in page
    _, page = pages.step(person, f"{person}/renew", street, {"note": "经重新认定，双方协商一致"})
    assert notice(page).startswith("已续签") and "第2期：2023-01-01 至" in page and 'id="term-end">2023-12-31</b>' in page
    _, page = pages.step(person, f"{person}/end", street, {
        "ground": "3", "on": "2023-06-01", "reason": "多次无故缺勤，经街道例会认定", "confirm": "yes"})
    assert notice(page) == "已终止聘用。" and 'id="status">已终止</span>' in page
    assert "2023-06-01 终止：严重违反劳动纪律或规章制度的；多次无故缺勤，经街道例会认定" in page
    assert 'action="/commissioners/{cid}/end' not in page  # an ended service offers no more steps


def test_the_centre_hires_over_quota_renews_without_the_notice_and_rejects(pages, login):
    """The steps only the 区劳动服务管理中心 (or the bureau) takes: 区内统筹调剂 over the quota (111号 §二（二）), a
    renewal without the 意向书 with its reason (§七（一）), and 退回 with a reason and the confirmation."""
    centre = "ldzx.review"
    pages.step(STREET, f"{STREET}/retirees", centre, {"retirees": "0"})
    page = pages.get(STREET, centre)
    refused = pages.submit(page, f"{STREET}/hire", centre, {
        "name": "李建国", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01"}, status=409)
    assert "按2000:1配置名额为0名" in alert(unlinked(refused.text), "hire") and "李建国" in refused.text  # kept
    location, page = pages.step(STREET, f"{STREET}/hire", centre, {
        "name": "李建国", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01", "over_quota": "yes"})
    person = location.split("?")[0]
    assert notice(page) == "服务专员已聘任。"
    _, page = pages.step(person, f"{person}/renew", centre, {"waiver_reason": "意向书因疫情封控未能送达，已电话确认续签"})
    assert notice(page).startswith("已续签") and 'id="renewal-waiver">第2期续签未发意向书：意向书因疫情封控未能送达' in page

    pages.step(STREET, f"{STREET}/retirees", "bmfw.dongsi", {"retirees": "2000"})
    location, page = pages.step(STREET, f"{STREET}/fund-applications", "bmfw.dongsi", {"year": "2023"})
    fund = location.split("?")[0]
    _, page = pages.step(fund, f"{fund}/steps/reject", centre, {"note": "附件1人数与备案不符", "confirm": "yes"})
    assert notice(page) == "申请已退回（未通过）。" and 'id="status">未通过</span>' in page and 'id="next"' not in page


# --- refusals in words ---------------------------------------------------------------------------------------------


@pytest.fixture
def other_street(client, login):
    """A commissioner of 东华门街道 and its disbursed 2022 application: not 东四街道's clerk's to act on."""
    rsj = login("clerk.rsj")
    client.put(f"{API}/streets/东华门街道/retirees", headers=rsj, json={"retirees": 2000})
    cid = client.post(API, headers=rsj, json={"name": "赵淑芬", "street": "东华门街道", "route": "retiree",
                                              "birth_date": "1961-03-01", "start_on": "2022-01-01"}).json()["id"]
    fid = client.post(f"{API}/fund-applications", headers=login("ldzx.office"),
                      json={"street": "东华门街道", "year": 2022}).json()["id"]
    return cid, fid


OWN_STREET = "只能办理本街道（东四街道）的服务专员事项"
WRONG_ROLE = [  # (what, user, url, form, the words of the 403 page)
    ("retirees", "bmfw.dongsi", "/commissioners/streets/东华门街道/retirees", {"retirees": "10"}, OWN_STREET),
    ("hire", "bmfw.dongsi", "/commissioners/streets/东华门街道/hire",
     {"name": "周", "route": "procurement", "start_on": "2022-01-01", "end_on": "2022-12-31"}, OWN_STREET),
    ("file", "bmfw.dongsi", "/commissioners/streets/东华门街道/fund-applications", {"year": "2023"}, OWN_STREET),
    ("rating", "bmfw.dongsi", "/commissioners/{cid}/ratings", {"year": "2022", "month": "1", "rating": "satisfied"},
     OWN_STREET),
    ("notice", "bmfw.dongsi", "/commissioners/{cid}/notice", {}, OWN_STREET),
    ("renew", "bmfw.dongsi", "/commissioners/{cid}/renew", {}, OWN_STREET),
    ("end", "bmfw.dongsi", "/commissioners/{cid}/end", {"ground": "3", "reason": "x", "confirm": "yes"}, OWN_STREET),
    ("self-report", "bmfw.dongsi", "/commissioners/fund-applications/{fid}/self-report", {}, OWN_STREET),
    ("review by the bureau", "clerk.rsj", "/commissioners/fund-applications/{fid}/steps/review", {},
     "“劳服中心审核合格”由区劳动服务管理中心办理"),
    ("review by its filer", "ldzx.office", "/commissioners/fund-applications/{fid}/steps/review", {},
     "您已办理本申请的另一环节，此环节须由他人办理"),
    ("a step by a duty officer", "duty", "/commissioners/fund-applications/{fid}/steps/review", {}, None),
]


@pytest.mark.parametrize(("what", "user", "url", "data", "words"), WRONG_ROLE, ids=[w[0] for w in WRONG_ROLE])
def test_a_clerk_who_may_not_take_the_step_gets_the_error_page_in_words(pages, other_street, what, user, url, data,
                                                                       words):
    cid, fid = other_street
    url = url.format(cid=cid, fid=fid)
    pages.get("/", user)  # any page: the CSRF cookie
    token = pages.client.cookies.get("dc_csrf")
    r = pages.client.post(url, data={"csrf_token": token, **data}, headers=pages.headers(user), follow_redirects=False)
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html"), (r.status_code, r.text[:300])
    refusal = htmllib.unescape(re.search(r'id="refusal">(.*?)</div>', r.text, re.S).group(1))  # the 403 page's reason
    assert re.search(r"[\u4e00-\u9fff]", refusal) and (words is None or words in refusal), refusal
    assert '"error"' not in r.text  # a page, not the API's JSON


def test_the_waiver_and_the_quota_adjustment_are_refused_to_a_street_in_words(pages, client, login):
    rsj = login("clerk.rsj")
    client.put(f"{API}/streets/东四街道/retirees", headers=rsj, json={"retirees": 2000})
    cid = client.post(API, headers=rsj, json={"name": "王秀兰", "street": "东四街道", "route": "retiree",
                                              "birth_date": "1960-05-01", "start_on": "2022-01-01"}).json()["id"]
    page = pages.get(f"/commissioners/{cid}", "bmfw.dongsi")
    assert 'name="waiver_reason"' not in page and "续签前须先发出终止或续签劳务协议意向书" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post(f"/commissioners/{cid}/renew", data={"csrf_token": token, "waiver_reason": "忘了"},
                    headers=pages.headers("bmfw.dongsi"))
    assert r.status_code == 403 and "只有区人力社保局、区劳动服务管理中心可以豁免意向书" in r.text
    assert "未发意向书的原因" in r.text and "waiver_reason" not in r.text  # the field by its label
    assert 'name="over_quota"' not in pages.get(STREET, "bmfw.dongsi")
    r = client.post(f"{STREET}/hire", data={"csrf_token": token, "name": "李", "route": "procurement",
                                            "start_on": "2022-01-01", "end_on": "2022-06-30", "over_quota": "yes"},
                    headers=pages.headers("bmfw.dongsi"))
    assert r.status_code == 403 and "超出名额聘用须由区劳动服务管理中心区内统筹调剂" in r.text and "over_quota" not in r.text


@pytest.fixture
def walked(client, login):
    """东四街道 with a hired commissioner and its 2022 application approved by the party group (disbursement next)."""
    rsj = login("clerk.rsj")
    client.put(f"{API}/streets/东四街道/retirees", headers=rsj, json={"retirees": 2000})
    cid = client.post(API, headers=rsj, json={"name": "王秀兰", "street": "东四街道", "route": "retiree",
                                              "birth_date": "1960-05-01", "start_on": "2022-01-01"}).json()["id"]
    fid = client.post(f"{API}/fund-applications", headers=login("bmfw.dongsi"),
                      json={"street": "东四街道", "year": 2022}).json()["id"]
    for step, user, _, _ in CHAIN[:-1]:
        assert client.post(f"{API}/fund-applications/{fid}/steps/{step}", headers=login(user), json={}).status_code == 200
    return cid, fid


MISSING = [  # (form, user, page, action, form sent, the words beside the form, what must not have changed)
    ("retirees", "bmfw.dongsi", STREET, f"{STREET}/retirees", {"as_of": "2022-01-01"}, "管理退休人员人数：必填"),
    ("hire", "bmfw.dongsi", STREET, f"{STREET}/hire", {"route": "retiree", "start_on": "2022-01-01"}, "姓名：必填"),
    ("hire", "bmfw.dongsi", STREET, f"{STREET}/hire", {"name": "周", "route": "retiree", "start_on": "2022-01-01"},
     "出生日期：聘任退休人员须填写出生日期以核对年龄"),
    ("hire", "bmfw.dongsi", STREET, f"{STREET}/hire", {"name": "周", "start_on": "2022-01-01"}, "聘任方式：必填"),
    ("rating", "bmfw.dongsi", "{person}", "{person}/ratings", {"year": "2022", "rating": "satisfied"}, "月份：必填"),
    ("notice", "bmfw.dongsi", "{person}", "{person}/notice", {"sent_on": "2022-13-01"}, "意向书发出日期：日期格式"),
    ("renew", "bmfw.dongsi", "{person}", "{person}/renew", {}, "续签前须先发出终止或续签劳务协议意向书"),
    ("end", "bmfw.dongsi", "{person}", "{person}/end", {"ground": "3", "confirm": "yes"}, "终止原因：必填"),
    ("end", "bmfw.dongsi", "{person}", "{person}/end", {"ground": "3", "reason": "旷工"}, "确认：请勾选确认"),
    ("end", "bmfw.dongsi", "{person}", "{person}/end", {"reason": "旷工", "confirm": "yes"}, "终止情形：必填"),
    ("file", "bmfw.dongsi", STREET, f"{STREET}/fund-applications", {"insurance_per_person": "200"}, "年度：必填"),
    ("file", "bmfw.dongsi", STREET, f"{STREET}/fund-applications", {"year": "2023", "insurance_per_person": "300"},
     "意外伤害保险（元/人·年）：数值太大"),
    ("disburse", "ldzx.pay", "{fund}", "{fund}/steps/disburse", {"confirm": "yes"}, "拨付说明：必填"),
    ("disburse", "ldzx.pay", "{fund}", "{fund}/steps/disburse", {"note": "凭证 17"}, "确认：请勾选确认"),
    ("reject", "ldzx.pay", "{fund}", "{fund}/steps/reject", {"confirm": "yes"}, "退回原因：必填"),
]


@pytest.mark.parametrize(("form", "user", "url", "action", "data", "words"), MISSING,
                         ids=[f"{m[0]}-{m[5].split('：')[0]}" for m in MISSING])
def test_a_form_missing_a_field_comes_back_with_the_field_named(pages, walked, form, user, url, action, data, words):
    cid, fid = walked
    where = {"person": f"/commissioners/{cid}", "fund": f"/commissioners/fund-applications/{fid}"}
    url, action = url.format(**where), action.format(**where)
    before = pages.get(url, user)
    r = pages.submit(before, action, user, data, status=422 if "必填" in words or "：" in words else 409)
    page = unlinked(r.text)
    said = alert(page, form)
    assert words in said, said
    assert not re.search(r"\b(retirees|name|route|birth_date|month|sent_on|reason|ground|confirm|note|year|"
                         r"insurance_per_person|notice_sent_on)\b", said), said  # labels, never keys
    assert f'action="{action}' in unquote(htmllib.unescape(page))  # the form again, on its page
    for key, value in data.items():  # what was typed is kept
        if key not in ("confirm", "csrf_token") and len(value) > 1:
            assert value in page, (key, value)
    status = re.compile(r'id="status">([^<]*)<|配置名额 (\S+) 名 · 在聘 (\d+) 名')
    assert status.findall(pages.get(url, user)) == status.findall(before)  # nothing half-saved


def test_the_hiring_form_sent_twice_hires_once(pages):
    """A double click or a retry of the same form (its one-time token, the API's Idempotency-Key) goes to the
    commissioner the first submit hired instead of hiring a second time."""
    street = "bmfw.dongsi"
    pages.step(STREET, f"{STREET}/retirees", street, {"retirees": "6000"})
    page = pages.get(STREET, street)
    form = {"name": "王秀兰", "route": "retiree", "birth_date": "1960-05-01", "start_on": "2022-01-01"}
    first = pages.submit(page, f"{STREET}/hire", street, form).headers["location"]
    again = pages.submit(page, f"{STREET}/hire", street, form).headers["location"]
    assert again == first.replace("done=commissioners.hire", "done=commissioners.resubmitted")
    assert notice(pages.get(again, street)).startswith("此聘任表单已提交过，未重复聘任")
    assert "在聘 1 名" in pages.get(STREET, street)
