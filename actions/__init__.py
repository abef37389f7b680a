"""Rasa SDK custom actions (the action server, ``python -m rasa_sdk --actions actions``).

Actions stay thin: they read slots, call a service (eligibility, store), and return events;
the logic they call lives in modules tested without Rasa.
"""
