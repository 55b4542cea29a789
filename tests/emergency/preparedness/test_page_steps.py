"""Every preparedness step on its page (issue 14 item 4): 报废 and its approval (irreversible: a reason and the
confirmation), 调库, 盘点, 征用 / 返还 / 补偿 (补偿 irreversible), warehouses, catalogue items and the .xlsx import —
each done through the form by the demo user who may, answered with the success notice and the state it leaves; a
refusal of each kind: a missing field named by its Chinese label (422), a wrong role (403, in words), an
irreversible step without its reason or confirmation (422, nothing saved)."""
from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook

from tests.emergency.preparedness.helpers import balance, item, ok, receive, warehouse

HTML = {"Accept": "text/html"}
API = "/api/preparedness"
NOTICE = re.compile(r'id="step-notice">✓ ([^<]+)<')


def csrf(client, url: str, headers: dict) -> str:
    html = client.get(url, headers={**HTML, **headers}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, url: str, headers: dict, data: dict, page: str = "/preparedness/stock", files=None):
    data = {"csrf_token": csrf(client, page, headers), **data}
    return client.post(url, data=data, files=files, headers={**HTML, **headers}, follow_redirects=False)


def notice(client, r, headers) -> str:
    assert r.status_code == 303, r.text[:600]
    page = client.get(r.headers["location"], headers={**HTML, **headers}).text
    return NOTICE.search(page).group(1)


def errors(r) -> dict[str, str]:
    """The error list as the user reads it: field label → message."""
    return dict(re.findall(r'<li data-field="[^"]+"><b>([^<]+)</b>：([^<]+)<', r.text))


def lot_of(client, duty, item_id, warehouse_name=None) -> dict:
    rows = ok(client.get(f"{API}/stock?item_id={item_id}", headers=duty))
    return next(r for r in rows if warehouse_name in (None, r["warehouse"]))


def test_scrap_proposed_and_approved_on_the_page(client, login):
    duty, cgw, street = login("duty"), login("cgw"), login("street.dongsi")
    w = warehouse(client, cgw, name="城管委库（页面）", owner="区城市管理委")
    i = item(client, duty, name="沙袋（页面）", uom="个")
    receive(client, cgw, w["id"], i["id"], 50, lot_no="P1")
    lot = lot_of(client, duty, i["id"])
    # the warehouse's unit proposes; the reason is named by its label when missing
    r = post(client, "/preparedness/stock/scraps", cgw, {"lot_id": str(lot["lot_id"]), "quantity": "5"})
    assert r.status_code == 422 and "报废原因" in errors(r)
    r = post(client, "/preparedness/stock/scraps", cgw, {"lot_id": str(lot["lot_id"]), "quantity": "5",
                                                          "reason": "受潮霉变"})
    assert notice(client, r, cgw) == "报废申请已提交，等待区应急办批准"
    page = client.get("/preparedness/stock", headers={**HTML, **duty}).text
    sid = re.search(r'id="scrap-approve-(\d+)"', page).group(1)
    assert "受潮霉变" in page and "确认批准报废5个沙袋（页面）？" in page
    # the proposer's unit sees no approval form; a street is refused in words
    assert f'id="scrap-approve-{sid}"' not in client.get("/preparedness/stock", headers={**HTML, **cgw}).text
    r = post(client, f"/preparedness/stock/scraps/{sid}/approve", street, {"reason": "同意", "confirm": "yes"})
    assert r.status_code == 403 and "报废须经区应急办批准" in r.text
    # irreversible: no reason and no confirmation → 422 naming both, nothing booked
    r = post(client, f"/preparedness/stock/scraps/{sid}/approve", duty, {"reason": ""})
    assert r.status_code == 422 and set(errors(r)) == {"批准理由", "确认"}
    r = post(client, f"/preparedness/stock/scraps/{sid}/approve", duty, {"reason": "确已霉变"})
    assert r.status_code == 422 and "确认" in errors(r) and balance(client, duty, i["id"]) == 50
    r = post(client, f"/preparedness/stock/scraps/{sid}/approve", duty, {"reason": "确已霉变", "confirm": "yes"})
    assert notice(client, r, duty) == "已批准报废，已从库存中减去"
    assert balance(client, duty, i["id"]) == 45
    ledger = ok(client.get(f"{API}/stock/movements?lot_id={lot['lot_id']}", headers=duty))
    assert ledger[0]["kind"] == "scrap" and ledger[0]["quantity"] == -5
    # decided: a second approval is a 409 in words on the page
    r = post(client, f"/preparedness/stock/scraps/{sid}/approve", duty, {"reason": "再批", "confirm": "yes"})
    assert r.status_code == 409 and "该报废申请已处理" in r.text and balance(client, duty, i["id"]) == 45
    # a refusal naming no field is about the whole form: its words alone, no field label (once "表单：…")
    assert errors(r) == {} and re.search(r'<li data-field="form">该报废申请已处理', r.text)
    assert "表单" not in r.text and "<b>form</b>" not in r.text


def test_scrap_refused_with_a_reason(client, login):
    duty, cgw = login("duty"), login("cgw")
    w = warehouse(client, cgw, name="城管委库二（页面）", owner="区城市管理委")
    i = item(client, duty, name="雨衣（页面）", uom="件")
    receive(client, cgw, w["id"], i["id"], 10)
    lot = lot_of(client, duty, i["id"])
    notice(client, post(client, "/preparedness/stock/scraps", cgw, {"lot_id": str(lot["lot_id"]), "quantity": "2",
                                                                     "reason": "破损"}), cgw)
    sid = re.search(r'id="scrap-refuse-(\d+)"',
                    client.get("/preparedness/stock", headers={**HTML, **duty}).text).group(1)
    r = post(client, f"/preparedness/stock/scraps/{sid}/refuse", duty, {"reason": ""})
    assert r.status_code == 422 and "不批准理由" in errors(r)
    r = post(client, f"/preparedness/stock/scraps/{sid}/refuse", duty, {"reason": "可修补后使用"})
    assert notice(client, r, duty) == "已不批准该报废申请" and balance(client, duty, i["id"]) == 10
    assert f'id="scrap-{sid}"' not in client.get("/preparedness/stock", headers={**HTML, **duty}).text


def test_transfer_and_count_on_the_page(client, login):
    duty, cgw = login("duty"), login("cgw")
    a = warehouse(client, duty, name="甲库（页面）")
    b = warehouse(client, duty, name="乙库（页面）")
    i = item(client, duty, name="帐篷（页面）", uom="顶")
    receive(client, duty, a["id"], i["id"], 40, lot_no="T1")
    lot = lot_of(client, duty, i["id"])
    # 调库: more than the lot holds is a 409 in words; nothing moves
    r = post(client, "/preparedness/stock/transfers", duty, {"lot_id": str(lot["lot_id"]),
                                                             "to_warehouse_id": str(b["id"]), "quantity": "41"})
    assert r.status_code == 409 and "库存不足" in r.text and balance(client, duty, i["id"]) == 40
    r = post(client, "/preparedness/stock/transfers", duty, {"lot_id": str(lot["lot_id"]),
                                                             "to_warehouse_id": str(b["id"]), "quantity": ""})
    assert r.status_code == 422 and "数量" in errors(r)
    # another unit's warehouse: 403
    r = post(client, "/preparedness/stock/transfers", cgw, {"lot_id": str(lot["lot_id"]),
                                                            "to_warehouse_id": str(b["id"]), "quantity": "5"})
    assert r.status_code == 403
    r = post(client, "/preparedness/stock/transfers", duty, {"lot_id": str(lot["lot_id"]),
                                                             "to_warehouse_id": str(b["id"]), "quantity": "15",
                                                             "reason": "前置到东四"})
    assert notice(client, r, duty) == "调库已登记（调出、调入各一笔）"
    rows = {r["warehouse"]: r["balance"] for r in ok(client.get(f"{API}/stock?item_id={i['id']}", headers=duty))}
    assert rows == {"甲库（页面）": 25, "乙库（页面）": 15}
    # 盘点 from the warehouse's filtered page: counted 23 of 25 booked
    page = client.get(f"/preparedness/stock?warehouse={a['id']}", headers={**HTML, **duty}).text
    assert f'name="counted_{lot["lot_id"]}"' in page
    url = f"/preparedness/warehouses/{a['id']}/counts"
    r = post(client, url, duty, {f"counted_{lot['lot_id']}": "23", "reason": ""})
    assert r.status_code == 422 and "调整原因" in errors(r) and balance(client, duty, i["id"]) == 40
    r = post(client, url, duty, {"reason": "无"})
    assert r.status_code == 422 and "实盘数（至少填一个批次）" in errors(r)
    r = post(client, url, duty, {f"counted_{lot['lot_id']}": "23", "reason": "破损2顶"})
    assert notice(client, r, duty) == "盘点已登记，差额已入账"
    assert r.headers["location"].startswith(f"/preparedness/stock?warehouse={a['id']}")
    assert balance(client, duty, i["id"]) == 38
    # a department is offered only its own unit's lots and warehouses to book
    other = client.get(f"/preparedness/stock?warehouse={a['id']}", headers={**HTML, **cgw}).text
    assert 'id="count-form"' not in other and "该仓库不属于本单位" in other
    assert "帐篷（页面）" not in re.search(r'<select id="t-lot".*?</select>', other).group(0)
    # a leader keeps no stock: no forms, and the step is refused
    sun = login("sun.yang")
    page = client.get("/preparedness/stock", headers={**HTML, **sun}).text
    assert 'id="transfer-form"' not in page and 'id="scrap-form"' not in page
    assert post(client, url, sun, {f"counted_{lot['lot_id']}": "20", "reason": "x"}).status_code == 403


def test_requisition_return_and_compensation_on_the_page(client, login):
    duty, cgw, mayor = login("duty"), login("cgw"), login("mayor")
    page = "/preparedness/requisitions"
    assert 'href="/preparedness/requisitions"' in client.get("/preparedness", headers={**HTML, **duty}).text
    body = {"owner_name": "北京某物流公司", "owner_contact": "13800002222", "kind": "交通工具",
            "description": "厢式货车", "quantity": "2"}
    # the 区应急办 records it for a leader: the leader is named, or a 422 naming the field
    r = post(client, page, duty, body, page)
    assert r.status_code == 422 and "作出决定的区领导" in errors(r)
    r = post(client, page, duty, {**body, "description": ""}, page)
    assert r.status_code == 422 and "财产说明" in errors(r)
    # a department cannot requisition: no form, 403
    assert 'id="requisition-form"' not in client.get(page, headers={**HTML, **cgw}).text
    assert post(client, page, cgw, {**body, "decided_by": "周金星"}, page).status_code == 403
    r = post(client, page, mayor, body, page)
    assert notice(client, r, mayor) == "征用已登记"
    row = ok(client.get(f"{API}/requisitions", headers=duty))[0]
    assert row["status"] == "requisitioned" and "周金星" in row["decided_by"]
    assert "13800002222" not in client.get(page, headers={**HTML, **cgw}).text  # personal data
    rid = row["id"]
    r = post(client, f"{page}/{rid}/return", duty, {"condition": "毁损", "note": "车门凹陷"}, page)
    assert notice(client, r, duty) == "已登记返还"
    # 补偿 closes it: without the reason and confirmation → 422, nothing saved
    r = post(client, f"{page}/{rid}/compensate", duty, {"amount_yuan": "3000"}, page)
    assert r.status_code == 422 and set(errors(r)) == {"补偿说明", "确认"}
    assert ok(client.get(f"{API}/requisitions", headers=duty))[0]["status"] == "returned"
    r = post(client, f"{page}/{rid}/compensate", duty, {"amount_yuan": "0", "note": "按评估", "confirm": "yes"}, page)
    assert r.status_code == 422 and "补偿金额（元）" in errors(r)  # damaged: not 0
    r = post(client, f"{page}/{rid}/compensate", duty, {"amount_yuan": "3000", "note": "按评估", "confirm": "yes"},
             page)
    assert notice(client, r, duty) == "已登记补偿，该征用已办结"
    row = ok(client.get(f"{API}/requisitions", headers=duty))[0]
    assert row["status"] == "compensated" and row["compensation_yuan"] == 3000
    html = client.get(page, headers={**HTML, **duty}).text
    assert "3000.00元" in html and f'id="compensate-{rid}"' not in html


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_warehouse_item_and_import_on_the_page(client, login):
    duty, cgw, sun = login("duty"), login("cgw"), login("sun.yang")
    r = post(client, "/preparedness/warehouses", cgw, {"name": "", "owner_unit": "区城市管理委"})
    assert r.status_code == 422 and "仓库名称" in errors(r)
    r = post(client, "/preparedness/warehouses", cgw, {"name": "城管委北库（页面）", "owner_unit": "区应急局"})
    assert r.status_code == 403  # another unit's warehouse
    r = post(client, "/preparedness/warehouses", cgw, {"name": "城管委北库（页面）", "owner_unit": "区城市管理委",
                                                       "address": "东城区某路1号"})
    assert notice(client, r, cgw) == "仓库已登记"
    assert any(w["name"] == "城管委北库（页面）" for w in ok(client.get(f"{API}/warehouses", headers=duty)))
    r = post(client, "/preparedness/items", duty, {"name": "发电机（页面）", "owner_unit": "区应急局"})
    assert r.status_code == 422 and "计量单位" in errors(r)
    r = post(client, "/preparedness/items", duty, {"name": "发电机（页面）", "unit_of_measure": "台", "min_level": "2",
                                                   "reserve_kind": "实物储备", "owner_unit": "区应急局"})
    assert notice(client, r, duty) == "物资已加入目录"
    assert post(client, "/preparedness/items", sun, {"name": "x", "unit_of_measure": "个",
                                                     "owner_unit": "区应急局"}).status_code == 403
    # .xlsx import: no file named; a bad row names its cell, nothing saved; then every row
    r = post(client, "/preparedness/items/import", duty, {})
    assert r.status_code == 422 and "文件" in errors(r)
    header = ["物资名称", "类别", "计量单位", "最低储备量", "储备方式", "所属单位"]
    bad = _sheet([header, ["照明灯（导入）", "照明类", "个", 5, "实物储备", "区应急局"],
                  ["抽水泵（导入）", "排涝类", "", 1, "实物储备", "区应急局"]])
    r = post(client, "/preparedness/items/import", duty, {}, files={"file": ("目录.xlsx", bad)})
    assert r.status_code == 422 and any(k.startswith("第3行") for k in errors(r)), errors(r)
    names = {i["name"] for i in ok(client.get(f"{API}/items", headers=duty))}
    assert "照明灯（导入）" not in names
    good = _sheet([header, ["照明灯（导入）", "照明类", "个", 5, "实物储备", "区应急局"],
                   ["抽水泵（导入）", "排涝类", "台", 1, "实物储备", "区应急局"]])
    r = post(client, "/preparedness/items/import", duty, {}, files={"file": ("目录.xlsx", good)})
    assert notice(client, r, duty) == "物资目录已导入"
    names = {i["name"] for i in ok(client.get(f"{API}/items", headers=duty))}
    assert {"照明灯（导入）", "抽水泵（导入）"} <= names
    assert post(client, "/preparedness/items/import", sun, {},
                files={"file": ("目录.xlsx", good)}).status_code == 403


def test_registry_import_on_the_page(client, login):
    cgw, sun = login("cgw"), login("sun.yang")
    page = "/preparedness/registries/teams"
    assert 'id="import-form"' in client.get(page, headers={**HTML, **cgw}).text
    assert 'id="import-form"' not in client.get(page, headers={**HTML, **sun}).text
    header = ["队伍名称", "队伍类别", "所属单位", "人数", "装备", "联系人", "联系电话", "备勤状态", "备注"]
    bad = _sheet([header, ["排涝一队（导入）", "professional", "区城市管理委", 20, "", "", "", "待命", ""],
                  ["排涝二队（导入）", "professional", "区城市管理委", 0, "", "", "", "待命", ""]])
    r = post(client, f"{page}/import", cgw, {}, page, files={"file": ("队伍.xlsx", bad)})
    assert r.status_code == 422 and "第3行 人数" in errors(r), errors(r)
    assert "排涝一队（导入）" not in client.get(page, headers={**HTML, **cgw}).text
    good = _sheet([header, ["排涝一队（导入）", "professional", "区城市管理委", 20, "", "", "", "待命", ""],
                   ["排涝二队（导入）", "professional", "区城市管理委", 12, "", "", "", "待命", ""]])
    r = post(client, f"{page}/import", cgw, {}, page, files={"file": ("队伍.xlsx", good)})
    assert notice(client, r, cgw) == "已导入全部行"
    listing = client.get(page, headers={**HTML, **cgw}).text
    assert "排涝一队（导入）" in listing and "排涝二队（导入）" in listing
    assert post(client, f"{page}/import", sun, {}, page, files={"file": ("队伍.xlsx", good)}).status_code == 403
