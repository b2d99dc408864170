"""`hub install-service`: the systemd unit renders right for given paths and is written safely."""
import configparser

from hub.ops.device import service


def parse_unit(text):
    """Read a unit like systemd does for these keys (repeated Environment= lines kept)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",),
                                       comment_prefixes=("#", ";"), empty_lines_in_values=False)
    parser.optionxform = str  # keys are case-sensitive in systemd
    environment = [line.split("=", 1)[1] for line in text.splitlines()
                   if line.startswith("Environment=")]
    parser.read_string(text)
    return parser, environment


def test_unit_renders_for_the_given_paths():
    text = service.render_unit(user="hub", data_dir="/var/lib/community-learning-hub",
                               working_dir="/opt/community-learning-hub",
                               exec_start="/opt/community-learning-hub/.venv/bin/hub serve",
                               memory_max="300M")
    unit, environment = parse_unit(text)
    svc = unit["Service"]
    assert svc["User"] == "hub"
    assert svc["WorkingDirectory"] == "/opt/community-learning-hub"
    assert svc["ExecStart"] == "/opt/community-learning-hub/.venv/bin/hub serve"
    assert svc["Restart"] == "on-failure"
    assert svc["MemoryMax"] == "300M"
    assert svc["NoNewPrivileges"] == "yes" and svc["PrivateTmp"] == "yes"
    assert svc["ProtectSystem"] == "strict"
    assert svc["ReadWritePaths"] == "/var/lib/community-learning-hub"
    assert "HUB_DATA_DIR=/var/lib/community-learning-hub" in environment
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert unit["Unit"]["After"] == "network.target"


def test_bad_settings_are_refused_with_where_why():
    found = service.problems("Root User", "relative/data", "/opt/hub", "lots")
    assert [line.split(":", 1)[0] for line in found] == ["--user", "--memory-max", "--data-dir"]
    assert service.problems("hub", "/srv/my data", "/opt/hub", "400M")[0].startswith("--data-dir:")
    assert service.problems("hub", "/var/lib/hub", "/opt/hub", "1G") == []


def test_install_service_writes_the_unit_and_says_what_to_run(runner, tmp_path):
    (tmp_path / "etc").mkdir()
    target = tmp_path / "etc" / "community-learning-hub.service"
    data = tmp_path / "hubdata"
    result = runner.invoke(["install-service", "--output", str(target), "--data-dir", str(data),
                            "--memory-max", "512M", "--user", "learnhub"])
    assert result.exit_code == 0, result.output
    unit, environment = parse_unit(target.read_text())
    assert unit["Service"]["User"] == "learnhub" and unit["Service"]["MemoryMax"] == "512M"
    assert f"HUB_DATA_DIR={data}" in environment
    assert unit["Service"]["ExecStart"].endswith(" serve")
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert "sudo systemctl daemon-reload" in result.output
    assert f"sudo systemctl enable --now {target.name}" in result.output
    assert "useradd --system" in result.output
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp files left


def test_dry_run_prints_and_writes_nothing(runner, tmp_path):
    target = tmp_path / "unit.service"
    result = runner.invoke(["install-service", "--dry-run", "--output", str(target),
                            "--data-dir", "/var/lib/hub"])
    assert result.exit_code == 0
    unit, _env = parse_unit(result.output)
    assert unit["Service"]["ReadWritePaths"] == "/var/lib/hub"
    assert not target.exists()


def test_install_service_refuses_bad_input_and_writes_nothing(runner, tmp_path):
    target = tmp_path / "unit.service"
    result = runner.invoke(["install-service", "--output", str(target), "--user", "Bad User",
                            "--memory-max", "lots"])
    assert result.exit_code == 1
    assert "--user:" in result.output and "--memory-max:" in result.output
    assert not target.exists()


def test_install_service_where_it_cannot_write_says_so(runner, tmp_path):
    result = runner.invoke(["install-service", "--output", "/proc/self/unit.service",
                            "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("--output: cannot write /proc/self/unit.service")
