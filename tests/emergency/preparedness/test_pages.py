"""The preparedness pages: the dispatch approval page (孙扬 sees 批准; 李妍 does not and is refused), registry pages
with search, create (422 naming the field), contacts hidden from other units, the stock page with its alerts."""
from __future__ import annotations

import re

from tests.emergency.preparedness.helpers import incident, item, receive, warehouse
from tests.html import unlinked

HTML = {"Accept": "text/html"}


def csrf(client, url: str, headers: dict) -> str:
    html = client.get(url, headers={**HTML, **headers}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_dispatch_approval_page(client, login):
    duty, cgw, sun, li = login("duty"), login("cgw"), login("sun.yang"), login("li.yan")
    w, i = warehouse(client, duty), item(client, duty)
    receive(client, duty, w["id"], i["id"], 20)
    inc = incident(client, duty)
    # the lead department's request, through the form
    token = csrf(client, f"/preparedness/dispatches?incident={inc['id']}", cgw)
    r = client.post("/preparedness/dispatches", headers={**HTML, **cgw}, follow_redirects=False, data={
        "csrf_token": token, "origin": "district", "incident_id": str(inc["id"]), "requesting_unit": "区城市管理委",
        "item_0": str(i["id"]), "quantity_0": "", "destination_0": "现场", "needed_by_0": "2026-12-01T18:00"})
    assert r.status_code == 422 and "lines.0.quantity" in r.text
    r = client.post("/preparedness/dispatches", headers={**HTML, **cgw}, follow_redirects=False, data={
        "csrf_token": token, "origin": "district", "incident_id": str(inc["id"]), "requesting_unit": "区城市管理委",
        "item_0": str(i["id"]), "quantity_0": "6", "destination_0": "现场", "needed_by_0": "2026-12-01T18:00"})
    assert r.status_code == 303, r.text[:400]
    url = r.headers["location"].split("?")[0]
    page = client.get(url, headers={**HTML, **li}).text
    assert 'id="approve-form"' not in page and "孙扬" in page
    token = csrf(client, url, li)
    r = client.post(f"{url}/approve", data={"csrf_token": token}, headers={**HTML, **li})
    assert r.status_code == 403
    page = client.get(url, headers={**HTML, **sun}).text
    assert 'id="approve-form"' in page and "东政发〔2022〕3号 §6.4.3" in unlinked(page)
    token = csrf(client, url, sun)
    assert client.post(f"{url}/approve", data={"csrf_token": token}, headers={**HTML, **sun},
                       follow_redirects=False).status_code == 303
    page = client.get(url, headers={**HTML, **duty}).text
    assert re.search(r"东应调〔\d{4}〕\d+号", page) and 'id="issue-form"' in page
    token = csrf(client, url, duty)
    lid = re.search(r'name="line_(\d+)"', page).group(1)
    assert client.post(f"{url}/issue", data={"csrf_token": token, "warehouse_id": str(w["id"]), f"line_{lid}": "6"},
                       headers={**HTML, **duty}, follow_redirects=False).status_code == 303
    token = csrf(client, url, cgw)
    assert client.post(f"{url}/receive", data={"csrf_token": token, f"line_{lid}": "5"}, headers={**HTML, **cgw},
                       follow_redirects=False).status_code == 303
    page = client.get(url, headers={**HTML, **cgw}).text
    assert "已签收" in page and '<td data-label="短缺" class="shortfall"><b>1张</b>' in page


TEAM = {"name": "东城区排水抢险队（测试）", "kind": "professional", "owner_unit": "区城市管理委", "size": "30",
        "equipment": "排水泵车2台", "contact_person": "王队长", "contact_phone": "13900001111", "readiness": "待命"}


def test_registry_page_create_search_and_contacts(client, login):
    cgw, duty, street = login("cgw"), login("duty"), login("street.dongsi")
    token = csrf(client, "/preparedness/registries/teams", cgw)
    r = client.post("/preparedness/registries/teams", data={**TEAM, "size": "0", "csrf_token": token},
                    headers={**HTML, **cgw})
    assert r.status_code == 422 and "size" in r.text
    r = client.post("/preparedness/registries/teams", data={**TEAM, "csrf_token": token}, headers={**HTML, **cgw},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:400]
    url = r.headers["location"].split("?")[0]
    page = client.get(url, headers={**HTML, **cgw}).text
    assert "13900001111" in page and "专业应急队伍" in page and "§6.1.2" in unlinked(page)
    assert "13900001111" in client.get(url, headers={**HTML, **duty}).text
    other = client.get(url, headers={**HTML, **street}).text
    assert "13900001111" not in other and "仅所属单位和区应急办可见" in other
    listing = client.get("/preparedness/registries/teams?q=排水&kind=professional", headers={**HTML, **street}).text
    assert "东城区排水抢险队（测试）" in listing and "13900001111" not in listing
    assert "东城区排水抢险队（测试）" not in client.get("/preparedness/registries/teams?kind=social",
                                                  headers={**HTML, **street}).text
    # another unit cannot edit it
    token = csrf(client, url, street)
    assert client.post(url, data={**TEAM, "csrf_token": token}, headers={**HTML, **street}).status_code == 403


def test_overview_and_stock_pages_show_alerts(client, login):
    duty = login("duty")
    w, i = warehouse(client, duty), item(client, duty, name="救生衣（测试）", min_level=50, uom="件")
    receive(client, duty, w["id"], i["id"], 10, expires_on="2000-01-01")
    for url in ("/preparedness", "/preparedness/stock"):
        page = client.get(url, headers={**HTML, **duty}).text
        assert "救生衣（测试）库存10件，低于最低储备量50件" in page
        assert "批次L1（10件）已过期" in page
    assert "救生衣（测试）库存10件" in client.get("/incidents/board", headers={**HTML, **duty}).text
    assert "救生衣（测试）" in client.get("/", headers={**HTML, **duty}).text
    assert "救生衣（测试）" not in client.get("/", headers={**HTML, **login("street.dongsi")}).text
