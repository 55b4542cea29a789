"""What a migrated database gets before the platform serves it — the one recipe for ``dongcheng serve``, the test
suite and the benchmarks: the reference data of data/, the heritage list of data/heritage/ (SPEC §2.6), the gazette
issues of data/gazette/ (SPEC §2.7) and, in demo mode, the demo users of SPEC §4. Idempotent; runs in the caller's
transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.demo import ensure_demo_users
from dongcheng.emergency.preparedness.demo import ensure_demo_preparedness
from dongcheng.gazette.service import ImportResult, import_directory
from dongcheng.heritage.loader import load_heritage
from dongcheng.reference.loader import LoadReport, load_reference


@dataclass(frozen=True)
class Provisioned:
    reference: LoadReport
    gazette: list[ImportResult]
    demo_users_created: int
    heritage: LoadReport


def provision(session: Session, data_dir: Path, *, demo: bool) -> Provisioned:
    reference = load_reference(session, Path(data_dir))
    heritage = load_heritage(session, Path(data_dir))
    gazette = import_directory(session, Path(data_dir) / "gazette")
    users = ensure_demo_users(session) if demo else 0
    if demo:
        ensure_demo_preparedness(session)  # a warehouse with a few items and a team (东政发〔2022〕3号 §6)
    return Provisioned(reference, gazette, users, heritage)
