"""Gazette API: public reads, admin-only import (plain text or upload), idempotent, errors that name the field."""
from __future__ import annotations

import pytest

from tests.gazette.conftest import NUMBERS, SEED_SHA256

TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@pytest.fixture
def admin(login):
    return login("admin")


def post_text(client, headers, data: bytes, **params):
    return client.post("/api/gazette/issues", content=data, headers={**headers, **TEXT}, params=params)


class TestImport:
    def test_admin_imports_plain_text_then_the_same_again_is_200(self, client, admin, seed_bytes):
        r = post_text(client, admin, seed_bytes, name="2022-03.txt")
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["created"] and (body["documents"], body["clauses"], body["toc_entries"]) == (11, 257, 11)
        assert body["issue"]["label"] == "北京市东城区人民政府公报 2022年第3期（总第43期）"
        again = post_text(client, admin, seed_bytes)
        assert again.status_code == 200 and not again.json()["created"] and not again.json()["replaced"]
        assert again.json()["issue"]["id"] == body["issue"]["id"]
        assert len(client.get("/api/gazette/issues").json()) == 1

    def test_upload_as_a_file(self, client, admin, seed_bytes):
        r = client.post("/api/gazette/issues", headers=admin,
                        files={"file": ("2022-03.txt", seed_bytes, "text/plain")})
        assert r.status_code == 201, r.text
        issue = client.get(f"/api/gazette/issues/{r.json()['issue']['id']}").json()
        assert issue["source_name"] == "2022-03.txt" and issue["source_sha256"] == SEED_SHA256

    def test_upload_without_the_file_field_names_it(self, client, admin):
        r = client.post("/api/gazette/issues", headers=admin, files={"other": ("x.txt", b"abc", "text/plain")})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "file"

    def test_json_is_refused_naming_the_body(self, client, admin):
        r = client.post("/api/gazette/issues", headers=admin, json={"text": "..."})
        assert r.status_code == 422
        detail = r.json()["detail"][0]
        assert detail["field"] == "body" and "text/plain" in detail["msg_zh"] and "multipart" in detail["msg_en"]

    def test_a_malformed_upload_says_what_is_wrong(self, client, admin, seed_bytes):
        broken = seed_bytes.replace("\n东政任〔2021〕22号\n".encode(), b"\n\n")
        r = client.post("/api/gazette/issues", headers=admin, files={"file": ("bad.txt", broken, "text/plain")})
        assert r.status_code == 422
        detail = r.json()["detail"][0]
        assert detail["field"] == "file" and "东政任〔2021〕22号" in detail["msg_zh"] and "not found" in detail["msg_en"]
        assert client.get("/api/gazette/issues").json() == []

    def test_bad_bytes_and_empty_bodies(self, client, admin):
        r = post_text(client, admin, b"\xff\xfe\x00garbage")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "body"
        assert "UTF-8" in r.json()["detail"][0]["msg_zh"]
        r = post_text(client, admin, b"   ")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "body"

    @pytest.mark.parametrize("user", ["duty", "cgw", "sun.yang", "mayor"])
    def test_only_the_admin_imports(self, client, login, seed_bytes, user):
        r = post_text(client, login(user), seed_bytes)
        assert r.status_code == 403 and r.json()["error"]["msg_en"]

    def test_anonymous_is_401(self, client, seed_bytes):
        assert post_text(client, {}, seed_bytes).status_code == 401


class TestRead:
    def test_issue_with_its_contents_is_public(self, client, imported):
        [summary] = client.get("/api/gazette/issues").json()
        assert summary["documents"] == 11 and summary["published_on"] == "2022-02-11"
        issue = client.get(f"/api/gazette/issues/{imported.issue.id}").json()
        assert [e["document_number"] for e in issue["toc"]] == NUMBERS
        assert issue["toc"][2]["page"] == 57 and issue["toc"][2]["url"] == f"/gazette/documents/{issue['toc'][2]['document_id']}"
        assert issue["colophon"]["编辑部门"] == "东城区政务服务管理局" and issue["imported_at"].endswith("+08:00")

    def test_a_document(self, client, imported):
        issue = client.get(f"/api/gazette/issues/{imported.issue.id}").json()
        doc = client.get(f"/api/gazette/documents/{issue['toc'][1]['document_id']}").json()
        assert doc["number"] == "东政发〔2022〕3号" and doc["issuing_organ"] == "北京市东城区人民政府"
        assert doc["signed_on"] == "2022-02-01" and doc["disclosure"] == "（此件公开发布）"
        assert doc["recipients"] == "各街道办事处，区政府各委、办、局，各区属机构"
        clause = next(c for c in doc["clauses"] if c["number"] == "4.1.5")
        assert clause["anchor"] == "s-4.1.5" and clause["url"].endswith("#s-4.1.5")
        assert doc["issue"]["id"] == imported.issue.id and doc["body"].startswith("《东城区突发事件总体应急预案")

    def test_find_by_number_and_resolve_a_basis(self, client, imported):
        [found] = client.get("/api/gazette/documents", params={"number": "东人社发〔2021〕101号"}).json()
        assert found["signed_on"] == "2021-11-03"
        assert client.get("/api/gazette/documents", params={"number": "东政发〔2016〕46号"}).json() == []
        r = client.get("/api/gazette/basis", params={"text": "东政发〔2022〕3号 §4.1.5"})
        assert r.status_code == 200 and r.json()["clause"] == "4.1.5" and "10 分钟" in r.json()["clause_text"]
        assert r.json()["url"] == "/gazette/documents/%E4%B8%9C%E6%94%BF%E5%8F%91%E3%80%942022%E3%80%953%E5%8F%B7#s-4.1.5"
        assert client.get("/api/gazette/basis", params={"text": "SPEC §2"}).status_code == 404

    @pytest.mark.parametrize("url", ["/api/gazette/issues/999999", "/api/gazette/documents/999999"])
    def test_unknown_ids_are_404(self, client, url):
        r = client.get(url)
        assert r.status_code == 404 and r.json()["error"]["msg_zh"] and r.json()["error"]["msg_en"]

    def test_a_bad_id_is_422_naming_it(self, client):
        r = client.get("/api/gazette/documents/abc")
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "document_id"
