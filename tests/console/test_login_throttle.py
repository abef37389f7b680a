"""A flood of console logins runs a bounded number of password checks (login_throttle.py)."""

from __future__ import annotations

import re

from bot.console.login_throttle import LoginThrottle
from tests.console.conftest import PASSWORD


async def _post_login(s, password: str):
    s.client.session.cookie_jar.clear()
    page = await s.client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    return await s.client.post("/console/login", data={
        "csrf": token, "username": "amina", "password": password}, allow_redirects=False)


def test_a_password_guesser_is_refused_without_a_check_and_told_to_wait(run_stack):
    async def scenario(s):
        statuses = [(await _post_login(s, f"essai {n}")).status for n in range(12)]
        assert statuses == [401] * 10 + [429] * 2
        refused = await _post_login(s, PASSWORD)  # even the right one, for now
        assert refused.status == 429
        assert refused.headers["Retry-After"] == "60"
        assert "Trop de tentatives de connexion. Réessayez dans une minute." in (
            await refused.text())

    run_stack(scenario)


def test_an_address_regains_one_check_every_few_seconds():
    now = [0.0]
    throttle = LoginThrottle(burst=2, refill_s=6.0, clock=lambda: now[0])
    assert [throttle.allow("203.0.113.9") for _ in range(3)] == [True, True, False]
    now[0] = 6.0
    assert [throttle.allow("203.0.113.9") for _ in range(2)] == [True, False]


def test_one_address_out_of_checks_does_not_stop_another():
    throttle = LoginThrottle(burst=2, clock=lambda: 0.0)
    assert [throttle.allow("203.0.113.9") for _ in range(5)] == [True, True] + [False] * 3
    assert throttle.allow("198.51.100.7")


def test_all_addresses_together_share_a_global_budget():
    now = [0.0]
    throttle = LoginThrottle(burst=5, global_burst=3, global_refill_s=1.0, clock=lambda: now[0])
    allowed = [throttle.allow(f"203.0.113.{n}") for n in range(5)]
    assert allowed == [True, True, True, False, False]
    now[0] = 1.0
    assert throttle.allow("203.0.113.200")
