"""Conversation logic that needs no Rasa: phase order, which question fills
which plan field, reflections in the client's words, Dutch normalisers."""
