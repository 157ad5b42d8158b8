"""Rasa tokenizer that normalises each word into its lemma and keeps the text intact."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalize import WORD_PATTERN, fold


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class NormalizingTokenizer(Tokenizer):
    """Splits words on the original text; each token's lemma is its folded form.

    The featurizers read lemmas (``use_lemma``), so "Қозонда", "Qozonda" and
    "козонда" look the same to the classifier, while token offsets still point
    into the text the person wrote — entities keep their original spelling.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenizes the text of the provided attribute of the incoming message."""
        text = message.get(attribute) or ""
        tokens = []
        for match in WORD_PATTERN.finditer(text):
            lemma = fold(match.group())
            if lemma:
                tokens.append(Token(match.group(), match.start(), lemma=lemma))
        if not tokens and text.strip():
            # Emoji or punctuation only: one token so downstream components
            # still see something, as Rasa's WhitespaceTokenizer does.
            stripped = text.strip()
            tokens.append(Token(stripped, text.index(stripped), lemma=stripped))
        return self._apply_token_pattern(tokens)
