"""The distributed path: a real Celery worker on Redis runs a real task.

Skipped only when no Redis answers and we are not in CI; in CI (.ci/run starts Redis)
it must run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery

BROKER = os.environ.get("CUADRA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker_queue():
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {BROKER} is down in CI")
        pytest.skip(f"no Redis at {BROKER}; .ci/run starts it")
    queue = f"cuadra-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
           "DJANGO_SETTINGS_MODULE": "cuadra.config.settings"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cuadra.config", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=WARNING"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_real_worker_runs_a_task_through_redis(worker_queue):
    client = Celery("cuadra-test-client", broker=BROKER, backend=BROKER, set_as_current=False)
    result = client.send_task("cuadra.core.ping", args=["ci"], queue=worker_queue)
    assert result.get(timeout=90) == "pong:ci"


def test_without_a_broker_tasks_run_eagerly_in_process(settings):
    from cuadra.core.tasks import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay("eager").get(timeout=1) == "pong:eager"
