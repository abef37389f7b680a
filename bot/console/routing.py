"""Where a resident's message goes: to Rasa in bot mode, to the console only in agent mode.

Both call sites use this: the web channel (``bot.web_channel``) and the other channels
(``bot.channels.conversation``). The mode comes from the gateway's store, so a session expiry
or a typed "/restart" on Rasa's side cannot give the conversation back to the bot. A
conversation the store showed without an open handoff is remembered as such
(``bot.store.handoff.WithoutHandoff``, forgotten by every escalation): its next messages go
to Rasa without a store read.
"""

from __future__ import annotations

from bot.language.crisis import detect_crisis
from bot.store.handoff import CRISIS_PRIORITY, Handoffs
from bot.store.repository import AsyncStore


class HandoffRouter:
    """Diverts messages of conversations in agent mode into their handoff's transcript."""

    def __init__(self, store: AsyncStore, handoffs: Handoffs):
        self.store = store
        self.handoffs = handoffs

    async def divert(self, conversation_id: str, text: str) -> bool:
        """True when the message went to the console (the bot must not see nor answer it)."""
        handoffs = self.handoffs
        memory = handoffs.without_handoff
        if memory.knows(conversation_id):
            return False

        def route(_r: object) -> tuple[bool, int]:
            """One trip to the store's thread: the mode, and in agent mode the transcript."""
            stamp = memory.stamp  # before the query: see WithoutHandoff
            handoff = handoffs.open_handoff(conversation_id)
            if handoff is None:
                return False, stamp
            handoffs.record(handoff.id, "resident", text)
            signal = detect_crisis(text)
            if handoff.priority != CRISIS_PRIORITY and signal and not signal.about_other:
                # The bot does not read agent-mode messages, so the gateway watches for a
                # crisis itself: the conversation jumps to the top of the queue.
                handoffs.escalate(conversation_id, handoff.channel, "crisis")
            return True, stamp

        diverted, stamp = await self.store.run(route)
        if not diverted:
            memory.remember(conversation_id, stamp)
        return diverted
