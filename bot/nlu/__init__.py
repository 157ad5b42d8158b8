"""Custom Rasa NLU components: normalising tokenizer, language identifier, gazetteer."""
