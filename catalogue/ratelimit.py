"""How often one account (or, for sign-ins, one address) may do a costly thing: upload a
package (every upload is unzipped, checked and stored) or fail to sign in.

Each quota is a ``limits`` expression from the configuration (``UPLOAD_LIMITS``,
``LOGIN_LIMITS``), counted in a moving window in ``RATELIMIT_STORAGE_URI``: ``memory://``
for one process, ``redis://…`` when several processes or machines serve the catalogue, so
that a second gunicorn worker does not double everyone's allowance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from catalogue.errors import TooManyRequests

Key = tuple[str, str]


class Quota:
    """One named allowance (e.g. "upload"), checked for several keys at once: a caller
    stays within it only while every key (its account, its address) does."""

    def __init__(self, limiter: MovingWindowRateLimiter, name: str, limits_text: str) -> None:
        self._limiter = limiter
        self._name = name
        self._limits: list[RateLimitItem] = parse_many(limits_text)

    def allowed(self, keys: Iterable[Key]) -> bool:
        return all(
            self._limiter.test(item, self._name, kind, key)
            for item in self._limits
            for kind, key in keys
        )

    def hit(self, keys: Iterable[Key]) -> None:
        for item in self._limits:
            for kind, key in keys:
                self._limiter.hit(item, self._name, kind, key)

    def retry_after(self, keys: Iterable[Key]) -> int:
        """Seconds until every key is within every limit again (at least 1)."""
        now = time.time()
        waits = [
            stats.reset_time - now
            for item in self._limits
            for kind, key in keys
            if (stats := self._limiter.get_window_stats(item, self._name, kind, key)).remaining <= 0
        ]
        return max(1, math.ceil(max(waits, default=1)))

    def take(self, keys: Iterable[Key], message: str) -> None:
        """Count one use, or refuse it with ``TooManyRequests`` (429, Retry-After)."""
        keys = tuple(keys)
        if not self.allowed(keys):
            raise TooManyRequests(message, retry_after=self.retry_after(keys))
        self.hit(keys)


def init_app(app: Flask) -> None:
    app.config.setdefault("UPLOAD_LIMITS", "30 per hour; 200 per day")
    app.config.setdefault("LOGIN_LIMITS", "10 per minute; 60 per hour")
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter = MovingWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
    app.extensions["sandyq.quotas"] = {
        "upload": Quota(limiter, "upload", app.config["UPLOAD_LIMITS"]),
        "login": Quota(limiter, "login", app.config["LOGIN_LIMITS"]),
    }


def quota(name: str) -> Quota:
    found: Quota = current_app.extensions["sandyq.quotas"][name]
    return found


def take_upload(user_id: int | None) -> None:
    """Count one package upload (API or web, a new resource, a new version or a build) for
    the caller's account; refused past ``UPLOAD_LIMITS``. Uploads always come signed in, and
    a school's teachers often share one address, so the account is the key."""
    quota("upload").take(
        (("account", str(user_id or "-")),),
        "too many uploads: wait before sending another package "
        "(the catalogue's limit is UPLOAD_LIMITS)",
    )
