"""Rasa's action-response check, without re-checking its constant schema on every custom action."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from bot.compat import rasa as rasa_fixes
from bot.nlu.tokenizer import NormalizingTokenizer

VALID = {"events": [{"event": "slot", "name": "language", "value": "tg", "timestamp": None}],
         "responses": [{"text": "Салом", "buttons": [{"title": "Рус", "payload": "/choose_language"}]}]}


@pytest.fixture
def rasa_as_shipped(monkeypatch):
    """Rasa's own method in place for the test; whatever was there is restored afterwards."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", rasa_fixes.RASA_VALIDATE_ACTION_RESULT)
    assert rasa_fixes.RASA_VALIDATE_ACTION_RESULT is not rasa_fixes.validate_action_result
    return rasa_fixes.RASA_VALIDATE_ACTION_RESULT


def test_loading_the_model_installs_the_fix(rasa_as_shipped, tmp_path):
    context = ExecutionContext(GraphSchema({}), "test")
    NormalizingTokenizer.load(NormalizingTokenizer.get_default_config(), LocalModelStorage(tmp_path),
                              Resource("tokenizer"), context)
    assert RemoteAction._validate_action_result is rasa_fixes.validate_action_result


def test_the_schema_is_checked_once_not_per_action(rasa_as_shipped, monkeypatch):
    rasa_fixes.action_response_validator.cache_clear()
    checks = []
    cls = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    original_check = cls.check_schema
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, s: checks.append(s) or original_check(s)))
    rasa_fixes.install()
    action = RemoteAction("action_answer", None)
    for _ in range(5):
        assert action._validate_action_result(VALID) is True
    assert len(checks) == 1
    # Rasa's own method checks the schema every time: what the fix removes.
    rasa_as_shipped(action, VALID)
    assert len(checks) == 2


@pytest.mark.parametrize("response", [
    {"events": [{"event": "no such event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
])
def test_invalid_responses_fail_as_rasa_fails_them(rasa_as_shipped, response):
    with pytest.raises(jsonschema.ValidationError) as expected:
        rasa_as_shipped(RemoteAction("a", None), response)
    rasa_fixes.install()
    with pytest.raises(jsonschema.ValidationError) as fixed:
        RemoteAction("a", None)._validate_action_result(response)
    assert fixed.value.message == expected.value.message
    assert "Failed to validate Action server response" in fixed.value.message
