"""Production settings, the compose file and the run/test commands' files."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-a-long-and-random-production-secret-key",
    "ALLOWED_HOSTS": "events.example.org",
}


def manage(*args, env):
    clean = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secret_key_or_allowed_hosts(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_development_defaults_need_no_services(tmp_path):
    result = manage("check", env={"DJANGO_ENV": "development", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "celery" / "queue").is_dir()


def test_unknown_profile_is_refused():
    result = manage("check", env={"DJANGO_ENV": "staging"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be development, test or production" in result.stderr


def test_docker_compose_file_is_valid_and_has_every_service(tmp_path):
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; make test installs it.")
        pytest.skip("docker-compose is not installed")
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run([compose, "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for service in ("web:", "worker:", "beat:", "db:", "redis:", "mail:"):
        assert f"  {service}" in result.stdout
    assert result.stdout.count("healthcheck:") == 6


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme.split("\n## ")[0]
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()


def test_dependencies_are_pinned():
    lock = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    pinned = {line.split("==")[0].lower() for line in lock if "==" in line}
    for requirement in ("django", "django-allauth", "celery", "icalendar", "weasyprint", "gunicorn"):
        assert requirement in pinned
