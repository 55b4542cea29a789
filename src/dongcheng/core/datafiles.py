"""Reading the versioned data files (data/*.yaml): one loader for every module."""
from __future__ import annotations

from typing import Any

import yaml

# libyaml's safe loader (PyYAML's C extension, shipped in its wheels) reads the same documents as yaml.SafeLoader
# 8-10× faster; every fresh database reads ~1 MB of YAML. The pure-Python loader is the fallback where it is absent.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | bytes) -> Any:
    """yaml.safe_load, through libyaml when PyYAML has it."""
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 — a safe loader
