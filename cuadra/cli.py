"""The ``cuadra`` command: Cuadra's own commands plus every Django management command."""

from __future__ import annotations

import os
import sys

HELP = """\
usage: cuadra <command> [options]

Cuadra commands:
  init                          create or migrate the database (SQLite under var/ by default,
                                or DATABASE_URL)
  demo                          load the demo data (idempotent)
  serve [--host H] [--port P]   serve the web app and /graphql (default 127.0.0.1:8000)
  createuser USERNAME [--password P] [--company CODE --role KEY] [--email E]
                                create a user, optionally with a role in a company
  token create --user U [--name N]
                                print a new API token once (only its hash is kept)
  token revoke --prefix P | --id N
                                revoke an API token
  ledger verify [--company CODE]
                                recompute the hash chain; exit 1 naming the first broken link
  ledger checkpoint [--company CODE]
                                print the chain head and count, to keep and compare later
  ledger rebuild-balances [--company CODE]
                                recompute the balance rollups from the posted lines
  bench NAME                    run a benchmark from bench/ (sequences, ledger, ...);
                                prints figures

Django's own management commands are reachable too, e.g. `cuadra migrate`,
`cuadra shell`, `cuadra createsuperuser`; `cuadra help --django` lists them all, and
`cuadra help COMMAND` shows one command's options.
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuadra.config.settings")
    args = argv[1:]
    if not args or args in (["-h"], ["--help"], ["help"]):
        sys.stdout.write(HELP)
        return
    if args == ["help", "--django"]:
        args = ["help", "--commands"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cuadra", *args])


if __name__ == "__main__":
    main()
