"""Starts the action server, the Rasa server and the Telegram sender on loopback ports, as `make run` does.

Used by the end-to-end tests, the load benchmark and the local cluster
(`tools/cluster.py`), so all of them measure the assistant exactly as it is served.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

import requests

from bot.endpoints import write_endpoints
from tools import CHECKOUT

BIN = Path(sys.executable).parent


def free_port() -> int:
    """Returns a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: Optional[subprocess.Popen], seconds: float = 300,
                  log: Optional[Path] = None) -> float:
    """Waits for a server to answer; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}\n{tail}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


@dataclass
class Service:
    """One server process that can be started, killed and started again with the same command and port."""

    name: str
    command: List[str]
    env: Dict[str, str]
    log: Path
    health_url: Optional[str] = None
    detached: bool = False  # in a session of its own: outlives the command that started it
    process: Optional[subprocess.Popen] = None

    def start(self) -> "Service":
        """Starts the process, its output appended to its log."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=CHECKOUT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=self.detached)
        return self

    def wait_up(self, seconds: float = 300) -> float:
        """Waits for the health URL to answer; returns the seconds it took."""
        return wait_until_up(self.health_url, self.process, seconds, self.log) if self.health_url else 0.0

    @property
    def pid(self) -> Optional[int]:
        """The process id, None before the start."""
        return self.process.pid if self.process else None

    def kill(self) -> None:
        """`kill -9`: no goodbye, no cleanup, as a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self, seconds: float = 20) -> None:
        """Asks the process to stop; kills it when it takes longer than `seconds`."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                self.kill()


def stop_pid(pid: int, seconds: float = 20) -> None:
    """Stops a process started by an earlier command (SIGTERM, then SIGKILL)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Running:
    """A started assistant: where it listens and its processes."""

    url: str
    actions_port: int
    processes: List[subprocess.Popen]
    startup_seconds: float
    logs: List[Path] = field(default_factory=list)
    token: Optional[str] = None  # the Rasa HTTP API's token, when the API is on

    @property
    def rasa(self) -> subprocess.Popen:
        """The Rasa server process."""
        return self.processes[1]

    @property
    def sender(self) -> Optional[subprocess.Popen]:
        """The Telegram sender process, when Telegram is served."""
        return self.processes[2] if len(self.processes) > 2 else None

    @property
    def actions(self) -> subprocess.Popen:
        """The action server process."""
        return self.processes[0]


@contextmanager
def services(started: List[Service]) -> Iterator[List[Service]]:
    """Stops the given services when the block ends, whatever happens in it."""
    try:
        yield started
    finally:
        for service in started:
            if service.process and service.process.poll() is None:
                service.process.terminate()
        for service in started:
            service.stop()


@contextmanager
def processes(commands: List[List[str]], env: Dict[str, str], work: Path, names: List[str]):
    """Starts processes with their output in `work/<name>.log`; stops them afterwards."""
    with ExitStack() as stack:
        started = stack.enter_context(services([]))
        for name, command in zip(names, commands):
            (work / f"{name}.log").unlink(missing_ok=True)
            started.append(Service(name, command, env, work / f"{name}.log").start())
        yield [service.process for service in started]


def rasa_command(model: Path, endpoints: Path, port: int, credentials: Optional[Path] = None,
                 extra_args: Sequence[str] = (), api: bool = False, interface: str = "127.0.0.1",
                 bin_dir: Path = BIN) -> List[str]:
    """The Rasa server's command line; with `api`, its HTTP API on behind the token (bot.serving.rasa_api)."""
    start = [str(bin_dir / "python"), "-m", "bot.serving.rasa_api"] if api else [str(bin_dir / "rasa"), "run"]
    command = start + ["--model", str(model), "--endpoints", str(endpoints), "--port", str(port),
                       "--interface", interface, *extra_args]
    return command + (["--credentials", str(credentials)] if credentials is not None else [])


def actions_command(port: int, bin_dir: Path = BIN) -> List[str]:
    """The action server's command line, on loopback unless HAMROH_ACTIONS_HOST says otherwise."""
    # rasa_sdk, not `rasa run actions`, which would load Rasa and TensorFlow (400 MB) for nothing.
    return [str(bin_dir / "python"), "-m", "bot.serving.action_server", "--actions", "actions", "--port", str(port)]


def sender_command(bin_dir: Path = BIN) -> List[str]:
    """The Telegram sender's command line: one per deployment, whatever the number of Rasa replicas."""
    return [str(bin_dir / "hamroh"), "telegram-send"]


@contextmanager
def assistant(model: Path, work: Path, env: Dict[str, str], credentials: Optional[Path] = None,
              extra_args: List[str] = (), rasa_port: Optional[int] = None,
              api_token: Optional[str] = None) -> Iterator[Running]:
    """Runs the action server, the Rasa server and, with Telegram, its sender until the block ends.

    The Rasa HTTP API is on when given a token; Telegram is served when the
    credentials are given and the environment has TELEGRAM_TOKEN.
    """
    actions_port, rasa_port = free_port(), rasa_port or free_port()
    endpoints = write_endpoints(work / "endpoints.yml", actions_port, lock_store=bool(env.get("HAMROH_LOCK_URL")))
    if api_token:
        env = {**env, "HAMROH_RASA_TOKEN": api_token}
    commands = [actions_command(actions_port),
                rasa_command(model, endpoints, rasa_port, credentials, extra_args, api=bool(api_token))]
    names = ["actions", "rasa"]
    if credentials is not None and env.get("TELEGRAM_TOKEN"):
        commands.append(sender_command())
        names.append("telegram-send")
    started = time.monotonic()
    with processes(commands, env, work, names) as running:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", running[0], log=work / "actions.log")
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", running[1], log=work / "rasa.log")
        if len(running) > 2 and running[2].poll() is not None:
            raise RuntimeError("the Telegram sender exited:\n" + (work / "telegram-send.log").read_text()[-3000:])
        yield Running(f"http://127.0.0.1:{rasa_port}", actions_port, running, round(time.monotonic() - started, 2),
                      [work / f"{name}.log" for name in names], api_token)
