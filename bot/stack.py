"""Starts the action server and the Rasa server on loopback ports, as `make run` does.

Used by the end-to-end tests and the load benchmark, so both measure the
assistant exactly as it is served.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests
import yaml

from bot.settings import ROOT

BIN = Path(sys.executable).parent
ENDPOINTS = ROOT / "endpoints.yml"


def free_port() -> int:
    """Returns a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300, log: Optional[Path] = None) -> float:
    """Waits for a server to answer; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}\n{tail}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


def write_endpoints(path: Path, actions_port: int) -> Path:
    """Writes the project's endpoints.yml with the action server on another port."""
    endpoints = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Running:
    """A started assistant: where it listens and its processes."""

    url: str
    actions_port: int
    processes: List[subprocess.Popen]
    startup_seconds: float
    logs: List[Path] = field(default_factory=list)

    @property
    def rasa(self) -> subprocess.Popen:
        """The Rasa server process."""
        return self.processes[-1]

    @property
    def actions(self) -> subprocess.Popen:
        """The action server process."""
        return self.processes[0]


@contextmanager
def processes(commands: List[List[str]], env: Dict[str, str], work: Path, names: List[str]):
    """Starts processes with their output in `work/<name>.log`; stops them afterwards."""
    with ExitStack() as stack:
        started = []
        try:
            for name, command in zip(names, commands):
                log = stack.enter_context(open(work / f"{name}.log", "wb"))
                started.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                                stderr=subprocess.STDOUT))
            yield started
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


@contextmanager
def assistant(model: Path, work: Path, env: Dict[str, str], credentials: Optional[Path] = None,
              extra_args: List[str] = (), rasa_port: Optional[int] = None) -> Iterator[Running]:
    """Runs the action server and the Rasa server until the block ends."""
    actions_port, rasa_port = free_port(), rasa_port or free_port()
    endpoints = write_endpoints(work / "endpoints.yml", actions_port)
    rasa_command = [str(BIN / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
                    "--port", str(rasa_port), "--interface", "127.0.0.1", *extra_args]
    if credentials is not None:
        rasa_command += ["--credentials", str(credentials)]
    # rasa_sdk directly: `rasa run actions` would load Rasa and TensorFlow (400 MB) for nothing.
    actions_command = [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)]
    started = time.monotonic()
    with processes([actions_command, rasa_command], env, work, ["actions", "rasa"]) as (actions, rasa):
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, log=work / "actions.log")
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, log=work / "rasa.log")
        yield Running(f"http://127.0.0.1:{rasa_port}", actions_port, [actions, rasa],
                      round(time.monotonic() - started, 2), [work / "actions.log", work / "rasa.log"])
