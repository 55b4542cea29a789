"""双随机 draws (国办发〔2015〕58号): the selection recomputed from the published seed by an implementation written here
from docs/supervision-credit.md — this file never imports the platform's draw code — and no conflicted inspector is
ever drawn."""
from __future__ import annotations

import hashlib
import math
from fractions import Fraction

import pytest

from tests.supervision.factories import BASE, register

INS = f"{BASE}/inspections"


def recompute(seed: str, institutions: dict[int, str], proportions: dict[str, str], inspectors: list[int],
              conflicts: set[tuple[int, int]], per_inspection: int) -> list[tuple[int, list[int]]]:
    """The documented algorithm sha256-rank-v1, from its description only."""

    def h(*parts) -> str:
        return hashlib.sha256(":".join([seed, *map(str, parts)]).encode("utf-8")).hexdigest()

    chosen: list[int] = []
    for grade in ("high", "medium", "low"):
        ids = sorted(i for i, g in institutions.items() if g == grade)
        n = math.ceil(len(ids) * Fraction(proportions[grade]))
        chosen += sorted(ids, key=lambda i: (h("institution", i), i))[:n]
    out = []
    for inst in chosen:
        eligible = [j for j in sorted(inspectors) if (j, inst) not in conflicts]
        out.append((inst, sorted(eligible, key=lambda j: (h("inspector", inst, j), j))[:per_inspection]))
    return out


@pytest.fixture
def wjw(login):
    return login("wjw.jd")


@pytest.fixture
def registry(client, wjw):
    """12 institutions over the three grades, 6 inspectors, 5 declared conflicts."""
    grades = ["high"] * 3 + ["medium"] * 5 + ["low"] * 4
    institutions = {}
    for n, g in enumerate(grades, 100):
        r = register(client, wjw, n, risk=g)
        assert r.status_code == 201, r.text
        institutions[r.json()["id"]] = g
    inspectors = []
    for n in range(6):
        r = client.post(f"{INS}/inspectors", headers=wjw, json={"name": f"执法员{n}", "badge_no": f"JD-{n:04d}"})
        assert r.status_code == 201, r.text
        inspectors.append(r.json()["id"])
    ids = sorted(institutions)
    conflicts = {(inspectors[0], ids[0]), (inspectors[1], ids[0]), (inspectors[2], ids[0]), (inspectors[3], ids[5]),
                 (inspectors[5], ids[11])}
    for j, i in sorted(conflicts):
        r = client.post(f"{INS}/inspectors/{j}/conflicts", headers=wjw,
                        json={"institution_id": i, "reason": "近亲属在该机构任职"})
        assert r.status_code == 201, r.text
    return institutions, inspectors, conflicts


def plan(client, wjw, seed: str, **over):
    body = {"title": "2022年医疗机构双随机抽查", "items": ["WJ-01", "WJ-02"], "seed": seed,
            "proportions": {"high": "1", "medium": "0.4", "low": "0.25"}, **over}
    r = client.post(f"{INS}/plans", headers=wjw, json=body)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize("seed", ["2022-03-01-lottery-0000001", "f" * 64, "seed.for-the.public_draw-42"])
def test_the_published_draw_recomputes_independently_and_recuses(client, wjw, registry, seed):
    institutions, inspectors, conflicts = registry
    p = plan(client, wjw, seed)
    assert p["seed_sha256"] == hashlib.sha256(seed.encode()).hexdigest()
    drawn = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw)
    assert drawn.status_code == 200, drawn.text
    got = [(i["institution"]["id"], [j["id"] for j in i["inspectors"]]) for i in drawn.json()["inspections"]]
    expected = recompute(seed, institutions, p["proportions"], inspectors, conflicts, 2)
    assert got == expected
    assert len(got) == 3 + 2 + 1  # every high, ceil(5 × 0.4), ceil(4 × 0.25)
    for inst, people in got:
        assert len(people) == 2 and len(set(people)) == 2
        assert not any((j, inst) in conflicts for j in people)
    record = drawn.json()["draw"]  # what is published: enough to recompute without the platform
    assert record["algorithm"] == "sha256-rank-v1" and record["seed"] == seed
    assert {g["grade"]: g["candidates"] for g in record["grades"]} == {
        g: sorted(i for i, x in institutions.items() if x == g) for g in ("high", "medium", "low")}


def test_never_a_conflicted_inspector_over_many_seeds(client, wjw, registry):
    institutions, inspectors, conflicts = registry
    first = sorted(institutions)[0]  # 3 of 6 inspectors conflicted with it
    for n in range(25):
        p = plan(client, wjw, f"many-seeds-{n:04d}-xxxxxxxx", proportions={"high": "1", "medium": "1", "low": "1"})
        body = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw).json()
        for i in body["inspections"]:
            people = [j["id"] for j in i["inspectors"]]
            assert not any((j, i["institution"]["id"]) in conflicts for j in people)
            if i["institution"]["id"] == first:
                assert set(people) <= set(inspectors[3:])


def test_too_few_eligible_inspectors_is_refused_whole(client, wjw, registry):
    institutions, inspectors, _ = registry
    first = sorted(institutions)[0]
    for j in inspectors[3:5]:  # leaves one eligible inspector for the first institution
        client.post(f"{INS}/inspectors/{j}/conflicts", headers=wjw, json={"institution_id": first, "reason": "曾任职"})
    p = plan(client, wjw, "too-few-inspectors-0001")
    r = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw)
    assert r.status_code == 409 and f"编号{first}" in r.json()["error"]["msg_zh"]
    assert client.get(f"{INS}/plans/{p['id']}", headers=wjw).json()["status"] == "draft"


def test_plan_inputs_are_checked_naming_the_field(client, wjw):
    r = client.post(f"{INS}/plans", headers=wjw, json={"title": "计划", "items": ["WJ-99"], "inspectors_per_inspection": 1,
                                                       "proportions": {"high": "1.5", "medium": "0.1", "low": "x"}})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert fields == {"items[0]", "proportions.high", "proportions.low", "inspectors_per_inspection"}


def test_results_public_only_after_the_delay(client, wjw, registry):
    p = plan(client, wjw, "publication-delay-seed-01", publication_delay=0)
    assert p["publication_delay"] == 0
    body = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw).json()
    public = client.get(f"{INS}/plans/{p['id']}").json()  # anonymous
    assert public["seed"] is None and public["inspections"] == [] and public["drawn"] == len(body["inspections"])
    assert client.post(f"{INS}/plans/{p['id']}/close", headers=wjw).status_code == 409  # results missing
    for i in body["inspections"]:
        r = client.post(f"{INS}/plans/{p['id']}/inspections/{i['id']}/result", headers=wjw,
                        json={"result": "compliant"})
        assert r.status_code == 200, r.text
    closed = client.post(f"{INS}/plans/{p['id']}/close", headers=wjw).json()
    assert closed["status"] == "closed" and closed["published"] is True
    public = client.get(f"{INS}/plans/{p['id']}").json()
    assert public["seed"] == "publication-delay-seed-01" and len(public["inspections"]) == len(body["inspections"])
    assert public["inspections"][0]["result_label"] == "未发现问题"


def test_default_delay_keeps_results_unpublished(client, wjw, registry):
    p = plan(client, wjw, "default-delay-seed-00001")
    assert p["publication_delay"] == 20  # data/supervision/inspection_policy.yaml, platform default
    body = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw).json()
    for i in body["inspections"]:
        client.post(f"{INS}/plans/{p['id']}/inspections/{i['id']}/result", headers=wjw, json={"result": "rectify"})
    closed = client.post(f"{INS}/plans/{p['id']}/close", headers=wjw).json()
    assert closed["publish_on"] > closed["closed_on"]
    public = client.get(f"{INS}/plans/{p['id']}").json()
    assert public["published"] is False and public["seed"] is None and public["inspections"] == []
    page = client.get(f"/supervision/inspections/plans/{p['id']}")
    assert page.status_code == 200 and p["seed_sha256"] in page.text and "default-delay-seed" not in page.text


def test_only_the_health_commission_draws(client, wjw, login, registry):
    p = plan(client, wjw, "authority-seed-000000001")
    assert client.post(f"{INS}/plans/{p['id']}/draw", headers=login("cgw")).status_code == 403


def test_items_and_pages_are_public(client, wjw, registry):
    items = client.get(f"{INS}/items").json()
    assert items["basis"] == "东政办发〔2021〕17号 四（一）" and items["items"][0]["code"] == "WJ-01"
    assert "抽查事项清单" in client.get("/supervision/inspections/items").text
    p = plan(client, wjw, "page-seed-0000000000001")
    page = client.get(f"/supervision/inspections/plans/{p['id']}", headers=wjw)
    assert 'id="draw"' in page.text  # the 区卫生健康委 draws from the page
    assert 'id="draw"' not in client.get(f"/supervision/inspections/plans/{p['id']}").text
    listing = client.get("/supervision/inspections").text
    assert "双随机" in listing and "执法员0 · 执法证号 JD-0000" in listing


def test_the_snippet_in_the_docs_recomputes_the_published_draw(client, wjw, registry):
    """The Python of docs/supervision-credit.md, run as printed on the published record of a draw."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "supervision-credit.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(.*?)```", doc, re.S)
    scope: dict = {}
    exec(snippet, scope)  # noqa: S102 — our own documentation
    p = plan(client, wjw, "docs-snippet-seed-000001")
    draw = client.post(f"{INS}/plans/{p['id']}/draw", headers=wjw).json()["draw"]
    assert scope["recompute"](draw) == [(s["institution_id"], s["inspectors"]) for s in draw["selection"]]
