"""Full-text search of the gazette (SPEC §2.7; core/search.py): Chinese phrases found in every document and clause
on both engines (SQLite FTS5 trigram, PostgreSQL pg_trgm), ranked, highlighted, each hit linking to its clause."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from dongcheng.core import search as fulltext
from dongcheng.core.search import SearchEntry
from dongcheng.gazette import service


def find(client, q: str, **params) -> dict:
    r = client.get("/api/gazette/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_first_aid_station_is_found_in_its_numbered_item(imported, client):
    data = find(client, "急救工作站")
    first = data["hits"][0]
    assert (first["document_number"], first["clause"]) == ("东政办发〔2021〕17号", "三（二）4")
    assert first["url"].endswith("#c-3-2") and first["url"].startswith("/gazette/documents/")
    start, end = first["marks"][0]
    assert first["snippet"][start:end] == "急救工作站"
    assert client.get(first["url"].split("#")[0]).status_code == 200  # the link opens the document


def test_ten_minutes_finds_the_reporting_clause_despite_the_pdf_spaces(imported, client):
    """The PDF text prints 后 10 分钟; a reader types 10分钟."""
    hits = find(client, "10分钟")["hits"]
    assert ("东政发〔2022〕3号", "§4.1.5") in [(h["document_number"], h["clause"]) for h in hits]


def test_two_characters_and_a_mixed_case_phrase_are_found_on_both_engines(imported, client):
    assert find(client, "孵化")["total"] >= 10  # below a trigram: the scan path
    assert find(client, "GB/t")["total"] == find(client, "gb/T")["total"]  # case-insensitive, FTS path


def test_ranked_by_occurrences_best_first(imported, client):
    hits = find(client, "示范基地")["hits"]
    counts = [h["snippet"].count("示范基地") for h in hits[:1]]
    assert hits[0]["document_number"] == "东人社发〔2021〕101号" and counts[0] >= 1
    assert len(hits) == len({(h["document_number"], h["clause"], h["snippet"]) for h in hits})


def test_like_wildcards_and_query_syntax_are_plain_text(imported, client):
    percent = find(client, "%")["hits"]  # the text prints % three times: those, not everything
    assert 0 < len(percent) <= 3 and all("%" in h["snippet"] for h in percent)
    assert find(client, "_")["total"] == 0
    assert find(client, 'NEAR("区" "委")')["total"] == 0  # FTS5 syntax is never read as syntax


def test_an_empty_or_long_query_names_the_field(imported, client):
    for q in ("", " ", "字" * 101):
        r = client.get("/api/gazette/search", params={"q": q})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "q", q


def test_the_public_page_marks_the_hits_and_escapes_the_query(imported, client):
    page = client.get("/gazette/search", params={"q": "急救工作站"}).text
    assert "<mark>急救工作站</mark>" in page and "三（二）4" in page
    hostile = client.get("/gazette/search", params={"q": "<script>x</script>"}).text
    assert "<script>x</script>" not in hostile and "&lt;script&gt;" in hostile
    assert 'action="/gazette/search"' in client.get("/gazette").text


def test_a_reimport_replaces_the_index_and_an_old_database_is_indexed_on_start(imported, db, seed_bytes):
    group = f"issue:{imported.issue.id}"
    count = db.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.group_key == group))
    assert count == 11 + 257 and fulltext.has_group(db, service.SEARCH_SCOPE, group)  # documents + clauses
    db.execute(delete(SearchEntry))  # a database imported before search existed
    service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")  # unchanged file: indexes, imports nothing
    assert db.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.group_key == group)) == count


def test_snippet_marks_every_hit_in_its_window():
    cut = fulltext.snippet("东城", "北京市东城区，东城区政府" + "甲" * 100, width=5)
    assert [cut.text[a:b] for a, b in cut.marks] == ["东城", "东城"] and cut.text.endswith("…")
    assert [p for p, hit in cut.parts() if hit] == ["东城", "东城"]
