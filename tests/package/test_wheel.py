"""The package works outside the repository.

Builds the wheel from a clean copy of the tracked files, installs it into a
fresh virtualenv and, from an empty folder with a fresh home, loads the shipped
seed content, trains with the project's config.yml, domain.yml and data/ (the
Rasa project, copied in: the wheel holds the code and its data files, not the
training set), parses a message and answers a topic through the action server.

The fresh virtualenv gets Hamroh's dependencies from the project's own
virtualenv through a .pth line (no network, no second 2.7 GB install); that
line adds the folder to the path without running the .pth files in it, so the
project's editable install is not seen, and the test checks that `bot` comes
from the wheel.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from bot import messages
from bot.i18n import translations
from tools.stack import free_port, wait_until_up
from tools import CHECKOUT

PROJECT_FILES = ("config.yml", "domain.yml", "data")
QUESTION = "kasaba uyushmasiga qanday aʼzo boʻlsam boʻladi"  # join_union, Uzbek (Latin)


def run(command, **kwargs):
    """Runs a command; on failure the error shows its output."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command[:3]} exited {result.returncode}:\n{result.stdout[-3000:]}\n" \
                                   f"{result.stderr[-5000:]}"
    return result.stdout


def build_wheel(folder: Path) -> Path:
    """The wheel of the tracked files only: whatever is lying untracked in the checkout cannot slip in."""
    source = folder / "source"
    tracked = run(["git", "ls-files", "-z"], cwd=CHECKOUT).split("\0")
    for name in filter(None, tracked):
        if (CHECKOUT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CHECKOUT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(folder / "dist"), str(source)])
    return next((folder / "dist").glob("hamroh-*.whl"))


def files_under(folder: Path):
    """Every file in a folder but compiled bytecode (Python writes that on import)."""
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, wheel):
    """A new virtualenv with the wheel installed (no dependencies: they come from the project's virtualenv)."""
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, with_pip=False)
    python = folder / "bin" / "python"
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())
    (site / "hamroh-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)])
    return folder, site


def test_the_wheel_holds_the_data_files_and_no_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for language in ("ru", "uz", "tg", "ky"):
        for domain in ("messages", "admin", "wtforms"):
            assert f"bot/locales/{language}/LC_MESSAGES/{domain}.mo" in names
    for data in ("bot/nlu/language_words.yml", "bot/nlu/gazetteer.yml", "bot/endpoints.yml",
                 "bot/content/seed/join_union.yml", "bot/content/seed/organisations.yml",
                 "bot/admin/templates/hamroh/base.html"):
        assert data in names
    assert not [n for n in names if n.endswith(".po") or n.startswith(("tests/", "tools/"))]


def test_installed_it_trains_parses_and_answers_from_an_empty_folder(fresh, tmp_path):
    folder, site = fresh
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    for name in PROJECT_FILES:
        copy = shutil.copytree if (CHECKOUT / name).is_dir() else shutil.copy2
        copy(CHECKOUT / name, work / name)
    shutil.copy2(Path(__file__).with_name("talk.py"), work / "talk.py")
    env = {"PATH": f"{folder / 'bin'}:/usr/bin:/bin", "HOME": str(home), "PYTHONHASHSEED": "0",
           "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           **{k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}}
    python, hamroh = str(folder / "bin" / "python"), str(folder / "bin" / "hamroh")
    before = files_under(folder)

    run([hamroh, "db", "upgrade"], cwd=work, env=env)
    loaded = run([hamroh, "content", "load"], cwd=work, env=env)  # the shipped seed
    assert int(re.search(r"Answers: (\d+) new", loaded).group(1)) > 100, loaded
    run([python, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
         "--out", "models", "--fixed-model-name", "hamroh"], cwd=work, env=env, timeout=900)
    port = free_port()
    run([hamroh, "endpoints", "--actions-port", str(port)], cwd=work, env=env)

    state = home / ".local" / "share" / "hamroh"  # the user's data folder: HAMROH_STATE_DIR is not set
    actions = subprocess.Popen([python, "-m", "bot.serving.action_server", "--actions", "actions",
                                "--port", str(port)], cwd=work, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", actions, seconds=120)
        talk = json.loads(run([python, "talk.py", str(work / "models" / "hamroh.tar.gz"),
                               str(state / "endpoints.yml"), QUESTION], cwd=work, env=env).splitlines()[-1])
    finally:
        actions.terminate()
        actions.wait(timeout=30)

    assert Path(talk["bot"]).is_relative_to(site)  # the wheel's code, not the checkout's
    assert talk["parse"]["intent"] == "join_union"
    assert talk["parse"]["language"]["code"] == "uz"
    seed = yaml.safe_load((CHECKOUT / "bot" / "content" / "seed" / "join_union.yml").read_text(encoding="utf-8"))
    reply = "\n".join(talk["replies"])
    assert seed["answers"][0]["body"]["uz"].splitlines()[0] in reply
    # The footer is a gettext message: in Uzbek only if the compiled catalogs were shipped.
    footer_uz = translations("uz").gettext(messages.ANSWER_FOOTER).split("{")[0]
    assert footer_uz != messages.ANSWER_FOOTER.split("{")[0] and footer_uz in reply

    assert {"hamroh.db", "conversations.db", "endpoints.yml"} <= {p.name for p in state.iterdir()}
    assert files_under(folder) == before  # nothing written into the virtualenv (site-packages)
