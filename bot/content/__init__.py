"""The knowledge base: answers and organisations that NGO staff maintain in the database."""
