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
