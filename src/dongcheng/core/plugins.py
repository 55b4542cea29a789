"""Channel gateways are plugins (SMS, app push, e-mail, display screens, broadcast …, 东政发〔2022〕3号 §3.2.8).

A gateway declares the channels it serves and sends one message to one recipient. It receives the delivery's
idempotency key and must not send twice for the same key (the worker may retry a send whose commit was lost).
Where no gateway serves a channel, the default ``RecordingSink`` takes it: it sends nothing and returns a receipt,
which the worker stores on the delivery in the same transaction as its "sent" mark — so coverage can be measured
and a killed worker can neither lose nor duplicate a recorded delivery.

Gateways are found through the ``dongcheng.channel_gateways`` entry-point group, through
``DONGCHENG_CHANNEL_PLUGINS="pkg.module:Factory,…"`` and through ``register()``; the flow goes on without them.
"""
from __future__ import annotations

import importlib
import logging
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from importlib.metadata import entry_points

log = logging.getLogger("dongcheng.plugins")

ENTRY_POINT_GROUP = "dongcheng.channel_gateways"
ENV_VAR = "DONGCHENG_CHANNEL_PLUGINS"


class GatewayError(Exception):
    """A send that failed and may succeed later (the worker retries with backoff)."""


@dataclass(frozen=True)
class SendRequest:
    idempotency_key: str
    channel: str
    recipient: str
    contact: str
    text: str
    cap_identifier: str


class ChannelGateway(ABC):
    name: str = "gateway"
    channels: frozenset[str] | None = None  # None: every channel

    def serves(self, channel: str) -> bool:
        return self.channels is None or channel in self.channels

    @abstractmethod
    def send(self, request: SendRequest) -> str:
        """Send once; return the gateway's receipt; raise GatewayError to be retried."""


class RecordingSink(ChannelGateway):
    """The default: records the delivery (the receipt is stored by the worker) and sends nothing."""

    name = "sink"

    def send(self, request: SendRequest) -> str:
        return f"sink:{request.channel}:{request.idempotency_key}"


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
