"""Reading the training data and validating the pipeline raise no warning (issue 15, "a quiet start")."""

import warnings
from pathlib import Path

from rasa.engine.recipes.recipe import Recipe
from rasa.graph_components.validators.default_recipe_validator import DefaultV1RecipeValidator
from rasa.shared.data import TrainingType
from rasa.shared.importers.importer import TrainingDataImporter

ROOT = Path(__file__).resolve().parents[3]
# Rasa 3.6 says this for every domain that has slots (rasa/shared/core/slot_mappings.py,
# validate_slot_mappings, unconditionally): nothing in our data causes it.
RASA_SAYS_ALWAYS = ("Slot auto-fill has been removed in 3.0",)


def test_training_data_and_pipeline_validate_without_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importer = TrainingDataImporter.load_from_config(
            str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
        config = importer.get_config()
        schema = Recipe.recipe_for_name(config.get("recipe")).graph_config_for_recipe(
            config, {}, training_type=TrainingType.BOTH).train_schema
        DefaultV1RecipeValidator(schema).validate(importer)
    assert importer.get_nlu_data().intent_examples  # the data was really read
    said = [str(w.message) for w in caught if w.category is UserWarning]
    assert [m for m in said if not m.startswith(RASA_SAYS_ALWAYS)] == []
