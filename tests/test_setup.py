"""The set-up behind `make run` and `make test`: finding Python, and doing nothing twice."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tests.processes import REPO_ROOT, relais_env

FIND_PYTHON = REPO_ROOT / "scripts" / "find-python"


def test_find_python_names_the_missing_version(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run([FIND_PYTHON, "3.10"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Python 3.10 is required" in result.stderr


def test_find_python_finds_both_versions_the_project_needs():
    for version in ("3.10", "3.11"):
        result = subprocess.run([FIND_PYTHON, version], capture_output=True, text=True, check=True)
        path = result.stdout.strip()
        check = subprocess.run([path, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True, check=True)
        assert check.stdout.strip() == str(tuple(int(p) for p in version.split(".")))


def test_an_already_set_up_checkout_has_nothing_to_install_or_train():
    env = {**os.environ}
    env.pop("MAKEFLAGS", None)
    result = subprocess.run(["make", "--dry-run", "setup"], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert "Nothing to be done" in result.stdout, "make would run:\n" + result.stdout


def test_make_run_refuses_to_start_on_a_busy_port_and_names_it(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = relais_env(tmp_path, gateway=port)
        result = subprocess.run([sys.executable, "-m", "bot.supervisor"], cwd=REPO_ROOT,
                                env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"Already in use: gateway port {port}" in result.stdout
    assert "started" not in result.stdout  # nothing was started
