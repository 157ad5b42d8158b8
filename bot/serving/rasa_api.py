"""The Rasa server's HTTP API behind a token that never appears on a command line or in a log.

`python -m bot.serving.rasa_api [rasa run options]` runs `rasa run --enable-api --auth-token …` with
the token read from HAMROH_RASA_TOKEN, else from `rasa-api-token` in the state folder (generated once,
readable by its owner only). Only the process's own argument list holds it, never the one `ps` shows.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import List, Optional
from urllib.parse import quote

from bot.quiet import hide_upstream_deprecations
from bot.settings import Settings, get_settings

TOKEN_FILE = "rasa-api-token"


def token_path(settings: Optional[Settings] = None) -> Path:
    """Where the generated token is kept."""
    return (settings or get_settings()).state_dir / TOKEN_FILE


def api_token(settings: Optional[Settings] = None, create: bool = True) -> Optional[str]:
    """Returns the API token: configured, else the generated one (made now when `create`)."""
    settings = settings or get_settings()
    if settings.rasa_api_token:
        return settings.rasa_api_token
    path = token_path(settings)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def api_url(base: str, path: str) -> str:
    """Returns the URL of a Rasa API path with the token, when there is one (without making one)."""
    token = api_token(create=False)
    url = base.rstrip("/") + path
    return url + ("&" if "?" in url else "?") + "token=" + quote(token, safe="") if token else url


def rasa_arguments(options: List[str], token: str) -> List[str]:
    """The arguments of `rasa run` with the API on and its token."""
    return ["rasa", "run", *options, "--enable-api", "--auth-token", token]


def main(options: Optional[List[str]] = None) -> None:
    """Runs the Rasa server with the locked API (options as for `rasa run`)."""
    sys.argv = rasa_arguments(list(sys.argv[1:] if options is None else options), api_token())
    hide_upstream_deprecations()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
