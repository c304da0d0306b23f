"""Production settings, the compose file and the run/test commands' files."""

import http.client
import ipaddress
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .processes import Background, wait_for

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


OPERATOR_EMAIL_URL = "smtp://user:secret@smtp.operator.example:587"
APP_SERVICES = ("web", "worker", "beat")
EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 (what a port without a host address is published on)
MEDIA_ROOT_IN_CONTAINER = "/app/var/media"


def operator_env_file(uncomment_s3=False):
    """.env as an operator writes it: .env.example with their own SMTP server
    (and, optionally, the S3 lines switched on)."""
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("EMAIL_URL="):
            line = f"EMAIL_URL={OPERATOR_EMAIL_URL}"
        elif uncomment_s3 and line.startswith("# AWS_"):
            line = line.removeprefix("# ")
        lines.append(line)
    assert f"EMAIL_URL={OPERATOR_EMAIL_URL}" in lines, ".env.example has no EMAIL_URL line to fill in"
    return "\n".join(lines) + "\n"


def compose_config(tmp_path, *options, uncomment_s3=False):
    """The configuration docker-compose resolves in a copy of the deployment files."""
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; make test installs it.")
        pytest.skip("docker-compose is not installed")
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy", dirs_exist_ok=True)
    (tmp_path / ".env").write_text(operator_env_file(uncomment_s3))
    # Only the .env decides: no COMPOSE_PROFILES, SITE_URL, … from this shell.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    result = subprocess.run([compose, *options], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout) if options[-1] == "config" else result.stdout


def active_services(config, profiles=()):
    """Services that `up` starts: those without profiles, or with an enabled one
    (docker-compose 1.29's `config` lists every service regardless)."""
    return {
        name: service
        for name, service in config["services"].items()
        if not service.get("profiles") or set(service["profiles"]) & set(profiles)
    }


def published_ports(service):
    """(host address, published port) of each port a service publishes."""
    published = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            published.append((port.get("host_ip", EVERY_INTERFACE), int(port["published"])))
        else:
            parts = str(port).split("/")[0].split(":")
            if len(parts) == 1:
                published.append((EVERY_INTERFACE, None))  # a random host port
            else:
                published.append((parts[0] if len(parts) == 3 else EVERY_INTERFACE, int(parts[-2])))
    return published


def named_volume_at(config, service, target):
    for volume in config["services"][service].get("volumes", []):
        if isinstance(volume, dict):
            source, mounted = volume.get("source"), volume["target"]
        else:
            source, mounted = volume.split(":")[:2]
        if mounted == target and source in (config.get("volumes") or {}):
            return source
    return None


def test_compose_as_the_operator_runs_it_sends_mail_to_their_server_and_keeps_files(tmp_path):
    config = compose_config(tmp_path, "config")
    services = active_services(config)
    assert {"proxy", "web", "worker", "beat", "db", "redis"} <= set(services)
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["EMAIL_URL"] == OPERATOR_EMAIL_URL, name
        assert environment["DJANGO_ENV"] == "production"
    for name, service in services.items():
        assert "mail:1025" not in yaml.safe_dump(service), f"{name} still points at the mail catcher"
    # Uploaded documents and generated PDFs: one named volume, where MEDIA_ROOT
    # is in the image (VAR_DIR/media under WORKDIR /app), for web and worker.
    web_media = named_volume_at(config, "web", MEDIA_ROOT_IN_CONTAINER)
    assert web_media is not None
    assert named_volume_at(config, "worker", MEDIA_ROOT_IN_CONTAINER) == web_media
    for name in APP_SERVICES:
        assert not {"MEDIA_ROOT", "VAR_DIR"} & set(services[name]["environment"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "WORKDIR /app" in dockerfile
    assert "mkdir -p /app/var/media && chown -R ipeg /app/var" in dockerfile
    assert "postgresql-client" in dockerfile


def test_compose_passes_the_s3_settings_of_env_to_every_app_container(tmp_path):
    config = compose_config(tmp_path, "config", uncomment_s3=True)
    expected = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in operator_env_file(uncomment_s3=True).splitlines()
        if line.startswith("AWS_")
    }
    assert {"AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_ACCESS_KEY_ID"} <= set(
        expected
    )
    assert {"AWS_SECRET_ACCESS_KEY", "AWS_S3_ADDRESSING_STYLE", "AWS_LOCATION"} <= set(expected)
    for name in APP_SERVICES:
        environment = config["services"][name]["environment"]
        for key, value in expected.items():
            assert (environment.get(key) or "") == value, (name, key)


def test_compose_publishes_only_the_tls_proxy_which_alone_may_claim_https(tmp_path):
    config = compose_config(tmp_path, "config")
    services = active_services(config)
    publishing = {name for name, service in services.items() if service.get("ports")}
    assert publishing == {"proxy"}
    proxy = services["proxy"]
    assert {port for _host, port in published_ports(proxy)} == {80, 443}
    web = services["web"]
    assert "ports" not in web
    assert [str(port) for port in web["expose"]] == ["8000"]
    # The proxy serves SITE_URL with the Caddyfile of deploy/ and keeps its certificates.
    assert proxy["environment"]["SITE_URL"] == "https://events.example.org"
    mounts = [
        volume if isinstance(volume, str) else f"{volume['source']}:{volume['target']}" for volume in proxy["volumes"]
    ]
    assert any(mount.endswith("deploy/Caddyfile:/etc/caddy/Caddyfile:ro") for mount in mounts)
    assert named_volume_at(config, "proxy", "/data") is not None
    assert "{$SITE_URL}" in (ROOT / "deploy" / "Caddyfile").read_text()
    # gunicorn takes X-Forwarded-Proto from the proxy's fixed address only, an
    # address outside the range handed out to the other containers.
    proxy_address = proxy["networks"]["default"]["ipv4_address"]
    command = " ".join(web["command"])
    assert f"--forwarded-allow-ips={proxy_address}" in command
    assert "forwarded-allow-ips=*" not in command
    (network,) = config["networks"]["default"]["ipam"]["config"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(network["subnet"])
    assert ipaddress.ip_address(proxy_address) not in ipaddress.ip_network(network["ip_range"])
    # Behind the proxy, allauth counts rate limits per client, not per proxy.
    assert web["environment"]["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"


def test_mail_catcher_runs_only_in_the_dev_profile_and_only_on_loopback(tmp_path):
    assert compose_config(tmp_path, "config", "--profiles").split() == ["dev"]
    assert "mail" not in active_services(compose_config(tmp_path, "config"))
    config = compose_config(tmp_path, "--profile", "dev", "config")
    mail = active_services(config, profiles=["dev"])["mail"]
    assert published_ports(mail) == [("127.0.0.1", 8025)]
    # Even in development the app mails the catcher only when .env says so.
    assert config["services"]["web"]["environment"]["EMAIL_URL"] == OPERATOR_EMAIL_URL


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def compose_web_service():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]


def web_gunicorn_command(port, forwarded_allow_ips):
    """The web service's gunicorn command, bound to a loopback port and trusting
    X-Forwarded-Proto from the given address."""
    script = compose_web_service()["command"][-1]
    args = shlex.split(script.split("exec ", 1)[1])
    assert args[0] == "gunicorn"
    replaced = []
    for arg in args[1:]:
        if arg.startswith("--forwarded-allow-ips="):
            arg = f"--forwarded-allow-ips={forwarded_allow_ips}"
        elif arg.startswith("0.0.0.0:"):
            arg = f"127.0.0.1:{port}"
        replaced.append(arg)
    assert f"--forwarded-allow-ips={forwarded_allow_ips}" in replaced
    assert f"127.0.0.1:{port}" in replaced
    return [sys.executable, "-m", "gunicorn", *replaced]


@pytest.mark.slow
def test_gunicorn_trusts_x_forwarded_proto_only_from_the_proxy_address(tmp_path):
    hidden = {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "FORWARDED_ALLOW_IPS"}
    env = {key: value for key, value in os.environ.items() if key not in hidden and not key.startswith("AWS_")}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="events.example.org,127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL="consolemail://",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    page = "/events/feed.ics"
    claims_https = {"X-Forwarded-Proto": "https"}

    def serving(port):
        try:
            return get(port, "/healthz").status == 200
        except OSError:
            return False

    # The proxy is elsewhere (10.0.0.2): this client's claim of HTTPS does not count.
    port = free_port()
    with Background(*web_gunicorn_command(port, "10.0.0.2"), env=env, log=tmp_path / "untrusted.log") as server:
        assert wait_for(lambda: serving(port), timeout=30), server.output()
        response = get(port, page, claims_https)
        assert response.status == 301, server.output()
        assert response.getheader("Location") == f"https://127.0.0.1:{port}{page}"
        # The container's health check: plain HTTP, exempt from the redirect,
        # with a Host that ALLOWED_HOSTS accepts.
        healthcheck = compose_web_service()["healthcheck"]["test"]
        assert healthcheck[:2] == ["CMD", "python"]
        command = [sys.executable, *[arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in healthcheck[2:]]]
        probe = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert probe.returncode == 0, probe.stderr
        assert "GET /healthz" in server.output()

    # The same request from the proxy's address is HTTPS: answered, not redirected.
    port = free_port()
    with Background(*web_gunicorn_command(port, "127.0.0.1"), env=env, log=tmp_path / "trusted.log") as server:
        assert wait_for(lambda: serving(port), timeout=30), server.output()
        response = get(port, page, claims_https)
        assert response.status == 200, server.output()
        assert response.getheader("Content-Type").startswith("text/calendar")
        assert "max-age=" in response.getheader("Strict-Transport-Security", "")
        # Plain HTTP reaching the app through the proxy is still sent to HTTPS.
        assert get(port, page).status == 301


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme.split("\n## ")[0]
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()


def test_dependencies_are_pinned():
    lock = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    pinned = {line.split("==")[0].lower() for line in lock if "==" in line}
    for requirement in ("django", "django-allauth", "celery", "icalendar", "weasyprint", "gunicorn"):
        assert requirement in pinned


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "SECRET_KEY",
            "change-me-to-a-long-random-string-of-at-least-50-characters",
            "SECRET_KEY is the example value from .env.example",
        ),
        ("SECRET_KEY", "short-but-random-Zq8x", "SECRET_KEY is 21 characters long: production needs at least 50"),
        ("ALLOWED_HOSTS", "events.example.org,*", "ALLOWED_HOSTS must name the site's host names"),
        ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS must name the site's host names"),
    ],
)
def test_production_refuses_an_example_or_short_secret_key_and_wildcard_hosts(setting, value, message):
    result = manage("check", env={**PRODUCTION, setting: value})
    assert result.returncode != 0
    # One clear line, not a traceback to read through.
    assert f"ImproperlyConfigured: {message}" in result.stderr
    assert "System check identified no issues" not in result.stdout
