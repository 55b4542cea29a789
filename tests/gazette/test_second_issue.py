"""A second issue beside the seed (issue 15 item 4): the constructed 2022年第4期 splits, imports next to the seed, and
the documents list, search and clause links cover both; a damaged text is refused whole, naming what and where."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.search import SearchEntry
from dongcheng.gazette import links, service
from dongcheng.gazette.filters import render_links
from dongcheng.gazette.models import GazetteClause, GazetteDocument, GazetteIssue, GazetteTocEntry
from dongcheng.gazette.rules import parse_issue
from tests.gazette.conftest import CONSTRUCTED_NUMBERS, NUMBERS

TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@pytest.fixture
def admin(login):
    return login("admin")


@pytest.fixture
def both(db, seed_bytes, constructed_bytes):
    seed = service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")
    second = service.import_issue(db, data=constructed_bytes, source_name="2022-04-constructed.txt")
    return seed, second


class TestSplitting:
    def test_the_constructed_issue_splits_like_the_seed(self, constructed_bytes):
        issue = parse_issue(constructed_bytes.decode())
        assert issue.label == "北京市东城区人民政府公报 2022年第4期（总第44期）" and issue.notes == ()
        assert [d.number for d in issue.documents] == CONSTRUCTED_NUMBERS
        # the 目录 entry wrapped over two tables (…（东政办发〔2022〕 | 4号)) is one entry with its page
        wrapped = issue.toc[1]
        assert (wrapped.document_number, wrapped.page) == ("东政办发〔2022〕4号", 5)
        assert wrapped.title.endswith("落实属地责任和部门责任的通知")
        shelters = issue.documents[0]
        assert (shelters.issuing_organ, str(shelters.signed_on), shelters.disclosure) == (
            "北京市东城区人民政府", "2022-04-01", "（此件公开发布）")
        # the table over a page break: both halves stay in the document, rows 1–5 in order
        rows = [line.split("|")[1].strip() for line in shelters.body.splitlines() if line.startswith("| ") and
                line.split("|")[1].strip().isdigit()]
        assert rows == ["1", "2", "3", "4", "5"]
        assert [c.anchor for c in issue.documents[1].clauses] == ["c-1", "c-1-1", "c-1-2", "c-2", "c-2-1", "c-2-2"]


class TestBesideTheSeed:
    def test_both_issues_listed_with_their_documents(self, both, client):
        issues = client.get("/api/gazette/issues").json()
        assert [(i["year"], i["number"], i["documents"]) for i in issues] == [(2022, 4, 4), (2022, 3, 11)]
        second = client.get(f"/api/gazette/issues/{both[1].issue.id}").json()
        assert [e["document_number"] for e in second["toc"]] == CONSTRUCTED_NUMBERS
        for number in (NUMBERS[1], CONSTRUCTED_NUMBERS[1]):
            found = client.get("/api/gazette/documents", params={"number": number}).json()
            assert [d["number"] for d in found] == [number]
        page = client.get("/gazette")
        assert page.status_code == 200 and "2022年第4期" in page.text and "2022年第3期" in page.text

    def test_search_finds_clauses_of_either_issue(self, both, client):
        new = client.get("/api/gazette/search", params={"q": "积水点实行每日巡查"}).json()
        assert new["total"] == 1
        hit = new["hits"][0]
        assert hit["document_number"] == "东政办发〔2022〕4号" and hit["clause"] == "一（一）"
        assert hit["url"].endswith("#c-1-1")
        old = client.get("/api/gazette/search", params={"q": "急救工作站"}).json()
        assert old["hits"][0]["document_number"] == "东政办发〔2021〕17号"
        both_issues = {h["document_number"] for h in client.get("/api/gazette/search", params={"q": "区水务局"}).json()[
            "hits"]}
        assert "东政办发〔2022〕4号" in both_issues and "东政办发〔2021〕18号" in both_issues

    def test_clause_links_reach_the_second_issue(self, both, client):
        index = links.INDEX.scan(REPO_ROOT / "data" / "gazette")  # the shipped issue + what this process imported
        html = str(render_links("东政办发〔2022〕4号 §二（一）; 东政发〔2022〕3号 §4.1.5", index))
        assert f'/gazette/documents/{quote("东政办发〔2022〕4号", safe="")}#c-2-1' in html
        assert f'/gazette/documents/{quote("东政发〔2022〕3号", safe="")}#s-4.1.5' in html
        resolved = client.get("/api/gazette/basis", params={"text": "东政办发〔2022〕4号 §二（一）"}).json()
        assert resolved["clause"] == "二（一）" and "下凹式立交桥" in resolved["clause_text"]
        page = client.get(f"/gazette/documents/{quote('东政办发〔2022〕4号', safe='')}")
        assert page.status_code == 200 and 'id="c-2-1"' in page.text


def _counts(db) -> dict[str, int]:
    models = {"issues": GazetteIssue, "documents": GazetteDocument, "clauses": GazetteClause, "toc": GazetteTocEntry,
              "search": SearchEntry, "audit": AuditEntry}
    return {name: db.scalar(select(func.count()).select_from(model)) for name, model in models.items()}


class TestDamaged:
    @pytest.mark.parametrize(("damage", "zh", "en"), [
        # a 目录 entry whose document is not in the text (its number line and title taken out)
        (lambda t: t.replace("北京市东城区人民政府办公室关于调整区领导工作分工的通知\n\n东政办发〔2022〕5号\n", "", 1),
         "目录第 3 项（东政办发〔2022〕5号，第 27 行）在正文中未找到该文件", "entry 3 (东政办发〔2022〕5号, line 27)"),
        # the same 文号 twice in the 目录
        (lambda t: t.replace("通知(东政办发〔2022〕5号) | 7", "通知(东政办发〔2022〕4号) | 7", 1),
         "目录中文号重复：东政办发〔2022〕4号（第 26、27 行）", "repeated document numbers"),
        # the same 文号 printed over two documents
        (lambda t: t.replace("\n东政办发〔2022〕5号\n", "\n东政办发〔2022〕4号\n", 1),
         "正文中文号重复：东政办发〔2022〕4号（第 ", "printed twice"),
    ])
    def test_refused_whole_naming_what_and_the_line(self, db, client, admin, seed_bytes, constructed_bytes,
                                                    damage, zh, en):
        service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")
        db.flush()
        before = _counts(db)
        broken = damage(constructed_bytes.decode()).encode()
        assert broken != constructed_bytes
        r = client.post("/api/gazette/issues", content=broken, headers={**admin, **TEXT}, params={"name": "bad.txt"})
        assert r.status_code == 422, r.text
        detail = r.json()["detail"][0]
        assert zh in detail["msg_zh"] and en in detail["msg_en"], detail
        assert _counts(db) == before
        assert [i["number"] for i in client.get("/api/gazette/issues").json()] == [3]

    def test_a_failure_after_the_writes_leaves_nothing_either(self, db, client, admin, constructed_bytes, monkeypatch):
        """One transaction: a fault while indexing (after the documents are written) rolls the whole import back."""
        before = _counts(db)

        def broken_index(*args, **kwargs):
            raise RuntimeError("index down")

        monkeypatch.setattr(service, "index_issue", broken_index)
        with pytest.raises(RuntimeError):
            client.post("/api/gazette/issues", content=constructed_bytes, headers={**admin, **TEXT})
        assert _counts(db) == before
