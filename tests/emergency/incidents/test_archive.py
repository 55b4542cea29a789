"""The incident archive (事件档案): ``GET /api/incidents`` with filters, Chinese full-text search and pages, and the page
``/incidents`` giving the same answer — ended incidents included, on both engines."""
from __future__ import annotations

import importlib.util
import re
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import delete

from dongcheng.core.search import SearchEntry
from dongcheng.core.time import BEIJING

from .test_api import BJ, body, create
from .test_read_requests import WRITES, statements

HTML = {"Accept": "text/html"}
MIGRATION = Path(__file__).parents[3] / "migrations" / "versions" / "2026-12-01-1300_incident_search.py"
DAY_BEFORE = datetime.now(BJ).date() - timedelta(days=2)  # intake accepts the last 7 days


def token() -> str:
    """A phrase no other incident has (letters keep it apart from the demo's Chinese): each test finds its own."""
    return "档" + uuid.uuid4().hex[:6]


def listing(client, headers, **params) -> list[int]:
    r = client.get("/api/incidents", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()]


def end(client, headers, incident: dict) -> None:
    r = client.post(f"/api/incidents/{incident['id']}/end", headers=headers, json={"reason": "处置完毕"})
    assert r.status_code == 200, r.text


def page_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr class="incident" data-id="(\d+)"', html)]


@pytest.fixture
def duty(login):
    return login("duty")


@pytest.fixture
def ended(client, duty):
    """An ended incident in a 胡同: off the board, still in the archive."""
    tag = token()
    inc = create(client, duty, title=f"钟鼓楼胡同民房漏水 {tag}", address="钟楼湾胡同 12 号",
                 description="院内积水约 10 厘米，一户居民临时安置于社区活动室。", street="交道口街道",
                 event_type="供排水突发事故")
    end(client, duty, inc)
    return inc, tag


class TestSearch:
    def test_an_ended_incident_is_off_the_board_and_found_by_a_chinese_substring(self, client, duty, ended):
        inc, tag = ended
        assert inc["id"] not in listing(client, duty)  # the bare list: not ended, as before
        for phrase in ("鼓楼胡同", "钟楼湾胡", "临时安置于社区", "胡同", "积水", tag):  # title, address, description
            found = client.get("/api/incidents", params={"q": phrase}, headers=duty).json()
            assert inc["id"] in [i["id"] for i in found], phrase
            assert next(i for i in found if i["id"] == inc["id"])["status"] == "ended"
        assert inc["id"] not in listing(client, duty, q="鼓楼胡同漏电")  # a longer phrase not in it

    def test_a_two_character_phrase_matches_below_the_trigram_as_well_as_three(self, client, duty):
        tag = token()
        a = create(client, duty, title=f"南锣鼓巷胡同积水 {tag}")
        b = create(client, duty, title=f"东四北大街路面塌陷 {tag}", description="塌陷坑深 1 米")
        assert set(listing(client, duty, q="胡同", all="true")) >= {a["id"]}
        assert b["id"] not in listing(client, duty, q="胡同", all="true")
        assert listing(client, duty, q="塌陷坑") == [b["id"]]  # 3 characters: the trigram index
        assert listing(client, duty, q="坑深") == [b["id"]]  # 2 characters: the scan
        assert listing(client, duty, q="塌") == [b["id"]]  # 1 character

    def test_the_phrase_is_literal(self, client, duty):
        tag = token()
        inc = create(client, duty, title=f"100% 停电 {tag}", description='居民说 "全楼" 停电 OR 断网')
        for phrase in ("100%", '"全楼"', "OR 断网", f"{tag[1:4].upper()}"):
            assert listing(client, duty, q=phrase) == [inc["id"]], phrase
        assert listing(client, duty, q="100_") == [] and listing(client, duty, q='全楼" OR "x') == []

    def test_an_incident_recorded_before_the_archive_is_found_after_the_migration(self, client, duty, db, connection):
        tag = token()
        inc = create(client, duty, title=f"老事件 {tag}", address="北新桥三条 8 号")
        db.execute(delete(SearchEntry).where(SearchEntry.scope == "incident", SearchEntry.ref == str(inc["id"])))
        db.commit()
        assert listing(client, duty, q=tag) == []
        spec = importlib.util.spec_from_file_location("incident_search_migration", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        connection.execute(migration.BACKFILL)
        assert listing(client, duty, q=tag) == listing(client, duty, q="北新桥三条") == [inc["id"]]


class TestFilters:
    def test_each_filter_narrows(self, client, duty, ended):
        old, tag = ended
        gas = create(client, duty, title=f"燃气泄漏 {tag}", street="东四街道", event_type="燃气事故", grade="一般")
        unknown = create(client, duty, title=f"不明气味 {tag}", street="东四街道", event_type=None)
        every = {old["id"], gas["id"], unknown["id"]}
        assert set(listing(client, duty, q=tag)) == every
        cases = [({"status": "ended"}, {old["id"]}), ({"status": "active"}, {gas["id"], unknown["id"]}),
                 ({"status": "open"}, {gas["id"], unknown["id"]}), ({"status": "responding"}, set()),
                 ({"street": "东四街道"}, {gas["id"], unknown["id"]}),
                 ({"street": "交道口街道"}, {old["id"]}),
                 ({"event_type": "燃气事故"}, {gas["id"]}), ({"event_type": "未知"}, {unknown["id"]}),
                 ({"grade": "一般"}, {gas["id"]}), ({"grade": "待定"}, {old["id"], unknown["id"]}),
                 ({"grade": "较大"}, set()), ({"street": "东四街道", "grade": "待定"}, {unknown["id"]}),
                 ({"status": "all"}, every), ({"status": "", "street": "", "grade": ""}, every)]
        for params, expected in cases:
            assert set(listing(client, duty, q=tag, **params)) == expected, params

    def test_days_are_beijing_days(self, client, duty):
        tag = token()
        # 00:30 Beijing time is 16:30 UTC the day before: the archive's day is the Beijing one
        received = datetime.combine(DAY_BEFORE, time(0, 30), tzinfo=BEIJING)
        inc = create(client, duty, title=f"凌晨接报 {tag}", received_at=received.isoformat(),
                     occurred_at=(received - timedelta(minutes=5)).isoformat())
        day, prev, nxt = DAY_BEFORE.isoformat(), (DAY_BEFORE - timedelta(days=1)).isoformat(), \
            (DAY_BEFORE + timedelta(days=1)).isoformat()
        assert listing(client, duty, q=tag, **{"from": day, "to": day}) == [inc["id"]]
        assert listing(client, duty, q=tag, **{"from": day}) == [inc["id"]]
        assert listing(client, duty, q=tag, to=day) == [inc["id"]]
        assert listing(client, duty, q=tag, to=prev) == []
        assert listing(client, duty, q=tag, **{"from": nxt}) == []

    def test_drills_only_with_drill_true(self, client, duty):
        tag = token()
        real = create(client, duty, title=f"真实 {tag}")
        drill = create(client, duty, title=f"演练 {tag}", drill=True)
        assert listing(client, duty, q=tag) == [real["id"]]
        assert listing(client, duty, q=tag, drill="true") == [drill["id"]]
        assert drill["id"] in listing(client, duty, drill="true") and drill["id"] not in listing(client, duty)

    @pytest.mark.parametrize(("params", "field"), [
        ({"status": "finished"}, "status"), ({"grade": "很大"}, "grade"), ({"drill": "maybe"}, "drill"),
        ({"from": "2026-13-01"}, "from"), ({"to": "昨天"}, "to"), ({"from": "1999-12-31"}, "from"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "to"), ({"street": "火星街道"}, "street"),
        ({"street": "区城市管理委"}, "street"), ({"event_type": "外星人入侵"}, "event_type"),
        ({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"per_page": "500"}, "per_page"),
        ({"q": "长" * 101}, "q"),
    ])
    def test_a_bad_filter_is_a_422_naming_the_field_in_both_languages(self, client, duty, params, field):
        r = client.get("/api/incidents", params=params, headers=duty)
        assert r.status_code == 422, r.text
        [detail] = r.json()["detail"]
        assert detail["field"] == field and detail["msg_zh"] and detail["msg_en"]
        assert re.search(r"[\u4e00-\u9fff]", detail["msg_zh"])


class TestPaging:
    def test_pages_totals_and_links(self, client, duty):
        tag = token()
        made = [create(client, duty, title=f"第{n}起 {tag}", received_at=(datetime.now(BJ) - timedelta(hours=5 - n))
                       .isoformat(), occurred_at=(datetime.now(BJ) - timedelta(hours=6)).isoformat())["id"]
                for n in range(5)]
        newest_first = made[::-1]
        seen = []
        for page, size in ((1, 2), (2, 2), (3, 1)):
            r = client.get("/api/incidents", params={"q": tag, "per_page": 2, "page": page}, headers=duty)
            assert r.headers["X-Total-Count"] == "5" and r.headers["X-Page"] == str(page)
            assert r.headers["X-Per-Page"] == "2" and len(r.json()) == size
            links = r.headers.get("Link", "")
            assert ('rel="next"' in links) == (page < 3) and ('rel="prev"' in links) == (page > 1)
            if page < 3:
                nxt = re.search(r'<([^>]+)>; rel="next"', links)[1]
                assert f"page={page + 1}" in nxt and "per_page=2" in nxt
            seen += [i["id"] for i in r.json()]
        assert seen == newest_first
        beyond = client.get("/api/incidents", params={"q": tag, "per_page": 2, "page": 4}, headers=duty)
        assert beyond.json() == [] and beyond.headers["X-Total-Count"] == "5" and "next" not in beyond.headers.get(
            "Link", "")

    def test_the_bare_list_keeps_its_shape_and_fields(self, client, duty):
        inc = create(client, duty, title=f"字段 {token()}")
        r = client.get("/api/incidents", headers=duty)
        assert isinstance(r.json(), list) and r.headers["X-Per-Page"] == "200"  # the 200 it answered before
        row = next(i for i in r.json() if i["id"] == inc["id"])
        one = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()
        assert {k: v for k, v in one.items() if k in row} == row and set(row) >= {
            "id", "title", "status", "street", "deadlines", "next_deadline", "lead_departments", "drill"}


class TestWhoReads:
    def test_signed_out_is_refused(self, client):
        assert client.get("/api/incidents", params={"q": "胡同"}).status_code == 401
        r = client.get("/incidents?q=胡同", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/incidents")

    @pytest.mark.parametrize("user", ["street.dongsi", "cgw", "mayor", "admin"])
    def test_each_reader_sees_what_the_incident_page_shows_them(self, client, login, duty, ended, user):
        inc, tag = ended  # another street's, ended: a 东四 user opens its page today, so finds it here
        headers = login(user)
        assert client.get(f"/incidents/{inc['id']}", headers={**HTML, **headers}).status_code == 200
        assert listing(client, headers, q=tag) == [inc["id"]]
        html = client.get("/incidents", params={"q": tag}, headers={**HTML, **headers}).text
        assert page_ids(html) == [inc["id"]]


class TestPage:
    def test_the_page_and_the_api_agree(self, client, duty, ended):
        old, tag = ended
        create(client, duty, title=f"燃气泄漏 {tag}", street="东四街道", event_type="燃气事故", grade="一般")
        for params in ({"q": tag}, {"q": tag, "status": "ended"}, {"q": tag, "street": "东四街道"},
                       {"q": "胡同", "status": "all"}, {"status": "active"}, {"status": "all", "drill": "true"},
                       {"q": tag, "per_page": "1", "page": "2"}):
            html = client.get("/incidents", params=params, headers={**HTML, **duty}).text
            api = client.get("/api/incidents", params={"per_page": 20, **params}, headers=duty)
            assert page_ids(html) == [i["id"] for i in api.json()], params
            assert f"共 <b>{api.headers['X-Total-Count']}</b> 起" in html

    def test_rows_link_to_the_incident_and_mark_the_phrase(self, client, duty, ended):
        inc, tag = ended
        html = client.get("/incidents", params={"q": "社区活动室"}, headers={**HTML, **duty}).text
        assert f'href="/incidents/{inc["id"]}"' in html and "<mark>社区活动室</mark>" in html
        assert "应急结束" in html and 'href="/incidents" class="active">事件档案' in html

    def test_paging_links_keep_the_filters(self, client, duty):
        tag = token()
        for n in range(3):
            create(client, duty, title=f"第{n}起 {tag}")
        html = client.get("/incidents", params={"q": tag, "per_page": "20"}, headers={**HTML, **duty}).text
        assert "第 1 / 1 页" in html and 'rel="next"' not in html
        r = client.get("/incidents", params={"q": tag, "per_page": "20", "page": "3"}, headers={**HTML, **duty})
        assert "第 3 页没有事件（共 1 页）" in r.text

    def test_an_empty_result_says_so(self, client, duty):
        html = client.get("/incidents", params={"q": "不存在的词组" + token()}, headers={**HTML, **duty}).text
        assert 'id="archive-empty"' in html and "没有符合条件的真实事件" in html and page_ids(html) == []
        assert "默认只列<b>真实事件</b>" in html and "同样条件下也没有演练" in html
        assert 'id="archive-include-drills"' not in html  # no link to an empty list of drills either

    def test_an_archive_of_only_drills_explains_the_default_and_links_to_the_drills(self, client, duty):
        tag = token()
        drill = create(client, duty, title=f"演练 {tag}", street="东四街道", drill=True)
        html = client.get("/incidents", params={"q": tag, "street": "东四街道"}, headers={**HTML, **duty}).text
        assert page_ids(html) == [] and "没有符合条件的真实事件" in html  # the default stays: real incidents only
        assert "同样条件下有 <b>1</b> 起演练" in html
        link = re.search(r'id="archive-include-drills" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        kept = dict(parse_qsl(urlsplit(link).query))
        assert kept["drill"] == "true" and kept["q"] == tag and kept["street"] == "东四街道"  # one click, filters kept
        assert page_ids(client.get(link, headers={**HTML, **duty}).text) == [drill["id"]]
        assert listing(client, duty, q=tag) == []  # the API is unchanged: no drill without drill=true

    def test_a_bad_filter_names_the_field_in_words(self, client, duty):
        r = client.get("/incidents", params={"from": "2026-12-05", "to": "2026-12-01", "street": "火星"},
                       headers={**HTML, **duty})
        assert r.status_code == 422
        assert "接报日期（止）：结束日期不能早于开始日期" in r.text and "街道：“火星”不是东城区" in r.text
        assert 'name="street"' in r.text  # the form is still there to correct

    def test_the_nav_has_the_archive_for_readers_only(self, client, duty):
        home = client.get("/", headers={**HTML, **duty}).text
        assert 'href="/incidents"' in home
        assert 'href="/incidents"' not in client.get("/", headers=HTML).text


def test_intake_indexes_the_incident(client, duty, db):
    inc = create(client, duty, **{**body(), "title": "索引", "address": "东直门内大街 1 号", "description": "描述"})
    entry = db.query(SearchEntry).filter_by(scope="incident", ref=str(inc["id"])).one()
    assert (entry.title, entry.body, entry.sort_key) == ("索引", "东直门内大街 1 号\n描述", inc["id"])


@pytest.mark.parametrize("url", ["/api/incidents?q=胡同&status=all", "/api/incidents?q=鼓楼胡同&from=2026-01-01",
                                 "/incidents?q=胡同", "/incidents?street=交道口街道&page=2&per_page=20"])
def test_a_search_only_reads(client, connection, duty, ended, url):
    """One transaction, no INSERT / UPDATE / DELETE (as every read, test_read_requests.py)."""
    with statements(connection) as seen:
        r = client.get(url, headers={**HTML, **duty})
    assert r.status_code == 200, r.text[:300]
    assert not [s for s in seen if s.startswith(WRITES)], seen
    assert seen.count("SAVEPOINT") <= 1 and "RELEASE" not in seen, seen
