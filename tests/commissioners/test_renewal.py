"""续签 in the order of 东人社发〔2021〕111号 §四（二）: 协议到期前30日，应向专员发出终止或续签劳务协议意向书，经重新认定，
双方协商一致后，可续签劳务协议. Without the 意向书 the renewal is refused, unless the 区人力社保局 or the 区劳动服务管理中心
(§七（一）: 及时协调解决专员聘任工作中的难点问题) waives it with a reason on record; a street cannot waive its own notice."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.commissioners import rules
from tests.commissioners.test_api import BASE, hire, set_retirees


class TestTheRule:
    def test_a_sent_notice_opens_the_renewal(self):
        decision = rules.may_renew_after_notice(date(2022, 12, 1), None, "东四街道")
        assert decision.allowed and decision.basis.clause == "§四（二）" and "2022-12-01" in decision.basis.note

    @pytest.mark.parametrize("reason", [None, "", "   "])
    def test_no_notice_and_no_reason_is_refused_naming_the_notice(self, reason):
        decision = rules.may_renew_after_notice(None, reason, "区人力社保局")
        assert not decision.allowed and decision.status == 409 and decision.field == "notice_sent_on"
        assert "意向书" in decision.zh and "意向书" in str(decision.basis)

    @pytest.mark.parametrize("unit", ["区人力社保局", "区劳动服务管理中心"])
    def test_the_bureau_and_the_centre_may_waive_it_with_a_reason(self, unit):
        decision = rules.may_renew_after_notice(None, "专员住院，意向书未能送达", unit)
        assert decision.allowed and decision.basis.clause == "§七（一）"

    @pytest.mark.parametrize("unit", ["东四街道", None])
    def test_a_street_may_not_waive_its_own_notice(self, unit):
        decision = rules.may_renew_after_notice(None, "忘记发了", unit)
        assert not decision.allowed and decision.status == 403 and decision.field == "waiver_reason"

    def test_a_waiver_when_the_notice_was_sent_is_bad_input(self):
        decision = rules.may_renew_after_notice(date(2022, 12, 1), "无需", "区人力社保局")
        assert not decision.allowed and decision.status == 422 and decision.field == "waiver_reason"


@pytest.fixture
def clerk(login):
    return login("clerk.rsj")


@pytest.fixture
def street_clerk(login):
    return login("bmfw.dongsi")  # the demo clerk of 东四街道's 便民服务中心 (commissioners/module.py)


def _renew(client, headers, cid, **body):
    return client.post(f"{BASE}/{cid}/renew", headers=headers, json=body)


class TestTheApi:
    def test_renewal_without_the_notice_is_refused_and_nothing_changes(self, client, clerk, street_clerk):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        for headers in (clerk, street_clerk):
            r = _renew(client, headers, cid)
            assert r.status_code == 409, r.text
            assert r.json()["detail"][0]["field"] == "notice_sent_on"
            assert "意向书" in r.json()["error"]["msg_zh"] and r.json()["error"]["msg_en"]
        c = client.get(f"{BASE}/{cid}", headers=clerk).json()
        assert c["term"]["no"] == 1 and c["term"]["end_on"] == "2022-12-31" and c["renewal_waiver"] is None

    def test_after_the_notice_the_street_renews(self, client, clerk, street_clerk):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        assert client.post(f"{BASE}/{cid}/notice", headers=street_clerk, json={"sent_on": "2022-12-01"}).status_code == 200
        r = _renew(client, street_clerk, cid)
        assert r.status_code == 200, r.text
        assert r.json()["term"]["no"] == 2 and r.json()["renewal_waiver"] is None
        # the next term needs its own notice
        assert r.json()["renewal_notice"]["sent_on"] is None
        assert _renew(client, street_clerk, cid).status_code == 409

    def test_a_street_cannot_waive_the_notice(self, client, clerk, street_clerk):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        r = _renew(client, street_clerk, cid, waiver_reason="来不及发")
        assert r.status_code == 403 and r.json()["detail"][0]["field"] == "waiver_reason"
        assert client.get(f"{BASE}/{cid}", headers=clerk).json()["term"]["no"] == 1

    def test_the_bureau_waives_it_and_the_reason_is_on_record(self, client, clerk, db):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        r = _renew(client, clerk, cid, waiver_reason="专员住院，意向书未能送达")
        assert r.status_code == 200, r.text
        waiver = r.json()["renewal_waiver"]
        assert "第2期续签未发意向书" in waiver and "专员住院" in waiver and "区人力社保局" in waiver
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "commissioners.renew",
                                                   AuditEntry.target_id == str(cid)))
        assert "§七（一）" in entry.after["notice"] and "专员住院" in entry.after["waiver"]
        page = client.get(f"/commissioners/{cid}", headers={"Accept": "text/html", **clerk}).text
        assert 'id="renewal-waiver"' in page and "专员住院" in page

    def test_a_waiver_after_a_sent_notice_is_a_422_naming_it(self, client, clerk):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        client.post(f"{BASE}/{cid}/notice", headers=clerk, json={"sent_on": "2022-12-01"})
        r = _renew(client, clerk, cid, waiver_reason="x")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "waiver_reason"


class TestRefusalsNameTheirField:
    """Every refusal about one input names it in ``detail`` (the issue's item 3)."""

    def test_rating_a_month_outside_the_term_or_twice_names_month(self, client, clerk):
        set_retirees(client, clerk, 2000)
        cid = hire(client, clerk).json()["id"]
        url = f"{BASE}/{cid}/ratings"
        r = client.post(url, headers=clerk, json={"year": 2021, "month": 12, "rating": "satisfied"})
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["month"]
        assert client.post(url, headers=clerk, json={"year": 2022, "month": 1, "rating": "satisfied"}).status_code == 201
        r = client.post(url, headers=clerk, json={"year": 2022, "month": 1, "rating": "basic"})
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["month"]

    def test_an_age_over_the_limit_names_the_birth_date_or_the_recommendation(self, client, clerk):
        set_retirees(client, clerk, 2000)
        r = hire(client, clerk, birth_date="1955-01-01")  # 67 on 2022-01-01: over 65, within 68
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["recommended"]
        r = hire(client, clerk, birth_date="1950-01-01", recommended=True)  # 72
        assert r.status_code == 409 and [d["field"] for d in r.json()["detail"]] == ["birth_date"]

    def test_a_missing_birth_date_names_it(self, client, clerk):
        set_retirees(client, clerk, 2000)
        r = hire(client, clerk, birth_date=None)
        assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["birth_date"]
