"""Relais: the gateway in front of Rasa, its channels, and the process supervisor.

Public entry points are processes, not names: ``python -m bot.gateway`` serves residents and
agents, ``python -m bot.supervisor`` starts every process of the assistant (``make run``).
"""
