"""A greeting followed by a question takes the question's intent; a greeting alone stays a greeting."""

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.greeting import QuestionAfterGreeting
from bot.nlu.tokenizer import NormalizingTokenizer

TOKENIZER = NormalizingTokenizer(NormalizingTokenizer.get_default_config())
GREETINGS = ["здравствуйте", "привет, как дела", "салом алейкум", "assalomu alaykum", "саламатсызбы", "добрый день"]
RANKING = [{"name": "greet", "confidence": 0.42}, {"name": "patent_howto", "confidence": 0.21},
           {"name": "eaeu_work", "confidence": 0.15}]


def trained(tmp_path):
    examples = [Message(data={TEXT: text, INTENT: "greet"}) for text in GREETINGS]
    examples.append(Message(data={TEXT: "сколько стоит патент", INTENT: "patent_payment"}))
    TOKENIZER.process_training_data(TrainingData(examples))
    storage, resource = LocalModelStorage(tmp_path), Resource("greeting")
    component = QuestionAfterGreeting.create(QuestionAfterGreeting.get_default_config(), storage, resource, None)
    component.train(TrainingData(examples))
    # What is used at parse time is what the model holds, not what the object remembers.
    return QuestionAfterGreeting.load(QuestionAfterGreeting.get_default_config(), storage, resource, None)


def classified(component, text, ranking=RANKING):
    message = Message(data={TEXT: text, INTENT: dict(ranking[0]), "intent_ranking": [dict(r) for r in ranking]})
    TOKENIZER.process([message])
    component.process([message])
    return message


def test_a_question_after_a_greeting_is_the_question(tmp_path):
    component = trained(tmp_path)
    for text in ("здравствуйте мне нужен патент?", "Здравствуйте! Мне нужен патент", "саламатсызбы патент керекпи мага"):
        message = classified(component, text)
        # Confidences given that the message is not only a greeting: 0.21 / (1 - 0.42).
        assert message.get(INTENT)["name"] == "patent_howto", text
        assert abs(message.get(INTENT)["confidence"] - 0.21 / 0.58) < 1e-9
        assert [r["name"] for r in message.get("intent_ranking")] == ["patent_howto", "eaeu_work"]


def test_greetings_and_small_talk_stay_greetings(tmp_path):
    component = trained(tmp_path)
    for text in ("Здравствуйте!", "привет как дела", "Assalomu alaykum", "добрый день, здравствуйте", "салом ака"):
        assert classified(component, text).get(INTENT)["name"] == "greet", text


def test_an_unsure_other_intent_leaves_the_greeting(tmp_path):
    component = trained(tmp_path)
    weak = [{"name": "greet", "confidence": 0.6}, {"name": "patent_howto", "confidence": 0.05}]  # 0.125 < 0.15
    assert classified(component, "здравствуйте мне нужен патент", weak).get(INTENT)["name"] == "greet"


def test_an_untrained_component_knows_no_greeting_words_and_changes_nothing_it_cannot_judge(tmp_path):
    component = QuestionAfterGreeting.load(QuestionAfterGreeting.get_default_config(), LocalModelStorage(tmp_path),
                                           Resource("none"), None)
    assert component.greeting_words == set()
