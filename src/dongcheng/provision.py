"""What a migrated database gets before the platform serves it — the one recipe for ``dongcheng serve``, the test
suite and the benchmarks: the reference data of data/, the heritage list of data/heritage/ (SPEC §2.6), the gazette
issues of data/gazette/ (SPEC §2.7), the directory built from the first issue's text and checked against its
transcription (data/directory/*.yaml) and, in demo mode, the demo users of SPEC §4 and the exercise scenario.
Idempotent; runs in the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.core.errors import DomainError
from dongcheng.demo import ensure_demo_data, ensure_demo_users
from dongcheng.directory.service import leader_seats
from dongcheng.emergency.plans.service import register_catalogue
from dongcheng.gazette.directory_service import Built, build_from_issue, cross_check
from dongcheng.gazette.notices_check import directory_from_reference
from dongcheng.gazette.service import ImportResult, import_directory
from dongcheng.heritage.loader import load_heritage
from dongcheng.reference.files import read_reference
from dongcheng.reference.loader import LoadReport, load_reference


@dataclass(frozen=True)
class Provisioned:
    reference: LoadReport
    gazette: list[ImportResult]
    demo_users_created: int
    heritage: LoadReport
    demo_data: dict[str, int] | None = None
    directory: Built | None = None  # a fresh database: the directory built from the gazette text


class DirectoryMismatch(DomainError):
    """The directory built from the gazette text is not the one data/directory/*.yaml transcribes: provisioning stops."""


def provision(session: Session, data_dir: Path, *, demo: bool, scenario: bool = False) -> Provisioned:
    """``demo``: the demo users; ``scenario`` (with ``demo``; what ``serve`` does, not the tests, whose figures would
    include it): the modules' demo data — the running exercise."""
    reference = load_reference(session, Path(data_dir))
    register_catalogue(session)  # the plan registry starts from §8.3 (东政发〔2022〕3号 §7.1)
    heritage = load_heritage(session, Path(data_dir))
    gazette = import_directory(session, Path(data_dir) / "gazette")
    built = build_directory(session, Path(data_dir), gazette)
    users = ensure_demo_users(session) if demo else 0
    return Provisioned(reference, gazette, users, heritage, ensure_demo_data(session) if demo and scenario else None,
                       built)


def build_directory(session: Session, data_dir: Path, gazette: list[ImportResult]) -> Built | None:
    """A database with no leader seat yet takes its directory from the first issue imported now (the seed), as the
    system confirming every line; then the text, the database and the transcription must agree, or nothing is kept.
    Afterwards the directory changes only by confirmations (issues imported later propose, an administrator decides)."""
    first = next((r.issue for r in gazette if r.created), None)
    if first is None or leader_seats(session):
        return None
    data = read_reference(data_dir)
    built = build_from_issue(session, first, data)
    differences = cross_check(session, first, directory_from_reference(data))
    if differences:
        listed = "\n".join(f"- {d}" for d in differences[:20])
        raise DirectoryMismatch(f"由公报原文建立的目录与 data/directory 的转录不一致（{len(differences)} 处）：\n{listed}",
                                f"the directory built from the gazette text differs from data/directory "
                                f"({len(differences)}):\n{listed}", 500)
    return built
