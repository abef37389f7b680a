"""The agents' console and the handoff machinery of the gateway.

``routing`` decides bot or agent mode for each resident message, ``internal`` is the
escalation endpoint the action server calls, ``auth`` the console's sessions and CSRF,
``views`` the pages and JSON API, ``users`` the command line that creates accounts.
"""
