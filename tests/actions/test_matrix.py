"""Every topic × language and script × citizenship × city, through the real actions, as whole conversations.

A person asks a topic knowing nothing of the bot; each question the bot asks is answered with the
cell's citizenship or city — by button in half the cells, typed in the other half ("Tojikistondan",
"Барнаул") — or left unanswered when the cell's value is unknown. Every reply of every conversation
is checked against the rules of issue 12:

- no empty promise: a header of help is always followed by an organisation;
- no other country's body: a body that serves one citizenship reaches only its citizens;
- one reply language: the script and letters of the person's language, no Russian catalog text;
- the facts for that citizenship and city: the answer written for their scope, their region's price;
- urgent topics: the steps first, at most 3 messages and ~1,500 characters before "more", and in the
  end a contact that answers — or plainly what to do alone;
- nothing known is asked again.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswer
from actions.conversation import ActionInform
from actions.fallback import ActionSuggestTopics
from bot import messages
from bot.answering import AWAIT_CITY, AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP
from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.prices import patent_prices
from bot.content.queries import candidates, published_answer
from bot.content.render import localise
from bot.i18n import translate
from bot.registry import CITIES, COUNTRIES, OTHER_CITY, ROUTABLE_TOPICS, URGENT_TOPICS, scope_of
from bot.settings import SEED_CONTENT, get_settings
from bot.translit import latn_to_cyrl
from tests.actions.conftest import make_tracker, run_action
from tests.db import fresh_database, use_database

VOICES = [("ru", None), ("uz", "latn"), ("uz", "cyrl"), ("tg", None), ("ky", None)]
QUESTION = {("ru", None): "у меня вопрос", ("uz", "latn"): "savolim bor", ("uz", "cyrl"): "саволим бор",
            ("tg", None): "савол дорам", ("ky", None): "суроом бар"}
"""The words of the person's question: the NLU gives its topic; the words set the reply's script."""
CITIZENSHIPS = [None, *COUNTRIES]
PLACES = [None, *CITIES, OTHER_CITY]
UNKNOWN_CITY = "Барнаул"

# What people type when asked (the NLU's entity is given with it, as the parse result would carry).
TYPED_COUNTRY = {
    "ru": "из {ru}а", "uz": "{uz}danman", "tg": "аз {tg}", "ky": "{ky}данмын",
}
LETTERS = {
    # Letters that belong to another language of ours and never to this one.
    "ru": "ҳӣӯҷқғөүңўʻ", "tg": "өүңўʻ", "ky": "ҳӣӯҷқғўʻ", "uz": "ӣӯҷөүң",
}
# Addresses and names that are written as they are in every language: a Cyrillic domain (сервисы.гувм.мвд.рф)
# and the MVD entry app RuID.
URL = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+|(?:[\w-]+\.)+(?:[a-z]{2,}|рф)(?:/\S*)?|\bRuID\b)")
PROMISES = {"ru": r"\bниже\b", "uz": r"quyidagi|қуйидаги", "tg": r"\bзер(ин)?\b", "ky": r"төмөнкү"}


@dataclass
class Conversation:
    """One person's conversation: what they said, what the bot sent, the slots it set."""

    topic: str
    language: str
    script: Optional[str]
    country: Optional[str]
    city: Optional[str]
    typed: bool
    slots: Dict[str, object] = field(default_factory=dict)
    replies: List[List[dict]] = field(default_factory=list)
    questions: List[str] = field(default_factory=list)

    @property
    def sent(self) -> List[dict]:
        return [m for reply in self.replies for m in reply]

    def say(self, action, intent: str, text: str, entities: List[dict]) -> None:
        detection = {"code": self.language, "script": self.script or "cyrl",
                     "confidence": 0.95 if len(text.split()) > 1 and not text.startswith("/") else 0.6}
        tracker = make_tracker(intent, text=text, language=self.language, slots=self.slots, entities=entities,
                               detection=detection)
        sent, events = run_action(action, tracker)
        self.replies.append(sent)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]


def _(language, script, message, **values):
    return translate(message, language, script or "latn", **values)


def typed_country(c: Conversation) -> str:
    name = translate(COUNTRIES[c.country], c.language, c.script)
    return TYPED_COUNTRY[c.language].format(**{c.language: name.rstrip("аяи") if c.language == "ru" else name})


def talk(c: Conversation) -> Conversation:
    """Runs the conversation until the bot stops asking, or asks what the person will not say."""
    question_text = QUESTION[(c.language, c.script)]
    c.slots = {"language": c.language, "script": c.script}
    c.say(ActionAnswer(), c.topic, question_text, [])
    for _turn in range(4):
        awaiting = c.slots.get("awaiting")
        if awaiting in (AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP):
            c.questions.append("country")
            if c.country is None:
                break
            if c.typed:
                c.say(ActionInform(), "inform", typed_country(c), [{"entity": "country", "value": c.country}])
            else:
                payload = "/inform" + json.dumps({"country": c.country})
                c.say(ActionInform(), "inform", payload, [{"entity": "country", "value": c.country}])
        elif awaiting == AWAIT_CITY:
            c.questions.append("city")
            if c.city is None:
                break
            if c.city == OTHER_CITY:
                if not c.typed:  # "another city", then its name
                    c.say(ActionInform(), "inform", "/inform", [])
                c.say(ActionSuggestTopics(), "nlu_fallback", UNKNOWN_CITY, [])
            elif c.typed:
                name = translate(CITIES[c.city], c.language, c.script)
                c.say(ActionInform(), "inform", name, [{"entity": "city", "value": c.city}])
            else:
                payload = "/inform" + json.dumps({"city": c.city})
                c.say(ActionInform(), "inform", payload, [{"entity": "city", "value": c.city}])
        else:
            break
    return c


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory):
    """One seeded database for the whole matrix, and what the checks compare against."""
    folder = tmp_path_factory.mktemp("matrix")
    url = fresh_database("sqlite", folder)
    with session_scope(url) as session:
        load_content(session, SEED_CONTENT)
        organisations = candidates(session)
    return url, organisations


def check(c: Conversation, url: str, organisations) -> List[str]:
    """Returns what breaks a rule in one conversation."""
    problems = []
    language, script = c.language, c.script
    everything = "\n".join(m["text"] for m in c.sent)

    # No empty promise.
    headers = [_(language, script, h) for h in (messages.HELP_HEADER, messages.NATIONWIDE_HEADER,
                                                 messages.REMOTE_HEADER, messages.LOW_COST_HEADER)]
    for message in c.sent:
        for header in headers:
            if header in message["text"] and not message["text"].split(header, 1)[1].lstrip("\n").startswith("• "):
                problems.append("a help header without an organisation")
    if re.search(PROMISES[language], everything, re.IGNORECASE):
        problems.append("the text promises help 'below'")

    # No other country's body; listed organisations in the person's language.
    for organisation in organisations:
        name = organisation.in_language(language)[0]
        shown = latn_to_cyrl(name) if script == "cyrl" else name
        if shown in everything and organisation.countries and c.country not in organisation.countries:
            problems.append(f"{organisation.key} offered to a citizen of {c.country}")

    # One reply language.
    plain = URL.sub("", everything)
    if re.search(f"[{LETTERS[language]}]", plain):
        problems.append("letters of another language")
    if language == "uz" and script == "latn" and re.search(r"[А-Яа-яЁё]", plain):
        problems.append("Cyrillic in a Latin Uzbek reply")
    if (language != "uz" or script == "cyrl") and re.search(r"[A-Za-z]{3,}", plain):
        problems.append(f"Latin words in a {language} reply: {re.findall(r'[A-Za-z]{3,}', plain)[:3]}")
    if language != "ru":
        for text in vars(messages).values():
            if isinstance(text, str) and len(text) > 25 and text in everything:
                problems.append(f"Russian text in a {language} reply: {text[:40]}")

    # The facts for that citizenship and city.
    if c.topic != "talk_to_human" and (c.country or c.topic in URGENT_TOPICS or "country" not in c.questions):
        with session_scope(url) as session:
            served = published_answer(session, c.topic, language, c.country)
        first_line = localise(served.body, served.language, script).split("\n")[0]
        if first_line not in everything:
            problems.append(f"not the answer for {scope_of(c.country) or 'any'}")
    if c.topic in patent_prices()["topics"] and c.country and scope_of(c.country) != "eaeu":
        price = patent_prices()["prices"].get(c.city)
        if price and f"{price:,.0f}".replace(",", "\u00a0") not in everything and price == int(price):
            problems.append("not the price of the person's region")

    # Urgent topics: the steps first, short, and in the end someone who answers (or what to do alone).
    if c.topic in URGENT_TOPICS:
        first = c.replies[0]
        if "112" not in first[0]["text"]:
            problems.append("urgent steps are not first")
        if len(first) > 3 or sum(len(m["text"]) for m in first) > 1600:
            problems.append(f"urgent reply too long: {len(first)} messages, {sum(len(m['text']) for m in first)} chars")
        if c.slots.get("awaiting") is None:
            reachable = any(o.in_language(language)[0] in everything or latn_to_cyrl(o.in_language(language)[0])
                            in everything for o in organisations if o.contacts)
            if not reachable and _(language, script, messages.SELF_HELP) not in everything:
                problems.append("an urgent conversation ends with no contact and no self-help")

    # Nothing known is asked twice.
    if c.questions.count("country") > 1 or c.questions.count("city") > 1:
        problems.append(f"asked again: {c.questions}")
    return problems


@pytest.mark.parametrize("topic", ROUTABLE_TOPICS)
def test_every_conversation_keeps_the_rules(knowledge, monkeypatch, topic):
    url, organisations = knowledge
    use_database(monkeypatch, url)
    failures, count = [], 0
    for voice_index, (language, script) in enumerate(VOICES):
        for country_index, country in enumerate(CITIZENSHIPS):
            for city_index, city in enumerate(PLACES):
                typed = (voice_index + country_index + city_index) % 2 == 0
                c = talk(Conversation(topic, language, script, country, city, typed))
                count += 1
                for problem in check(c, url, organisations):
                    failures.append(f"{topic}/{language}{'-' + script if script else ''}/{country}/{city}"
                                    f"/{'typed' if typed else 'button'}: {problem}")
    get_settings.cache_clear()
    assert count == len(VOICES) * len(CITIZENSHIPS) * len(PLACES)
    if failures and os.environ.get("HAMROH_MATRIX_REPORT"):
        with open(os.environ["HAMROH_MATRIX_REPORT"], "a", encoding="utf-8") as out:
            out.write("\n".join(failures) + "\n")
    assert not failures, f"{len(failures)} problems in {count} conversations:\n" + "\n".join(failures[:25])
