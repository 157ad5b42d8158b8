"""`make` reads .env (as .env.example says), and the environment still wins over the file."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = 'probe: ; @echo "$$HAMROH_RETENTION_DAYS|$$HAMROH_TRACKER_URL|$$TELEGRAM_TOKEN"'


def _make(folder, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("HAMROH_RETENTION_DAYS", "HAMROH_TRACKER_URL", "TELEGRAM_TOKEN")}
    done = subprocess.run(["make", "-s", "--eval", PROBE, "probe"], cwd=folder, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_exports_the_settings_of_dotenv_and_the_environment_wins(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    assert _make(tmp_path) == "||"
    (tmp_path / ".env").write_text(
        "# comment\nHAMROH_RETENTION_DAYS=7\n"
        "HAMROH_TRACKER_URL=postgresql://hamroh:pw@127.0.0.1:5432/hamroh?sslmode=disable\n"
        "# TELEGRAM_TOKEN=123:commented-out\n", encoding="utf-8")
    assert _make(tmp_path) == "7|postgresql://hamroh:pw@127.0.0.1:5432/hamroh?sslmode=disable|"
    assert _make(tmp_path, HAMROH_RETENTION_DAYS="30").startswith("30|postgresql://")


def test_every_setting_of_the_example_is_one_the_project_reads():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    keys = {line.lstrip("# ").split("=", 1)[0] for line in example.splitlines()
            if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()}
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py")) + \
        (ROOT / "Makefile").read_text(encoding="utf-8")
    assert keys and not [key for key in keys if key not in code]
