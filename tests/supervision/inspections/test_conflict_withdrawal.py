"""撤回利益冲突申报: the 区卫生健康委 (whoever may declare a conflict, service.check_supervisor) withdraws a declared
conflict with a reason, on the API and on the plans page; the withdrawal is audited with before and after; the next
draw no longer recuses the pair; the declaration stays on record beside its withdrawal, and the pair may be declared
again (a new row, the history keeps both)."""
from __future__ import annotations

from sqlalchemy import select

from dongcheng.audit.models import AuditEntry
from dongcheng.supervision.inspections import rules
from tests.supervision.inspections.test_draw import INS, plan, registry, wjw  # noqa: F401  (fixtures)
from tests.web.test_steps import HTML, shown, step  # noqa: F401  (fixture)

PAGE = "/supervision/inspections"


def conflicts_of(client, wjw, inspector_id: int) -> list[dict]:  # noqa: F811
    r = client.get(f"{INS}/inspectors/{inspector_id}/conflicts", headers=wjw)
    assert r.status_code == 200, r.text
    return r.json()


def recusals_of_a_new_draw(client, wjw, institution_id: int, seed: str) -> list[int]:  # noqa: F811
    p = plan(client, wjw, seed, proportions={"high": "1", "medium": "0", "low": "0"})
    r = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw)
    assert r.status_code == 200, r.text
    return sorted(r.json()["draw"]["recusals"][str(institution_id)])


def test_the_rule_wants_a_standing_declaration_and_a_reason():
    assert rules.may_withdraw_conflict(False, "近亲属已离职").allowed
    blank = rules.may_withdraw_conflict(False, "  ")
    assert (blank.status, blank.field, blank.zh) == (422, "reason", "请填写撤回理由")
    again = rules.may_withdraw_conflict(True, "再次撤回")
    assert again.status == 409 and again.zh == "该利益冲突申报已撤回"
    assert "平台默认" in str(blank.basis) and "国办发〔2015〕58号" in str(blank.basis)


class TestApi:
    def test_withdrawn_with_a_reason_audited_no_longer_recused_and_declared_again(self, client, wjw, registry, db):  # noqa: F811
        institutions, inspectors, _ = registry
        first = sorted(institutions)[0]  # high risk: drawn in every plan; inspectors 0, 1, 2 declared a conflict
        assert recusals_of_a_new_draw(client, wjw, first, "withdrawal-before-0001") == inspectors[:3]
        declared = conflicts_of(client, wjw, inspectors[0])
        assert [(c["institution_id"], c["standing"]) for c in declared] == [(first, True)]
        r = client.post(f"{INS}/inspectors/{inspectors[0]}/conflicts/{declared[0]['id']}/withdraw", headers=wjw,
                        json={"reason": "其近亲属已于2022年1月离开该机构"})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["standing"] is False and out["withdrawn_by"] == "wjw.jd" and out["withdrawn_at"]
        assert out["withdrawal_reason"] == "其近亲属已于2022年1月离开该机构" and out["reason"] == "近亲属在该机构任职"
        assert "平台默认" in out["basis"]
        # The next draw no longer recuses the pair; the others stay recused.
        assert recusals_of_a_new_draw(client, wjw, first, "withdrawal-after-00001") == inspectors[1:3]
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "supervision.inspections.conflict_withdrawn")
                           ).one()
        assert entry.before["standing"] is True and entry.before["reason"] == "近亲属在该机构任职"
        assert entry.after["standing"] is False and entry.after["withdrawal_reason"] == "其近亲属已于2022年1月离开该机构"
        assert entry.target_id == str(inspectors[0]) and "国办发〔2015〕58号" in entry.basis
        # Declared again: a new row; the history keeps both, and the pair is recused again.
        r = client.post(f"{INS}/inspectors/{inspectors[0]}/conflicts", headers=wjw,
                        json={"institution_id": first, "reason": "其配偶入职该机构"})
        assert r.status_code == 201, r.text
        history = conflicts_of(client, wjw, inspectors[0])
        assert [(c["reason"], c["standing"]) for c in history] == [("近亲属在该机构任职", False), ("其配偶入职该机构", True)]
        assert recusals_of_a_new_draw(client, wjw, first, "withdrawal-again-00001") == inspectors[:3]

    def test_a_reason_is_required_and_a_withdrawal_happens_once(self, client, wjw, registry):  # noqa: F811
        _, inspectors, _ = registry
        c = conflicts_of(client, wjw, inspectors[3])[0]
        url = f"{INS}/inspectors/{inspectors[3]}/conflicts/{c['id']}/withdraw"
        for body in ({"reason": "   "}, {}):
            r = client.post(url, headers=wjw, json=body)
            assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["reason"]
            assert r.json()["detail"][0]["msg_zh"] == "请填写撤回理由"
        assert conflicts_of(client, wjw, inspectors[3])[0]["standing"] is True  # nothing changed
        assert client.post(url, headers=wjw, json={"reason": "已调离"}).status_code == 200
        r = client.post(url, headers=wjw, json={"reason": "再撤一次"})
        assert r.status_code == 409 and r.json()["error"]["msg_zh"] == "该利益冲突申报已撤回"
        assert conflicts_of(client, wjw, inspectors[3])[0]["withdrawal_reason"] == "已调离"  # the first reason kept

    def test_another_inspectors_declaration_is_not_found(self, client, wjw, registry):  # noqa: F811
        _, inspectors, _ = registry
        c = conflicts_of(client, wjw, inspectors[3])[0]
        r = client.post(f"{INS}/inspectors/{inspectors[4]}/conflicts/{c['id']}/withdraw", headers=wjw,
                        json={"reason": "错配"})
        assert r.status_code == 404
        assert conflicts_of(client, wjw, inspectors[3])[0]["standing"] is True

    def test_only_the_commission_withdraws(self, client, wjw, login, registry):  # noqa: F811
        _, inspectors, _ = registry
        c = conflicts_of(client, wjw, inspectors[3])[0]
        url = f"{INS}/inspectors/{inspectors[3]}/conflicts/{c['id']}/withdraw"
        for username in ("duty", "sfj", "admin"):  # no role, another department, the administrator
            r = client.post(url, headers=login(username), json={"reason": "越权撤回"})
            assert r.status_code == 403, username
            assert r.json()["error"]["msg_zh"] and r.json()["error"]["msg_en"]
        assert conflicts_of(client, wjw, inspectors[3])[0]["standing"] is True


def alert(html: str) -> str:
    return html.split('id="inspections-error">', 1)[1].split("</div>", 1)[0]


class TestPage:
    def test_withdrawn_on_the_page_with_a_reason_and_both_kept_in_view(self, client, wjw, registry, step):  # noqa: F811
        _, inspectors, _ = registry
        jid = inspectors[5]
        c = conflicts_of(client, wjw, jid)[0]
        html = client.get(PAGE, headers={**HTML, **wjw}).text
        form = html.split(f'id="withdraw-{c["id"]}"', 1)[1].split("</form>", 1)[0]
        assert 'name="reason"' in form and "撤回申报" in form
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts/{c['id']}/withdraw", {"reason": " "})
        assert r.status_code == 422 and "<b>撤回理由</b>：请填写撤回理由" in alert(r.text)
        assert "回避事由" not in alert(r.text) and f'id="conflicts-{jid}" open' in r.text
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts/{c['id']}/withdraw", {"reason": "该机构已注销"})
        assert shown(client, wjw, r) == "利益冲突申报已撤回（申报与撤回均留档），今后抽取不再回避该机构"
        assert r.headers["location"].endswith(f"#conflict-row-{c['id']}")
        html = client.get(PAGE, headers={**HTML, **wjw}).text
        row = html.split(f'id="conflict-row-{c["id"]}"', 1)[1].split("</li>", 1)[0]
        assert "近亲属在该机构任职" in row and "已撤回" in row and "该机构已注销" in row and "wjw.jd" in row
        assert f'id="withdraw-{c["id"]}"' not in html  # no second withdrawal offered
        assert "利益冲突（回避） 0 项，已撤回 1 项" in html
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts/{c['id']}/withdraw", {"reason": "再次"})
        assert r.status_code == 409 and "该利益冲突申报已撤回" in r.text

    def test_another_role_is_refused_in_words_and_sees_no_conflicts(self, client, wjw, login, registry, step):  # noqa: F811
        _, inspectors, _ = registry
        c = conflicts_of(client, wjw, inspectors[5])[0]
        duty = login("duty")
        assert f'id="withdraw-{c["id"]}"' not in client.get(PAGE, headers={**HTML, **duty}).text
        r = step(duty, PAGE, f"{PAGE}/inspectors/{inspectors[5]}/conflicts/{c['id']}/withdraw", {"reason": "越权"})
        assert r.status_code == 403 and "无权" in r.text
        assert conflicts_of(client, wjw, inspectors[5])[0]["standing"] is True
