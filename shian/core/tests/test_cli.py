import subprocess
import sys

from shian.cli import main
from shian.core.models import AuditEntry
from shian.core.tests.factories import RegulatorFactory

# `execute_from_command_line` closes the database connections when a command ends, as a real CLI run
# does; so these tests commit (the `regions` fixture gives them a transactional database).


def test_shian_hands_subcommands_to_management_commands(regions, capsys):
    main(["token", "scopes"])
    assert "operators:read" in capsys.readouterr().out


def test_changes_made_from_the_cli_are_audited_as_cli(regions, capsys):
    inspector = RegulatorFactory()
    main(
        [
            "token",
            "create",
            inspector.username,
            "--name",
            "命令行令牌",
            "--scope",
            "regions:read",
            "--days",
            "30",
        ]
    )
    assert "Key (shown once): shian_" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="api_token.create").source == "cli"


def test_console_script_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "shian", "help", "ledger"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "verify" in result.stdout
