"""The Tryton peer (``/work/shared/peers/tryton_bench.py``), run as a subprocess by its own
venv on the backend of DATABASE_URL, for benchmarks that print it next to their figures.

Peer code and venv live outside the repository (default ``/tmp/peers/.venv-tryton``);
when they are missing, the install steps are printed and the caller carries on."""

from __future__ import annotations

import json
import os
import subprocess
import time

from django.db import connection

PEER_DIR = os.environ.get("CUADRA_PEER_DIR", "/tmp/peers")
PEER_SCRIPTS = os.environ.get("CUADRA_PEER_SCRIPTS", "/work/shared/peers")
PEER_TIMEOUT = 900  # seconds; the first call also builds Tryton's base database (~1-2 min)


def add_arguments(parser, *, default_n: int = 200, default_batch: int = 50) -> None:
    parser.add_argument("--peer", choices=["tryton"],
                        help="also run a peer benchmark on the same backend and compare")
    parser.add_argument("--tryton-python",
                        help=f"python of the Tryton venv (default {PEER_DIR}/.venv-tryton)")
    parser.add_argument("--tryton-script", help="path of tryton_bench.py "
                        f"(default {PEER_SCRIPTS}/tryton_bench.py)")
    parser.add_argument("--peer-n", type=int, default=default_n,
                        help=f"invoices the peer posts (default {default_n})")
    parser.add_argument("--peer-batch", type=int, default=default_batch)


def _python(args) -> str:
    return args.tryton_python or os.path.join(PEER_DIR, ".venv-tryton", "bin", "python")


def _install_hint(args, script: str) -> None:
    missing = _python(args)
    if os.path.exists(missing):
        missing = script
    print(f"  peer tryton: not installed ({missing} not found); skipped. To install it "
          "(outside the repository):\n"
          f"    python3.11 -m venv {PEER_DIR}/.venv-tryton\n"
          f"    {PEER_DIR}/.venv-tryton/bin/pip install -r "
          f"{PEER_SCRIPTS}/requirements-tryton.txt\n"
          f"  (peer script expected at {script}; see {PEER_SCRIPTS}/README.md), "
          "or pass --tryton-python PATH", flush=True)


def _pg_uri() -> str:
    """Server URI without database name, from the Django connection (Tryton's form)."""
    from urllib.parse import quote

    sd = connection.settings_dict
    auth = quote(sd.get("USER") or "", safe="")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"], safe="")
    host = sd.get("HOST") or "127.0.0.1"
    port = sd.get("PORT") or 5432
    return f"postgresql://{auth + '@' if auth else ''}{host}:{port}/"


def _command(args, python: str, script: str) -> list[str]:
    backend = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    # --queue-worker: the invoice report rendering is left to a worker (not timed), so
    # the peer's figure is posting throughput, the closest to what we post.
    cmd = [python, script, "--backend", backend, "--n", str(args.peer_n),
           "--batch", str(args.peer_batch), "--queue-worker",
           "--data-dir", os.path.join(PEER_DIR, "peerbench_data", "tryton")]
    if backend == "postgresql":
        cmd += ["--pg-uri", _pg_uri()]
    return cmd


def _run(cmd: list[str]) -> dict | None:
    os.makedirs(PEER_DIR, exist_ok=True)
    try:
        proc = subprocess.run(cmd, cwd=PEER_DIR, capture_output=True, text=True,
                              timeout=PEER_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  peer tryton: no result within {PEER_TIMEOUT} s; skipped", flush=True)
        return None
    results = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not results:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        print(f"  peer tryton: failed (exit {proc.returncode}); skipped", flush=True)
        for line in tail:
            print(f"    {line}")
        return None
    return json.loads(results[-1][len("RESULT "):])


def run(args) -> dict | None:
    """The peer's RESULT (invoices_per_s, steady_per_s, trial_balance_s, ...) or None."""
    script = args.tryton_script or os.path.join(PEER_SCRIPTS, "tryton_bench.py")
    python = _python(args)
    if not os.path.exists(python) or not os.path.exists(script):
        _install_hint(args, script)
        return None
    cmd = _command(args, python, script)
    print(f"peer tryton ({cmd[3]}, N={args.peer_n}, batch {args.peer_batch}, report "
          "rendering queued): running, the first call also builds its base database ...",
          flush=True)
    began = time.perf_counter()
    result = _run(cmd)
    if result is not None:
        print(f"  peer tryton {result['backend']}: {result['n']} invoices posted in "
              f"{result['invoices_s']:.1f} s, valid={result['validation']['ok']}, "
              f"{result['tb_line_count']:,} move lines; process "
              f"{time.perf_counter() - began:.0f} s", flush=True)
    return result


def versus(ours: float | None, theirs: float | None, higher_better: bool = True) -> str:
    if not ours or not theirs:
        return "n/a"
    ratio = ours / theirs if higher_better else theirs / ours
    return f"ours {ratio:,.1f}x " + ("the peer's rate" if higher_better else "faster")
