"""Channel gateways are plugins (SMS, app push, e-mail, display screens, broadcast …, 东政发〔2022〕3号 §3.2.8).

A gateway declares the channels it serves and sends one message to one recipient. It receives the delivery's
idempotency key and must not send twice for the same key (the worker may retry a send whose commit was lost).
Where no gateway serves a channel, the default ``RecordingSink`` takes it: it sends nothing and returns a receipt,
which the worker stores on the delivery in the same transaction as its "sent" mark — so coverage can be measured
and a killed worker can neither lose nor duplicate a recorded delivery.

The worker hands each gateway all the sends of a batch at once (``send_many``); the default calls ``send`` once per
request, so a per-recipient gateway only writes ``send``. A gateway with a batch API overrides ``send_many``; one
with a rate limit sets ``max_batch`` so that a batch's sends take about half a second and commit promptly.
``RateLimitedSink`` is the default sink behind a token bucket shared by every worker on the machine (an SMS
gateway account's limit), for benchmarks and drills: ``DONGCHENG_CHANNEL_PLUGINS=dongcheng.core.plugins:
RateLimitedSink`` with ``DONGCHENG_SINK_RATE=400`` (sends/s).

Gateways are found through the ``dongcheng.channel_gateways`` entry-point group, through
``DONGCHENG_CHANNEL_PLUGINS="pkg.module:Factory,…"`` and through ``register()``; the flow goes on without them.
"""
from __future__ import annotations

import fcntl
import importlib
import logging
import os
import struct
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import NamedTuple

log = logging.getLogger("dongcheng.plugins")

ENTRY_POINT_GROUP = "dongcheng.channel_gateways"
ENV_VAR = "DONGCHENG_CHANNEL_PLUGINS"


class GatewayError(Exception):
    """A send that failed and may succeed later (the worker retries with backoff)."""


class SendRequest(NamedTuple):
    """One message to one recipient on one channel (a tuple: the worker builds hundreds of thousands)."""

    idempotency_key: str
    channel: str
    recipient: str
    contact: str
    text: str
    cap_identifier: str


class ChannelGateway(ABC):
    name: str = "gateway"
    channels: frozenset[str] | None = None  # None: every channel
    max_batch: int | None = None  # most deliveries the worker should claim per transaction for this gateway

    def serves(self, channel: str) -> bool:
        return self.channels is None or channel in self.channels

    @abstractmethod
    def send(self, request: SendRequest) -> str:
        """Send once; return the gateway's receipt; raise GatewayError to be retried."""

    def send_many(self, requests: Sequence[SendRequest]) -> list[str | Exception]:
        """Send a batch; one receipt or exception per request, in order. Default: ``send`` one by one."""
        out: list[str | Exception] = []
        for request in requests:
            try:
                out.append(self.send(request))
            except Exception as exc:  # noqa: BLE001 - a failed send is retried by the worker, never fatal
                out.append(exc)
        return out


class RecordingSink(ChannelGateway):
    """The default: records the delivery (the receipt is stored by the worker) and sends nothing."""

    name = "sink"

    def send(self, request: SendRequest) -> str:
        return f"sink:{request.channel}:{request.idempotency_key}"

    def send_many(self, requests: Sequence[SendRequest]) -> list[str | Exception]:
        return [f"sink:{r.channel}:{r.idempotency_key}" for r in requests]


class TokenBucket:
    """A token bucket shared by every process that opens the same file (``flock``): ``rate`` tokens a second, at
    most ``burst`` saved up. The file also counts the tokens ever granted, so a benchmark can read the throughput.
    """

    _FORMAT = "ddq"  # tokens, last refill (CLOCK_MONOTONIC, system-wide), granted so far

    def __init__(self, path: str | os.PathLike, rate: float, burst: float | None = None):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.path, self.rate = str(path), float(rate)
        self.burst = float(burst) if burst else max(1.0, self.rate * 0.05)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def _locked(self, fn):
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            raw = os.pread(self._fd, struct.calcsize(self._FORMAT), 0)
            now = time.monotonic()
            if len(raw) == struct.calcsize(self._FORMAT):
                tokens, last, granted = struct.unpack(self._FORMAT, raw)
                tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            else:
                tokens, granted = self.burst, 0
            tokens, granted, result = fn(tokens, granted)
            os.pwrite(self._fd, struct.pack(self._FORMAT, tokens, now, granted), 0)
            return result
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def acquire(self, n: int) -> None:
        """Block until ``n`` tokens have been taken (in chunks of at most ``burst``, as they come)."""
        need = n
        while need > 0:
            def take(tokens, granted, need=need):
                got = min(need, int(tokens))
                return tokens - got, granted + got, (got, tokens - got)

            got, left = self._locked(take)
            need -= got
            if need > 0:
                time.sleep(max(0.0005, (min(need, self.burst) - left) / self.rate))

    def granted(self) -> int:
        """Tokens granted so far by this bucket (every process)."""
        return self._locked(lambda tokens, granted: (tokens, granted, granted))

    def close(self) -> None:
        os.close(self._fd)


SINK_RATE_VAR = "DONGCHENG_SINK_RATE"
SINK_BUCKET_VAR = "DONGCHENG_SINK_BUCKET"


def default_bucket_path(rate: float) -> str:
    return os.path.join(tempfile.gettempdir(), f"dongcheng-sink-{rate:g}-per-s.bucket")


class RateLimitedSink(RecordingSink):
    """The default sink behind a shared token bucket: at most ``DONGCHENG_SINK_RATE`` sends a second over all the
    workers using the same bucket file (``DONGCHENG_SINK_BUCKET``; default one per rate in the temp folder), the way
    an SMS gateway account is limited. Records like the default sink; sends nothing."""

    name = "rate-limited-sink"

    def __init__(self, rate: float | None = None, bucket_path: str | None = None):
        self.rate = float(rate if rate is not None else os.environ.get(SINK_RATE_VAR, "400"))
        self.bucket = TokenBucket(bucket_path or os.environ.get(SINK_BUCKET_VAR) or default_bucket_path(self.rate),
                                  self.rate)
        self.max_batch = max(1, int(self.rate / 2))  # about half a second of sends per transaction

    def send(self, request: SendRequest) -> str:
        self.bucket.acquire(1)
        return f"sink:{request.channel}:{request.idempotency_key}"

    def send_many(self, requests: Sequence[SendRequest]) -> list[str | Exception]:
        self.bucket.acquire(len(requests))
        return super().send_many(requests)


_registered: list[ChannelGateway] = []
_loaded = False
DEFAULT = RecordingSink()


def register(gateway: ChannelGateway) -> None:
    _registered.insert(0, gateway)


def unregister(gateway: ChannelGateway) -> None:
    if gateway in _registered:
        _registered.remove(gateway)


def _load(spec: str) -> ChannelGateway:
    module, _, attr = spec.strip().partition(":")
    factory = getattr(importlib.import_module(module), attr)
    return factory() if isinstance(factory, type) or callable(factory) else factory


def load_plugins() -> None:
    """Load entry-point and environment plugins once per process."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            _registered.append(ep.load()())
        except Exception:  # noqa: BLE001 - a broken plugin must not stop dissemination through the others
            log.exception("channel gateway plugin %s failed to load", ep.name)
    for spec in filter(None, os.environ.get(ENV_VAR, "").split(",")):
        _registered.append(_load(spec))


def gateway_for(channel: str) -> ChannelGateway:
    load_plugins()
    return next((g for g in _registered if g.serves(channel)), DEFAULT)


def max_batch() -> int | None:
    """The smallest ``max_batch`` of the loaded gateways (None: no gateway asks for small batches)."""
    load_plugins()
    hints = [g.max_batch for g in _registered if g.max_batch]
    return min(hints) if hints else None
