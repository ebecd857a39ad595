from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from festival import throttle


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_hits_are_counted_per_scope_and_value():
    with freeze_time(datetime(2027, 3, 1, 9, 0, tzinfo=UTC)):
        counts = [throttle.hit("login:ip", "192.0.2.1", window=900) for _ in range(3)]
        assert counts == [1, 2, 3]
        assert [
            throttle.count("login:ip", "192.0.2.1", window=900),
            throttle.count("login:ip", "192.0.2.2", window=900),
            throttle.count("login:account", "192.0.2.1", window=900),
        ] == [3, 0, 0]


def test_a_new_window_starts_from_zero():
    with freeze_time(datetime(2027, 3, 1, 9, 0, tzinfo=UTC)) as clock:
        throttle.hit("login:ip", "192.0.2.1", window=900)
        clock.tick(timedelta(minutes=14, seconds=59))
        assert throttle.count("login:ip", "192.0.2.1", window=900) == 1
        clock.tick(timedelta(seconds=1))
        assert throttle.count("login:ip", "192.0.2.1", window=900) == 0
