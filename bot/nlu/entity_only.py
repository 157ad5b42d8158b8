"""A message that only names a city or a country ("Челябинск", "Tojikiston") is `inform`."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INFORM = "inform"
FACT_ENTITIES = ("city", "country")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class EntityOnlyInform(GraphComponent):
    """Overrides the intent when every word of a message belongs to a city or country.

    People answer "which city?" with just the name; a classifier trained on
    sentences has little to go on there and often falls back. Short words
    (prepositions like "в", "из") do not count against the rule.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {"max_filler_length": 2}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_filler = config.get("max_filler_length", 2)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EntityOnlyInform":
        """Creates the component."""
        return cls(config)

    def only_facts(self, message: Message) -> bool:
        """Whether the message has a city or country and no other real word."""
        spans = [(e["start"], e["end"]) for e in message.get(ENTITIES) or [] if e.get("entity") in FACT_ENTITIES]
        if not spans or (message.get(TEXT) or "").startswith("/"):
            return False
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            inside = any(start <= token.start and token.end <= end for start, end in spans)
            if not inside and len(token.text) > self.max_filler:
                return False
        return True

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets `inform` with full confidence where the rule applies."""
        for message in messages:
            if self.only_facts(message):
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
                message.set(INTENT, {"name": INFORM, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": INFORM, "confidence": 1.0}] + ranking, add_to_output=True)
        return messages
