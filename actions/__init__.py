"""Custom actions for the Toekomstcoach assistant (rasa_sdk).

Thin adapters: read slots and the latest message, call ``bot/``, return events.
``python -m rasa_sdk --actions actions`` imports every module of this package.
"""
