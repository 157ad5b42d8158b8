"""`hamroh db backup` and `restore` give back the content database and the conversations exactly, on both engines."""

import asyncio
import json

import pytest
from sqlalchemy import inspect, text

from bot.cli import main
from bot.content.db import get_engine, session_scope
from bot.content.loader import load_content
from bot.serving.tracker_store import PrivateSQLTrackerStore
from bot.settings import SEED_CONTENT, get_settings
from tests.bot.serving.conftest import conversations_database
from tests.bot.serving.test_tracker_store import DOMAIN, conversation
from tests.db import fresh_database, use_database


def snapshot(url):
    """Every row of every table, in a comparable order."""
    engine = get_engine(url)
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        return {t: sorted(map(repr, connection.execute(text(f'SELECT * FROM "{t}"')).all())) for t in tables}


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path, monkeypatch):
    """A seeded content database and a conversations database with two conversations, configured."""
    content = fresh_database(request.param, tmp_path)
    use_database(monkeypatch, content)
    with session_scope(content) as session:
        load_content(session, SEED_CONTENT)
    conversations = conversations_database(request.param, tmp_path)
    monkeypatch.setenv("HAMROH_TRACKER_URL", conversations)
    get_settings.cache_clear()
    store = PrivateSQLTrackerStore(DOMAIN)
    for chat in ("chat-1", "chat-2"):
        asyncio.run(store.save(conversation(chat)))
    yield content, conversations
    get_settings.cache_clear()


def test_a_backup_restores_both_databases_exactly(databases, tmp_path, capsys):
    content, conversations = databases
    before = snapshot(content), snapshot(conversations)
    assert before[0]["answer_revisions"] and before[1]["events"]

    assert main(["db", "backup", str(tmp_path / "backup")]) == 0
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"content", "conversations"}

    # Everything changes after the backup: an answer edited, an organisation removed, a conversation gone.
    with get_engine(content).begin() as connection:
        connection.execute(text("UPDATE answer_revisions SET body = 'changed after the backup'"))
        connection.execute(text("DELETE FROM organisation_topics"))
    with get_engine(conversations).begin() as connection:
        connection.execute(text("DELETE FROM events WHERE sender_id = 'chat-1'"))
    assert (snapshot(content), snapshot(conversations)) != before

    assert main(["db", "restore", str(tmp_path / "backup")]) == 0
    assert (snapshot(content), snapshot(conversations)) == before
    restored = asyncio.run(PrivateSQLTrackerStore(DOMAIN).retrieve("chat-1"))
    assert restored.get_slot("pending_topic") == "registration"
    assert "Restored: content" in capsys.readouterr().out


def test_a_backup_never_writes_into_a_folder_with_files(databases, tmp_path, capsys):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("mine")
    assert main(["db", "backup", str(tmp_path / "old")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "old").iterdir()] == ["keep.txt"]


def test_a_folder_without_a_manifest_is_refused(databases, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["db", "restore", str(tmp_path / "empty")]) == 2
    assert "not a Hamroh backup" in capsys.readouterr().err


def test_a_backup_is_restored_only_into_the_same_engine(tmp_path, monkeypatch, capsys):
    from bot.serving.backup import BackupError, Part, backup, restore

    sqlite = f"sqlite:///{tmp_path / 'a.db'}"
    get_engine(sqlite).connect().close()
    backup(tmp_path / "b", [Part("content", sqlite), Part("conversations", sqlite)])
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["parts"]["content"]["file"] == manifest["parts"]["conversations"]["file"]  # one database, once
    with pytest.raises(BackupError, match="is sqlite, the database is postgresql"):
        restore(tmp_path / "b", [Part("content", "postgresql://nobody@127.0.0.1:9/none")])
