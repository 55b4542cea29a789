"""Channel-gateway plugins: the per-recipient fallback of send_many, and the rate-limited sink's shared bucket."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from dongcheng.core import plugins
from dongcheng.core.config import REPO_ROOT


def request(n: int, channel: str = "手机短信") -> plugins.SendRequest:
    return plugins.SendRequest(f"MSG/{n}/{channel}", channel, f"订阅者{n}", "13800000000", "预警", "MSG")


class OneByOne(plugins.ChannelGateway):
    def __init__(self):
        self.sent: list[str] = []

    def send(self, request):
        if request.recipient.endswith("2"):
            raise plugins.GatewayError("busy")
        self.sent.append(request.idempotency_key)
        return f"ok:{request.idempotency_key}"


def test_send_many_falls_back_to_send_one_by_one_and_keeps_failures_in_place():
    g = OneByOne()
    out = g.send_many([request(1), request(2), request(3)])
    assert out[0] == "ok:MSG/1/手机短信" and isinstance(out[1], plugins.GatewayError) and out[2] == "ok:MSG/3/手机短信"
    assert g.sent == ["MSG/1/手机短信", "MSG/3/手机短信"]


def test_the_default_sink_answers_a_batch_like_one_by_one():
    reqs = [request(i) for i in range(5)]
    assert plugins.RecordingSink().send_many(reqs) == [plugins.RecordingSink().send(r) for r in reqs]


def test_rate_limited_sink_holds_its_rate_and_asks_for_small_batches(tmp_path):
    sink = plugins.RateLimitedSink(rate=400, bucket_path=str(tmp_path / "b"))
    assert sink.max_batch == 200
    t0 = time.perf_counter()
    out = sink.send_many([request(i) for i in range(220)])  # 20 saved up (burst), then 200 at 400/s
    elapsed = time.perf_counter() - t0
    assert out[0] == "sink:手机短信:MSG/0/手机短信" and len(out) == 220
    assert 0.45 <= elapsed < 1.5
    assert sink.bucket.granted() == 220


def test_the_bucket_is_shared_by_processes(tmp_path):
    """Two processes draining one 1,000/s bucket get 1,000/s together, not each."""
    path = tmp_path / "bucket"
    code = ("import sys; from dongcheng.core.plugins import TokenBucket; "
            f"b = TokenBucket({str(path)!r}, 1000); b.acquire(300)")
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=REPO_ROOT) for _ in range(2)]
    assert [p.wait(30) for p in procs] == [0, 0]
    elapsed = time.perf_counter() - t0
    assert plugins.TokenBucket(path, 1000).granted() == 600
    assert elapsed >= 0.5  # 600 tokens at 1,000/s (50 saved up): at least 0.55 s for both together


def test_rate_limited_sink_is_selected_through_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DONGCHENG_SINK_RATE", "8000")
    monkeypatch.setenv("DONGCHENG_SINK_BUCKET", str(tmp_path / "b"))
    sink = plugins._load("dongcheng.core.plugins:RateLimitedSink")
    assert isinstance(sink, plugins.RateLimitedSink) and sink.rate == 8000 and sink.max_batch == 4000


def test_rate_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        plugins.TokenBucket(tmp_path / "b", 0)
