"""Typed answers to the bot's own questions, in every language, through the real Rasa and action servers.

The person never presses a button: they type their citizenship and city the way people do
("из Таджикистана", "o'zbekistondanman", "Маскавдам", "Новосибирскиде", a home city), and the
question they asked is answered in the same turn, in their language.
"""

import uuid

import pytest
import requests

from bot import messages
from bot.i18n import translate


def say(servers, sender, text):
    response = requests.post(f"{servers}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert response.status_code == 200, response.text
    return "\n".join(r.get("text") or "" for r in response.json())


def _(message, language, script=None):
    return translate(message, language, script)


HELP = (messages.HELP_HEADER, messages.NATIONWIDE_HEADER, messages.REMOTE_HEADER, messages.LOW_COST_HEADER,
        messages.SELF_HELP, messages.NO_ORGANISATION)


@pytest.mark.parametrize("language, script, question, country_typed, fact, city_typed", [
    ("ru", None, "сколько дней можно жить без регистрации после приезда", "из Таджикистана", "15", "в Новосибирске"),
    ("uz", "latn", "kelganimdan keyin necha kun ichida roʻyxatdan oʻtishim kerak", "o'zbekistondanman", "15",
     "Qozonda"),
    ("uz", "cyrl", "келганимдан кейин неча кун ичида рўйхатдан ўтишим керак", "Тошкентданман", "15", "Москвада"),
    ("tg", None, "баъд аз омадан дар чанд рӯз бояд ба қайд гирам", "аз Душанбе", "15", "Маскавдам"),
    ("ky", None, "келгенден кийин канча күндө каттоого турушум керек", "кыргызстанданмын", "30", "Новосибирскиде"),
])
def test_typed_citizenship_and_city_complete_the_question(servers, language, script, question, country_typed, fact,
                                                        city_typed):
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    asked = say(servers, sender, question)
    assert _(messages.ASK_CITIZENSHIP, language, script) in asked
    answered = say(servers, sender, country_typed)
    assert fact in answered and _(messages.FALLBACK, language, script) not in answered
    assert _(messages.EDITORIAL_TEAM, language, script) in answered  # the answer itself, in their language
    if _(messages.ASK_CITY, language, script) in answered:
        helped = say(servers, sender, city_typed)
        assert any(_(m, language, script) in helped for m in HELP), helped
        assert _(messages.ASK_CITY, language, script) not in helped


def test_an_urgent_question_gives_the_steps_at_once_and_typed_answers_add_the_consulate(servers):
    sender = f"typed-{uuid.uuid4().hex[:8]}"
    first = say(servers, sender, "маро полиция дошт кард, ҳуҷҷатҳоямро гирифтанд, чӣ кор кунам")
    assert "112" in first.split("\n")[0] or "112" in first[:700]
    assert _(messages.ASK_CITIZENSHIP_FOR_HELP, "tg") in first
    second = say(servers, sender, "Тоҷикистон")
    assert "+7 (495) 967-98-44" in second or _(messages.ASK_CITY, "tg") in second
    assert "consulate.mfa.uz" not in second and "+7 925 115 50 47" not in second  # not another country's
