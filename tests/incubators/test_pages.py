"""The incubator pages: the clerk's form → the application page (第七条 table, notice with its end day and provisional
flag, timeline), each basis linked to 东人社发〔2021〕101号 in the gazette; the public list without login."""
from __future__ import annotations

import re

from tests.html import clause_links, unlinked

HTML = {"Accept": "text/html"}
FORM = {"base_name": "东四创客空间", "operator_name": "北京东四孵化有限公司", "credit_code": "91110101MA00000009",
        "address": "东城区东四十条1号", "route": "standard", "applied_on": "2022-01-04",
        "legal_entity_in_dongcheng": "yes", "tax_registered_in_dongcheng": "yes", "social_insurance_in_dongcheng": "yes",
        "incubation_main_business": "yes", "no_violations": "yes", "no_open_disputes": "yes",
        "management_and_services": "yes", "service_activities": "yes", "operating_since": "2019-01-01",
        "incubation_area_m2": "1500", "utilisation_pct_1": "80", "utilisation_pct_2": "85",
        "incubated_entities_1": "20", "incubated_entities_2": "22", "jobs_1": "300", "jobs_2": "300",
        "success_rate_pct": "60", "renewal_pct": "15，16"}


def csrf(client, url: str, headers: dict) -> str:
    html = client.get(url, headers={**HTML, **headers}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_clerk_applies_and_walks_the_steps(client, login):
    clerk = login("clerk.rsj")
    token = csrf(client, "/incubators/new", clerk)
    r = client.post("/incubators/new", data={**FORM, "csrf_token": token}, headers={**HTML, **clerk},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    url = r.headers["location"].split("?")[0]
    page = client.get(url, headers={**HTML, **clerk}).text
    text = unlinked(page)
    assert "认定条件核对：<span class=\"tag ok\">符合</span>" in text
    assert '<td data-label="要求">不少于1500平方米</td><td data-label="申报情况">1500平方米</td>' in text
    assert "东人社发〔2021〕101号 第七条（二）" in text
    assert any(link.endswith("#a-7") for link in clause_links(page))
    for step, data in (("check-materials", {}), ("visit-site", {}), ("review", {"passed": "yes"}),
                       ("start-notice", {"published_on": "2099-12-28"})):
        r = client.post(f"{url}/steps/{step}", data={**data, "csrf_token": token}, headers={**HTML, **clerk},
                        follow_redirects=False)
        assert r.status_code == 303, (step, r.text[:500])
    page = client.get(url, headers={**HTML, **clerk}).text
    assert 'id="notice-end">2100-01-05</b>' in page  # 29, 30, 31 Dec; 1 Jan (元旦) off; 4, 5 Jan
    assert 'id="notice-provisional"' in page and "公示中" in page
    assert unlinked(page).count("东人社发〔2021〕101号 第八条（二）") >= 4  # notice card + 3 timeline rows
    r = client.post(f"{url}/steps/certify", data={"csrf_token": token}, headers={**HTML, **clerk})
    assert r.status_code == 409 and "公示期至" in r.text


def test_form_errors_name_the_field(client, login):
    clerk = login("clerk.rsj")
    token = csrf(client, "/incubators/new", clerk)
    r = client.post("/incubators/new", data={**FORM, "credit_code": "123", "csrf_token": token},
                    headers={**HTML, **clerk})
    assert r.status_code == 422 and "统一社会信用代码" in r.text


def test_other_roles_and_the_public_list(client, login):
    assert client.get("/incubators", headers={**HTML, **login("cgw")}).status_code == 403
    page = client.get("/public/incubators", headers=HTML)
    assert page.status_code == 200 and "东城区创业孵化示范基地" in page.text
    assert 'href="/public/incubators" class="active"' in page.text
