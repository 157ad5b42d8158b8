"""Rasa tokenizer that normalises each word into its lemma and keeps the text intact."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.compat import rasa as rasa_compat
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

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "NormalizingTokenizer":
        """Loads the tokenizer, and Rasa's runtime fixes with it.

        The first component of the model is loaded in every process that serves
        the model (`rasa run`, `rasa shell`, `rasa test`), however it was started.
        """
        rasa_compat.install()
        return super().load(config, model_storage, resource, execution_context, **kwargs)

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
