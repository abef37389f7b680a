"""The gateway's memory of conversations without a handoff (bot.store.handoff.WithoutHandoff).

Messages of a conversation known to be in bot mode go to Rasa without a store read; these
tests hold the one promise that matters: once a person has (or is about to have) the
conversation, no message of the resident reaches the bot.
"""

from __future__ import annotations

from bot.identity import conversation_id
from bot.store.handoff import Handoffs, WithoutHandoff
from tests.console.conftest import BOT_ANSWER, SECRET_KEY, Stack


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_remembered_in_bot_mode_goes_to_the_console_once_escalated(run_stack):
    async def scenario(s: Stack) -> None:
        cid = conversation_id(SECRET_KEY, "web", "r1")
        assert (await s.say("r1", "bonjour"))["messages"][0]["text"] == BOT_ANSWER
        assert s.handoffs.without_handoff.knows(cid)  # the next message needs no store read
        assert (await s.say("r1", "et pour la CSS ?"))["messages"][0]["text"] == BOT_ANSWER
        await s.escalate("r1", "asked")
        assert await s.say("r1", "vous êtes là ?") == {"messages": [], "mode": "agent"}
        headers = {"X-CSRF-Token": await s.login("amina")}
        assert (await s.client.post("/console/api/handoffs/1/take",
                                    headers=headers)).status == 200
        assert await s.say("r1", "merci") == {"messages": [], "mode": "agent"}
        assert [text for _cid, text in s.rasa_messages] == ["bonjour", "et pour la CSS ?"]
        assert [e.text for e in s.handoffs.transcript(cid)] == ["vous êtes là ?", "merci"]
        # Handed back: the store says bot mode again, and the bot answers.
        assert (await s.client.post("/console/api/handoffs/1/handback",
                                    headers=headers)).status == 200
        assert (await s.say("r1", "et la CAF ?"))["messages"][0]["text"] == BOT_ANSWER
    run_stack(scenario)


def test_a_read_that_raced_an_escalation_is_not_remembered(run_stack):
    """The read found no handoff, an escalation committed before its answer was remembered:
    remembering it would send the resident's next messages to the bot."""
    async def scenario(s: Stack) -> None:
        handoffs, memory = s.handoffs, s.handoffs.without_handoff
        cid = conversation_id(SECRET_KEY, "web", "r1")
        stamp = memory.stamp
        assert handoffs.open_handoff(cid) is None
        handoffs.escalate(cid, "web", "asked")
        memory.remember(cid, stamp)
        assert not memory.knows(cid)
        assert await s.say("r1", "allô ?") == {"messages": [], "mode": "agent"}
        assert s.rasa_messages == []
    run_stack(scenario)


def test_a_handoff_opened_by_another_gateway_is_seen_at_its_takeover_or_after_max_age(run_stack):
    """Another process on the same store (a second gateway): its escalation cannot reach this
    gateway's memory; a takeover here forgets the conversation, and so does time."""
    async def scenario(s: Stack) -> None:
        ticks = Ticks()
        s.handoffs.without_handoff = memory = WithoutHandoff(max_age_s=30.0, clock=ticks)
        other_gateway = Handoffs(s.app["store"].repository.engine,
                                 s.app["store"].repository.keys, s.clock)
        for sender in ("r1", "r2"):
            assert (await s.say(sender, "bonjour"))["messages"][0]["text"] == BOT_ANSWER
            other_gateway.escalate(conversation_id(SECRET_KEY, "web", sender), "web", "asked")
        assert memory.knows(conversation_id(SECRET_KEY, "web", "r1"))
        headers = {"X-CSRF-Token": await s.login("amina")}
        assert (await s.client.post("/console/api/handoffs/1/take",
                                    headers=headers)).status == 200
        assert await s.say("r1", "vous êtes là ?") == {"messages": [], "mode": "agent"}
        ticks.now += 30.0
        assert await s.say("r2", "allô ?") == {"messages": [], "mode": "agent"}
        assert [text for _cid, text in s.rasa_messages] == ["bonjour", "bonjour"]
    run_stack(scenario)


def test_the_memory_is_bounded_and_forgets_the_oldest_first():
    memory = WithoutHandoff(capacity=2, clock=Ticks())
    for cid in ("a", "b", "c"):
        memory.remember(cid, memory.stamp)
    assert [memory.knows(cid) for cid in ("a", "b", "c")] == [False, True, True]
