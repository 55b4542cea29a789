"""A fresh database builds its directory from the seed text itself (SPEC §2.7; provision.build_directory): the leaders
of the division of work take their seats, every 任免 and portfolio line is confirmed as the system through the path of
an administrator's confirmation, and the result is the directory data/directory/*.yaml transcribes — else provisioning
stops and keeps nothing."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dongcheng.audit.models import AuditEntry
from dongcheng.core import migrate
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.db import make_engine, transaction
from dongcheng.core.errors import DomainError
from dongcheng.directory import service as directory
from dongcheng.directory.models import Post, Tenure
from dongcheng.gazette.directory_service import directory_in_database
from dongcheng.gazette.models import GazetteDirectoryChange
from dongcheng.gazette.notices_check import directory_from_reference
from dongcheng.gazette.rules import key
from dongcheng.provision import DirectoryMismatch, provision
from dongcheng.reference.files import read_reference
from tests.conftest import drop_database, fresh_database

DIVISION = "东政办发〔2021〕18号"


@pytest.fixture
def session(connection):
    """The provisioned database as it is (not the gazette tests' emptied one), in a rolled-back transaction."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
        yield s


def _seats(d):
    return [(s.holder, s.post, [(h.relation, key(h.text), h.unit) for h in s.lines]) for s in d.seats]


def _lines(d):
    return sorted((a.document, a.seq, a.action, a.person, a.unit, a.title, a.decided_on, key(a.text or ""))
                  for a in d.appointments)


def test_the_directory_built_from_the_text_is_the_one_the_transcription_describes(session):
    data = read_reference(REPO_ROOT / "data")
    built, transcribed = directory_in_database(session, DIVISION), directory_from_reference(data)
    assert _seats(built) == _seats(transcribed) and len(_seats(built)) == 9
    assert sum(len(lines) for _, _, lines in _seats(built)) == 131
    assert _lines(built) == _lines(transcribed) and len(_lines(built)) == 63
    appointed = {(a.document, a.seq): (a.concurrent, a.probation_ends_on, a.secondment_ends_on, a.rank_note)
                 for a in built.appointments if a.action == "任命"}
    assert appointed == {(a.document, a.seq): (a.concurrent, a.probation_ends_on, a.secondment_ends_on, a.rank_note)
                         for a in data.appointments if a.action == "任命"}
    # the seat codes (platform identifiers) are the data file's, matched to the text's leaders by post and name
    seats = {p.code: [h.name for h, _ in directory.holders_of(session, p)] for p in directory.leader_seats(session)}
    assert seats == {s.code: [s.holder] for s in data.seats}


def test_every_line_is_confirmed_as_the_system_with_its_notice_and_line(session):
    changes = session.scalars(select(GazetteDirectoryChange)).all()
    assert {(c.status, c.decided_by) for c in changes} == {("confirmed", "system")} and len(changes) == 63 + 131
    confirmations = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "gazette.directory_change.confirm")).all()
    assert len(confirmations) == 194 and {e.actor for e in confirmations} == {"system"}
    assert "东政任〔2021〕21号 第7项" in {e.basis for e in confirmations}
    # the lines the reader cannot place (a group, a sector) were placed by data/directory/leaders.yaml not_a_unit
    by_hand = sorted(c.payload["text"] for c in changes if "unit_kind" in c.payload)
    assert by_hand == ["保险公司", "各街道办事处", "民主党派", "证券公司", "银行"]


def test_the_supervising_leaders_come_from_the_division_of_work_from_its_date(session):
    street = directory.find_unit(session, "东四街道")
    assert directory.supervising_leader(session, street, date(2022, 5, 1)).leader.person == "郑晓博"  # 分管各街道办事处
    emergency = directory.find_unit(session, "区应急局")
    assert directory.supervising_leader(session, emergency, date(2022, 5, 1)).leader.person == "李妍"
    assert directory.supervising_leader(session, emergency, date(2021, 12, 23)).leader is None  # before 18号


def test_provisioning_refuses_a_transcription_the_text_does_not_match_and_keeps_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    leaders = data / "directory" / "leaders.yaml"
    appointments = data / "directory" / "appointments.yaml"
    url = fresh_database(tmp_path, "seed_directory")
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        leaders.write_text(leaders.read_text().replace("holder: 周金星", "holder: 周金兴"), encoding="utf-8")
        with pytest.raises(DomainError) as refused, transaction(engine) as s:
            provision(s, data, demo=False)
        assert "周金星（区长）在 data/directory/leaders.yaml 中没有席位代码" in refused.value.zh
        assert "周金兴（区长，mayor）" in refused.value.zh  # and the seat the text does not name

        shutil.copy(REPO_ROOT / "data" / "directory" / "leaders.yaml", leaders)
        appointments.write_text(appointments.read_text().replace("decided_on: 2021-11-15", "decided_on: 2021-11-16", 1),
                                encoding="utf-8")
        with pytest.raises(DirectoryMismatch) as differs, transaction(engine) as s:
            provision(s, data, demo=False)
        assert "东政任〔2021〕21号 任命 刘羽" in differs.value.zh and "日期不同" in differs.value.zh
        with transaction(engine) as s:
            assert s.scalar(select(func.count()).select_from(Post)) == 0
            assert s.scalar(select(func.count()).select_from(Tenure)) == 0
    finally:
        engine.dispose()
        drop_database(url)


def test_the_data_files_must_list_exactly_the_lines_that_name_no_unit(tmp_path):
    """`not_a_unit` (data/directory/leaders.yaml): `reference check` refuses a row that is not such a line, and such a
    line that is not listed — the build would otherwise refuse the seed, or place a line nobody placed."""
    from dongcheng.reference.files import ReferenceDataError

    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("gazette", "heritage"))
    leaders = data / "directory" / "leaders.yaml"
    leaders.write_text(leaders.read_text().replace("- {holder: 李妍, relation: 联系, text: 银行}\n",
                                                   "- {holder: 李妍, relation: 联系, text: 区税务局}\n"), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        read_reference(data)
    problems = "\n".join(refused.value.problems)
    assert "not_a_unit: {'holder': '李妍', 'relation': '联系', 'text': '区税务局'} is not a line" in problems
    assert "executive-vice-mayor 联系 银行: names no unit; list it under not_a_unit" in problems
