"""Entity gazetteer: cities, countries and languages in every language, script and case form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text, Tuple

import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot.nlu.normalize import WORD_PATTERN, clean, fold

HERE = Path(__file__).parent
LEXICON_PATH = HERE / "gazetteer.yml"
# A blank multilingual spaCy pipeline saved inside the package: found by absolute
# path, so the model works whatever the working directory (spaCy has no uz or tg).
SPACY_PIPELINE_PATH = HERE / "spacy_xx"
ENTITY_TYPES = ("city", "country", "language")
_VOWELS = set("aeiouy")
# A nationality word before "язык"/"tili" names a language, a language adjective
# before "паспорт"/"гражданин" names a citizenship.
_COUNTRY_OF_LANGUAGE = {"uz": "uzbekistan", "tg": "tajikistan", "ky": "kyrgyzstan"}
_LANGUAGE_OF_COUNTRY = {v: k for k, v in _COUNTRY_OF_LANGUAGE.items()}


@dataclass(frozen=True)
class Match:
    """One entity found in a list of words."""

    entity: str
    value: str
    first: int  # index of the first word
    last: int  # index after the last word


def _words(text: str) -> List[str]:
    return [f for f in (fold(w) for w in WORD_PATTERN.findall(clean(text))) if f]


def _variants(word: str, suffixes: Sequence[str]) -> Iterable[str]:
    yield word
    for suffix in suffixes:
        yield word + suffix
    if len(word) >= 3 and word[-1] in _VOWELS:
        for suffix in suffixes:
            yield word[:-1] + suffix


class Gazetteer:
    """Matches folded words against a lexicon with a spaCy PhraseMatcher on token norms."""

    def __init__(self, lexicon: Dict[str, Any], nlp: Optional[spacy.Language] = None) -> None:
        self.nlp = nlp or spacy.load(SPACY_PIPELINE_PATH)
        suffixes = sorted({fold(s) for s in lexicon.get("suffixes", []) if fold(s)})
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        # Every inflected variant of a lexicon word points back to the bare word,
        # so one pattern per form covers all its case endings.
        self._base: Dict[str, str] = {}
        bases = set()
        for entity in ENTITY_TYPES:
            for value, forms in (lexicon.get(entity) or {}).items():
                patterns = []
                for form in forms or []:
                    words = _words(str(form))
                    if words:
                        bases.update(words)
                        patterns.append(self._doc(words, words))
                if patterns:
                    self.matcher.add(f"{entity}:{value}", patterns)
        self.language_nouns = {w for n in lexicon.get("language_nouns", []) for w in _words(n)}
        self.citizen_nouns = {w for n in lexicon.get("citizen_nouns", []) for w in _words(n)}
        bases |= self.language_nouns | self.citizen_nouns
        for base in sorted(bases, key=len):  # longer bare words win ties
            for variant in _variants(base, suffixes):
                self._base[variant] = base
        for base in bases:  # an exact word is never re-read as an inflection
            self._base[base] = base

    def _doc(self, words: Sequence[str], norms: Sequence[str]) -> Doc:
        doc = Doc(self.nlp.vocab, words=list(words))
        for token, norm in zip(doc, norms):
            token.norm_ = norm
        return doc

    def match_words(self, words: Sequence[str]) -> List[Match]:
        """Returns the entities in a list of folded words, longest match first."""
        if not words:
            return []
        norms = [self._base.get(w, w) for w in words]
        doc = self._doc(words, norms)
        labels = {}
        for key, start, end in self.matcher(doc):
            labels.setdefault((start, end), self.nlp.vocab.strings[key])
        spans = [doc[start:end] for start, end in labels]
        matches = []
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            entity, value = labels[(span.start, span.end)].split(":", 1)
            following = norms[span.end] if span.end < len(norms) else None
            # Tajik puts the noun first: "паспорти тоҷикӣ" is a citizenship.
            preceding = norms[span.start - 1] if span.start > 0 else None
            if entity == "country" and following in self.language_nouns:
                entity, value = "language", _LANGUAGE_OF_COUNTRY.get(value, "")
            elif entity == "language" and (following in self.citizen_nouns or preceding in self.citizen_nouns):
                entity, value = "country", _COUNTRY_OF_LANGUAGE.get(value, "")
            if value:
                matches.append(Match(entity, value, span.start, span.end))
        return matches

    def find(self, text: str) -> List[Dict[str, Any]]:
        """Returns Rasa-style entities (entity, value, start, end, text) found in a text."""
        # Words that fold to nothing (a lone "ъ") are dropped, as the tokenizer does.
        spans = [(m.start(), m.end()) for m in WORD_PATTERN.finditer(text or "") if fold(m.group())]
        words = [fold(text[s:e]) for s, e in spans]
        return [
            {
                "entity": m.entity,
                "value": m.value,
                "start": spans[m.first][0],
                "end": spans[m.last - 1][1],
                "text": text[spans[m.first][0] : spans[m.last - 1][1]],
            }
            for m in self.match_words(words)
        ]


@lru_cache(maxsize=4)
def load_gazetteer(path: str = str(LEXICON_PATH)) -> Gazetteer:
    """Returns the gazetteer built from a lexicon file (cached per path)."""
    with open(path, encoding="utf-8") as handle:
        return Gazetteer(yaml.safe_load(handle) or {})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds city, country and language entities with canonical values from the contract."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config (lexicon None = the shipped one)."""
        return {"lexicon": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.gazetteer = load_gazetteer(config.get("lexicon") or str(LEXICON_PATH))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "GazetteerEntityExtractor":
        """Creates the component."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the gazetteer's entities to each message, using its tokens' offsets."""
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            words = [t.lemma for t in tokens]
            found = [
                {
                    "entity": m.entity,
                    "value": m.value,
                    "start": tokens[m.first].start,
                    "end": tokens[m.last - 1].end,
                    "confidence_entity": 1.0,
                }
                for m in self.gazetteer.match_words(words)
            ]
            found = self.add_extractor_name(found)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
