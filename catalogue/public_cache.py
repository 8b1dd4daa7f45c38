"""Answers anyone gets alike, kept for a while: the public reads of a national catalogue.

A search, a published resource's page and an OAI-PMH answer are the same for every
visitor who is not signed in, and they are most of what the catalogue is asked (harvesters
page through the same lists; a class opens the same lesson). ``cached`` keeps such an
answer, keyed by

- the URL (path and query, as sent) and the locale the answer is in,
- the index's generation (``catalogue.search.generation``: every publish, unpublish,
  new version, metadata change or rebuild raises it), so a change is seen at once,

and for at most ``PUBLIC_CACHE_SECONDS`` (60), which bounds how stale it can be about
what does not move the index: download counts, authors' names, a package gone from storage.

Only a GET without credentials is answered from the store: no ``Authorization`` header and
no session cookie (a visitor with a session may see flashed messages, or be signed in).
Only a 200 that sets no cookie and changes no session is kept. ``X-Cache: hit`` or
``miss`` says which it was, and ``Vary: Cookie, Accept-Language`` tells a proxy in front
(a school's, a region's) what the answer depends on.

The store is cachelib's: in this process by default (``PUBLIC_CACHE=memory``, up to
``PUBLIC_CACHE_ENTRIES`` answers), shared by every worker and machine with
``PUBLIC_CACHE=redis`` (at ``REDIS_URL``), none with ``PUBLIC_CACHE=none`` or 0 seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, Response, current_app, request, session
from flask_babel import get_locale

from catalogue import search
from catalogue.db import db

P = ParamSpec("P")
EXTENSION = "sandyq.public_cache"
KINDS = ("memory", "redis", "none")


@dataclass(frozen=True)
class Kept:
    """What is stored of an answer: enough to make it again, nothing of the request."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def init_app(app: Flask) -> None:
    app.config.setdefault("PUBLIC_CACHE", "memory")
    app.config.setdefault("PUBLIC_CACHE_SECONDS", 60)
    app.config.setdefault("PUBLIC_CACHE_ENTRIES", 2000)
    app.extensions[EXTENSION] = _store(app)


def _store(app: Flask) -> BaseCache:
    kind = str(app.config["PUBLIC_CACHE"]).strip().lower()
    seconds = int(app.config["PUBLIC_CACHE_SECONDS"])
    if kind not in KINDS:
        raise ValueError(f"SANDYQ_PUBLIC_CACHE is {kind!r}: use one of {', '.join(KINDS)}")
    if kind == "none" or seconds <= 0:
        return NullCache()
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(app.config["REDIS_URL"])
        return RedisCache(client, default_timeout=seconds, key_prefix="sandyq:public:")
    return SimpleCache(threshold=int(app.config["PUBLIC_CACHE_ENTRIES"]), default_timeout=seconds)


def cached(view: Callable[P, Any]) -> Callable[P, Response]:
    """Answer the view from the store when the request may be, and keep what it may."""

    @wraps(view)
    def answered(*args: P.args, **kwargs: P.kwargs) -> Response:
        store: BaseCache = current_app.extensions[EXTENSION]
        key = _key() if _anyone(request) and not isinstance(store, NullCache) else None
        if key is not None:
            kept = store.get(key)
            if isinstance(kept, Kept):
                answer = Response(kept.body, status=kept.status, headers=kept.headers)
                return _marked(answer, "hit")
        answer = current_app.make_response(view(*args, **kwargs))
        if key is not None:
            if _keepable(answer):
                store.set(key, Kept(answer.status_code, _headers(answer), answer.get_data()))
            _marked(answer, "miss")
        return answer

    return answered


def _marked(answer: Response, outcome: str) -> Response:
    answer.headers["X-Cache"] = outcome
    answer.vary.update(("Cookie", "Accept-Language"))
    return answer


def _anyone(asked: Any) -> bool:
    """A GET that carries no credentials: its answer is the same for every such visitor."""
    session_cookie = current_app.config.get("SESSION_COOKIE_NAME", "session")
    return (
        asked.method == "GET"
        and "Authorization" not in asked.headers
        and session_cookie not in asked.cookies
    )


def _key() -> str:
    generation = search.generation(db.session())
    parts = (request.full_path, str(get_locale() or ""), str(generation))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _keepable(answer: Response) -> bool:
    """A plain 200 that leaves the visitor nothing of their own: no cookie set, now or by
    the session when the answer goes out."""
    return (
        not session.modified
        and answer.status_code == 200
        and not answer.is_streamed
        and not answer.direct_passthrough
        and "Set-Cookie" not in answer.headers
    )


def _headers(answer: Response) -> list[tuple[str, str]]:
    """The view's own headers; what every answer gets after it (security headers, the
    session's Vary) is added again on the way out."""
    return [(name, value) for name, value in answer.headers.items() if name != "Content-Length"]
