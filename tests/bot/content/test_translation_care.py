"""`hamroh content load` marks translations "needs update" when the Russian seed text changes, as the workspace does."""

from sqlalchemy import select

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.models import Answer
from bot.settings import SEED_CONTENT

CONTENT = SEED_CONTENT
TOPIC = "join_union"


def flags(url, topic=TOPIC):
    with session_scope(url) as session:
        answers = session.execute(select(Answer).filter_by(topic=topic, scope="any")).scalars()
        return {a.language: a.needs_update for a in answers}


def seed_folder(tmp_path, *replacements):
    """A content folder with the topic file edited: (old, new) replacements, each once."""
    text = (CONTENT / f"{TOPIC}.yml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / f"{TOPIC}.yml").write_text(text, encoding="utf-8")
    return folder


def test_a_changed_russian_seed_marks_the_other_languages(seeded, tmp_path):
    assert flags(seeded) == {"ru": False, "uz": False, "tg": False, "ky": False}
    folder = seed_folder(tmp_path, ("ru: |\n", "ru: |\n        Изменено в семени.\n"))
    with session_scope(seeded) as session:
        assert load_content(session, folder).answers_revised == 1
    assert flags(seeded) == {"ru": False, "uz": True, "tg": True, "ky": True}
    with session_scope(seeded) as session:  # reloading the same seed changes nothing, flags stay
        assert load_content(session, folder).answers_revised == 0
    assert flags(seeded) == {"ru": False, "uz": True, "tg": True, "ky": True}
    assert flags(seeded, "healthcare") == {"ru": False, "uz": False, "tg": False, "ky": False}


def test_a_translation_revised_in_the_same_seed_change_is_up_to_date(seeded, tmp_path):
    # The Tajik text comes after the Russian one in the file; put it first to show the order does not matter.
    folder = seed_folder(tmp_path, ("ru: |\n", "ru: |\n        Изменено в семени.\n"),
                         ("tg: |\n", "tg: |\n        Дар тухм иваз шуд.\n"))
    text = (folder / f"{TOPIC}.yml").read_text(encoding="utf-8")
    ru_block = text[text.index("      ru: |"):text.index("      uz: |")]
    (folder / f"{TOPIC}.yml").write_text(text.replace(ru_block, "").replace("      ky: |", ru_block + "      ky: |"),
                                         encoding="utf-8")
    with session_scope(seeded) as session:
        assert load_content(session, folder).answers_revised == 2
    assert flags(seeded) == {"ru": False, "uz": True, "tg": False, "ky": True}


def test_a_translation_only_seed_change_flags_nothing(seeded, tmp_path):
    folder = seed_folder(tmp_path, ("ky: |\n", "ky: |\n        Уруктан өзгөртүлдү.\n"))
    with session_scope(seeded) as session:
        assert load_content(session, folder).answers_revised == 1
    assert flags(seeded) == {"ru": False, "uz": False, "tg": False, "ky": False}
