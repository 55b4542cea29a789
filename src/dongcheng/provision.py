"""What a migrated database gets before the platform serves it — the one recipe for ``dongcheng serve``, the test
suite and the benchmarks: the reference data of data/, the heritage list of data/heritage/ (SPEC §2.6), the gazette
issues of data/gazette/ (SPEC §2.7) and, in demo mode, the demo users of SPEC §4 and the exercise scenario.
Idempotent; runs in the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.demo import ensure_demo_data, ensure_demo_users
from dongcheng.emergency.plans.service import register_catalogue
from dongcheng.gazette.service import ImportResult, import_directory
from dongcheng.heritage.loader import load_heritage
from dongcheng.reference.loader import LoadReport, load_reference


@dataclass(frozen=True)
class Provisioned:
    reference: LoadReport
    gazette: list[ImportResult]
    demo_users_created: int
    heritage: LoadReport
    demo_data: dict[str, int] | None = None


def provision(session: Session, data_dir: Path, *, demo: bool, scenario: bool = False) -> Provisioned:
    """``demo``: the demo users; ``scenario`` (with ``demo``; what ``serve`` does, not the tests, whose figures would
    include it): the modules' demo data — the running exercise."""
    reference = load_reference(session, Path(data_dir))
    register_catalogue(session)  # the plan registry starts from §8.3 (东政发〔2022〕3号 §7.1)
    heritage = load_heritage(session, Path(data_dir))
    gazette = import_directory(session, Path(data_dir) / "gazette")
    users = ensure_demo_users(session) if demo else 0
    return Provisioned(reference, gazette, users, heritage, ensure_demo_data(session) if demo and scenario else None)
