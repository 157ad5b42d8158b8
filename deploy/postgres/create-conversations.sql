-- The conversations (Rasa's tracker store) live in a database of their own beside the content
-- (POSTGRES_DB), as in the local cluster (tools/cluster.py, CONVERSATIONS_DB).
CREATE DATABASE conversations OWNER hamroh;
