"""A question after a greeting is the question: "здравствуйте, мне нужен патент?" is not `greet`."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import persist
from bot.nlu.normalize import fold

GREET = "greet"
_GREETING_WORDS_FILE = "greeting-words.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class QuestionAfterGreeting(GraphComponent):
    """Gives a greeting followed by a question the question's intent.

    People open with "салом", "здравствуйте" or "саламатсызбы" and ask in the same
    message; the greeting words pull the classifier towards `greet` and the bot
    then answers hello to a person who asked about a patent. The words of the
    training greetings are learnt at training and written into the model; a
    `greet` message with at least `min_other_words` other words (longer than two
    letters) takes the best other intent when it has `min_confidence`.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        # On tests/nlu/dev the rule changes no prediction (macro-F1 identical in every
        # language, simulated on the parses of the model without it): no dev message is a
        # greeting that wins over its question. It exists for messages such as "здравствуйте
        # мне нужен патент?" (greet 0.42, eaeu_work 0.21, patent_howto 0.15) and
        # "саламатсызбы патент керекпи мага" (greet 0.44, eaeu_work 0.22); greetings with
        # small talk ("привет, как дела") are greeting words and never reach it.
        # Confidences are renormalised without `greet` (the probability of each intent given
        # that the message is not only a greeting), then min_confidence applies: the
        # FallbackClassifier's threshold, so the rule never produces an intent the
        # fallback would refuse.
        return {"min_other_words": 2, "min_confidence": 0.15}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 greeting_words: Optional[Set[str]] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.greeting_words = greeting_words or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "QuestionAfterGreeting":
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "QuestionAfterGreeting":
        """Loads the greeting words the model was trained with."""
        words = persist.load_json(model_storage, resource, _GREETING_WORDS_FILE)
        return cls(config, model_storage, resource, set(words or []))

    def train(self, training_data: TrainingData) -> Resource:
        """Learns the words of the training greetings (folded, as the tokenizer's lemmas)."""
        words = {fold(token.text) for message in training_data.intent_examples if message.get(INTENT) == GREET
                 for token in message.get(TOKENS_NAMES[TEXT]) or []}
        persist.save_json(sorted(words), self._model_storage, self._resource, _GREETING_WORDS_FILE)
        self.greeting_words = words
        return self._resource

    def other_words(self, message: Message) -> List[str]:
        """The words of a message that no training greeting has."""
        return [token.text for token in message.get(TOKENS_NAMES[TEXT]) or []
                if len(token.text) > 2 and fold(token.text) not in self.greeting_words]

    def process(self, messages: List[Message]) -> List[Message]:
        """Moves a greeting with a question to the question's intent."""
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") != GREET or (message.get(TEXT) or "").startswith("/"):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            rest = 1.0 - sum(r["confidence"] for r in ranking if r.get("name") == GREET)
            others = [{**r, "confidence": r["confidence"] / rest} for r in ranking if r.get("name") != GREET] \
                if rest > 0 else []
            if not others or others[0]["confidence"] < self.config["min_confidence"]:
                continue
            if len(self.other_words(message)) >= self.config["min_other_words"]:
                # `greet` leaves the ranking, as `inform` does in EntityOnlyInform: it does not apply.
                message.set(INTENT, others[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, others, add_to_output=True)
        return messages
