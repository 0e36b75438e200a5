"""Browser tests use the ``live_db`` fixture from tests/conftest.py."""
