"""OASIS CAP 1.2 export (Alert / Update / Cancel) and the public Atom feed.

The identifier follows GB/T 35965.1-2018 Annex A: ``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`` — the 6-digit GB/T 2260
division code (东城区 110101), a 3-digit organ code (configurable: ``DONGCHENG_CAP_ORGAN_CODE``), ``000``, ``00``,
the entry time in Beijing time and a sequence digit. The colour is kept as a CAP parameter next to the
severity/urgency it maps to (dissemination_rules.cap_profile).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

from lxml import etree
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dongcheng.core.time import to_local
from dongcheng.core.xml import xml_text
from dongcheng.emergency.warnings import dissemination_rules, rules
from dongcheng.emergency.warnings.enums import Level, MsgType

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
DIVISION_CODE = "110101"  # GB/T 2260: 北京市东城区
IDENTIFIER_RE = re.compile(r"^(\d{6})(\d{3})000(00)_(\d{14})_(\d)$")

# CAP <category> from the §1.4.1 category, refined by event type where the CAP list has a closer word.
CATEGORY_BY_PLAN = {"自然灾害": "Geo", "事故灾难": "Safety", "公共卫生事件": "Health", "社会安全事件": "Security"}
CATEGORY_BY_EVENT = (("气象", "Met"), ("地震", "Geo"), ("火灾", "Fire"), ("交通", "Transport"), ("供排水", "Infra"),
                     ("电力", "Infra"), ("燃气", "Infra"), ("供热", "Infra"), ("通信", "Infra"), ("环境", "Env"),
                     ("危险化学品", "CBRNE"), ("核", "CBRNE"), ("林木", "Env"))


class CapSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DONGCHENG_CAP_", extra="ignore")

    organ_code: str = Field("000", pattern=r"^\d{3}$")
    sender: str = "yjfb.dongcheng.beijing.gov.cn"  # the 区预警信息发布中心; no spaces, commas, < or &
    base_url: str = ""  # absolute links in the Atom feed when set (e.g. https://yj.bjdch.gov.cn)


@lru_cache
def cap_settings() -> CapSettings:
    return CapSettings()


def identifier(entered_at: datetime, n: int, organ_code: str | None = None) -> str:
    """GB/T 35965.1 Annex A: ``110101`` + organ code + ``000`` + ``00`` + ``_`` + Beijing time + ``_`` + N."""
    organ = organ_code or cap_settings().organ_code
    if not re.fullmatch(r"\d{3}", organ) or not 0 <= n <= 9:
        raise ValueError("organ code must be 3 digits and N one digit")
    return f"{DIVISION_CODE}{organ}00000_{to_local(entered_at).strftime('%Y%m%d%H%M%S')}_{n}"


def cap_time(value: datetime) -> str:
    """CAP 1.2 dateTime: Beijing time with its offset, no fractional seconds (``2022-07-01T08:00:00+08:00``)."""
    return to_local(value).replace(microsecond=0).isoformat()


def cap_category(category: str | None, event_type: str | None) -> str:
    for word, cap in CATEGORY_BY_EVENT:
        if event_type and word in event_type:
            return cap
    return CATEGORY_BY_PLAN.get(category or "", "Other")


def _sub(parent, tag: str, text: str | None = None):
    el = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        el.text = xml_text(text)  # stored text may predate the input gate
    return el


def build_alert(*, warning, message, previous, issuer_name: str, polygons: tuple[str, ...] = ()) -> bytes:
    """One CAP 1.2 <alert> for ``message`` (an Alert, Update or Cancel of ``warning``); ``previous`` are the earlier
    messages of the same warning, referenced as ``sender,identifier,sent`` by Updates and Cancels; ``polygons``: the
    area's outline in CAP's "lat,lon …" form (WGS 84), when the data has it (the district's, for a warning over every
    street: reference/boundary.py).
    """
    level = Level(message.level)
    severity, urgency, certainty = dissemination_rules.cap_profile(level)
    msg_type = MsgType(message.msg_type)
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _sub(root, "identifier", message.identifier)
    _sub(root, "sender", message.sender)
    _sub(root, "sent", cap_time(message.sent_at))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", msg_type.value)
    _sub(root, "source", issuer_name)
    _sub(root, "scope", "Public" if warning.public else "Restricted")
    if not warning.public:
        _sub(root, "restriction", "仅限本行业（领域）内部（东政发〔2022〕3号 §3.2.3(3)）")
    _sub(root, "note", message.note or str(rules.clause("§3.2")))
    if msg_type != MsgType.ALERT and previous:
        _sub(root, "references", " ".join(f"{p.sender},{p.identifier},{cap_time(p.sent_at)}" for p in previous))

    info = _sub(root, "info")
    _sub(info, "language", "zh-CN")
    _sub(info, "category", cap_category(warning.category, warning.event_type.name if warning.event_type else None))
    _sub(info, "event", warning.event_type.name if warning.event_type else "突发事件")
    _sub(info, "responseType", "AllClear" if msg_type == MsgType.CANCEL else "Prepare")
    _sub(info, "urgency", "Past" if msg_type == MsgType.CANCEL else urgency)
    _sub(info, "severity", severity)
    _sub(info, "certainty", certainty)
    _sub(info, "eventCode")
    code = info[-1]
    _sub(code, "valueName", "GB/T 35965.1 预警级别")
    _sub(code, "value", level.grade)
    _sub(info, "effective", cap_time(message.sent_at))
    if warning.starts_at:
        _sub(info, "onset", cap_time(warning.starts_at))
    if warning.starts_at and warning.expected_duration_hours:
        _sub(info, "expires", cap_time(warning.starts_at + timedelta(hours=warning.expected_duration_hours)))
    _sub(info, "senderName", issuer_name)
    action = {MsgType.ALERT: "发布", MsgType.UPDATE: "调整", MsgType.CANCEL: "解除"}[msg_type]
    _sub(info, "headline", f"东城区{action}{level.value}预警：{warning.title}")
    _sub(info, "description", warning.precautions or warning.title)
    if msg_type != MsgType.CANCEL and warning.measures:
        _sub(info, "instruction", warning.measures)
    for name, value in (("预警颜色", level.value), ("预警级别", level.grade), ("colour", level.css),
                        ("依据", str(rules.clause("§3.2.2")))):
        param = _sub(info, "parameter")
        _sub(param, "valueName", name)
        _sub(param, "value", value)
    area = _sub(info, "area")
    _sub(area, "areaDesc", "北京市东城区" + "、".join(warning.area_streets or ["全区"]))
    for polygon in polygons:  # CAP 1.2 §3.2.4: after areaDesc, before geocode
        _sub(area, "polygon", polygon)
    geocode = _sub(area, "geocode")
    _sub(geocode, "valueName", "GB/T 2260")
    _sub(geocode, "value", DIVISION_CODE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def check_alert(xml: bytes) -> list[str]:
    """The CAP 1.2 rules the XSD cannot express (spec §3.2), plus ours; returns the problems found."""
    problems: list[str] = []
    ns = {"c": CAP_NS}
    doc = etree.fromstring(xml)
    ident = doc.findtext("c:identifier", namespaces=ns) or ""
    sender = doc.findtext("c:sender", namespaces=ns) or ""
    for name, value in (("identifier", ident), ("sender", sender)):
        if re.search(r"[\s,<&]", value):
            problems.append(f"{name} contains a space, comma, < or &")
    if not IDENTIFIER_RE.match(ident):
        problems.append("identifier does not follow GB/T 35965.1 Annex A")
    msg_type = doc.findtext("c:msgType", namespaces=ns)
    refs = doc.findtext("c:references", namespaces=ns)
    if msg_type in ("Update", "Cancel") and not refs:
        problems.append(f"{msg_type} without references")
    if refs:
        for ref in refs.split(" "):
            if len(ref.split(",")) != 3:
                problems.append(f"reference {ref!r} is not sender,identifier,sent")
    if doc.findtext("c:scope", namespaces=ns) == "Restricted" and not doc.findtext("c:restriction", namespaces=ns):
        problems.append("Restricted scope without restriction")
    for info in doc.findall("c:info", ns):
        if info.findtext("c:language", namespaces=ns) != "zh-CN":
            problems.append("info language is not zh-CN")
        params = {p.findtext("c:valueName", namespaces=ns): p.findtext("c:value", namespaces=ns)
                  for p in info.findall("c:parameter", ns)}
        colour = params.get("预警颜色")
        if colour not in {lv.value for lv in Level}:
            problems.append("colour parameter missing")
        elif dissemination_rules.cap_profile(Level(colour))[0] != info.findtext("c:severity", namespaces=ns):
            problems.append("severity does not match the colour")
        onset, expires = info.findtext("c:onset", namespaces=ns), info.findtext("c:expires", namespaces=ns)
        if onset and expires and datetime.fromisoformat(expires) <= datetime.fromisoformat(onset):
            problems.append("expires is not after onset")
    return problems


def atom_feed(entries: list[dict], *, base_url: str, updated: datetime) -> bytes:
    """The public Atom feed: one entry per CAP message (dissemination.feed_entries), each linking to that message."""
    a = f"{{{ATOM_NS}}}"
    base_url = xml_text(base_url)  # from the request's Host when not configured
    feed = etree.Element(f"{a}feed", nsmap={None: ATOM_NS})
    etree.SubElement(feed, f"{a}title").text = "东城区预警信息（区预警信息发布中心）"
    etree.SubElement(feed, f"{a}id").text = f"urn:cap:{DIVISION_CODE}:warnings"
    etree.SubElement(feed, f"{a}updated").text = cap_time(updated)
    etree.SubElement(feed, f"{a}author").append(_atom_name("北京市东城区预警信息发布中心"))
    etree.SubElement(feed, f"{a}link", rel="self", href=f"{base_url}/api/public/warnings.atom")
    for e in entries:
        entry = etree.SubElement(feed, f"{a}entry")
        etree.SubElement(entry, f"{a}id").text = f"urn:cap:{e['identifier']}"
        etree.SubElement(entry, f"{a}title").text = xml_text(e["title"])  # stored text may predate the input gate
        etree.SubElement(entry, f"{a}updated").text = cap_time(e["updated"])
        etree.SubElement(entry, f"{a}summary").text = xml_text(e["summary"])
        etree.SubElement(entry, f"{a}category", term=xml_text(e["level"]))
        etree.SubElement(entry, f"{a}category", term=e["msg_type"], label="CAP msgType")
        etree.SubElement(entry, f"{a}link", rel="alternate", href=f"{base_url}/public/warnings#w{e['id']}")
        etree.SubElement(entry, f"{a}link", rel="related", type="application/cap+xml",
                         href=f"{base_url}/api/warnings/{e['id']}/cap?seq={e['seq']}")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _atom_name(text: str):
    el = etree.Element(f"{{{ATOM_NS}}}name")
    el.text = xml_text(text)
    return el
