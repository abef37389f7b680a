"""Admission to Rasa (bot/admission.py): who enters when Rasa is full, and who is refused."""

from __future__ import annotations

import asyncio

import pytest

from bot.admission import NEWCOMER_SHARE, Admission, AssistantBusy
from bot.rasa_client import AssistantUnavailable


class Turns:
    """Turns held inside Rasa until released, with the order in which they entered."""

    def __init__(self, admission: Admission):
        self.admission = admission
        self.entered: list[str] = []
        self._release: dict[str, asyncio.Event] = {}

    def start(self, conversation: str, name: str | None = None) -> asyncio.Task:
        name = name or conversation
        self._release[name] = asyncio.Event()

        async def turn() -> None:
            async with self.admission.turn(conversation):
                self.entered.append(name)
                await self._release[name].wait()

        return asyncio.create_task(turn())

    async def finish(self, name: str) -> None:
        self._release[name].set()
        await settle()


async def settle() -> None:
    """Lets every task that can run do so (a grant takes a few turns of the loop)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def _answered(admission: Admission, *conversations: str) -> None:
    for conversation in conversations:
        async with admission.turn(conversation):
            pass


def test_a_resident_in_conversation_enters_before_first_messages_that_came_earlier():
    async def scenario() -> list[str]:
        admission = Admission(slots=2, newcomer_slots=2)
        await _answered(admission, "resident")
        turns = Turns(admission)
        tasks = [turns.start("flood-1"), turns.start("flood-2"), turns.start("flood-3"),
                 turns.start("flood-4")]
        await settle()
        tasks.append(turns.start("resident"))
        await settle()
        await turns.finish("flood-1")
        entered = list(turns.entered)
        for name in ("flood-2", "flood-3", "flood-4", "resident"):
            await turns.finish(name)
        await asyncio.gather(*tasks)
        return entered

    assert asyncio.run(scenario()) == ["flood-1", "flood-2", "resident"]


def test_first_messages_hold_only_their_share_of_the_slots():
    async def scenario() -> tuple[list[str], int]:
        admission = Admission(slots=4, newcomer_slots=1)
        await _answered(admission, "resident")
        turns = Turns(admission)
        tasks = [turns.start(f"flood-{n}") for n in range(3)] + [turns.start("resident")]
        await settle()
        entered, running = list(turns.entered), admission.running
        for n in range(3):
            await turns.finish(f"flood-{n}")
        await turns.finish("resident")
        await asyncio.gather(*tasks)
        return entered, running

    entered, running = asyncio.run(scenario())
    assert entered == ["flood-0", "resident"]  # room in Rasa, but not for a second newcomer
    assert running == 2


def test_first_messages_are_slowed_but_never_starved_by_residents():
    async def scenario() -> list[str]:
        admission = Admission(slots=1, newcomer_slots=1)
        residents = [f"resident-{n}" for n in range(10)]
        await _answered(admission, *residents)
        turns = Turns(admission)
        tasks = [turns.start("holder", "holder")]
        await settle()
        tasks.append(turns.start("newcomer"))
        tasks += [turns.start(r) for r in residents]
        await settle()
        while len(turns.entered) < 12:  # one at a time: whoever is inside finishes
            await turns.finish(turns.entered[-1])
        await turns.finish(turns.entered[-1])
        await asyncio.gather(*tasks)
        return turns.entered

    entered = asyncio.run(scenario())
    assert entered.index("newcomer") == NEWCOMER_SHARE  # after NEWCOMER_SHARE - 1 residents
    assert entered[1:NEWCOMER_SHARE] == [f"resident-{n}" for n in range(NEWCOMER_SHARE - 1)]


def test_a_full_queue_refuses_at_once_with_a_retry_answer():
    async def scenario() -> None:
        admission = Admission(slots=1, max_waiting=1)
        turns = Turns(admission)
        tasks = [turns.start("a"), turns.start("b")]
        await settle()
        with pytest.raises(AssistantBusy):
            async with admission.turn("c"):
                pass
        await turns.finish("a")
        await turns.finish("b")
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert issubclass(AssistantBusy, AssistantUnavailable)  # the channels' "réessayez"


def test_a_turn_that_waits_too_long_is_refused_and_leaves_no_trace():
    async def scenario() -> tuple[int, int, list[str]]:
        admission = Admission(slots=1, max_wait_s=0.05)
        turns = Turns(admission)
        holder = turns.start("holder")
        await settle()
        with pytest.raises(AssistantBusy):
            async with admission.turn("late"):
                pass
        waiting_after = admission.waiting
        await turns.finish("holder")
        await holder
        await _answered(admission, "next")  # the slot came back
        return waiting_after, admission.running, turns.entered

    assert asyncio.run(scenario()) == (0, 0, ["holder"])


def test_a_failed_or_cancelled_turn_gives_its_slot_back_and_counts_as_not_answered():
    async def scenario() -> tuple[int, bool]:
        admission = Admission(slots=1)
        with pytest.raises(RuntimeError):
            async with admission.turn("broken"):
                raise RuntimeError("Rasa failed")
        turns = Turns(admission)
        holder = turns.start("holder")
        await settle()
        waiter = turns.start("cancelled")
        await settle()
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        await turns.finish("holder")
        await holder
        return admission.running + admission.waiting, admission.in_conversation("broken")

    assert asyncio.run(scenario()) == (0, False)


def test_a_conversation_idle_for_long_counts_as_new_again():
    now = [0.0]
    admission = Admission(slots=1, recent_s=60, clock=lambda: now[0])
    asyncio.run(_answered(admission, "resident"))
    assert admission.in_conversation("resident")
    now[0] = 61.0
    assert not admission.in_conversation("resident")
