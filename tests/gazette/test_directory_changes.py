"""The directory follows the gazette (issue 15 item 1): an imported issue's 任免 and division-of-work notices become
proposed directory changes an administrator confirms or rejects line by line; once confirmed the directory answers
with them from their date, and approval rights move with the post."""
from __future__ import annotations

from datetime import date

import pytest

from dongcheng.audit import service as audit
from dongcheng.directory import service as directory
from dongcheng.emergency.warnings import authority
from dongcheng.emergency.warnings.enums import Level
from dongcheng.emergency.warnings.models import EarlyWarning
from dongcheng.gazette import directory_service, service
from dongcheng.gazette.models import GazetteDirectoryChange

ADMIN = audit.Actor(username="admin")


def _lines(db, issue_id):
    return {c.summary: c for c in directory_service.list_changes(db, issue_id)}


@pytest.fixture
def second(db, seed_bytes, constructed_bytes):
    service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")
    return service.import_issue(db, data=constructed_bytes, source_name="2022-04-constructed.txt")


def test_the_seed_asks_nothing_the_directory_does_not_hold(db, seed_bytes):
    """The data files transcribe the seed's four notices and its division of work: importing it proposes nothing."""
    result = service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")
    assert [(c.kind, c.summary, c.reason) for c in directory_service.list_changes(db, result.issue.id)] == []
    assert result.directory_changes == 0


def test_the_constructed_issue_proposes_its_lines(db, second):
    lines = _lines(db, second.issue.id)
    assert sorted(lines) == sorted([
        "顾承为（副区长）负责 城市管理，2022年4月1日起",
        "顾承为（副区长）分管 区城市管理委员会（区城市环境建设管理委员会办公室、区交通委员会、区水务局），2022年4月1日起",
        "任命 顾承为 为 区政府副区长，2022年4月1日起",
        "任命 林晓 为 区应急局副局长（试用期至2023-03-31），2022年4月1日起",
        "任命 周敏 为 区城市管理指挥中心主任，2022年4月1日起",
        "任命 周敏 为 区环卫中心主任（兼），2022年4月1日起",
        "任命 高远 为 区生态环境局副局长（挂职至2023-03-31，到期自动免职），2022年4月1日起",
        "免去 关丽丽 的 区城市管理指挥中心副主任 职务，2022年4月1日起",
        "免去 缪军 的全部现任职务，2022年4月1日起",
    ])
    assert {c.status for c in lines.values()} == {"proposed"}


def _orange_approver(db, day: date):
    unit = directory.find_unit(db, "区城市管理委")
    warning = EarlyWarning(level=Level.ORANGE.value, drafting_unit=unit)  # not saved: who must approve it that day
    return authority.required_approver(db, warning, on=day)


def _may_approve(db, name: str, approver, day: date) -> bool:
    person = directory.repository.person_by_name(db, name)
    codes = frozenset(p.code for p in directory.posts_held(db, person.id, day))
    acting = authority.rules.Acting("leader", "区政府", None, codes, False)
    return authority.rules.may_approve(approver, acting).allowed


def test_a_new_vice_mayor_approves_orange_warnings_of_city_management_from_the_date(db, second):
    """The required test: 顾承为 appointed 副区长 分管 区城市管理委 from 2022-04-01 (constructed issue); an orange warning
    of 区城市管理委 needs 孙扬 before that date and 顾承为 from it."""
    lines = _lines(db, second.issue.id)
    unknown = lines["免去 缪军 的全部现任职务，2022年4月1日起"]
    before = _orange_approver(db, date(2022, 3, 31))
    assert (before.person, before.post_code) == ("孙扬", "vice-mayor-city-management")

    decided = directory_service.decide(db, second.issue.id, confirm=[c.id for c in lines.values() if c is not unknown],
                                       reject=[unknown.id], actor=ADMIN)
    assert sorted(d.status for d in decided) == ["confirmed"] * 8 + ["rejected"]

    old = _orange_approver(db, date(2022, 3, 31))
    new = _orange_approver(db, date(2022, 4, 2))
    assert (old.person, old.post_code) == ("孙扬", "vice-mayor-city-management")
    assert new.person == "顾承为" and new.post_code == "东政任〔2022〕3号#1" and new.post == "副区长"
    assert "东政办发〔2022〕5号" in str(new.basis)
    assert _may_approve(db, "顾承为", new, date(2022, 4, 2)) and not _may_approve(db, "孙扬", new, date(2022, 4, 2))
    assert _may_approve(db, "孙扬", old, date(2022, 3, 31)) and not _may_approve(db, "顾承为", old, date(2022, 3, 31))
    # 孙扬 keeps the rest of the portfolio: 区生态环境局 is still his
    assert directory.supervising_leader(db, directory.find_unit(db, "区生态环境局"), date(2022, 4, 2)).leader.person == "孙扬"
    # the co-located units follow their parent's leader
    assert directory.supervising_leader(db, directory.find_unit(db, "区水务局"), date(2022, 4, 2)).leader.person == "顾承为"


def test_confirmed_tenures_answer_as_of_any_date(db, second):
    lines = _lines(db, second.issue.id)
    directory_service.decide(db, second.issue.id, confirm=[c.id for s, c in lines.items() if "缪军" not in s], reject=[],
                             actor=ADMIN)
    centre = directory.find_post(db, "区城市管理指挥中心/副主任")
    assert "关丽丽" in [p.name for p, _ in directory.holders_of(db, centre, date(2022, 3, 31))]
    assert "关丽丽" not in [p.name for p, _ in directory.holders_of(db, centre, date(2022, 4, 1))]
    deputy = directory.find_post(db, "区生态环境局/副局长")
    held = {p.name: t for p, t in directory.holders_of(db, deputy, date(2022, 6, 1))}
    assert held["高远"].secondment_ends_on == date(2023, 3, 31)
    assert "高远" not in [p.name for p, _ in directory.holders_of(db, deputy, date(2023, 4, 1))]  # 到期自动免职
    linxiao = {p.name: t for p, t in directory.holders_of(db, directory.find_post(db, "区应急局/副局长"), date(2022, 4, 1))}
    assert linxiao["林晓"].probation_ends_on == date(2023, 3, 31)
    environment = directory.find_post(db, "区环卫中心/主任")
    assert [t.concurrent for p, t in directory.holders_of(db, environment, date(2022, 4, 1)) if p.name == "周敏"] == [True]


def test_decisions_are_one_transaction_naming_the_line_that_fails(db, second):
    """Confirming 免去缪军职务 (he holds no post) refuses the whole request, naming that line; nothing is written."""
    lines = _lines(db, second.issue.id)
    with pytest.raises(Exception) as caught, db.begin_nested():
        directory_service.decide(db, second.issue.id, confirm=[c.id for c in lines.values()], reject=[], actor=ADMIN)
    err = caught.value
    assert err.status_code == 422 and "缪军" in err.fields[0].zh and "holds no post" in err.fields[0].en
    assert {c.status for c in directory_service.list_changes(db, second.issue.id)} == {"proposed"}
    assert _orange_approver(db, date(2022, 4, 2)).person == "孙扬"


def test_a_decided_line_cannot_be_decided_again(db, second):
    line = _lines(db, second.issue.id)["任命 林晓 为 区应急局副局长（试用期至2023-03-31），2022年4月1日起"]
    directory_service.decide(db, second.issue.id, confirm=[line.id], reject=[], actor=ADMIN)
    with pytest.raises(Exception) as caught:
        directory_service.decide(db, second.issue.id, confirm=[], reject=[line.id], actor=ADMIN)
    assert caught.value.status_code == 409


def test_a_reimport_keeps_decisions(db, second, constructed_bytes):
    line = _lines(db, second.issue.id)["免去 缪军 的全部现任职务，2022年4月1日起"]
    directory_service.decide(db, second.issue.id, confirm=[], reject=[line.id], actor=ADMIN)
    service.import_issue(db, data=constructed_bytes + b"\n", source_name="2022-04-constructed.txt")
    rows = directory_service.list_changes(db, second.issue.id)
    assert len(rows) == 9 and [r.status for r in rows if "缪军" in r.summary] == ["rejected"]
    assert db.get(GazetteDirectoryChange, line.id).status == "rejected"


def test_the_leaders_portfolios_as_of_a_date(db, second):
    lines = _lines(db, second.issue.id)
    directory_service.decide(db, second.issue.id, confirm=[c.id for s, c in lines.items() if "缪军" not in s], reject=[],
                             actor=ADMIN)
    sun = directory.find_post(db, "vice-mayor-city-management")
    texts = {day: [e.text for e in directory.portfolio_of(db, sun, day) if e.relation == "分管"]
             for day in (date(2022, 3, 31), date(2022, 4, 1))}
    moved = "区城市管理委员会（区城市环境建设管理委员会办公室、区交通委员会、区水务局）"
    assert moved in texts[date(2022, 3, 31)] and moved not in texts[date(2022, 4, 1)]
    assert len(texts[date(2022, 4, 1)]) == len(texts[date(2022, 3, 31)]) - 1
    seat = directory.find_post(db, "东政任〔2022〕3号#1")
    assert [(e.relation, e.text) for e in directory.portfolio_of(db, seat, date(2022, 4, 1))] == [
        ("负责", "城市管理"), ("分管", moved)]
    assert directory.portfolio_of(db, seat, date(2022, 3, 31)) == []
