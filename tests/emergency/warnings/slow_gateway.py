"""A channel-gateway plugin for the worker tests: slow (so a kill lands mid-batch) and logging every send it makes
to the file named by ``DONGCHENG_TEST_SINK_LOG`` — an external side effect outside the database transaction.
"""
from __future__ import annotations

import os
import time

from dongcheng.core.plugins import ChannelGateway, SendRequest


class SlowLoggingSink(ChannelGateway):
    name = "slow-logging-sink"

    def __init__(self) -> None:
        self.delay = float(os.environ.get("DONGCHENG_TEST_SINK_DELAY", "0.0005"))
        self.log = open(os.environ["DONGCHENG_TEST_SINK_LOG"], "a", buffering=1)  # noqa: SIM115 - kept for the process

    def send(self, request: SendRequest) -> str:
        time.sleep(self.delay)
        self.log.write(f"{os.getpid()} {request.idempotency_key}\n")
        return f"slow:{os.getpid()}"
