"""The seed issue (data/gazette/2022-03.txt, byte-identical to the shared seed) and helpers to import it."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import delete

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.search import SearchEntry
from dongcheng.gazette import service
from dongcheng.gazette.models import GazetteClause, GazetteDocument, GazetteIssue, GazetteTocEntry

SEED = REPO_ROOT / "data" / "gazette" / "2022-03.txt"
SEED_SHA256 = "d761654947ebdfe9525cad04ac152cbf10643aa5f2e587c4ada590d0d0a7336d"
NUMBERS = ["东政发〔2022〕2号", "东政发〔2022〕3号", "东政办发〔2021〕17号", "东政办发〔2021〕18号", "东政任〔2021〕21号",
           "东政任〔2021〕22号", "东政任〔2022〕1号", "东政任〔2022〕2号", "东人社发〔2021〕101号", "东人社发〔2021〕111号",
           "东人社发〔2021〕112号"]


@pytest.fixture(autouse=True)
def empty_gazette(request):
    """The suite's database holds the shipped gazette, as `dongcheng serve` provisions it; these tests import it
    themselves, so each starts (inside its rolled-back transaction) from a database without any issue."""
    if not {"db", "client"} & set(request.fixturenames):
        return
    db = request.getfixturevalue("db")
    for model in (GazetteClause, GazetteTocEntry, GazetteDocument, GazetteIssue):
        db.execute(delete(model))
    db.execute(delete(SearchEntry).where(SearchEntry.scope == service.SEARCH_SCOPE))
    db.flush()


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    data = SEED.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256, "data/gazette/2022-03.txt is no longer the seed"
    return data


@pytest.fixture(scope="session")
def seed_text(seed_bytes) -> str:
    return seed_bytes.decode("utf-8")


@pytest.fixture
def imported(db, seed_bytes):
    """The seed issue imported in the test's transaction (rolled back after)."""
    return service.import_issue(db, data=seed_bytes, source_name="2022-03.txt")


# A second issue, constructed for the tests (its documents say so: 【构造文本】) in the seed's layout: a wrapped 目录
# entry over two tables, a table split over a page break, clauses 一、（一）, a division-of-work change and a 任免 notice
# in phrasings the seed does not use.
CONSTRUCTED = REPO_ROOT / "tests" / "gazette" / "fixtures" / "2022-04-constructed.txt"
CONSTRUCTED_NUMBERS = ["东政发〔2022〕6号", "东政办发〔2022〕4号", "东政办发〔2022〕5号", "东政任〔2022〕3号"]


@pytest.fixture(scope="session")
def constructed_bytes() -> bytes:
    return CONSTRUCTED.read_bytes()
