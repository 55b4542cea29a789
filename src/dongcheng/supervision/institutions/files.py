"""The credit policy file (data/supervision/credit_policy.yaml, or one an administrator loads): YAML/JSON → Policy.
Refused with every problem naming its field (rules.read_policy)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.datafiles import load_yaml
from dongcheng.supervision.institutions.rules import FieldProblem, Policy, read_policy

DEFAULT_FILE = REPO_ROOT / "data" / "supervision" / "credit_policy.yaml"


def parse(text: str) -> tuple[dict | None, Policy | None, list[FieldProblem]]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        return None, None, [("file", f"YAML 格式错误：{str(exc)[:200]}", "invalid YAML")]
    policy, problems = read_policy(data)
    return (data if policy else None), policy, problems


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@lru_cache(maxsize=4)
def default_policy(path: Path = DEFAULT_FILE) -> Policy:
    """The shipped policy (read once per path); a broken shipped file fails loudly, naming its problems."""
    _, policy, problems = parse(path.read_text(encoding="utf-8"))
    if policy is None:
        raise ValueError(f"{path}: {problems}")
    return policy
