import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_login_throttle():
    # the login throttle lives in the cache, which outlives a test's transaction
    cache.clear()
    yield
    cache.clear()
