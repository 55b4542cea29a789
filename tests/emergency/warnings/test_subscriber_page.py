"""A subscriber edited on their page (§3.2.8 registry): by the 区应急办 duty officer and by the subscriber's own street,
with the success notice and the change saved; a bad or missing field named by its label and nothing saved; an
unsubscribed record not changed; the page (personal data) only for those who may read the subscriber, and no contact
in the notice or the URL."""
from __future__ import annotations

import re

from tests.emergency.warnings.test_subscribers import ELDER, register
from tests.web.test_steps import HTML, notice, shown, step  # noqa: F401  (fixture)


def api(client, headers, sid):
    return client.get(f"/api/warnings/subscribers/{sid}", headers=headers).json()


def alert(html: str) -> str:
    return html.split('id="subscriber-error">', 1)[1].split("</div>", 1)[0]


def refused(html: str) -> bool:
    """The error page says in words why (无权…, 只能办理本单位…)."""
    return bool(re.search(r"<main.*(无权|只能办理本单位)", html, re.S))


FORM = {"name": "王奶奶", "street": "东四街道", "contact": "13800000002", "channels": ["手机短信", "手机客户端"],
        "vulnerable_groups": ["老", "残"], "special_place": "", "blind_spot": "on"}


class TestEdit:
    def test_the_duty_officer_edits_from_the_registry_link(self, client, as_, step):  # noqa: F811
        duty = as_("duty")
        sub = register(client, duty)
        listing = client.get("/warnings/subscribers?street=东四街道", headers={**HTML, **duty}).text
        assert f'href="/warnings/subscribers/{sub["id"]}"' in listing
        page = f"/warnings/subscribers/{sub['id']}"
        html = client.get(page, headers={**HTML, **duty}).text
        assert 'id="subscriber-form"' in html and 'value="13800000001"' in html
        r = step(duty, page, page, FORM)
        assert "138" not in r.headers["location"]
        assert shown(client, duty, r) == "订阅者信息已保存"
        after = api(client, duty, sub["id"])
        assert (after["contact"], after["channels"], after["vulnerable_groups"], after["blind_spot"]) == (
            "13800000002", ["手机短信", "手机客户端"], ["老", "残"], True)
        assert after["targeted"] is True

    def test_the_own_street_edits_and_clearing_every_flag_ends_targeting(self, client, as_, step):  # noqa: F811
        street = as_("street.dongsi")
        sub = register(client, street)
        page = f"/warnings/subscribers/{sub['id']}"
        r = step(street, page, page, {**FORM, "vulnerable_groups": [], "blind_spot": "", "name": "王秀英"})
        assert shown(client, street, r) == "订阅者信息已保存"
        after = api(client, street, sub["id"])
        assert after["name"] == "王秀英" and after["targeted"] is False and after["vulnerable_groups"] == []

    def test_missing_or_unknown_values_are_named_by_label_and_nothing_saved(self, client, as_, step):  # noqa: F811
        duty = as_("duty")
        sub = register(client, duty)
        page = f"/warnings/subscribers/{sub['id']}"
        r = step(duty, page, page, {**FORM, "channels": []})
        assert r.status_code == 422 and "接收渠道" in alert(r.text) and "channels" not in alert(r.text)
        r = step(duty, page, page, {**FORM, "channels": ["飞鸽传书"]})
        assert r.status_code == 422 and "接收渠道" in alert(r.text) and "飞鸽传书" in alert(r.text)
        assert 'value="13800000002"' in r.text  # what was typed is kept
        r = step(duty, page, page, {**FORM, "name": ""})
        assert r.status_code == 422 and "姓名或单位名称" in alert(r.text)
        assert api(client, duty, sub["id"])["contact"] == ELDER["contact"]

    def test_an_unsubscribed_record_is_not_changed(self, client, as_, step):  # noqa: F811
        duty = as_("duty")
        sub = register(client, duty)
        client.post(f"/api/warnings/subscribers/{sub['id']}/unsubscribe", headers=duty, json={"reason": "搬离"})
        page = f"/warnings/subscribers/{sub['id']}"
        html = client.get(page, headers={**HTML, **duty}).text
        assert 'id="subscriber-form"' not in html and "已退订" in html
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(
            "/warnings/subscribers", headers={**HTML, **duty}).text).group(1)
        r = client.post(page, data={**FORM, "csrf_token": token}, headers={**HTML, **duty}, follow_redirects=False)
        assert r.status_code == 409 and "已退订" in alert(r.text)
        assert api(client, duty, sub["id"])["contact"] == ELDER["contact"]


class TestWhoMay:
    def test_another_street_or_department_sees_no_subscriber_and_cannot_change_one(self, client, as_, step):  # noqa: F811
        sub = register(client, as_("street.dongsi"))
        page = f"/warnings/subscribers/{sub['id']}"
        for user in ("wjw.jd", "cgw"):
            r = client.get(page, headers={**HTML, **as_(user)})
            assert r.status_code == 403 and refused(r.text) and ELDER["contact"] not in r.text, user
        r = step(as_("wjw.jd"), "/warnings", page, FORM)
        assert r.status_code == 403 and refused(r.text) and ELDER["contact"] not in r.text
        assert api(client, as_("duty"), sub["id"])["contact"] == ELDER["contact"]

    def test_a_street_cannot_move_its_resident_to_another_street(self, client, as_, step):  # noqa: F811
        street = as_("street.dongsi")
        sub = register(client, street)
        page = f"/warnings/subscribers/{sub['id']}"
        html = client.get(page, headers={**HTML, **street}).text
        assert re.findall(r'<option value="([^"]+)"', html.split('id="street-select"', 1)[1].split("</select>")[0]) \
            == ["东四街道"]
        r = step(street, page, page, {**FORM, "street": "景山街道"})
        assert r.status_code == 403 and refused(r.text)
        assert api(client, street, sub["id"])["street"] == "东四街道"


def test_the_registration_form_names_a_bad_field_by_its_label(client, as_, step):  # noqa: F811
    duty = as_("duty")
    page = "/warnings/subscribers"
    r = step(duty, page, page, {"kind": "resident", "name": "李爷爷", "street": "东四街道", "channels": ["飞鸽传书"]})
    assert r.status_code == 422
    shown_error = r.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "<b>接收渠道</b>" in shown_error and "channels" not in shown_error
