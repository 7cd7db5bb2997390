"""Toekomstcoach domain: settings, database, sessions, action plan, safety.

Free of Rasa and FastAPI so that the API, the action server and the CLI share it.
"""
