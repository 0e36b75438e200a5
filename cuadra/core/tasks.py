"""Platform tasks. ``ping`` proves a real worker round-trip in CI."""

from celery import shared_task


@shared_task(name="cuadra.core.ping")
def ping(payload: str) -> str:
    return f"pong:{payload}"
