"""Importing an issue: stored whole, idempotent, audited; a corrected text replaces it in place; reading it back."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.audit.service import Actor, verify
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.errors import DomainError
from dongcheng.gazette import service
from dongcheng.gazette.models import GazetteClause, GazetteDocument, GazetteIssue, GazetteTocEntry
from tests.gazette.conftest import NUMBERS, SEED_SHA256


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def gazette_audit(db) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action.like("gazette.%")).order_by(AuditEntry.id)))


class TestImport:
    def test_the_seed_is_stored_whole(self, db, imported):
        assert imported.created and not imported.replaced
        assert (imported.documents, imported.toc_entries, imported.clauses) == (11, 11, 257)
        issue = imported.issue
        assert (issue.year, issue.number, issue.total_number, issue.source_sha256) == (2022, 3, 43, SEED_SHA256)
        assert issue.sponsor == "北京市东城区政务服务管理局主办" and issue.source_name == "2022-03.txt"
        docs = db.scalars(select(GazetteDocument).where(GazetteDocument.issue_id == issue.id)
                          .order_by(GazetteDocument.seq)).all()
        assert [d.number for d in docs] == NUMBERS
        toc = db.scalars(select(GazetteTocEntry).where(GazetteTocEntry.issue_id == issue.id)
                         .order_by(GazetteTocEntry.seq)).all()
        assert [t.document_id for t in toc] == [d.id for d in docs]

    def test_importing_the_same_file_again_changes_nothing(self, db, imported, seed_bytes):
        tables = {m: count(db, m) for m in (GazetteIssue, GazetteDocument, GazetteClause, GazetteTocEntry, AuditEntry)}
        again = service.import_issue(db, data=seed_bytes, source_name="copy.txt")
        assert not again.changed and again.issue.id == imported.issue.id
        assert (again.documents, again.clauses, again.toc_entries) == (11, 257, 11)
        assert {m: count(db, m) for m in tables} == tables  # the audit trail too: nothing to record
        assert gazette_audit(db)[-1].action == "gazette.import"

    def test_the_import_is_audited_in_the_chain(self, db, imported):
        entry = gazette_audit(db)[-1]
        assert entry.action == "gazette.import" and entry.target_id == str(imported.issue.id)
        assert entry.after["sha256"] == SEED_SHA256 and entry.after["documents"] == 11 and entry.basis == "SPEC §2.7"
        assert verify(db).ok

    def test_a_corrected_text_replaces_the_issue_in_place(self, db, imported, seed_text):
        ids = {d.number: d.id for d in db.scalars(select(GazetteDocument))}
        fixed = seed_text.replace("免去王强的北京市东城区人民政府北新桥街道办事处副主任职务。",
                                  "免去王强的北京市东城区人民政府北新桥街道办事处副主任职务（更正）。")
        result = service.import_issue(db, data=fixed, source_name="2022-03-fixed.txt", actor=Actor("admin"))
        assert result.replaced and not result.created and result.issue.id == imported.issue.id
        assert count(db, GazetteIssue) == 1 and count(db, GazetteDocument) == 11 and count(db, GazetteClause) == 257
        db.expire_all()
        assert {d.number: d.id for d in db.scalars(select(GazetteDocument))} == ids  # links by id keep working
        doc = db.scalar(select(GazetteDocument).where(GazetteDocument.number == "东政任〔2022〕2号"))
        assert "（更正）" in doc.body
        entry = gazette_audit(db)[-1]
        assert entry.action == "gazette.reimport" and entry.before["sha256"] == SEED_SHA256
        assert entry.after["sha256"] == result.issue.source_sha256 != SEED_SHA256 and entry.actor == "admin"

    def test_a_document_dropped_from_a_corrected_text_is_removed(self, db, imported, seed_text):
        toc_row = next(x for x in seed_text.split("\n") if "(东人社发〔2021〕112号)" in x)
        start = seed_text.index("关于印发《东城区社会化管理服务专员岗位补贴资金使用管理办法（试行）》的通知\n\n东人社发")
        shorter = seed_text.replace(toc_row + "\n", "", 1)
        shorter = shorter[:shorter.index(seed_text[start:start + 40])] + shorter[shorter.index("编辑部门"):]
        result = service.import_issue(db, data=shorter)
        assert result.replaced and result.documents == 10 and count(db, GazetteDocument) == 10
        assert count(db, GazetteTocEntry) == 10 and count(db, GazetteClause) == 257 - 14

    def test_a_malformed_file_stores_nothing(self, db):
        with pytest.raises(DomainError) as caught:
            service.import_issue(db, data=b"\xff\xfe not utf-8")
        assert caught.value.status_code == 422 and "UTF-8" in caught.value.fields[0].zh
        assert count(db, GazetteIssue) == 0

    def test_the_shipped_directory(self, db):
        results = service.import_directory(db, REPO_ROOT / "data" / "gazette")
        assert [r.issue.source_sha256 for r in results] == [SEED_SHA256] and results[0].created
        assert service.import_directory(db, REPO_ROOT / "no-such-folder") == []


class TestReading:
    def test_issues_and_contents(self, db, imported):
        [(issue, documents)] = service.list_issues(db)
        assert issue.id == imported.issue.id and documents == 11
        full = service.get_issue(db, issue.id)
        assert [t.document_number for t in full.toc] == NUMBERS and len(full.documents) == 11

    def test_find_a_document_by_id_or_number(self, db, imported):
        plan = service.find_document(db, "东政发〔2022〕3号")
        assert plan.title.endswith("《东城区突发事件总体应急预案（2022年修订）》的通知") and len(plan.clauses) == 179
        assert service.find_document(db, str(plan.id)).id == plan.id
        assert service.find_document(db, "东政发[2022]3号").id == plan.id  # brackets as typed on a keyboard

    @pytest.mark.parametrize("key", ["999999", "99999999999999", "东政发〔2016〕46号", "0"])
    def test_unknown_documents_are_404(self, db, imported, key):
        with pytest.raises(DomainError) as caught:
            service.find_document(db, key)
        assert caught.value.status_code == 404

    def test_unknown_issue_is_404(self, db):
        with pytest.raises(DomainError) as caught:
            service.get_issue(db, 999999)
        assert caught.value.status_code == 404 and "公报" in caught.value.zh

    def test_resolve_a_basis(self, db, imported):
        doc, clause, url = service.resolve_basis(db, "东政发〔2022〕3号 §4.1.5")
        assert doc.number == "东政发〔2022〕3号" and clause.number == "4.1.5" and url.endswith("#s-4.1.5")
        doc, clause, url = service.resolve_basis(db, "东人社发〔2021〕101号 第七条")
        assert clause.anchor == "a-7"
        doc, clause, url = service.resolve_basis(db, "东政任〔2022〕1号")
        assert clause is None and "#" not in url
        with pytest.raises(DomainError) as caught:
            service.resolve_basis(db, "东政发〔2016〕46号 §1")
        assert caught.value.status_code == 404
