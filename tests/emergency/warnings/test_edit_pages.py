"""A draft edited on its page (fresh or 退回修改) with the API's validation and errors in words, submitted from the
form; lifting only with a reason and a confirmation; every step answered with a success notice."""
from __future__ import annotations

import re

from tests.emergency.warnings.test_pages import HTML, csrf

INCOMPLETE = {"event_type": None, "measures": "", "area_streets": []}
FORM = {"level": "橙色", "title": "大风橙色预警", "event_type": "气象灾害", "starts_at": "2022-07-01T08:00",
        "expected_duration_hours": "6", "area_streets": ["东四街道", "景山街道"], "precautions": "远离广告牌",
        "measures": "加固户外设施", "public": "on"}


def notice(html: str) -> str | None:
    found = re.search(r'id="step-notice">([^<]*)<', html)
    return found.group(1).strip() if found else None


def post(client, headers: dict, url: str, data: dict, page: str):
    return client.post(url, data={**data, "csrf_token": csrf(client, page, headers)}, headers={**HTML, **headers},
                       follow_redirects=False)


class TestEditADraft:
    def test_a_returned_draft_is_edited_and_resubmitted_on_the_page(self, client, as_, draft, step):
        w = draft(level="橙色")
        assert step(w["id"], "submit", "cgw").status_code == 200
        assert step(w["id"], "return", "sun.yang", {"reason": "请补充景山街道"}).status_code == 200
        cgw = as_("cgw")
        page = client.get(f"/warnings/{w['id']}", headers={**HTML, **cgw}).text
        assert 'id="do-edit"' in page
        form = client.get(f"/warnings/{w['id']}/edit", headers={**HTML, **cgw}).text
        assert "请补充景山街道" in form and 'value="暴雨黄色预警"' in form  # the draft's own values
        assert 'id="save-submit"' in form and "孙扬 退回" in form
        r = post(client, cgw, f"/warnings/{w['id']}/edit", {**FORM, "then": "submit"}, f"/warnings/{w['id']}/edit")
        assert r.status_code == 303 and r.headers["location"] == f"/warnings/{w['id']}?done=warning.submit"
        assert notice(client.get(r.headers["location"], headers={**HTML, **cgw}).text) == "✓ 已报送审批"
        body = client.get(f"/api/warnings/{w['id']}", headers=cgw).json()
        assert body["status"] == "submitted" and body["title"] == "大风橙色预警"
        assert body["area_streets"] == ["东四街道", "景山街道"] and body["measures"] == "加固户外设施"

    def test_an_incomplete_draft_names_its_missing_fields_in_words_and_nothing_is_saved(self, client, as_, draft):
        w = draft(level="橙色")
        cgw = as_("cgw")
        edit = f"/warnings/{w['id']}/edit"
        r = post(client, cgw, edit, {**FORM, "event_type": "", "measures": "", "then": "submit"}, edit)
        assert r.status_code == 422
        alert = r.text.split('id="form-error"', 1)[1].split("</div>", 1)[0]
        assert "突发事件的类别" in alert and "应采取的措施" in alert
        assert "event_type" not in alert and "measures：" not in alert
        assert 'data-field="measures"' in r.text and 'value="大风橙色预警"' in r.text  # the form as typed
        body = client.get(f"/api/warnings/{w['id']}", headers=cgw).json()
        assert body["status"] == "draft" and body["title"] == "暴雨黄色预警"  # neither saved nor submitted

    def test_a_bad_value_is_refused_by_its_label(self, client, as_, draft):
        w = draft()
        cgw = as_("cgw")
        edit = f"/warnings/{w['id']}/edit"
        r = post(client, cgw, edit, {**FORM, "expected_duration_hours": "-3", "title": ""}, edit)
        assert r.status_code == 422
        alert = r.text.split('id="form-error"', 1)[1].split("</div>", 1)[0]
        assert "<b>预计持续时间</b>" in alert and "<b>标题</b>" in alert and "expected_duration_hours" not in alert

    def test_only_a_draft_is_edited_and_only_by_its_unit(self, client, as_, draft, step):
        w = draft(level="橙色")
        assert client.get(f"/warnings/{w['id']}/edit", headers={**HTML, **as_("duty")}).status_code == 403
        step(w["id"], "submit", "cgw")
        assert client.get(f"/warnings/{w['id']}/edit", headers={**HTML, **as_("cgw")}).status_code == 409

    def test_submitting_an_incomplete_draft_from_its_page_shows_labels_not_keys(self, client, as_, draft):
        w = draft(**INCOMPLETE)
        cgw = as_("cgw")
        page = f"/warnings/{w['id']}"
        r = post(client, cgw, f"{page}/submit", {}, page)
        assert r.status_code == 422
        alert = r.text.split('id="step-error"', 1)[1].split("</div>", 1)[0]
        assert "“报送审批”未办理" in alert and "<b>事件类型</b>：缺少突发事件的类别" in alert
        assert "<b>可能影响范围</b>" in alert
        assert "event_type" not in alert and "area_streets" not in alert and "/edit" in alert


class TestLift:
    def test_lifting_needs_a_reason_and_a_confirmation(self, client, as_, published):
        w = published("蓝色")
        cgw = as_("cgw")
        page = f"/warnings/{w['id']}"
        html = client.get(page, headers={**HTML, **cgw}).text
        form = html.split('id="form-lift"', 1)[1].split("</form>", 1)[0]
        assert 'name="confirm"' in form and "required" in form and "此操作不可撤销" in form
        for data in ({"reason": "风险解除"}, {"confirm": "yes"}, {"reason": " ", "confirm": "yes"}):
            r = post(client, cgw, f"{page}/lift", data, page)
            assert r.status_code == 422, data
            assert "“解除预警”未办理" in r.text
        r = post(client, cgw, f"{page}/lift", {}, page)
        alert = r.text.split('id="step-error"', 1)[1].split("</div>", 1)[0]
        assert "<b>理由</b>" in alert and "<b>确认</b>" in alert and "此操作不可撤销" in alert
        assert client.get(f"/api/warnings/{w['id']}", headers=cgw).json()["status"] == "published"
        r = post(client, cgw, f"{page}/lift", {"reason": "风险解除", "confirm": "yes"}, page)
        assert r.status_code == 303
        shown = client.get(r.headers["location"], headers={**HTML, **cgw}).text
        assert notice(shown) == "✓ 预警已解除，已备案并通报相关单位" and "风险解除" in shown
        assert client.get(f"/api/warnings/{w['id']}", headers=cgw).json()["status"] == "lifted"


class TestNotices:
    def test_each_step_of_the_chain_answers_with_its_notice(self, client, as_):
        cgw, leader, duty = as_("cgw"), as_("sun.yang"), as_("duty")
        r = post(client, cgw, "/warnings/new", FORM, "/warnings/new")
        assert r.status_code == 303
        url = r.headers["location"].split("?")[0]
        assert notice(client.get(r.headers["location"], headers={**HTML, **cgw}).text).startswith("✓ 草稿已保存")
        for who, action, data, text in ((cgw, "submit", {}, "已报送审批"),
                                        (leader, "return", {"reason": "改"}, "已退回起草单位修改"),
                                        (cgw, "submit", {}, "已报送审批"), (leader, "approve", {}, "已批准，可以发布"),
                                        (duty, "publish", {}, "预警已发布")):
            r = post(client, who, f"{url}/{action}", data, url)
            assert r.status_code == 303, (action, r.text[:300])
            assert notice(client.get(r.headers["location"], headers={**HTML, **who}).text) == f"✓ {text}"

    def test_a_notice_is_only_ever_a_registered_sentence(self, client, as_, draft):
        w = draft()
        html = client.get(f"/warnings/{w['id']}?done=<b>钓鱼</b>", headers={**HTML, **as_("cgw")}).text
        assert notice(html) is None and "钓鱼" not in html
