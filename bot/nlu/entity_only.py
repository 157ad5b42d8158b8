"""`inform` is for messages that only give facts: a city or citizenship alone is `inform`, a question is not."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalize import fold

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
        # fillers: longer words that still add nothing to a place or citizenship
        # ("дар Маскав", "мен Ошто", "men hozir Qozonda", "я гражданка Кыргызстана",
        # "O'zbekiston fuqarosiman", "шаҳрванди Тоҷикистон", "Кыргызстандын жаранымын").
        # topic_over_inform: when the classifier says `inform` for a message that
        # names a city or citizenship AND says more ("ман аз Тоҷикистон, дар Маскав
        # патент чанд пул"), the next intent wins if it has at least this
        # confidence: the FallbackClassifier's threshold, i.e. a topic sure
        # enough to be answered on its own. On the dev split no prediction
        # changes for any value from 0.05 to 0.3 (and none without the rule).
        return {"max_filler_length": 2,
                "fillers": ["дар", "ман", "мен", "men", "man", "hozir", "ҳозир", "азыр", "сейчас",
                            "гражданин", "гражданка", "граждане", "гражданство", "паспорт",
                            "fuqarosi", "fuqarosiman", "fuqaroman", "fuqaroligi", "фуқароси", "фуқаросиман",
                            "шаҳрванд", "шаҳрванди", "шаҳрвандам", "жараны", "жараным", "жаранымын"],
                "topic_over_inform": 0.15}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_filler = config.get("max_filler_length", 2)
        self.fillers = {fold(word) for word in config.get("fillers", [])}
        self.topic_over_inform = config.get("topic_over_inform", 0.15)

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
            if not inside and len(token.text) > self.max_filler and token.lemma not in self.fillers:
                return False
        return True

    def _question_beside_the_facts(self, message: Message) -> Optional[Dict[str, Any]]:
        """The intent a message asks about besides naming its city or citizenship, if the classifier saw one.

        Long introductions ("I'm from Tashkent, I work in Kazan, ...") pull the
        classifier towards `inform` even when a question follows; the person
        then needs the answer, and the entities still fill the slots.
        """
        intent = message.get(INTENT) or {}
        has_facts = any(e.get("entity") in FACT_ENTITIES for e in message.get(ENTITIES) or [])
        if intent.get("name") != INFORM or not has_facts:
            return None
        others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
        if others and others[0]["confidence"] >= self.topic_over_inform:
            return others[0]
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets `inform` with full confidence for facts alone; lets a question beside facts keep its intent."""
        for message in messages:
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
            if self.only_facts(message):
                message.set(INTENT, {"name": INFORM, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": INFORM, "confidence": 1.0}] + ranking, add_to_output=True)
                continue
            question = self._question_beside_the_facts(message)
            if question is not None:
                # `inform` leaves the ranking: it does not apply, and a ranking whose
                # second entry outscores the first would read as ambiguous.
                message.set(INTENT, question, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
