"""The town's own schemes, the mutuelle communale and the caisse sociale alimentaire.

What the bot says about them comes from the commune file (commune/pantin.yml): each verified
fact is stated, with its date when it is an amount; anything not verified is left out, and
where nothing is verified the bot says the rules are not published yet and to ask the CCAS.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from commune import CommuneFileError, load_commune, verified_value

Message = tuple[str, dict[str, Any]]


def _fact_date(fact: Any) -> str:
    return str(fact.get("date")) if isinstance(fact, dict) and fact.get("date") else ""


def mutuelle_messages(commune: dict[str, Any]) -> list[Message]:
    scheme = commune.get("mutuelle_communale") or {}
    insurer, conditions, prices, where = (
        verified_value(scheme.get(k)) for k in ("insurer", "conditions", "prices", "where_to_join"))
    if not any((insurer, conditions, prices, where)):
        return [("utter_mutuelle_pantin", {})]
    messages: list[Message] = []
    if insurer:
        messages.append(("utter_mutuelle_insurer", {"insurer": insurer}))
    if conditions:
        messages.append(("utter_mutuelle_conditions", {"conditions": conditions}))
    if prices:
        messages.append(("utter_mutuelle_prices",
                         {"prices": prices, "date": _fact_date(scheme.get("prices"))}))
    messages.append(("utter_mutuelle_where", {"where": where}) if where
                    else ("utter_local_scheme_where_unknown", {}))
    return messages


def food_fund_messages(commune: dict[str, Any]) -> list[Message]:
    fund = commune.get("caisse_sociale_alimentaire") or {}
    criteria, amount, where = (
        verified_value(fund.get(k))
        for k in ("criteria", "amount_per_person_per_month", "where_to_apply"))
    if not any((criteria, amount, where)):
        return [("utter_food_fund", {})]
    messages: list[Message] = []
    if criteria:
        messages.append(("utter_food_fund_criteria", {"criteria": criteria}))
    if amount:
        messages.append(("utter_food_fund_amount", {
            "amount": amount, "date": _fact_date(fund.get("amount_per_person_per_month"))}))
    messages.append(("utter_food_fund_where", {"where": where}) if where
                    else ("utter_local_scheme_where_unknown", {}))
    return messages


def _say(dispatcher: CollectingDispatcher, build, unpublished: str) -> None:
    try:
        messages = build(load_commune())
    except CommuneFileError:
        messages = [(unpublished, {})]
    for response, values in messages:
        dispatcher.utter_message(response=response, **values)


class ActionTellMutuelleCommunale(Action):
    def name(self) -> str:
        return "action_tell_mutuelle_communale"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        _say(dispatcher, mutuelle_messages, "utter_mutuelle_pantin")
        return []


class ActionTellFoodFund(Action):
    def name(self) -> str:
        return "action_tell_food_fund"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        _say(dispatcher, food_fund_messages, "utter_food_fund")
        return []
