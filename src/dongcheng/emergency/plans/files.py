"""Read data/emergency/plan_management.yaml (§7.1.4 filing, §7.1.5 revision triggers, §7.2.3 phases, the general
plan) into frozen dataclasses. No database; read once per process."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.datafiles import load_yaml

FILE = "emergency/plan_management.yaml"


@dataclass(frozen=True)
class FilingRow:
    kind: str
    text: str
    recipient: str
    reviewer: str
    clause: str


@dataclass(frozen=True)
class TriggerRow:
    code: str
    text: str
    label: str
    clause: str
    needs_source: bool = False


@dataclass(frozen=True)
class GeneralPlan:
    name: str
    document_no: str
    issued_on: date
    lead: str
    clause: str


@dataclass(frozen=True)
class PlanManagement:
    filing: dict[str, FilingRow]
    reviewer_text: str
    triggers: dict[str, TriggerRow]
    drill_phases_text: str
    general_plan: GeneralPlan


def read(data_dir: Path) -> PlanManagement:
    doc = load_yaml((Path(data_dir) / FILE).read_text(encoding="utf-8"))
    filing = {r["kind"]: FilingRow(r["kind"], r["text"], r["recipient"], r.get("reviewer") or "", r["clause"])
              for r in doc["filing"]}
    triggers = {r["code"]: TriggerRow(r["code"], r["text"], r["label"], r["clause"], bool(r.get("needs_source")))
                for r in doc["revision_triggers"]}
    g = doc["general_plan"]
    return PlanManagement(filing, doc["reviewer_text"], triggers, doc["drill_phases_text"],
                          GeneralPlan(g["name"], g["document_no"], g["issued_on"], g["lead"], g["clause"]))


@lru_cache(maxsize=1)
def shipped() -> PlanManagement:
    return read(REPO_ROOT / "data")
