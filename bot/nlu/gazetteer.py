"""Entity gazetteer: cities, countries and languages in every language, script and case form."""

from __future__ import annotations

import hashlib
import logging
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
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot.nlu import persist
from bot.nlu.normalize import WORD_PATTERN, clean, fold
from bot.resources import shipped

logger = logging.getLogger(__name__)

LEXICON_PATH = shipped("bot.nlu", "gazetteer.yml")
_LEXICON_FILE = "lexicon.json"
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


@lru_cache(maxsize=1)
def _blank_pipeline() -> spacy.Language:
    return spacy.blank("xx")


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
        # spaCy's blank multilingual pipeline is built in code: no files, works offline.
        self.nlp = nlp or _blank_pipeline()
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
        # An exact lexicon word, or an ordinary word that merely looks like an
        # inflection (Uzbek "dushanba" = Monday, not "Dushanbe" + a), is never
        # re-read as an inflection.
        for word in bases | {w for n in lexicon.get("not_names", []) for w in _words(n)}:
            self._base[word] = word
        ambiguous = lexicon.get("ambiguous") or {}
        self.ambiguous = {w for n in ambiguous.get("names", []) for w in _words(n)}
        endings = sorted({fold(s) for s in ambiguous.get("place_endings", []) if fold(s)})
        self.place_forms = {v for base in self.ambiguous for v in _variants(base, endings) if v != base}

    def _counts(self, words: Sequence[str], originals: Optional[Sequence[str]], at: int) -> bool:
        """Whether a one-word name that is also an ordinary word ("ош" = pilaf) names the place here."""
        if self._base.get(words[at], words[at]) not in self.ambiguous:
            return True
        capitalised = bool(originals) and originals[at][:1].isupper()
        return capitalised or words[at] in self.place_forms or len(words) <= 2

    def _doc(self, words: Sequence[str], norms: Sequence[str]) -> Doc:
        doc = Doc(self.nlp.vocab, words=list(words))
        for token, norm in zip(doc, norms):
            token.norm_ = norm
        return doc

    def match_words(self, words: Sequence[str], originals: Optional[Sequence[str]] = None) -> List[Match]:
        """Returns the entities in a list of folded words (as written: `originals`), longest match first."""
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
            if span.end - span.start == 1 and not self._counts(words, originals, span.start):
                continue
            entity, value = labels[(span.start, span.end)].split(":", 1)
            following = norms[span.end] if span.end < len(norms) else None
            # Tajik puts the noun first: "паспорти тоҷикӣ" is a citizenship.
            preceding = norms[span.start - 1] if span.start > 0 else None
            if entity == "country" and following in self.language_nouns:
                entity, value = "language", _LANGUAGE_OF_COUNTRY.get(value, "")
            elif entity == "language" and (following in self.citizen_nouns or preceding in self.citizen_nouns):
                entity, value = "country", _COUNTRY_OF_LANGUAGE.get(value, "")
            elif (entity == "country" and value in _LANGUAGE_OF_COUNTRY and originals and span.end - span.start == 1
                  and originals[span.start].lower().endswith("ӣ")
                  and following not in self.citizen_nouns and preceding not in self.citizen_nouns):
                # Tajik "ӯзбекӣ", "қирғизӣ" (Uzbek, Kyrgyz: the language) fold like Russian
                # "узбеки", "киргизы" (Uzbeks): only the written ӣ tells them apart.
                entity, value = "language", _LANGUAGE_OF_COUNTRY[value]
            if value:
                matches.append(Match(entity, value, span.start, span.end))
        return matches

    def find(self, text: str) -> List[Dict[str, Any]]:
        """Returns Rasa-style entities (entity, value, start, end, text) found in a text."""
        # Words that fold to nothing (a lone "ъ") are dropped, as the tokenizer does.
        spans = [(m.start(), m.end()) for m in WORD_PATTERN.finditer(text or "") if fold(m.group())]
        words = [fold(text[s:e]) for s, e in spans]
        originals = [text[s:e] for s, e in spans]
        return [
            {
                "entity": m.entity,
                "value": m.value,
                "start": spans[m.first][0],
                "end": spans[m.last - 1][1],
                "text": text[spans[m.first][0] : spans[m.last - 1][1]],
            }
            for m in self.match_words(words, originals)
        ]


def read_lexicon(path: Path = LEXICON_PATH) -> Dict[str, Any]:
    """Returns the lexicon of a YAML file (the shipped one by default)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=4)
def load_gazetteer(path: str = str(LEXICON_PATH)) -> Gazetteer:
    """Returns the gazetteer built from a lexicon file (cached per path)."""
    return Gazetteer(read_lexicon(Path(path)))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds city, country and language entities with canonical values from the contract.

    Training copies the lexicon into the model, so a trained model keeps its
    meaning whatever later happens to gazetteer.yml; an edited lexicon retrains
    the component (`fingerprint_addon`).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config (lexicon None = the shipped one)."""
        return {"lexicon": None}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 lexicon: Optional[Dict[str, Any]]) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon = lexicon
        self.gazetteer = Gazetteer(lexicon) if lexicon is not None else None

    @staticmethod
    def _lexicon_path(config: Dict[Text, Any]) -> Path:
        return Path(config.get("lexicon") or LEXICON_PATH)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrains when the lexicon changes: Rasa's cache knows only config and data."""
        return hashlib.sha256(cls._lexicon_path(config).read_bytes()).hexdigest()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "GazetteerEntityExtractor":
        """Creates the component from the lexicon file, to be written into the model by `train`."""
        return cls(config, model_storage, resource, read_lexicon(cls._lexicon_path(config)))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "GazetteerEntityExtractor":
        """Loads the lexicon the model was trained with, never the file beside the code."""
        lexicon = persist.load_json(model_storage, resource, _LEXICON_FILE)
        if lexicon is None:
            logger.warning("No gazetteer lexicon in the model; no city, country or language will be found.")
        return cls(config, model_storage, resource, lexicon)

    def train(self, training_data: TrainingData) -> Resource:
        """Writes the lexicon into the model (the gazetteer learns nothing from examples)."""
        persist.save_json(self.lexicon, self._model_storage, self._resource, _LEXICON_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the gazetteer's entities to each message, using its tokens' offsets."""
        if self.gazetteer is None:
            return messages
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            found = [
                {
                    "entity": m.entity,
                    "value": m.value,
                    "start": tokens[m.first].start,
                    "end": tokens[m.last - 1].end,
                    "confidence_entity": 1.0,
                }
                for m in self.gazetteer.match_words([t.lemma for t in tokens], [t.text for t in tokens])
            ]
            found = self.add_extractor_name(found)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
