"""deploy/docker-compose.yml describes the local cluster of tools/cluster.py (no Docker engine here to run it).

Same services and replica counts, the same images as the Debian packages the
cluster runs, the same commands (built by the functions the cluster uses), the
same environment and the same nginx templates.
"""

import inspect
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tools import cluster, servers
from tools.stack import actions_command, rasa_command, sender_command
from tests.deploy.packages import installed
from tools import CHECKOUT

COMPOSE = CHECKOUT / "deploy" / "docker-compose.yml"
HAMROH_SERVICES = ("setup", "actions", "rasa", "telegram-send")
IN_CONTAINER = Path("")  # commands are found on the image's PATH
REQUIRED = re.compile(r"^\$\{(\w+):\?[^}]*\}$")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def default(parameter):
    return inspect.signature(cluster.Cluster).parameters[parameter].default


def test_the_services_are_the_clusters(compose):
    assert set(compose["services"]) == {"postgres", "redis", *HAMROH_SERVICES, "nginx"}
    assert compose["services"]["rasa"]["deploy"]["replicas"] == default("replicas") == 2
    assert compose["services"]["actions"]["deploy"]["replicas"] == default("action_servers") == 2
    # One sender, whatever the number of replicas: it alone sends the replies, in order per chat.
    assert compose["services"]["telegram-send"]["deploy"]["replicas"] == 1


def test_the_servers_are_the_debian_packages_versions(compose):
    images = {"postgresql": compose["services"]["postgres"]["image"],
              "redis-server": compose["services"]["redis"]["image"],
              "nginx": compose["services"]["nginx"]["image"]}
    assert images == cluster.IMAGES


@pytest.mark.parametrize("package, command, pattern", [
    ("postgresql", ["postgres", "--version"], r"\) (\d+)\."),
    ("redis-server", ["redis-server", "--version"], r"v=(\d+\.\d+)\."),
    ("nginx", ["nginx", "-v"], r"nginx/(\d+\.\d+)\."),
])
def test_the_images_versions_are_the_installed_packages(package, command, pattern):
    finder = servers.postgres_bin if package == "postgresql" else servers.executable(command[0])
    found = installed(finder(), package)
    binary = str(Path(found) / command[0]) if package == "postgresql" else found
    output = subprocess.run([binary, *command[1:]], capture_output=True, text=True, check=True)
    version = re.search(pattern, output.stdout + output.stderr).group(1)
    assert cluster.IMAGES[package].split(":")[1] == version


def test_every_hamroh_service_runs_the_project_image_with_the_clusters_environment(compose):
    local = set(cluster.service_env("content", "conversations", "locks", "state")) | set(cluster.TELEGRAM_ENV)
    assert local == set(cluster.SERVICE_ENV)
    for name in HAMROH_SERVICES:
        service = compose["services"][name]
        assert service["image"] == "hamroh:latest"
        only_rasa = set(cluster.REPLICA_ENV) if name == "rasa" else set()
        assert set(service["environment"]) == set(cluster.SERVICE_ENV) | only_rasa, name
    env = compose["services"]["rasa"]["environment"]
    for fixed in ("TICKET_LOCK_LIFETIME", "RASA_TELEMETRY_ENABLED"):
        assert env[fixed] == cluster.service_env("", "", "", "")[fixed]
    # Content and conversations in two databases of one server, as the local cluster keeps them.
    assert env["DATABASE_URL"].endswith(f"@postgres:5432/{cluster.CONTENT_DB}")
    assert env["HAMROH_TRACKER_URL"].endswith(f"@postgres:5432/{cluster.CONVERSATIONS_DB}")
    assert compose["services"]["postgres"]["environment"]["POSTGRES_DB"] == cluster.CONTENT_DB
    init = (COMPOSE.parent / "postgres" / "create-conversations.sql").read_text()
    assert f"CREATE DATABASE {cluster.CONVERSATIONS_DB} OWNER {servers.DB_USER};" in init
    assert env["HAMROH_LOCK_URL"].startswith("redis://") and "@redis:6379/" in env["HAMROH_LOCK_URL"]
    # No secret is written into the file: each is required from deploy/.env.
    for key in ("TELEGRAM_TOKEN", "TELEGRAM_SECRET"):
        assert REQUIRED.match(env[key]), key


def test_the_commands_are_the_clusters(compose):
    services = compose["services"]
    assert services["rasa"]["command"] == rasa_command(
        cluster.MODEL.relative_to(CHECKOUT), Path("/config/endpoints.yml"), 5005, Path("/config/credentials.yml"),
        api=True, interface="0.0.0.0", bin_dir=IN_CONTAINER)
    assert REQUIRED.match(services["rasa"]["environment"]["HAMROH_RASA_TOKEN"])
    assert services["actions"]["command"] == actions_command(5055, bin_dir=IN_CONTAINER)
    assert services["telegram-send"]["command"] == sender_command(bin_dir=IN_CONTAINER)
    shell, flag, script = services["setup"]["command"]
    assert (shell, flag) == ("sh", "-c")
    nginx = services["nginx"]["environment"]
    gateway = f"http://nginx:{nginx['HAMROH_ACTIONS_LISTEN']}/webhook"
    assert [shlex.split(step) for step in script.split(" && ")] == cluster.setup_commands(
        gateway, "/config", bin_dir=IN_CONTAINER)


def test_nginx_serves_the_shipped_templates_and_is_the_only_published_port(compose):
    nginx = compose["services"]["nginx"]
    mounted = {volume.split(":")[0]: volume.split(":")[1] for volume in nginx["volumes"]}
    for template in (cluster.PUBLIC_TEMPLATE, cluster.ACTIONS_TEMPLATE):
        source = "./" + str(template.relative_to(COMPOSE.parent))
        assert mounted[source] == f"/etc/nginx/templates/{template.name}"
        # Every placeholder has a value; the image's envsubst fills only HAMROH_ ones.
        servers.render(template.read_text(), nginx["environment"])
    assert nginx["environment"]["NGINX_ENVSUBST_FILTER"] == "^HAMROH_"
    assert nginx["environment"]["HAMROH_RASA_SERVERS"] == "rasa:5005"
    assert nginx["environment"]["HAMROH_ACTION_SERVERS"] == "actions:5055"
    assert "/etc/nginx/conf.d" in nginx["tmpfs"]  # no default.conf beside ours
    [published] = nginx["ports"]
    assert published.split(":")[1] == nginx["environment"]["HAMROH_PUBLIC_LISTEN"]
    others = [name for name, service in compose["services"].items() if name != "nginx" and "ports" in service]
    assert others == []


def test_the_image_carries_the_model_the_replicas_load():
    dockerfile = (COMPOSE.parent / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -c constraints.txt -e ." in dockerfile
    assert "--out models --fixed-model-name hamroh" in dockerfile
    assert cluster.MODEL.relative_to(CHECKOUT) == Path("models/hamroh.tar.gz")
    assert "pybabel compile" in dockerfile
