"""The `cuadra` command lists every command and reaches Django's own."""

from __future__ import annotations

import pytest

from cuadra.cli import main


def test_help_lists_every_cuadra_command(capsys):
    main(["cuadra", "--help"])
    out = capsys.readouterr().out
    for command in ("init", "demo", "serve [--host H] [--port P]", "createuser",
                    "token create --user U [--name N]", "token revoke", "ledger verify",
                    "ledger checkpoint", "bench NAME"):
        assert command in out


def test_django_commands_are_reachable(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["cuadra", "migrate", "--help"])
    assert exit_info.value.code == 0
    assert "usage: cuadra migrate" in capsys.readouterr().out


def test_every_cuadra_command_exists_as_a_management_command():
    from django.core.management import get_commands

    assert {"init", "demo", "serve", "createuser", "token", "ledger", "bench"} <= set(
        get_commands())
