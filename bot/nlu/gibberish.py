"""Messages in none of our languages (markup, SQL, keyboard mash, emoji, English...) are not understood."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Text

import regex
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import persist
from bot.nlu.detection import NOT_UNDERSTOOD_KEY, detect_script
from bot.nlu.language import lexicon_examples
from bot.nlu.normalize import WORD_PATTERN, clean, fold

logger = logging.getLogger(__name__)

_VOCABULARY_FILE = "vocabulary.json"
_MARKUP = regex.compile(r"</?[a-zA-Z][^<>]{0,200}>|&[a-z]+;|\{\{|\}\}|<\?|\?>")
_SQL = regex.compile(r"(?i)\b(drop|delete|insert|select|update|union|alter|create)\b.{0,40}"
                     r"\b(table|from|into|set|select|database|where)\b|'\s*;|;\s*--|\bor\s+1\s*=\s*1\b")
_LETTER = regex.compile(r"\p{L}")
_ONE_LETTER_REPEATED = regex.compile(r"^(\p{L})\1{2,}$")
# Letters in keyboard order: mashing the keys of one row gives runs of them.
# Four Latin letters in a row make no word of ours; Cyrillic needs six ("вапрос"
# is a common typo of "вопрос").
_KEYBOARD_ROWS = {4: ("qwertyuiop", "asdfghjkl", "zxcvbnm"), 6: ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")}
_KEYBOARD_RUNS = frozenset(row[i : i + n] for n, rows in _KEYBOARD_ROWS.items() for row in rows
                           for i in range(len(row) - n + 1))
_OUR_SCRIPTS = regex.compile(r"[\p{Latin}\p{Cyrillic}]")


@dataclass(frozen=True)
class Vocabulary:
    """The folded words and letter trigrams of the training sentences and word lists."""

    words: FrozenSet[str]
    trigrams: FrozenSet[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> "Vocabulary":
        """Collects words and trigrams from texts."""
        words = {fold(w) for text in texts for w in WORD_PATTERN.findall(clean(text))}
        words.discard("")
        return cls(frozenset(words), frozenset(t for w in words for t in _trigrams(w)))

    def as_json(self) -> Dict[str, List[str]]:
        """Returns the vocabulary as plain data for the model archive."""
        return {"words": sorted(self.words), "trigrams": sorted(self.trigrams)}

    @classmethod
    def from_json(cls, data: Dict[str, List[str]]) -> "Vocabulary":
        """Rebuilds a vocabulary written by `as_json`."""
        return cls(frozenset(data["words"]), frozenset(data["trigrams"]))


def _trigrams(word: str) -> List[str]:
    padded = f"^{word}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


class Judge:
    """Decides whether a message is in none of the assistant's languages, and why."""

    def __init__(self, vocabulary: Vocabulary, config: Dict[str, Any]) -> None:
        self.vocabulary = vocabulary
        self.min_known_share = config["min_known_share"]
        self.long_message_words = config["long_message_words"]
        self.max_unseen_trigrams = config["max_unseen_trigrams"]

    def _looks_like_our_word(self, written: str) -> bool:
        """A known word, or one whose letter trigrams we mostly know (a typo, a new inflection)."""
        lower = written.lower()
        if _ONE_LETTER_REPEATED.match(lower) or any(lower[i : i + n] in _KEYBOARD_RUNS
                                                    for n in _KEYBOARD_ROWS for i in range(len(lower) - n + 1)):
            return False
        word = fold(written)
        if word in self.vocabulary.words:
            return True
        trigrams = _trigrams(word)
        unseen = sum(1 for t in trigrams if t not in self.vocabulary.trigrams)
        return unseen / len(trigrams) <= self.max_unseen_trigrams

    def reason(self, text: str) -> Optional[str]:
        """Returns why the message is not in our languages ("markup", "sql", ...), None if it may be."""
        text = clean(text)
        if not text or text.startswith("/"):  # empty, or a button payload Rasa reads itself
            return None
        if len(_MARKUP.findall(text)) >= 2:
            return "markup"
        if _SQL.search(text):
            return "sql"
        letters = _LETTER.findall(text)
        if not letters:
            return "no_letters"
        if len(_OUR_SCRIPTS.findall(text)) < len(letters) / 2:
            return "other_script"
        words = [w for w in WORD_PATTERN.findall(text) if len(w) > 2 and not w.isdigit()]
        if not words:
            return None
        if len(words) < self.long_message_words or detect_script(text) == "cyrl":
            # Short messages, and Cyrillic ones (our four languages are the Cyrillic
            # languages people write to us in; their endings make many words new to
            # the training data), are judged by the shape of their words.
            ours = sum(1 for w in words if self._looks_like_our_word(w))
            return "unknown_words" if ours / len(words) < 0.5 else None
        # English or German words are made of the same letter trigrams as Uzbek or
        # Russian in Latin letters: a long Latin message is judged by its words.
        known = sum(1 for w in words if fold(w) in self.vocabulary.words)
        return "other_language" if known / len(words) < self.min_known_share else None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class NotOurLanguage(GraphComponent):
    """Gives no confidence to the intent of a message in none of our languages.

    The classifier always names some topic, even for a burst of HTML; with its
    confidence at 0 the FallbackClassifier after it answers `nlu_fallback`.
    The vocabulary (training sentences and the language word lists) is learnt
    at training and written into the model.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        # Words of three letters or more count. A Latin-script message of at
        # least long_message_words of them is another language when fewer than
        # min_known_share are words of the training data; a shorter or Cyrillic
        # one when most of its words are mashed keys or have mostly unknown
        # letter trigrams (more than max_unseen_trigrams: typos keep most
        # trigrams). Measured on tests/nlu/dev and on 5 folds of the training
        # sentences, each judged with a vocabulary learnt from the other 4
        # (1,547 messages of 5+ words): the lowest known share was 0.14 against
        # 0.00-0.08 for English, French, German and Turkish questions, so 0.12.
        # Cyrillic is judged by word shape because a Kyrgyz test-split message
        # of five inflected words, none of them in the training data, fell back.
        return {"long_message_words": 5, "min_known_share": 0.12, "max_unseen_trigrams": 0.5}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Vocabulary] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.judge = Judge(vocabulary, self.config) if vocabulary else None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "NotOurLanguage":
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "NotOurLanguage":
        """Loads the vocabulary the model was trained with."""
        data = persist.load_json(model_storage, resource, _VOCABULARY_FILE)
        if data is None:
            logger.warning("No vocabulary in the model; messages in other languages will not be recognised.")
        return cls(config, model_storage, resource, Vocabulary.from_json(data) if data else None)

    def train(self, training_data: TrainingData) -> Resource:
        """Learns the vocabulary of the training sentences and of the language word lists."""
        texts = [m.get(TEXT) for m in training_data.intent_examples if m.get(TEXT)]
        vocabulary = Vocabulary.of(texts + [word for word, _ in lexicon_examples()])
        persist.save_json(vocabulary.as_json(), self._model_storage, self._resource, _VOCABULARY_FILE)
        self.judge = Judge(vocabulary, self.config)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent's confidence to 0, and drops the ranking, for messages in none of our languages."""
        if self.judge is None:
            return messages
        for message in messages:
            reason = self.judge.reason(message.get(TEXT) or "")
            intent = message.get(INTENT)
            if reason is None or not intent:
                continue
            # No topic is likely: the fallback then suggests none ("did you mean
            # child_school?" is no answer to a burst of HTML).
            message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
            message.set(NOT_UNDERSTOOD_KEY, reason, add_to_output=True)
        return messages
