"""Counting requests in fixed time windows through the cache, to throttle abuse.

Used by the login and password-reset pages, and by the prix du public. The default in-process
cache counts per server process; set CACHE_URL to a Redis server when several processes serve
the site, so that they share one count.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def _key(scope: str, value: str, window: int) -> str:
    # Hashed: an email address never lands in the cache in clear, and any value makes a valid key.
    digest = hashlib.sha256(value.encode()).hexdigest()
    bucket = int(timezone.now().timestamp()) // window
    return f"throttle:{scope}:{digest}:{window}:{bucket}"


def hit(scope: str, value: str, *, window: int) -> int:
    """Count one request for `value` in the current window; the count so far, this one included."""
    key = _key(scope, value, window)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def count(scope: str, value: str, *, window: int) -> int:
    """The requests counted for `value` in the current window."""
    return cache.get(_key(scope, value, window), 0)
