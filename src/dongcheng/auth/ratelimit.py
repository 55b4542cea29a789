"""Login rate limiting: too many failures for one username or one address → 429 for a while."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from dongcheng.core.basis import platform_default
from dongcheng.core.errors import DomainError

LOGIN_LIMIT_DEFAULT = platform_default("login_rate_limit", "同一用户名或同一地址5分钟内失败10次，暂停登录5分钟")


class LoginLimiter:
    def __init__(self, max_failures: int = 10, window_seconds: float = 300.0):
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def check(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"u:{username}", f"a:{address}"):
                if len(self._recent(key, now)) >= self.max_failures:
                    raise DomainError("登录失败次数过多，请 5 分钟后再试",
                                      f"Too many failed logins; try again in 5 minutes ({LOGIN_LIMIT_DEFAULT})", 429)

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"u:{username}", f"a:{address}"):
                self._recent(key, now).append(now)
