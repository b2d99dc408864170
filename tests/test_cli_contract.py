"""Every command of the contract is there, with --help and its contract flags; usage errors exit 2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

# contract.md, "Command line": each command and the flags it promises.
HUB_COMMANDS = {
    "serve": ["--host", "--port", "--threads", "--data-dir"],
    "packs validate": [],
    "packs install": [],
    "packs list": ["--json"],
    "packs remove": [],
    "packs build": ["-o"],
    "facilitators add": ["--password-stdin"],
    "metrics rollup": ["--date"],
    "sync register": ["--url", "--hub-id", "--secret-stdin"],
    "sync status": ["--json"],
    "sync push": [],
    "sync export": [],
    "backup": [],
}
CENTRAL_COMMANDS = {
    "serve": ["--host", "--port", "--data-dir"],
    "hubs add": [],
    "import": [],
    "export": ["--json", "--csv", "--metric", "--hub"],
}


@pytest.mark.parametrize("command", HUB_COMMANDS, ids=str)
def test_every_hub_command_has_help_with_its_contract_flags(runner, command):
    result = runner.invoke([*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert f" {command} [OPTIONS]" in result.output.splitlines()[0]
    for flag in HUB_COMMANDS[command]:
        assert flag in result.output, (command, flag)


@pytest.mark.parametrize("command", CENTRAL_COMMANDS, ids=str)
def test_every_central_command_has_help_with_its_contract_flags(command):
    from sync.central.cli import cli as central

    result = CliRunner().invoke(central, [*command.split(), "--help"], prog_name="hub-central")
    assert result.exit_code == 0, result.output
    for flag in CENTRAL_COMMANDS[command]:
        assert flag in result.output, (command, flag)


@pytest.mark.parametrize("args", [["packs", "frobnicate"], ["packs", "validate"],
                                  ["packs", "build", "."], ["metrics", "rollup", "--date"],
                                  ["serve", "--port", "eighty"]], ids=" ".join)
def test_usage_errors_exit_2(runner, args):
    result = runner.invoke(args)
    assert result.exit_code == 2, result.output
