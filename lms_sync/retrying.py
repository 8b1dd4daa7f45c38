"""How the sync tries again: one policy (``Retries``) and one loop (``retry_call``) for all.

Moodle's client, the catalogue's client and the executor each decide *what* is worth
another attempt (a lost answer to a read, a 5xx, a write whose effect can be looked
for); *how often* and *how long to wait* is decided here only, from the ``Retries`` of
the sync's settings, so the three never drift apart. The loop itself is ``tenacity``'s;
callers keep their own log lines and their own error once attempts run out, because the
messages name what to do next and tests read them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

T = TypeVar("T")


@dataclass(frozen=True)
class Retries:
    """How exchanges worth repeating are retried.

    ``retries`` extra attempts after the first; the n-th retry waits
    ``min(max_backoff, backoff * 2**(n-1))`` seconds plus up to ``jitter`` of that at
    random, so that many syncs hitting one school's server do not retry in step.
    """

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.25

    @property
    def attempts(self) -> int:
        """Every attempt, the first included."""
        return 1 + self.retries

    def delay(self, retry: int, rand: float) -> float:
        """Seconds to wait before retry number ``retry`` (1-based); ``rand`` in [0, 1)."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (retry - 1))
        return base * (1 + self.jitter * rand)


#: Told before each pause: the error, the number of the attempt that failed (1-based),
#: the seconds about to be waited.
OnRetry = Callable[[BaseException, int, float], None]


def retry_call(
    work: Callable[[], T],
    policy: Retries,
    *,
    retry_on: Callable[[BaseException], bool],
    on_retry: OnRetry,
    attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``work()``, again after a pause while it raises what ``retry_on`` accepts.

    At most ``attempts`` calls (default ``policy.attempts``; 1 means "do not repeat",
    for writes). The last error, or any error ``retry_on`` refuses, is raised as it is
    (never wrapped), so the caller turns it into its own message. ``sleep`` is there for
    tests that count pauses instead of waiting them.
    """

    def wait(state: tenacity.RetryCallState) -> float:
        return policy.delay(state.attempt_number, random.random())

    def before_sleep(state: tenacity.RetryCallState) -> None:
        assert state.outcome is not None and state.next_action is not None
        error = state.outcome.exception()
        assert error is not None
        on_retry(error, state.attempt_number, state.next_action.sleep)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.attempts if attempts is None else attempts),
        wait=wait,
        retry=tenacity.retry_if_exception(retry_on),
        before_sleep=before_sleep,
        sleep=sleep,
        reraise=True,
    )
    return retrying(work)
