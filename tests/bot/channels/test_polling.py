"""The poller's offset file: written atomically, read back, a corrupt one does not stop polling."""

from bot.channels.polling import read_offset, write_offset


def test_the_offset_is_saved_and_read_back(tmp_path):
    path = tmp_path / "state" / "telegram-offset.json"
    assert read_offset(path) is None
    write_offset(path, 1234)
    write_offset(path, 1240)
    assert read_offset(path) == 1240
    assert [p.name for p in path.parent.iterdir()] == ["telegram-offset.json"]  # no temporary file left


def test_a_corrupt_offset_file_means_starting_from_telegrams_pending_updates(tmp_path):
    path = tmp_path / "telegram-offset.json"
    path.write_text("{half a fi")
    assert read_offset(path) is None
