"""Residents' channels in the gateway: SMS and WhatsApp through Twilio, Telegram.

Each channel turns a provider's webhook into a message for Rasa, keyed by the resident's
pseudonymous id, and sends the bot's answers back through the provider's API. See
docs/channels.md.
"""
