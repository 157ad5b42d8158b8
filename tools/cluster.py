"""A local cluster: N Rasa replicas and M action servers behind nginx, with Redis and PostgreSQL.

`make cluster` starts it in the background (`python -m tools.cluster start`) and
`make cluster-stop` stops it. PostgreSQL holds the content and the conversations,
Redis the conversation locks; nginx (deploy/nginx/) serves only Telegram's webhook
and a health check, spreading updates over the replicas and the replicas' action
calls over the action servers. One Telegram sender (`hamroh telegram-send`) sends
the replies the replicas saved, whatever their number. Every server is Debian's (installed with apt-get
when missing, as scripts/test-postgres does) and listens on 127.0.0.1; state,
logs and secrets live under var/cluster/. deploy/docker-compose.yml and deploy/helm/
describe the same topology (tests/deploy/ checks that they agree with this file).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional

import requests

from tools import CHECKOUT
from tools.servers import Nginx, Postgres, Redis, alive, packages, private_file, wait_for
from tools.stack import BIN, Service, actions_command, free_port, rasa_command, sender_command, stop_pid

DEFAULT_DIR = CHECKOUT / "var" / "cluster"
MODEL = CHECKOUT / "models" / "hamroh.tar.gz"
NGINX_DIR = CHECKOUT / "deploy" / "nginx"
PUBLIC_TEMPLATE = NGINX_DIR / "hamroh.conf.template"
ACTIONS_TEMPLATE = NGINX_DIR / "hamroh-actions.conf.template"
NGINX_TEMPLATES = (PUBLIC_TEMPLATE, ACTIONS_TEMPLATE)
WEBHOOK_PATH = "/webhooks/telegram/webhook"
HEALTH_PATH = "/healthz"
CONTENT_DB, CONVERSATIONS_DB = "hamroh", "conversations"
LOCK_LIFETIME_SECONDS = 15
"""How long a replica killed while handling a message keeps that conversation locked (Rasa's default: 60 s)."""

SERVICE_ENV = ("DATABASE_URL", "HAMROH_TRACKER_URL", "HAMROH_LOCK_URL", "HAMROH_STATE_DIR", "TICKET_LOCK_LIFETIME",
               "HAMROH_ACTIONS_HOST", "RASA_TELEMETRY_ENABLED", "TELEGRAM_TOKEN", "TELEGRAM_SECRET",
               "TELEGRAM_WEBHOOK_URL")
"""What every replica, action server and setup step is given (deploy/docker-compose.yml gives the same)."""
REPLICA_ENV = ("HAMROH_RASA_TOKEN",)
"""What only the Rasa replicas are given: their HTTP API's token (bot.serving.rasa_api reads it)."""
TELEGRAM_ENV = ("TELEGRAM_TOKEN", "TELEGRAM_SECRET", "TELEGRAM_WEBHOOK_URL")
IMAGES = {"postgresql": "postgres:15", "redis-server": "redis:7.0", "nginx": "nginx:1.22"}
"""Debian 12's package of each server and the official image of the same version, for deploy/."""


def service_env(content_url: str, conversations_url: str, lock_url: str, state_dir: str) -> Dict[str, str]:
    """SERVICE_ENV of the local cluster but Telegram's, which come from the caller's environment."""
    return {"DATABASE_URL": content_url, "HAMROH_TRACKER_URL": conversations_url, "HAMROH_LOCK_URL": lock_url,
            "HAMROH_STATE_DIR": state_dir, "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            # Containers listen on their network (deploy/); here nothing but nginx is meant to be reached.
            "HAMROH_ACTIONS_HOST": "127.0.0.1", "RASA_TELEMETRY_ENABLED": "false"}


def setup_commands(actions_url: str, config_dir: str, bin_dir: Path = BIN) -> List[List[str]]:
    """What runs once before the servers start: schema, seed content, endpoints.yml and credentials.yml."""
    hamroh = str(bin_dir / "hamroh")
    return [[hamroh, "db", "upgrade"], [hamroh, "content", "load"],
            [hamroh, "endpoints", "--actions-url", actions_url, "--out", f"{config_dir}/endpoints.yml"],
            # The file names the Telegram variables; Rasa reads their values from the environment.
            [hamroh, "telegram-credentials", "--out", f"{config_dir}/credentials.yml"]]


# --- the cluster ------------------------------------------------------------------------------

@dataclass
class Layout:
    """Ports and secrets of one cluster, kept in its folder so a later command finds them."""

    public_port: int
    actions_port: int  # nginx's internal listener for the replicas' action calls
    postgres_port: int
    redis_port: int
    rasa_ports: List[int]
    action_ports: List[int]
    postgres_password: str
    redis_password: str
    api_token: str  # Rasa's HTTP API, on each replica's own port only
    poll_secret: str  # between the long-polling feeder and the webhook, when TELEGRAM_SECRET is unset
    pids: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def new(cls, replicas: int, action_servers: int, public_port: Optional[int] = None) -> "Layout":
        """Free ports and fresh secrets."""
        token = lambda: secrets.token_urlsafe(24)  # noqa: E731
        return cls(public_port or free_port(), free_port(), free_port(), free_port(),
                   [free_port() for _ in range(replicas)], [free_port() for _ in range(action_servers)],
                   token(), token(), token(), token())


class Cluster:
    """The servers of one local cluster and how to start, stop, kill and restart each of them."""

    def __init__(self, folder: Path = DEFAULT_DIR, replicas: int = 2, action_servers: int = 2,
                 model: Path = MODEL, public_port: Optional[int] = None,
                 env: Optional[Mapping[str, str]] = None, detached: bool = False) -> None:
        if replicas < 1 or action_servers < 1:
            raise ValueError("a cluster needs at least one Rasa replica and one action server")
        self.folder, self.model, self.detached = folder, model, detached
        self.base_env = dict(env if env is not None else os.environ)
        self.state_file = folder / "cluster.json"
        layout = Layout.new(replicas, action_servers, public_port)
        if self.state_file.exists():
            # The databases were initialised with these passwords: a new start keeps them.
            kept = json.loads(self.state_file.read_text())
            for key in ("postgres_password", "redis_password", "api_token", "poll_secret"):
                setattr(layout, key, kept[key])
        self._attach(layout)

    def _attach(self, layout: Layout) -> None:
        self.layout = layout
        self.postgres = Postgres(self.folder / "postgres", layout.postgres_port, layout.postgres_password)
        self.redis = Redis(self.folder / "redis", layout.redis_port, layout.redis_password)
        self.nginx = Nginx(self.folder / "nginx", NGINX_TEMPLATES, layout.public_port, layout.actions_port,
                           layout.rasa_ports, layout.action_ports)
        self.replicas: List[Service] = []
        self.action_servers: List[Service] = []
        self.sender: Optional[Service] = None
        self.poller: Optional[Service] = None

    @classmethod
    def existing(cls, folder: Path = DEFAULT_DIR) -> "Cluster":
        """The cluster a previous command started in a folder."""
        cluster = cls.__new__(cls)
        cluster.folder, cluster.state_file = folder, folder / "cluster.json"
        cluster._attach(Layout(**json.loads(cluster.state_file.read_text())))
        return cluster

    # --- where things are --------------------------------------------------------------------
    @property
    def public_url(self) -> str:
        """nginx's public address."""
        return f"http://127.0.0.1:{self.layout.public_port}"

    @property
    def webhook_url(self) -> str:
        """Telegram's webhook through nginx."""
        return self.public_url + WEBHOOK_PATH

    def replica_url(self, index: int) -> str:
        """One replica's own address (its API is there, behind the token, never through nginx)."""
        return f"http://127.0.0.1:{self.layout.rasa_ports[index]}"

    def action_server_url(self, index: int) -> str:
        """One action server's own address."""
        return f"http://127.0.0.1:{self.layout.action_ports[index]}"

    @property
    def content_url(self) -> str:
        """The knowledge base (answers, organisations, inbox)."""
        return self.postgres.url(CONTENT_DB)

    @property
    def conversations_url(self) -> str:
        """The conversations (Rasa's tracker store)."""
        return self.postgres.url(CONVERSATIONS_DB)

    def env(self) -> Dict[str, str]:
        """What every replica, action server and setup step is started with."""
        env = {**self.base_env,
               **service_env(self.content_url, self.conversations_url, self.redis.url, str(self.folder / "state"))}
        if env.get("TELEGRAM_TOKEN") and not env.get("TELEGRAM_WEBHOOK_URL") and not env.get("TELEGRAM_SECRET"):
            env["TELEGRAM_SECRET"] = self.layout.poll_secret  # long polling: only this machine needs it
        return env

    @property
    def actions_gateway(self) -> str:
        """Where the replicas send action calls: nginx's internal listener."""
        return f"http://127.0.0.1:{self.layout.actions_port}/webhook"

    # --- configuration files -------------------------------------------------------------------
    def configure(self, env: Mapping[str, str]) -> None:
        """Schema, seed content, endpoints.yml and credentials.yml, by the commands compose runs too.

        endpoints.yml gets the SQL tracker store (HAMROH_TRACKER_URL) and, as HAMROH_LOCK_URL is set, the
        Redis ticket lock store (bot/serving/).
        """
        for command in setup_commands(self.actions_gateway, str(self.folder)):
            subprocess.run(command, cwd=CHECKOUT, env=dict(env), check=True, stdout=subprocess.DEVNULL)

    # --- processes ---------------------------------------------------------------------------
    def _service(self, name: str, command: List[str], env: Mapping[str, str], health: str) -> Service:
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return Service(name, command, dict(env), logs / f"{name}.log", health, self.detached)

    def _telegram(self) -> List[Service]:
        """The sender and the poller, those that were started."""
        return [s for s in (self.sender, self.poller) if s is not None]

    def _save(self) -> None:
        running = self.replicas + self.action_servers + self._telegram()
        self.layout.pids = {s.name: s.pid for s in running if s.pid}
        private_file(self.state_file, json.dumps(asdict(self.layout), indent=1))

    def start(self, seconds: float = 300) -> "Cluster":
        """Starts everything and waits until an update can go through nginx to every replica."""
        env = self.env()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._save()
        self.postgres.start()
        for database in (CONTENT_DB, CONVERSATIONS_DB):
            self.postgres.create_database(database)
        self.redis.start()
        self.configure(env)
        endpoints, credentials = self.folder / "endpoints.yml", self.folder / "credentials.yml"
        self.action_servers = [
            self._service(f"actions-{i + 1}", actions_command(port), env, f"http://127.0.0.1:{port}/health")
            for i, port in enumerate(self.layout.action_ports)]
        replica_env = {**env, "HAMROH_RASA_TOKEN": self.layout.api_token}
        self.replicas = [
            self._service(f"rasa-{i + 1}", rasa_command(self.model, endpoints, port, credentials, api=True),
                          replica_env, f"http://127.0.0.1:{port}/")
            for i, port in enumerate(self.layout.rasa_ports)]
        if env.get("TELEGRAM_TOKEN"):
            # One sender, however many replicas: they only save the replies, it sends them in order.
            self.sender = self._service("telegram-send", sender_command(), env, "")
        for service in self.action_servers + self.replicas + self._telegram():
            service.start()
        self._save()
        self.nginx.start()
        for service in self.action_servers + self.replicas:
            service.wait_up(seconds)
        if env.get("TELEGRAM_TOKEN"):
            wait_for(self.healthy, 30, "nginx's health check")
            if not env.get("TELEGRAM_WEBHOOK_URL"):
                self.poller = self._service("telegram-poll", [str(BIN / "hamroh"), "telegram-poll", "--rasa-url",
                                                              self.public_url], env, "").start()
        self._save()
        return self

    def healthy(self) -> bool:
        """nginx's health check answers 200."""
        try:
            return requests.get(self.public_url + HEALTH_PATH, timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def kill_replica(self, index: int) -> None:
        """`kill -9` of one Rasa replica."""
        self.replicas[index].kill()

    def restart_replica(self, index: int, seconds: float = 300) -> float:
        """Starts a replica again on its port; returns the seconds until it answered."""
        replica = self.replicas[index]
        replica.stop()
        replica.start()
        self._save()
        return replica.wait_up(seconds)

    def stop(self) -> None:
        """Stops every server; the databases' files stay for the next start."""
        # nginx first: the replicas would otherwise wait for its idle keep-alive connections to close.
        self.nginx.stop()
        started = self._telegram() + self.replicas + self.action_servers
        if started:
            for service in started:
                if service.process and service.process.poll() is None:
                    service.process.terminate()
            for service in started:
                service.stop()
        else:  # started by an earlier command
            for pid in self.layout.pids.values():
                if alive(pid):
                    stop_pid(pid)
        self.layout.pids = {}
        self.redis.stop()
        self.postgres.stop()
        if self.state_file.exists():
            self._save()

    def running_pids(self) -> Dict[str, int]:
        """The replicas, action servers, sender and poller still alive, by name."""
        return {name: pid for name, pid in self.layout.pids.items() if alive(pid)}


@contextmanager
def running(folder: Path, replicas: int = 2, action_servers: int = 2, model: Path = MODEL,
            env: Optional[Mapping[str, str]] = None) -> Iterator[Cluster]:
    """A cluster for the length of a block (tests, benchmarks); everything is stopped afterwards."""
    cluster = Cluster(folder, replicas, action_servers, model, env=env)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


# --- command line (make cluster / make cluster-stop) -------------------------------------------

def _start(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if (folder / "cluster.json").exists() and Cluster.existing(folder).running_pids():
        print(f"A cluster is already running from {folder}; stop it with `make cluster-stop`.", file=sys.stderr)
        return 1
    if not os.environ.get("TELEGRAM_TOKEN"):
        print("The cluster serves Telegram: set TELEGRAM_TOKEN (and TELEGRAM_WEBHOOK_URL with TELEGRAM_SECRET "
              "for a webhook; without them it long-polls). `make run` serves the REST channel for trying.",
              file=sys.stderr)
        return 2
    cluster = Cluster(folder, args.replicas, args.action_servers, Path(args.model), args.port, detached=True)
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    print(f"Cluster up: {args.replicas} Rasa replicas, {args.action_servers} action servers, nginx, "
          f"PostgreSQL, Redis (state and logs in {folder}).")
    print(f"  Telegram webhook: {cluster.webhook_url}  (point your HTTPS proxy here)")
    print(f"  health check:     {cluster.public_url}{HEALTH_PATH}")
    print("  replies: `hamroh telegram-send` sends what the replicas saved")
    if cluster.poller:
        print("  long polling: `hamroh telegram-poll` feeds the webhook through nginx")
    print("  replicas' API (token in cluster.json): " + ", ".join(
        cluster.replica_url(i) for i in range(args.replicas)))
    print("Stop it with `make cluster-stop`.")
    return 0


def _existing(args: argparse.Namespace) -> Optional[Cluster]:
    folder = Path(args.dir)
    if (folder / "cluster.json").exists():
        return Cluster.existing(folder)
    print(f"No cluster in {folder}.")
    return None


def _stop(args: argparse.Namespace) -> int:
    cluster = _existing(args)
    if cluster:
        cluster.stop()
        print("Cluster stopped; conversations and content stay in PostgreSQL for the next start.")
    return 0


def _status(args: argparse.Namespace) -> int:
    cluster = _existing(args)
    if cluster is None:
        return 1
    alive = cluster.running_pids()
    for name in cluster.layout.pids:
        print(f"  {name:14s} {'running' if name in alive else 'STOPPED'}")
    print(f"  health check {cluster.public_url}{HEALTH_PATH}: {'200' if cluster.healthy() else 'failing'}")
    return 0 if alive and len(alive) == len(cluster.layout.pids) else 1


def _packages(args: argparse.Namespace) -> int:
    for package, where in packages().items():
        print(f"{package}: {where}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m tools.cluster start|stop|status|packages`."""
    parser = argparse.ArgumentParser(prog="python -m tools.cluster", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=str(DEFAULT_DIR), help="state, logs and secrets (default var/cluster)")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start the cluster in the background")
    start.add_argument("--replicas", type=int, default=2, help="Rasa replicas")
    start.add_argument("--action-servers", type=int, default=2, help="action servers")
    start.add_argument("--port", type=int, default=8088, help="nginx's public port on 127.0.0.1")
    start.add_argument("--model", default=str(MODEL))
    start.set_defaults(func=_start)
    commands.add_parser("stop", help="stop every server of the cluster").set_defaults(func=_stop)
    commands.add_parser("status", help="which servers are running").set_defaults(func=_status)
    commands.add_parser("packages", help="install Debian's nginx, redis-server and postgresql when missing"
                        ).set_defaults(func=_packages)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
