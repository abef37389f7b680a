"""Language helpers shared by the NLU pipeline and the actions: normalisation and the
always-on crisis safety net.

``normalize`` turns residents' SMS French into one canonical form; ``detect_crisis`` returns
the ids of the crisis rules a message matches (never its text). The Rasa component that puts
the safety net in the pipeline lives in ``bot.language.rasa_component`` and is imported only
by Rasa, so this package stays importable without Rasa.
"""

from bot.language.crisis import CrisisSignal, detect_crisis
from bot.language.normalize import normalize

__all__ = ["CrisisSignal", "detect_crisis", "normalize"]
