"""Debian's PostgreSQL, Redis and nginx, run as the project's own processes in a folder on 127.0.0.1.

Each is installed with apt-get when missing (as scripts/test-postgres does), keeps
its data, pid, logs and passwords in its folder, and can be started, stopped and
restarted; the local cluster (tools/cluster.py) is built from them.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Union

from tools.stack import stop_pid

DB_USER = "hamroh"
PLACEHOLDER = re.compile(r"\$\{(HAMROH_[A-Z_]+)\}")


def debian_package(package: str, find: Callable[[], Optional[str]]) -> str:
    """Returns what `find` finds, installing a Debian package first when it finds nothing."""
    found = find()
    if found:
        return found
    print(f"Installing {package} from Debian's packages…", file=sys.stderr, flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, stdout=sys.stderr)
    subprocess.run(sudo + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", package],
                   check=True, stdout=sys.stderr)
    found = find()
    if not found:
        raise RuntimeError(f"{package} is installed but its programs were not found")
    return found


def postgres_bin() -> Optional[str]:
    """The newest installed PostgreSQL's programs folder, None without one."""
    folders = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.access(f"{d}/initdb", os.X_OK)]
    return max(folders, key=lambda d: int(Path(d).parent.name)) if folders else None


def executable(name: str) -> Callable[[], Optional[str]]:
    """A finder of a program by name, for debian_package."""
    # nginx lives in /usr/sbin, which is not on every user's PATH.
    return lambda: shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Waits until a condition holds; raises TimeoutError naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(what)


def alive(pid: Optional[int]) -> bool:
    """Whether a process exists and is not a zombie."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its parent) is no longer serving.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def pid_in(path: Path) -> Optional[int]:
    """The process id written in a pid file, None without one."""
    try:
        return int(path.read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None


def private_file(path: Path, text: str) -> Path:
    """Writes a file only its owner can read (it holds passwords)."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text, encoding="utf-8")
    return path


class Postgres:
    """A PostgreSQL server of its own in a folder, on 127.0.0.1, with a password."""

    def __init__(self, folder: Path, port: int, password: str) -> None:
        self.folder, self.port, self.password = folder, port, password
        self.bin = Path(debian_package("postgresql", postgres_bin))
        # PostgreSQL refuses to run as root: it runs as the postgres user the package creates.
        self.owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str) -> None:
        subprocess.run(self.owner + [str(self.bin / command[0]), *command[1:]], check=True,
                       stdout=subprocess.DEVNULL)

    def initialise(self) -> None:
        """Creates the data folder once; later starts reuse it."""
        if (self.folder / "PG_VERSION").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        password_file = self.folder.parent / ".postgres-password"
        private_file(password_file, self.password + "\n")
        if self.owner:
            shutil.chown(self.folder, "postgres")
            shutil.chown(password_file, "postgres")
        try:
            self._run("initdb", "-D", str(self.folder), "-U", DB_USER, "-A", "scram-sha-256",
                      f"--pwfile={password_file}", "-E", "UTF8")
        finally:
            password_file.unlink()

    def start(self) -> None:
        """Starts the server (its data are kept between starts)."""
        self.initialise()
        self._run("pg_ctl", "-D", str(self.folder), "-w", "-l", str(self.folder / "server.log"),
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder}", "start")

    def stop(self) -> None:
        """Stops the server (fast shutdown: open transactions are rolled back)."""
        if alive(pid_in(self.folder / "postmaster.pid")):
            self._run("pg_ctl", "-D", str(self.folder), "-w", "-m", "fast", "stop")

    def restart(self) -> None:
        """Stops and starts the server, dropping every connection."""
        self._run("pg_ctl", "-D", str(self.folder), "-w", "-m", "fast", "restart")

    def url(self, database: str) -> str:
        """SQLAlchemy URL of one database."""
        return f"postgresql://{DB_USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        """Creates a database unless it exists."""
        import psycopg2

        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()


class Redis:
    """A Redis server of its own in a folder, on 127.0.0.1, with a password."""

    def __init__(self, folder: Path, port: int, password: str) -> None:
        self.folder, self.port, self.password = folder, port, password
        self.binary = debian_package("redis-server", executable("redis-server"))

    @property
    def url(self) -> str:
        """redis:// URL of database 0."""
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def _client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2)

    def _answers(self) -> bool:
        import redis

        try:
            return bool(self._client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        """Starts the server; the append-only file keeps whatever was stored across restarts."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # In a file, not on the command line, where `ps` would show the password.
        config = private_file(self.folder / "redis.conf", "\n".join([
            "bind 127.0.0.1", "protected-mode yes", f"port {self.port}", f"dir {self.folder}",
            "daemonize yes", f"pidfile {self.folder / 'redis.pid'}", f"logfile {self.folder / 'redis.log'}",
            'save ""', "appendonly yes", "appendfsync everysec", f"requirepass {self.password}", ""]))
        subprocess.run([self.binary, str(config)], check=True, stdout=subprocess.DEVNULL)
        wait_for(self._answers, 20, f"Redis on port {self.port}")

    def stop(self) -> None:
        """Stops the server and waits until its port is free again."""
        pid = pid_in(self.folder / "redis.pid")
        if alive(pid):
            stop_pid(pid)
            wait_for(lambda: not alive(pid), 20, "Redis to stop")

    def restart(self) -> None:
        """Stops and starts the server, dropping every connection."""
        self.stop()
        self.start()


def render(template: str, values: Mapping[str, Union[str, Sequence[str]]]) -> str:
    """Fills ${HAMROH_…} placeholders as the nginx image's envsubst does.

    A list value repeats its line once per item (one `server` line per replica);
    nginx's own $variables are left alone; a placeholder without a value is an error.
    """
    lines = []
    for line in template.splitlines():
        names = PLACEHOLDER.findall(line)
        missing = [name for name in names if name not in values]
        if missing:
            raise KeyError(f"no value for {', '.join(missing)}")
        lists = [name for name in names if not isinstance(values[name], str)]
        for item in (values[lists[0]] if lists else [None]):
            lines.append(PLACEHOLDER.sub(lambda m: str(item) if m.group(1) in lists else str(values[m.group(1)]),
                                         line))
    return "\n".join(lines) + "\n"


class Nginx:
    """nginx with the shipped configuration, its pid, logs and temporary files in a folder."""

    def __init__(self, folder: Path, templates: Sequence[Path], public_port: int, actions_port: int,
                 rasa_ports: Sequence[int], action_ports: Sequence[int]) -> None:
        self.folder, self.templates = folder, templates
        self.values = {
            "HAMROH_PUBLIC_LISTEN": f"127.0.0.1:{public_port}",
            "HAMROH_RASA_SERVERS": [f"127.0.0.1:{p}" for p in rasa_ports],
            "HAMROH_ACTIONS_LISTEN": f"127.0.0.1:{actions_port}",
            "HAMROH_ACTION_SERVERS": [f"127.0.0.1:{p}" for p in action_ports],
        }
        self.binary = debian_package("nginx", executable("nginx"))

    @property
    def config(self) -> Path:
        """The main configuration file."""
        return self.folder / "nginx.conf"

    def write_config(self) -> Path:
        """Renders the shipped server blocks and a main file that keeps everything in the folder."""
        conf_d = self.folder / "conf.d"
        conf_d.mkdir(parents=True, exist_ok=True)
        for template in self.templates:
            (conf_d / template.name.replace(".template", "")).write_text(render(template.read_text(), self.values))
        temp = self.folder / "tmp"
        temp.mkdir(exist_ok=True)
        self.config.write_text("\n".join([
            "# Written by tools/servers.py: the main file of the local cluster's nginx. The server blocks are",
            "# deploy/nginx/*.conf.template, rendered into conf.d/.",
            "worker_processes 1;",
            f"pid {self.folder / 'nginx.pid'};",
            f"error_log {self.folder / 'error.log'} warn;",
            "events { worker_connections 1024; }",
            "http {",
            # Which replica or action server took each request: the tests read it.
            "    log_format upstreams '$remote_addr [$time_local] \"$request\" $status "
            "upstream=$upstream_addr upstream_status=$upstream_status';",
            f"    access_log {self.folder / 'access.log'} upstreams;",
            *(f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
            f"    include {conf_d}/*.conf;",
            "}", ""]))
        return self.config

    def _nginx(self, *args: str) -> None:
        subprocess.run([self.binary, "-p", str(self.folder), "-c", str(self.config),
                        "-e", str(self.folder / "error.log"), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        """Checks the configuration, then starts nginx (it puts itself in the background)."""
        self.write_config()
        self._nginx("-t", "-q")
        self._nginx()
        wait_for(lambda: alive(pid_in(self.folder / "nginx.pid")), 10, "nginx to start")

    def requests_served(self) -> List[Dict[str, str]]:
        """Each logged request: its request line, status and the upstream(s) that took it."""
        log = self.folder / "access.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        pattern = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) upstream=(?P<upstream>\S+) '
                             r'upstream_status=(?P<upstream_status>\S+)')
        return [m.groupdict() for m in map(pattern.search, lines) if m]

    def stop(self) -> None:
        """Stops nginx after the requests in hand."""
        pid = pid_in(self.folder / "nginx.pid")
        if alive(pid):
            self._nginx("-s", "quit")
            wait_for(lambda: not alive(pid), 20, "nginx to stop")


def packages() -> Dict[str, str]:
    """Debian's package of each server, installed when missing: where its programs are."""
    return {"postgresql": debian_package("postgresql", postgres_bin),
            "redis-server": debian_package("redis-server", executable("redis-server")),
            "nginx": debian_package("nginx", executable("nginx"))}
