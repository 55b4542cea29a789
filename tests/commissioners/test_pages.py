"""The commissioner pages: streets with quota against commissioners, a street's pay sheet, a commissioner's term,
trial, renewal-notice day and ratings, each basis linked to its clause of 东人社发〔2021〕111号 / 112号."""
from __future__ import annotations

import re

from tests.html import clause_links, unlinked

HTML = {"Accept": "text/html"}
BASE = "/api/commissioners"


def setup(client, clerk) -> int:
    client.put(f"{BASE}/streets/东四街道/retirees", headers=clerk, json={"retirees": 2500, "as_of": "2022-01-01"})
    r = client.post(BASE, headers=clerk, json={"name": "王秀兰", "street": "东四街道", "route": "retiree",
                                                "birth_date": "1960-05-01", "start_on": "2022-01-01"})
    return r.json()["id"]


def test_streets_street_and_commissioner_pages(client, login):
    clerk = login("clerk.rsj")
    cid = setup(client, clerk)
    page = client.get("/commissioners", headers={**HTML, **clerk})
    assert page.status_code == 200 and 'href="/commissioners" class="active"' in page.text
    text = unlinked(page.text)
    assert "<td>2500</td>" in text and "<td>2</td><td>1</td>" in text
    assert any(link.endswith("#c-2-1") for link in clause_links(page.text))
    street = client.get("/commissioners/streets/东四街道?year=2022&month=1", headers={**HTML, **clerk}).text
    assert "2022年1月发放表" in street and "王秀兰" in street and "fund-application.xlsx" in street
    client.post(f"{BASE}/fund-applications", headers=clerk, json={"street": "东四街道", "year": 2022})
    street = client.get("/commissioners/streets/东四街道", headers={**HTML, **clerk}).text
    assert re.search(r'id="fa-(\d+)"><td><a href="/commissioners/fund-applications/\1">2022</a></td>'
                     r'<td>1</td><td>32600</td><td>已申报</td>', street)
    detail = client.get(f"/commissioners/{cid}", headers={**HTML, **clerk}).text
    assert 'id="term-end">2022-12-31</b>' in detail and 'id="trial-end">2022-02-28</b>' in detail
    assert 'id="notice-due">2022-12-01</b>' in detail
    assert any(link.endswith("#c-4-2") for link in clause_links(detail))


def test_rating_form(client, login):
    clerk = login("clerk.rsj")
    cid = setup(client, clerk)
    html = client.get(f"/commissioners/{cid}", headers={**HTML, **clerk}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "year": "2022", "month": "2", "rating": "basic"}
    r = client.post(f"/commissioners/{cid}/ratings", data=form, headers={**HTML, **clerk}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    r = client.post(f"/commissioners/{cid}/ratings", data=form, headers={**HTML, **clerk})
    assert r.status_code == 409 and "已评价" in r.text
    r = client.post(f"/commissioners/{cid}/ratings", data={**form, "month": "13"}, headers={**HTML, **clerk})
    assert r.status_code == 422


def test_other_roles_see_neither_link_nor_page(client, login):
    cgw = login("cgw")
    assert client.get("/commissioners", headers={**HTML, **cgw}).status_code == 403
    assert 'href="/commissioners"' not in client.get("/", headers={**HTML, **cgw}).text
