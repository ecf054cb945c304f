"""The command line's options, read alike by every command that takes them."""

import pytest

from generator.cli import COMMAND_MODULES, EXIT_USAGE, main


@pytest.mark.parametrize("command", ["build", *(c for c in COMMAND_MODULES if c != "init")])
@pytest.mark.parametrize("jobs, said", [("0", "must be 1 or more"), ("-2", "must be 1 or more"), ("two", "invalid int value: 'two'")])
def test_every_command_refuses_a_bad_jobs_count_before_it_reads_anything(command, jobs, said, tmp_path, capsys):
    arguments = [command, "--jobs", jobs, "--seeds", str(tmp_path / "none")]
    if command == "eval":
        arguments.insert(1, str(tmp_path / "gold.yaml"))
    with pytest.raises(SystemExit) as exit:
        main(arguments)
    assert exit.value.code == EXIT_USAGE
    assert capsys.readouterr().err.endswith(f"briefing {command}: error: argument --jobs: {said}\n")
