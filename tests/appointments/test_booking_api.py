"""The action server's appointment API: slots, booking, cancelling, moving — one seat each."""

from __future__ import annotations

from datetime import datetime

from tests.appointments.conftest import WEB_RESIDENT

NOW = datetime(2026, 11, 30, 8, 0)  # Monday 09:00 in Paris
ANNA, BILAL = "1" * 32, "2" * 32
FIRST = "ecrivain_public@20261201T1300Z"  # Tuesday 1 December, 14:00 in Paris


def test_the_api_answers_only_the_action_server(run_stack):
    async def scenario(stack):
        client = stack.gateway.client
        response = await client.get("/internal/appointments/slots",
                                    params={"kind": "ecrivain_public"})
        assert response.status == 403
        response = await client.post("/internal/appointments", json={
            "conversation_id": ANNA, "slot": FIRST}, headers={"Authorization": "Bearer x"})
        assert response.status == 403
        response = await client.post("/internal/jobs/run", json={})
        assert response.status == 403
    run_stack(scenario, NOW)


def test_free_slots_are_the_verified_ones_in_french(run_stack):
    async def scenario(stack):
        status, data = await stack.gateway.api("GET", "/internal/appointments/slots",
                                               kind="ecrivain_public")
        assert status == 200 and data["verified"] is True
        first = data["slots"][0]
        assert (first["slot"], first["day"], first["time"]) == (FIRST, "mardi 1er décembre",
                                                                "14 h")
        assert first["place_name"] == "Écrivain public de la maison de quartier des Tests"
        status, data = await stack.gateway.api("GET", "/internal/appointments/slots",
                                               kind="ccas")
        assert (status, data["verified"], data["slots"]) == (200, False, [])
        status, _ = await stack.gateway.api("GET", "/internal/appointments/slots", kind="cmp")
        assert status == 422
    run_stack(scenario, NOW)


def test_a_seat_is_booked_once_and_given_back_on_cancel(run_stack):
    async def scenario(stack):
        api = stack.gateway.api
        status, data = await api("POST", "/internal/appointments",
                                 {"conversation_id": ANNA, "slot": FIRST})
        assert status == 201
        booked = data["appointment"]
        assert (booked["day"], booked["time"], booked["place_address"]) == (
            "mardi 1er décembre", "14 h", "2 rue Imaginaire, 99999 Fictiville")
        assert booked["reminder"] is False  # Anna has no channel identity (web chat)
        status, data = await api("POST", "/internal/appointments",
                                 {"conversation_id": BILAL, "slot": FIRST})
        assert (status, data["error"]) == (409, "slot_taken")
        _, slots = await api("GET", "/internal/appointments/slots", kind="ecrivain_public")
        assert FIRST not in [s["slot"] for s in slots["slots"]]
        # Bilal cannot cancel Anna's appointment; Anna can, and the seat is free again.
        status, _ = await api("POST", f"/internal/appointments/{booked['id']}/cancel",
                              {"conversation_id": BILAL})
        assert status == 404
        status, data = await api("POST", f"/internal/appointments/{booked['id']}/cancel",
                                 {"conversation_id": ANNA})
        assert (status, data["appointment"]["status"]) == (200, "cancelled")
        _, upcoming = await api("GET", "/internal/appointments", conversation_id=ANNA)
        assert upcoming["appointments"] == []
        status, _ = await api("POST", "/internal/appointments",
                              {"conversation_id": BILAL, "slot": FIRST})
        assert status == 201
    run_stack(scenario, NOW)


def test_two_seats_take_two_residents_and_no_third(run_stack):
    async def scenario(stack):
        thursday = "france_services@20261203T0800Z"
        results = [await stack.gateway.api("POST", "/internal/appointments",
                                           {"conversation_id": who, "slot": thursday})
                   for who in (ANNA, BILAL, WEB_RESIDENT)]
        assert [status for status, _ in results] == [201, 201, 409]
    run_stack(scenario, NOW)


def test_unconfirmed_past_or_invented_slots_cannot_be_booked(run_stack):
    async def scenario(stack):
        api = stack.gateway.api
        for slot in ("ecrivain_public@20261205T0900Z",  # Saturday: not verified
                     "ecrivain_public@20261124T1300Z",  # last week
                     "ecrivain_public@20261201T1310Z"):  # not a slot start
            status, _ = await api("POST", "/internal/appointments",
                                  {"conversation_id": ANNA, "slot": slot})
            assert status == 409, slot
        status, _ = await api("POST", "/internal/appointments",
                              {"conversation_id": ANNA, "slot": "cmp_adulte@20261201T1300Z"})
        assert status == 422
        status, _ = await api("POST", "/internal/appointments",
                              {"conversation_id": "not-a-conversation", "slot": FIRST})
        assert status == 422
    run_stack(scenario, NOW)


def test_moving_books_the_new_slot_and_frees_the_old(run_stack):
    async def scenario(stack):
        api = stack.gateway.api
        _, data = await api("POST", "/internal/appointments",
                            {"conversation_id": ANNA, "slot": FIRST})
        old = data["appointment"]["id"]
        later = "ecrivain_public@20261208T1430Z"  # Tuesday 8 December, 15:30
        status, data = await api("POST", f"/internal/appointments/{old}/move",
                                 {"conversation_id": ANNA, "slot": later})
        assert status == 200
        assert (data["appointment"]["day"], data["appointment"]["time"]) == (
            "mardi 8 décembre", "15 h 30")
        _, upcoming = await api("GET", "/internal/appointments", conversation_id=ANNA)
        assert [a["time"] for a in upcoming["appointments"]] == ["15 h 30"]
        status, _ = await api("POST", "/internal/appointments",
                              {"conversation_id": BILAL, "slot": FIRST})
        assert status == 201  # the old seat is free
        # A slot of another kind of permanence is not a move.
        status, _ = await api("POST", f"/internal/appointments/{data['appointment']['id']}/move",
                              {"conversation_id": ANNA,
                               "slot": "france_services@20261203T0800Z"})
        assert status == 422
    run_stack(scenario, NOW)
