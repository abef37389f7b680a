"""Sentences about the channel itself (numbered choices, media, STOP), in French.

The bot's voice belongs in domain.yml; these are the channel's mechanics, kept here until
the lead moves the ones that are conversation into the domain (see docs/channels.md).
"""

from __future__ import annotations

VOICE_NOTE = (
    "Je ne peux pas encore écouter les messages vocaux. "
    "Écrivez-moi en quelques mots, s'il vous plaît."
)
DOCUMENT_RECEIVED = "J'ai bien reçu votre document. Je le garde en sécurité pour votre demande."
DOCUMENT_FAILED = "Je n'ai pas pu recevoir votre fichier. Pouvez-vous le renvoyer ?"
DOCUMENT_TOO_LARGE = "Ce fichier est trop lourd. Envoyez une photo plus légère, s'il vous plaît."
UNSUPPORTED_MEDIA = (
    "Je ne sais pas lire ce type de fichier. Envoyez une photo ou un PDF, ou écrivez-moi."
)
OPTED_OUT = (
    "C'est noté : vous ne recevrez plus de messages de Relais. "
    "Pour reprendre, écrivez-moi quand vous voulez."
)
TEXT_TOO_LONG = "Votre message est trop long. Écrivez-le en plusieurs fois, s'il vous plaît."


def choice_prompt(count: int) -> str:
    """ "Répondez 1.", "Répondez 1 ou 2.", "Répondez 1, 2 ou 3." """
    numbers = [str(n) for n in range(1, count + 1)]
    if count == 1:
        return "Répondez 1."
    return f"Répondez {', '.join(numbers[:-1])} ou {numbers[-1]}."

# Linking Telegram to a phone number (bot/channels/linking.py).
LINK_HOW = (
    "Pour que je vous reconnaisse aussi par SMS et WhatsApp, écrivez /lier suivi de votre "
    "numéro de portable. Par exemple : /lier 06 12 34 56 78"
)
LINK_CODE_SENT = "Je vous ai envoyé un code par SMS. Écrivez ici les 6 chiffres du code."
LINK_SMS = (
    "Relais : votre code est {code}. Écrivez-le dans Telegram pour relier vos conversations. "
    "Il est valable 10 minutes."
)
LINK_DONE = "C'est fait : je vous reconnais maintenant sur Telegram et à ce numéro."
LINK_WRONG_CODE = "Ce code n'est pas le bon. Vérifiez le SMS et écrivez les 6 chiffres."
LINK_ABANDONED = (
    "Le code n'est plus valable. Écrivez /lier et votre numéro pour en recevoir un autre."
)
LINK_TOO_MANY = "Vous avez demandé plusieurs codes aujourd'hui. Réessayez demain, s'il vous plaît."
LINK_UNAVAILABLE = "Je ne peux pas envoyer de SMS pour le moment. Réessayez plus tard."
