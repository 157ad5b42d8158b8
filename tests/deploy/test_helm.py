"""deploy/helm/ uses only real keys of Rasa's official charts and describes the local cluster's topology.

The charts' default values and schemas are copied in tests/deploy/helm_charts/
(RasaHQ/helm-charts, see its README); no network is needed.
"""

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from tools import cluster, servers
from bot.channels.credentials import CONNECTOR, credentials_yaml
from bot.settings import Settings
from bot.endpoints import LOCK_STORE, TEMPLATE as ENDPOINTS
from tools.stack import actions_command, free_port, rasa_command, sender_command
from tests.deploy.packages import installed
from tools import CHECKOUT

CHARTS = Path(__file__).parent / "helm_charts"
HELM = CHECKOUT / "deploy" / "helm"
VALUES = {"rasa": HELM / "rasa-values.yml", "rasa-action-server": HELM / "rasa-action-server-values.yml"}
IN_CONTAINER = Path("")


def load(chart):
    return yaml.safe_load(VALUES[chart].read_text())


def unknown_keys(ours, defaults, path=""):
    """Key paths of ours that the chart's values.yaml does not have; `{}` there means any key is fine."""
    found = []
    for key, value in ours.items():
        where = f"{path}.{key}" if path else key
        if key not in defaults:
            found.append(where)
        elif isinstance(value, dict) and isinstance(defaults[key], dict) and defaults[key]:
            found += unknown_keys(value, defaults[key], where)
    return found


@pytest.mark.parametrize("chart", sorted(VALUES))
def test_every_key_is_the_charts_and_the_schema_holds(chart):
    ours = load(chart)
    defaults = yaml.safe_load((CHARTS / chart / "values.yaml").read_text())
    assert unknown_keys(ours, defaults) == []
    schema = json.loads((CHARTS / chart / "values.schema.json").read_text())
    # Helm validates the merged values; nulls delete a default key, so they are dropped first.
    jsonschema.validate(merged(defaults, ours), schema)


def merged(defaults, ours):
    """Helm's merge of user values over the chart's (a null deletes the key)."""
    result = dict(defaults)
    for key, value in ours.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def env_names(values):
    return {item["name"] for item in values["extraEnv"]}


def test_replicas_commands_and_environment_are_the_clusters():
    rasa, actions = load("rasa"), load("rasa-action-server")
    assert rasa["replicaCount"] == 2 and actions["replicaCount"] == 2
    port = rasa["applicationSettings"]["port"]
    # The chart mounts its ConfigMap's endpoints and credentials at /app/ (its _containers-volumes.yaml).
    assert rasa["command"] + rasa["args"] == rasa_command(
        cluster.MODEL.relative_to(CHECKOUT), Path("/app/endpoints.yml"), port, Path("/app/credentials.yml"),
        api=True, interface="0.0.0.0", bin_dir=IN_CONTAINER)
    assert actions["command"] + actions["args"] == actions_command(
        actions["applicationSettings"]["port"], bin_dir=IN_CONTAINER)
    assert env_names(rasa) == set(cluster.SERVICE_ENV) | set(cluster.REPLICA_ENV)
    assert env_names(actions) == set(cluster.SERVICE_ENV)
    # Secrets come from a Secret, never from the values file.
    for values in (rasa, actions):
        for item in values["extraEnv"]:
            if item["name"] in ("DATABASE_URL", "HAMROH_TRACKER_URL", "HAMROH_LOCK_URL", "HAMROH_RASA_TOKEN",
                                "TELEGRAM_TOKEN", "TELEGRAM_SECRET"):
                assert item["valueFrom"]["secretKeyRef"]["name"] == "hamroh", item["name"]
    assert rasa["image"] == actions["image"]
    assert rasa["nginx"]["image"]["tag"] == cluster.IMAGES["nginx"].split(":")[1]


def test_endpoints_and_credentials_are_what_the_project_writes():
    settings = load("rasa")["applicationSettings"]
    endpoints = settings["endpoints"]
    action = endpoints["additionalEndpoints"]["action_endpoint"]
    shipped = yaml.safe_load(ENDPOINTS.read_text())["action_endpoint"]
    assert {**action, "url": None} == {**shipped, "url": None}
    service = load("rasa-action-server")
    assert action["url"] == f"http://{service['fullnameOverride']}:{service['service']['port']}/webhook".replace(
        ":80/", "/")
    # The stores of endpoints.yml and `hamroh endpoints`, each reading its URL from the environment.
    assert endpoints["trackerStore"]["type"] == yaml.safe_load(ENDPOINTS.read_text())["tracker_store"]["type"]
    assert endpoints["trackerStore"]["url"] == "${HAMROH_TRACKER_URL}"
    assert endpoints["lockStore"]["type"] == LOCK_STORE["type"]
    assert endpoints["lockStore"]["url"] == "${HAMROH_LOCK_URL}"
    telegram = Settings(database_url="", content_dir=Path(), telegram_token="1:x", telegram_secret="s" * 20,
                        telegram_webhook_url="https://bot.example.org/webhooks/telegram/webhook")
    written = yaml.safe_load(credentials_yaml(telegram))
    assert settings["credentials"]["additionalChannelCredentials"] == {CONNECTOR: written[CONNECTOR]}


def test_the_sidecar_serves_the_shipped_nginx_template_and_only_it_is_published():
    nginx = load("rasa")["nginx"]
    rendered = servers.render(cluster.PUBLIC_TEMPLATE.read_text(), {
        "HAMROH_PUBLIC_LISTEN": str(nginx["port"]),
        "HAMROH_RASA_SERVERS": [f"127.0.0.1:{load('rasa')['applicationSettings']['port']}"]})
    assert nginx["customConfiguration"]["rasa.nginx.conf"] == rendered
    assert "include /etc/nginx/conf.d/*.nginx.conf;" in nginx["customConfiguration"]["nginx.conf"]
    assert load("rasa")["ingress"]["enabled"] is False  # the chart's would go straight to Rasa's port
    ingress = yaml.safe_load((HELM / "ingress.yml").read_text())
    [rule] = ingress["spec"]["rules"]
    [path] = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": load("rasa")["fullnameOverride"], "port": {"name": "http-nginx"}}


def test_the_sidecars_configuration_is_valid_nginx(tmp_path):
    binary = installed(servers.executable("nginx")(), "nginx")
    custom = load("rasa")["nginx"]["customConfiguration"]
    (tmp_path / "conf.d").mkdir()
    # `nginx -t` binds the listening socket: a free one on the loopback interface, not the pod's port 80.
    server = custom["rasa.nginx.conf"].replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    (tmp_path / "conf.d" / "rasa.nginx.conf").write_text(server)
    # The chart's file, its /etc/nginx paths moved into a folder of the test's own.
    main = custom["nginx.conf"].replace("/etc/nginx/", f"{tmp_path}/").replace("/dev/stdout", str(tmp_path / "log"))
    (tmp_path / "nginx.conf").write_text(main)
    check = subprocess.run([binary, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_setup_job_runs_the_clusters_first_setup_steps():
    job = yaml.safe_load((HELM / "setup-job.yml").read_text())
    [container] = job["spec"]["template"]["spec"]["containers"]
    shell, flag, script = container["command"]
    steps = [step.split() for step in script.split(" && ")]
    assert steps == cluster.setup_commands("", "", bin_dir=IN_CONTAINER)[:2]
    image = load("rasa")["image"]
    assert container["image"] == f"{image['repository']}:{image['tag']}"


def test_one_telegram_sender_runs_beside_the_charts_with_their_image_and_environment():
    deployment = yaml.safe_load((HELM / "telegram-sender.yml").read_text())
    # Exactly one, and never two during an upgrade: the old pod stops before the new one starts.
    assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    [container] = pod["spec"]["containers"]
    assert container["command"] == sender_command(bin_dir=IN_CONTAINER)
    image = load("rasa")["image"]
    assert container["image"] == f"{image['repository']}:{image['tag']}"
    # The action servers' environment, item for item (secrets from the `hamroh` Secret).
    assert container["env"] == load("rasa-action-server")["extraEnv"]
    assert {item["name"] for item in container["env"]} == set(cluster.SERVICE_ENV)
