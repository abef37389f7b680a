"""The one shape of every error the gateway returns: a code for programs, a sentence for people."""

from __future__ import annotations

import functools
import json

from aiohttp import web

# Accented French stays readable in every JSON answer (UTF-8, not \u escapes).
dumps = functools.partial(json.dumps, ensure_ascii=False)

MESSAGES = {
    "assistant_unavailable": (
        "Relais est momentanément indisponible. Réessayez dans quelques minutes."
    ),
    "assistant_timeout": "Relais met trop de temps à répondre. Réessayez dans un instant.",
    "unsupported_media_type": "Envoyez le message en JSON (Content-Type: application/json).",
    "invalid_json": "Le message n'est pas un JSON valide.",
    "invalid_request": "La demande est incomplète ou mal formée.",
    "empty_text": "Le message est vide. Écrivez quelques mots.",
    "text_too_long": "Le message est trop long. Écrivez-le en plusieurs fois.",
    "payload_too_large": "La demande est trop volumineuse.",
    "not_found": "Cette adresse n'existe pas.",
    "method_not_allowed": "Cette méthode n'est pas acceptée ici.",
    "internal_error": "Une erreur est survenue. Réessayez dans un instant.",
    "unsupported_media_type_form": (
        "Envoyez le message en formulaire (Content-Type: application/x-www-form-urlencoded)."
    ),
    "invalid_form": "Le formulaire n'est pas lisible.",
    "forbidden": "Signature ou jeton absent ou invalide.",
    "channel_disabled": "Ce canal n'est pas configuré sur ce serveur.",
    "unauthorized": "Connectez-vous à la console pour continuer.",
    "access_denied": "Votre rôle ne donne pas accès à cette page.",
    "csrf_failed": "Le formulaire a expiré. Rechargez la page et recommencez.",
    "conflict": "Cette conversation n'est plus dans cet état. Rechargez la file.",
    "slot_taken": "Ce créneau n'a plus de place libre.",
    "slot_unavailable": "Ce créneau n'est pas proposé (passé, non confirmé ou inexistant).",
}


def json_error(status: int, code: str, field: str | None = None) -> web.Response:
    body: dict = {"error": code, "message": MESSAGES[code]}
    if field is not None:
        body["field"] = field
    return web.json_response(body, status=status, dumps=dumps)
