"""Keeps the cost of a turn bounded however long a conversation lasts: a long Rasa session is
closed at a quiet moment and a new one opened, with every slot carried over.

On every message Rasa loads the current session's events from the tracker store, replays them,
featurises the whole history for its policies and sends the whole tracker to the action server
(docs/performance.md measured the 291st–300th messages of a conversation 12.5 times slower
than its first ten). Rasa's own session mechanism bounds all of that: the tracker store loads
only the events since the last ``session_started``, and ``action_session_start`` carries the
slots over (``carry_over_slots_to_new_session: true`` in domain.yml). Rasa starts a session
after 60 minutes of silence; this also starts one when the session holds more than
``RELAIS_SESSION_MAX_EVENTS`` events (150) and the dialogue is at a clean point — the bot is
listening and no form or loop is active — so nothing in progress is cut. The policies then see
the same slots with a shorter past (they read the session's end only, bot/rasa_policies.py;
Relais has no rule with ``conversation_start: true``). Every session's events stay in the
store: the console's history and the answer look-up of bot/rasa_pool.py read the full tracker,
and erasure deletes every row of the conversation.

Rasa's ``max_event_history`` would also bound the history, but loses the slots set before its
window when a fallback reverts an utterance; a new session writes the slots again instead.

``apply()`` is called by bot/rasa_server.py before Rasa loads.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULT_MAX_EVENTS = 150
NEED_LOOKBACK = 3  # actions/needs.py: recent_need's lookback


def max_events() -> int:
    return int(os.environ.get("RELAIS_SESSION_MAX_EVENTS", DEFAULT_MAX_EVENTS))


def at_clean_point(tracker: Any) -> bool:
    """Nothing the next turn needs from this session's past is lost by closing it.

    The bot is waiting for the resident's next message with no form or loop active; the last
    message was understood (actions/misunderstanding.py counts misunderstandings in a row);
    and none of the last ``NEED_LOOKBACK`` messages showed a need (actions/handoff.py passes
    the latest one on to the person who takes the conversation).
    """
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import UserUttered

    from actions.misunderstanding import FALLBACK_INTENT
    from actions.needs import detect_need

    if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name:
        return False
    said = [e for e in reversed(tracker.applied_events())
            if isinstance(e, UserUttered)][:NEED_LOOKBACK]
    if not said or said[0].intent_name == FALLBACK_INTENT:
        return False
    return not any(detect_need(e.text or "") for e in said)


def too_long(tracker: Any, limit: int) -> bool:
    """More than ``limit`` events since the session's start (the store loads no earlier one)."""
    from rasa.shared.core.events import SessionStarted

    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return False
        count += 1
        if count > limit:
            return True
    return False


def carried_slots(tracker: Any) -> list[Any]:
    """Each slot's last value, once, and the topics raised so far: what a new session starts
    with.

    Rasa carries over every ``SlotSet`` of the session, so a slot set 30 times is set 30 times
    again, and the next session carries those too; its last value is the same information.
    The topics (actions/suggestions.py offers no button to one already discussed) are in the
    user messages the new session no longer holds: ``topics_discussed`` keeps them.
    """
    from rasa.shared.core.events import SlotSet

    from actions.suggestions import TOPICS_SLOT, topics_raised

    last: dict[str, Any] = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            last.pop(event.key, None)
            last[event.key] = SlotSet(key=event.key, value=event.value, metadata=event.metadata)
    topics = set(tracker.get_slot(TOPICS_SLOT) or []) | topics_raised(
        [event.as_dict() for event in tracker.applied_events()])
    if topics:
        last.pop(TOPICS_SLOT, None)
        last[TOPICS_SLOT] = SlotSet(key=TOPICS_SLOT, value=sorted(topics))
    return list(last.values())


def apply() -> None:
    from rasa.core.actions.action import ActionSessionStart
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor, "_relais_bounded_sessions", False):
        return
    expired = MessageProcessor._has_session_expired
    limit = max_events()

    def _has_session_expired(self: Any, tracker: Any) -> bool:
        return expired(self, tracker) or (too_long(tracker, limit) and at_clean_point(tracker))

    MessageProcessor._has_session_expired = _has_session_expired
    MessageProcessor._relais_bounded_sessions = True
    ActionSessionStart._slot_set_events_from_tracker = staticmethod(carried_slots)
