"""双随机 steps on the pages (web/steps.py): a plan created from the plans page; inspectors added, taken out of the draw
and their conflicts (回避) declared — each by the 区卫生健康委 with its success notice and the state it leaves; a missing
field named by its label; another role refused in words."""
from __future__ import annotations

from tests.supervision.inspections.test_draw import INS, registry, wjw  # noqa: F401  (fixtures)
from tests.web.test_steps import HTML, notice, shown, step  # noqa: F401  (fixture)

PAGE = "/supervision/inspections"


class TestCreatePlan:
    def test_a_plan_created_on_the_page_with_its_seed_committed(self, client, wjw, step):  # noqa: F811
        html = client.get(PAGE, headers={**HTML, **wjw}).text
        assert 'id="plan-form"' in html and 'value="WJ-01"' in html
        r = step(wjw, PAGE, f"{PAGE}/plans", {"title": "2026年第四季度双随机抽查", "items": ["WJ-01", "WJ-02"],
                                              "proportions.high": "1", "proportions.medium": "0.5",
                                              "proportions.low": "0.2", "inspectors_per_inspection": "2",
                                              "publication_delay": "5", "seed": "page-created-seed-00001"})
        assert shown(client, wjw, r) == "抽查计划已创建，种子的 SHA-256 已公开"
        plan_id = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
        body = client.get(f"{INS}/plans/{plan_id}", headers=wjw).json()
        assert body["title"] == "2026年第四季度双随机抽查" and body["status"] == "draft"
        assert [i["code"] for i in body["items"]] == ["WJ-01", "WJ-02"]
        assert body["proportions"] == {"high": "1", "medium": "0.5", "low": "0.2"}
        assert body["publication_delay"] == 5 and body["seed"] == "page-created-seed-00001"
        public = client.get(f"{PAGE}/plans/{plan_id}", headers=HTML).text
        assert body["seed_sha256"] in public and "page-created-seed-00001" not in public

    def test_the_defaults_apply_when_left_as_shown(self, client, wjw, step):  # noqa: F811
        r = step(wjw, PAGE, f"{PAGE}/plans", {"title": "默认比例的抽查", "items": "WJ-01"})
        assert shown(client, wjw, r) == "抽查计划已创建，种子的 SHA-256 已公开"
        plans = client.get(f"{INS}/plans", headers=wjw).json()
        assert [p["title"] for p in plans] == ["默认比例的抽查"] and len(plans[0]["seed_sha256"]) == 64

    def test_missing_or_bad_fields_are_named_by_their_label_and_nothing_is_saved(self, client, wjw, step):  # noqa: F811
        r = step(wjw, PAGE, f"{PAGE}/plans", {"title": "缺少事项的计划"})
        alert = r.text.split('id="inspections-error">', 1)[1].split("</div>", 1)[0]
        assert r.status_code == 422 and "抽查事项" in alert and "items" not in alert
        assert 'value="缺少事项的计划"' in r.text  # what was typed is kept
        r = step(wjw, PAGE, f"{PAGE}/plans", {"title": "比例有误", "items": "WJ-01", "proportions.high": "1.5"})
        alert = r.text.split('id="inspections-error">', 1)[1].split("</div>", 1)[0]
        assert r.status_code == 422 and "高风险抽取比例" in alert and "proportions" not in alert
        r = step(wjw, PAGE, f"{PAGE}/plans", {"title": "事项不存在", "items": "XX-99"})
        assert r.status_code == 422 and "不在抽查事项清单中：XX-99" in r.text
        assert client.get(f"{INS}/plans", headers=wjw).json() == []

    def test_another_role_sees_no_form_and_is_refused_in_words(self, client, login, step):  # noqa: F811
        duty = login("duty")
        assert 'id="plan-form"' not in client.get(PAGE, headers={**HTML, **duty}).text
        assert 'id="plan-form"' not in client.get(PAGE, headers=HTML).text
        r = step(duty, PAGE, f"{PAGE}/plans", {"title": "越权创建", "items": "WJ-01"})
        assert r.status_code == 403 and "<html" in r.text.lower() and "无权" in r.text
        assert client.get(f"{INS}/plans", headers=duty).json() == []


def alert(html: str) -> str:
    return html.split('id="inspections-error">', 1)[1].split("</div>", 1)[0]


class TestInspectors:
    def test_an_inspector_added_taken_out_and_back_in(self, client, wjw, step):  # noqa: F811
        r = step(wjw, PAGE, f"{PAGE}/inspectors", {"name": "王执法", "badge_no": "JD-7001", "unit": "区卫生健康监督所"})
        assert shown(client, wjw, r) == "执法人员已登记，列入抽取名单"
        people = client.get(f"{INS}/inspectors").json()
        assert [(p["name"], p["badge_no"], p["unit"], p["active"]) for p in people] == [
            ("王执法", "JD-7001", "区卫生健康监督所", True)]
        jid = people[0]["id"]
        assert r.headers["location"].endswith(f"#inspector-{jid}")
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/active", {"active": "false"})
        assert shown(client, wjw, r) == "已移出抽取名单，今后抽取不再选派"
        assert client.get(f"{INS}/inspectors").json()[0]["active"] is False
        assert "王执法" not in client.get(PAGE, headers=HTML).text  # the public list: those in the draw
        html = client.get(PAGE, headers={**HTML, **wjw}).text
        assert "已移出抽取名单" in html and "重新列入抽取名单" in html
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/active", {"active": "true"})
        assert shown(client, wjw, r) == "已重新列入抽取名单"
        assert client.get(f"{INS}/inspectors").json()[0]["active"] is True

    def test_a_missing_name_or_a_repeated_badge_is_named(self, client, wjw, step):  # noqa: F811
        r = step(wjw, PAGE, f"{PAGE}/inspectors", {"badge_no": "JD-7002"})
        alert = r.text.split('id="inspections-error">', 1)[1].split("</div>", 1)[0]
        assert r.status_code == 422 and "姓名" in alert and "name" not in alert
        assert 'value="JD-7002"' in r.text
        step(wjw, PAGE, f"{PAGE}/inspectors", {"name": "李执法", "badge_no": "JD-7002"})
        r = step(wjw, PAGE, f"{PAGE}/inspectors", {"name": "张执法", "badge_no": "JD-7002"})
        assert r.status_code == 409 and "执法证号" in r.text and "该执法证号已登记" in r.text
        assert [p["name"] for p in client.get(f"{INS}/inspectors").json()] == ["李执法"]

    def test_another_role_sees_no_form_and_is_refused_in_words(self, client, wjw, login, step):  # noqa: F811
        duty = login("duty")
        html = client.get(PAGE, headers={**HTML, **duty}).text
        assert 'id="inspector-form"' not in html and 'id="active-' not in html
        r = step(duty, PAGE, f"{PAGE}/inspectors", {"name": "越权", "badge_no": "JD-7003"})
        assert r.status_code == 403 and "无权" in r.text
        step(wjw, PAGE, f"{PAGE}/inspectors", {"name": "赵执法", "badge_no": "JD-7004"})
        jid = client.get(f"{INS}/inspectors").json()[0]["id"]
        r = step(duty, PAGE, f"{PAGE}/inspectors/{jid}/active", {"active": "false"})
        assert r.status_code == 403 and "无权" in r.text
        assert client.get(f"{INS}/inspectors").json()[0]["active"] is True


class TestConflicts:
    def test_a_conflict_declared_needs_a_reason_and_a_confirmation_then_recuses(self, client, wjw, registry, step):  # noqa: F811
        institutions, inspectors, conflicts = registry
        jid = inspectors[4]  # declared nothing in the fixture
        target = sorted(institutions)[3]
        html = client.get(PAGE, headers={**HTML, **wjw}).text
        form = html.split(f'id="conflict-{jid}"', 1)[1].split("</form>", 1)[0]
        assert "确认申报利益冲突？" in form and "此操作不可撤销" in form and f'value="{target}"' in form
        for data, named, unnamed in (
                ({"institution_id": str(target), "reason": "配偶在该机构任职"}, "<b>确认</b>：请勾选“确认申报利益冲突？",
                 "<b>回避事由</b>"),
                ({"institution_id": str(target), "confirm": "yes"}, "<b>回避事由</b>", "<b>确认</b>"),
                ({"reason": "配偶在该机构任职", "confirm": "yes"}, "回避机构", "<b>确认</b>")):
            r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts", data)
            assert r.status_code == 422 and named in alert(r.text) and unnamed not in alert(r.text), data
            assert "institution_id" not in alert(r.text) and f'id="conflicts-{jid}" open' in r.text
        assert client.get(f"{INS}/inspectors/{jid}/conflicts", headers=wjw).json() == []
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts",
                 {"institution_id": str(target), "reason": "配偶在该机构任职", "confirm": "yes"})
        assert shown(client, wjw, r) == "利益冲突已申报，今后抽取时回避该机构"
        declared = client.get(f"{INS}/inspectors/{jid}/conflicts", headers=wjw).json()
        assert [(c["institution_id"], c["reason"]) for c in declared] == [(target, "配偶在该机构任职")]
        assert "配偶在该机构任职" in client.get(PAGE, headers={**HTML, **wjw}).text
        assert "配偶在该机构任职" not in client.get(PAGE, headers=HTML).text  # the conflicts are not public
        r = step(wjw, PAGE, f"{PAGE}/inspectors/{jid}/conflicts",
                 {"institution_id": str(target), "reason": "再次申报", "confirm": "yes"})
        assert r.status_code == 409 and "已申报过与该机构的利益冲突" in r.text

    def test_another_role_is_refused_in_words(self, client, wjw, login, registry, step):  # noqa: F811
        institutions, inspectors, _ = registry
        duty = login("duty")
        r = step(duty, PAGE, f"{PAGE}/inspectors/{inspectors[4]}/conflicts",
                 {"institution_id": str(sorted(institutions)[3]), "reason": "越权申报", "confirm": "yes"})
        assert r.status_code == 403 and "无权" in r.text
        assert client.get(f"{INS}/inspectors/{inspectors[4]}/conflicts", headers=wjw).json() == []
