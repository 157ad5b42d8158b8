"""The tokenizer: offsets on the original text, folded lemmas for the featurizers."""

from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalize import fold
from bot.nlu.tokenizer import NormalizingTokenizer


def tokenize(text):
    tokenizer = NormalizingTokenizer(NormalizingTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def test_tokens_point_into_the_original_text_and_carry_folded_lemmas():
    text = "Men Қозонда ishlayman, oʻzbekman!"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["Men", "Қозонда", "ishlayman", "oʻzbekman"]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert tokens[1].lemma == fold("Qozonda") == "kozonda"


def test_emoji_only_message_still_has_one_token():
    tokens = tokenize(" 🙏🙏 ")
    assert len(tokens) == 1 and tokens[0].text == "🙏🙏"


def test_zero_width_characters_do_not_split_or_change_a_word():
    tokens = tokenize("ре\u200bгистрация")
    assert len(tokens) == 1 and tokens[0].lemma == fold("регистрация")


def test_bad_input_never_raises(bad_input):
    tokens = tokenize(bad_input)
    assert all(bad_input[t.start : t.end] == t.text for t in tokens)
