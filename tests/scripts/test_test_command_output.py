"""The test command's output of an Odoo run ends with the run: what the run started and
left behind (a browser Odoo could not reach) is stopped instead of keeping it open."""

from omni_cli.testrun import _stream


def test_the_output_ends_with_the_command(tmp_path):
    command = ["sh", "-c", "echo started; (sleep 5; echo left behind) &"]
    returncode, lines = _stream(command, None, tmp_path / "run.log", lambda _line: False)
    assert returncode == 0
    assert lines == ["started"]
    assert (tmp_path / "run.log").read_text() == "started\n"
