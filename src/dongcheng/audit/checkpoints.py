"""Where signed checkpoints live outside the database: an append-only file (one JSON line each, fsynced), and the
sink a deployment names (``DONGCHENG_AUDIT_CHECKPOINT_SINK``), reached through the outbox."""
from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from dongcheng.core.config import REPO_ROOT, Settings


def default_path(settings: Settings) -> Path | None:
    """``DONGCHENG_AUDIT_CHECKPOINT_FILE``, else beside the SQLite file (``<db>.audit-checkpoints.jsonl``), else (a
    server database) ``var/audit/<host>-<port>-<database>.checkpoints.jsonl``; None for an in-memory database."""
    if settings.audit_checkpoint_file:
        return Path(settings.audit_checkpoint_file)
    url = make_url(settings.database_url)
    if url.drivername.startswith("sqlite"):
        if url.database in (None, "", ":memory:"):
            return None
        return Path(f"{url.database}.audit-checkpoints.jsonl")
    return REPO_ROOT / "var" / "audit" / f"{url.host or 'local'}-{url.port or 5432}-{url.database}.checkpoints.jsonl"


def append(path: Path, checkpoint: dict) -> None:
    """Add one line; written and fsynced before the call returns (O_APPEND: lines of two writers never mix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(checkpoint, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class CheckpointFile:
    checkpoints: list[dict] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)  # line numbers that are not a checkpoint
    torn_tail: bool = False  # the last line was cut short (a crash while writing it): ignored


def read(path: Path) -> CheckpointFile:
    out = CheckpointFile()
    if not path.is_file():
        return out
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        lines.pop()
        out.torn_tail = True
    for number, raw in enumerate(lines, 1):
        try:
            cp = json.loads(raw)
            if not isinstance(cp, dict) or not isinstance(cp.get("seq"), int) or not isinstance(cp.get("hash"), str):
                raise ValueError("not a checkpoint")
        except ValueError:
            out.unreadable.append(number)
            continue
        out.checkpoints.append(cp)
    return out


def send_to_sink(sink: str, message: dict) -> None:
    """POST the JSON to an http(s) URL (2xx expected), or append it to the file the sink names."""
    if sink.startswith(("http://", "https://")):
        body = json.dumps(message, ensure_ascii=False).encode()
        request = urllib.request.Request(sink, data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the operator's configured sink
            if not 200 <= response.status < 300:
                raise OSError(f"sink answered {response.status}")
        return
    append(Path(sink.removeprefix("file://")), message)
