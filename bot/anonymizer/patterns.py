"""Identifiers found by their form: phone numbers, e-mails, dates, numbers, streets, postcodes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS

from .first_names import world_first_names
from .lexicon import Lexicon, alternation, load_lexicon
from .spans import PLACE_LINKS, TOKEN, Span, fold
from .vocabulary import is_french_word, is_verb_form

_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
           "novembre|décembre|decembre|"
           # abbreviated, as forms and phones write them (round 10): "3 avr. 1975", "3-fév-82"
           r"janv\.?|jan\.?|févr\.?|fevr\.?|fév\.?|fev\.?|avr\.?|juil\.?|juill\.?|sept\.?|"
           r"sep\.?|oct\.?|nov\.?|déc\.?|dec\.?")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
# A street's name ends before the flat: "5 RUE CHARLES AURAY APPT 34" (round 8).
_STREET_NAME_WORD = r"(?!(?i:appt|apt|appart|appartement|bat|bât|bâtiment|esc|escalier|porte)\b)"
# Inside a street's name: "rue de la Paix", "quai de l'Aisne" ("au", "en" end it: "au 3e étage").
_STREET_LINK = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])"
_STREET_ONLY_WORDS = frozenset({"rue", "avenue", "av", "bd", "boulevard", "allee", "impasse",
                                "quai", "sentier"})
_STREET_LINKS = frozenset({"de", "des", "du", "d", "l"})
_STREET_STOPS = frozenset({"bat", "batiment", "esc", "escalier", "etage", "appartement", "appart",
                           "apt", "appt", "porte", "code", "interphone", "rdc", "depuis", "pres",
                           "a", "au", "et", "chez", "avec", "dans", "pour", "mais", "ou", "donc",
                           # "à la rue dp hier soir": words of time end a street (round 9)
                           "dp", "hier", "demain", "soir", "matin", "maintenant", "ici"})
MONTH_AND_DAY = frozenset(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                            "septembre", "octobre", "novembre", "decembre", "lundi", "mardi",
                            "mercredi", "jeudi", "vendredi", "samedi", "dimanche"])
# "je suis allée voir…": after a form of "être", "allée" is the verb, not a street.
_NOT_AFTER_ETRE = "".join(rf"(?<!\b{word} )" for word in (
    "suis", "es", "est", "sont", "sommes", "etes", "êtes", "étais", "etais", "était", "etait",
    "été", "ete", "serai", "sera", "jsuis", "chui"))
# "depuis 1974, rue des Pommiers": a year before a comma is no house number (round 11)
_LOWER_STREET = re.compile(r"(?:(?P<number>(?<!\w)(?!(?:19|20)\d\d\s*,)\d{1,4}"
                           r"\s*(?:bis|ter|b)?)\s*,?\s+)?"
                           rf"{_NOT_AFTER_ETRE}\b(?P<kind>rue|avenue|av|bd|boulevard|allee|impasse|quai|sentier|"
                           r"chemin|place|square|passage|villa|route|cour|voie|"
                           # abbreviated, after a number only (round 10): "23 r. des sept
                           # arpents", "14bis r jules auffret", "8 bld Pasteur", "3 imp. Lacroix"
                           # and with their dot only: "12 all. des Tilleuls", "5 ch. des Vignes"
                           # ("2 pl. de parking": "pl." is a place to park more than a square)
                           r"r|bld|blvd|boul|imp|rte|sq|ave|all(?=\.)|ch(?=\.)|"
                           r"che(?=\.)|pass(?=\.))\.?\s+")
# The abbreviated kinds, streets only with a number before them ("r" alone is a letter).
_NUMBERED_ONLY_KINDS = frozenset({"r", "bld", "blvd", "boul", "imp", "rte", "sq", "ave", "all",
                                  "ch", "che", "pass"})
_NUMBER_WORDS = (r"(?:z[ée]ro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
                 r"treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|"
                 r"soixante-dix|quatre-vingt|quatre-vingts|quatre-vingt-dix|cent|et)")
# A year said in words: "mille neuf cent quatre-vingt-cinq", "deux mille dix".
_YEAR_WORDS = (r"(?:deux\s+mille\b|mil(?:le)?\b)(?:[\s-]+(?:z[ée]ro|un|une|deux|trois|quatre|cinq|"
               r"six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|"
               r"quarante|cinquante|soixante|cent|cents|et)\b)*(?<!mille)(?<!mil)|deux\s+mille\b")
_DAY_WORDS = (r"(?:(?:vingt|trente)(?:[\s-]+et)?[\s-]+(?:un|deux|trois|quatre|cinq|six|sept|"
              r"huit|neuf)|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
              r"quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt|trente)")
# Words of the situation that look like names or codes: "F3", "T2", "CM2", "CE1", "6e",
# "bâtiment B", "escalier 2", acronyms of the keep-list.


# Born, in French and in the languages residents write in: "né", "nací", "nascido", "născut".
_BORN = r"(?:n[ée]e?s?|born|nac[ií]\w*|nasc\w*|n[ăa]scut[ăa]?)"
# Languages whose month names date a birth in an answer (French is _MONTHS).
_MONTH_LANGUAGES = ("en", "es", "pt", "it", "ro", "pl", "tr", "de", "nl", "ru", "uk", "sr_Latn",
                    "hr", "hu", "sq", "ar", "wo", "bm", "ku", "kab", "so", "sw", "ha", "ig",
                    "fil", "vi", "ta", "bn", "hi", "ur", "fa", "ps", "am", "ti", "bg", "el", "lt")
# Haitian Creole's months, which CLDR lacks: "14 desanm 1982" (held-out 1 Dec d).
_CREOLE_MONTHS = ("janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "jiye", "out",
                  "septanm", "oktòb", "oktob", "novanm", "desanm")


@lru_cache(maxsize=1)
def _foreign_months() -> str:
    """Month names of those languages, as written and without accents, longest first."""
    from babel import Locale

    names = set(_CREOLE_MONTHS)
    for code in _MONTH_LANGUAGES:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for name in locale.months[context][width].values():
                    name = name.strip(".").lower()
                    if len(name) >= 3 and not name.isdigit():
                        names.update({name, fold(name)})
    return alternation(tuple(names))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    lexicon = load_lexicon()
    kinds = alternation(lexicon.street_kinds)
    titles = alternation(tuple(t for t in lexicon.titles if t != "M"))
    street_name = (rf"(?:{_STREET_LINK}\s*)*{_NAME}"
                   rf"(?:[\s-]+(?:{_STREET_LINK}\s*)*{_STREET_NAME_WORD}"
                   rf"(?:{_NAME}|\d+(?=\s+{_NAME})))*")
    return [
        ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
        # As dictated: "moussa.diallo93 arobase gmail point com".
        # The part before "arobase" dictated too: "fatou point diallo arobase yahoo point fr".
        ("email", re.compile(r"(?i)(?:[\w+-]+\s+(?:point|tiret|underscore)\s+)*"
                             r"[\w.+-]+\s*(?:@|\barobase\b)\s*[\w-]+"
                             r"(?:\s*(?:\.|\bpoint\b)\s*[a-z]{2,4}\b)+")),
        ("phone", re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?\(?0?\)?[\s.-]?|0)[1-9]"
                             r"(?:[\s.-]?\d{2}){4}(?!\d)")),
        ("phone", re.compile(r"(?<![\w+])\+\d{2,3}(?:[\s.-]?\d{1,4}){3,6}(?!\d)")),
        # A mobile number with a digit too few or too many, as typed in a hurry.
        ("phone", re.compile(r"(?<![\w+,.])0[67](?:[\s.-]?\d){7,9}(?![\d,])")),
        # Digit by digit: "0 6 7 7 1 2 4 4 8 8" (round 8).
        ("phone", re.compile(r"(?<![\w+,.])0(?:[\s.-]\d){9}(?![\d,])")),
        # "zéro six douze trente-quatre…": a number said in words, as voice-to-text writes it.
        # Also with slashes or dots between the groups: "zero sept / vingt deux / …" (round 8).
        ("phone", re.compile(rf"(?i)\bz[ée]ro(?:[\s,/.-]+(?:{_NUMBER_WORDS}|\d{{1,2}})\b){{4,}}")),
        ("number", re.compile(r"(?<!\d)[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?"
                              r"\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?!\d)")),
        # 7 digits: a CAF allocataire number; more: tax, foreigner, housing-request numbers.
        ("number", re.compile(r"(?<!\d)\d{7,}(?!\d)")),
        # An IBAN, in groups of four as banks print it: "FR76 3000 4012 3400 0101 2345 678"
        # (two letters, two check digits, then up to 30 letters or digits; round 9).
        ("number", re.compile(r"(?<!\w)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}"
                              r"(?:[ ]?[A-Z0-9]{1,3})?(?!\w)")),
        ("date", re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])")),
        ("date", re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")),
        ("date", re.compile(r"(?<!\d)(?<!\d )\b(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2]) "
                            r"(?:19|20)\d{2}(?!\d)")),
        ("date", re.compile(rf"(?i)\b(?:1er|premier|\d{{1,2}}|{_DAY_WORDS})"
                            rf"\s+(?:{_MONTHS})\s+(?:\d{{4}}\b|{_YEAR_WORDS})")),
        # A birth year in the languages residents write: Turkish "1985 doğumluyum" (the year
        # before "born"), Vietnamese "sinh năm 1949" ("born in the year"; round 9).
        ("date", re.compile(r"(?i)(?<!\d)(?:19|20)\d{2}(?=(?:['’]?[dt][ae])?\s+do[ğg]um)")),
        ("date", re.compile(r"(?i)(?<=\bsinh n[ăa]m )(?:19|20)\d{2}(?!\d)")),
        # A birth date with a two-digit year: "née le 5 mai 90".
        # ("le 12 mars 20 personnes", "le 4 avril 10 h 30" stay: round 10)
        ("date", re.compile(rf"(?i)(?<=\bl[e']\s)(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\s+\d{{2}}\b"
                            + _NOT_A_YEAR)),
        ("address", re.compile(
            # "je suis allée voir…": after a form of "être", "allée" is the verb, not a street.
            # "au 12 de la rue Cartier-Bresson": the number goes with its street
            # "n°6 sentier des Vignes", "au 17-19 rue de la République": the number's sign
            # and a range of numbers belong to the address (round 8)
            # ("desde 1988, rua …": a year before a comma is no house number)
            rf"(?:(?:\b[nN]°\s*)?(?<![\w-])(?!(?:19|20)\d\d\s*,)\d{{1,4}}(?:\s*[-/]\s*\d{{1,4}})?"
            rf"\s*(?:bis|ter|b)?"
            rf"\s*,?\s+(?:de\s+la\s+|du\s+)?)?"
            # the dot only after an abbreviation ("93 av. J. Jaurès"): "je dors sur place. Mon
            # mari…" ends a sentence (round 11)
            rf"{_NOT_AFTER_ETRE}(?i:\b(?:{kinds}))(?:(?<=[aA][vV]|[bB][dD])\.)?\s+"
            rf"{street_name}")),
        # "du 5 r. Méhul": "r." for "rue", with a number before and a name after.
        ("address", re.compile(rf"(?<!\w)\d{{1,4}}\s*(?:bis|ter)?\s*,?\s+[rR]\.\s*{street_name}")),
        ("address", re.compile(r"(?<!\d)(?:75|77|78|91|92|93|94|95)\d{3}(?!\d)"
                               rf"(?:\s+{_NAME}(?:[\s-]+{_NAME})*)?")),
        # A postcode typed "93 500", with its town ("93 000 habitants" is no postcode).
        ("address", re.compile(r"(?<![\d,.])(?:75|77|78|91|92|93|94|95)\s\d{3}(?!\d)"
                               rf"(?:\s+{_NAME}(?:[\s-]+{_NAME})*)")),
        # "Paris 19", "paris 20e", "le 19e arrondissement".
        ("place", re.compile(r"(?i)\bparis\s*(?:\d{1,2}|[xvi]{1,5})\s*(?:e|è|ème|eme|er)?\b")),
        # "le 13e arrondissement", "dans le 19eme", and 10e to 20e after "du" ("un restaurant du
        # 11e": a floor that high is rare; "au 3e", "du 3eme", "le 4ème étage" stay: floors).
        ("place", re.compile(r"(?i)\b\d{1,2}\s*(?:e|è|ème|eme|er)\s+arrondissement\b"
                             r"|(?<=\bdans le )\d{1,2}(?:e|ème|eme|è|er)\b(?!\s*[ée]tage)"
                             # 10e to 20e anywhere but after "au" (round 8: "Tôi ở 19e",
                             # "nanny sa 16e"); "le 15e jour", "au 12e", "la 11e fois" stay
                             r"|(?<![\w-])(?<!\bau )(?:1\d|20)(?:e|ème|eme|è)\b(?!\s*(?:[ée]tage|"
                             r"si[èe]cle|rang|place|jour|semaine|mois|an|ann[ée]e|fois|classe|"
                             r"position|[ée]dition|sur|anniversaire|[ée]tg))")),
        # A birth year alone: "née en 1987", "ma mère née en 63", "nos enfants Emre (2008)": a
        # year in brackets right after a name ("demande faite (2019)" stays: no capitalised
        # word before).
        # "né vers 1975", "nací en 1991", "born in 1990".
        ("date", re.compile(rf"(?i)\b{_BORN}(?:\s+(?:en|vers|environ|in|em|around|about))?"
                            r" (?P<id>(?:19|20)?\d{2})\b(?!\s*(?:ans|mois))")),
        # A full date in the other languages residents write in: "el 3 de marzo de 1991",
        # "3rd of March 1990", "March 3, 1990", "15 maja 1988" (months from Babel's CLDR).
        ("date", re.compile(rf"(?i)\b\d{{1,2}}(?:st|nd|rd|th|º|\.)?\s+(?:de\s+|of\s+)?"
                            rf"(?:{_foreign_months()})\s+(?:de\s+|del\s+)?(?:19|20)\d{{2}}\b"
                            rf"|\b(?:{_foreign_months()})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+"
                            r"(?:19|20)\d{2}\b")),
        # A birthday without its year is still a birth date (round 8): "née le 4 février", "je
        # suis né un 7 novembre", "il aura 5 ans le 12 décembre", "son anniversaire c'est le 3
        # mai", "date de naissance : 12/03" ("arrivée le 4 février", "le 8 mai" alone stay).
        # ("il a eu 5 ans le 2 mars": round 11)
        ("date", re.compile(rf"(?i)(?:\b{_BORN}|\bnaissance|\banniversaire|\baura\s+\d+\s+ans"
                            r"|\ba\s+eu\s+\d+\s+ans)"
                            r"(?:\s+(?:est|c['’]est|c\s|:))?\s*(?:le|un|du|:)?\s*"
                            rf"(?P<id>(?:1er|premier|\d{{1,2}}|{_DAY_WORDS})\s+(?:{_MONTHS})"
                            r"|\d{1,2}[/.]\d{1,2})\b(?![/.]\d)")),
        # A birth month and year: "née en mars 1987", "né en avril 85".
        ("date", re.compile(rf"(?i)\bn[ée]e?s?(?: en| au mois d['’e]\s*)?\s*(?P<id>(?:{_MONTHS})"
                            r"\s+(?:(?:19|20)\d{2}|\d{2}))\b")),
        ("date", re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+ \((?P<id>(?:19|20)\d{2})\)")),
        # A landmark named after the country, whose name is all of it since "France" alone
        # stays (round 8): "lângă Stade de France", "le Parc de France"
        ("place", re.compile(r"\b(?:Stade|Parc|Gare|Marché|Musée|Hôtel|Centre|Campus)\s+de\s+"
                             r"France\b")),
        # A cité or a residence named by a number: "la cité des 4000", "cité des 3000".
        ("place", re.compile(r"(?i)\b(?:cit[ée]|r[ée]sidence|quartier)\s+(?:des\s+|du\s+)?"
                             r"(?P<id>\d{3,5})\b(?!\s*(?:ans|mois|euros?\b|€|m2|logements))")),
        # "M. et Mme Bernard": a couple named once, both titles with the name (round 8)
        ("person", re.compile(rf"(?:(?:\bM\.?|(?i:\b(?:{titles})\.?))\s+(?:et|&)\s+)?"
                              rf"(?:\bM\.?|(?i:\b(?:{titles})\.?))\s+{_NAME}(?:[\s-]+{_NAME})?")),
        # A company named with its legal form, which is part of the name (round 8): "la SCI Les
        # Tilleuls", "SARL Net Propre"
        ("organisation", re.compile(rf"\b(?:SCI|SARL|SAS|SASU|EURL|SNC)\s+"
                                    rf"(?:(?:Les|Le|La|L['’]|Du|Des|De)\s*)?{_NAME}(?:[\s-]+{_NAME}){{0,2}}")),
        # Titles and abbreviations of a first name that French shares only with a capital
        # (round 8): "Md. Rafiqul Islam", "Mst. Rumana", the Maghreb's "Si Ahmed", the
        # Portuguese "Dona Maria"; "si" and "dona" in lower case are words
        ("person", re.compile(rf"(?<![\w.])(?:Md\.|Mst\.|Mohd\.?|Dona|Dom"
                              rf"|(?<!^)(?<![.!?;:] )(?<![.!?;:]\n)(?<!\n)Si)\s+{_NAME}"
                              rf"(?:[\s-]+{_NAME})?")),
    ]


# A word announcing a file number, then the number, with spaces, letters or dots inside: "n°
# allocataire 2345 678", "numéro de demande de logement 093 11 0001234", "titre de séjour
# n° AB1234567". The number must hold at least five digits ("numéro 3", "dossier 2024" stay).
_NUMBER_CUE = re.compile(r"(?i)(?:\bn°|\bno\b\.?|\bnum(?:[ée]ro)?s?\b|\bmatricule|\bidentifiant|"
                         r"\ballocataire|\bfiscal|\bagdref|\b[ée]tranger|\bs[ée]jour|\bdemande|"
                         r"\bnud\b|\br[ée]f[ée]rence|\bref\b|"
                         # the offices' names and "number" in the residents' languages: "mi
                         # número OFPRA es 2405-00871", "numer", "nummer", "numara", "numri",
                         # "nimewo", "номер", "رقم", "laharana", "ნომერი", a "dossier",
                         # "expediente", "processo", "dosya" (round 11)
                         r"\bofpra\b|\bofii\b|\bcnda\b|\bn[uú]mero|\bnumer\w*|\bnummer|"
                         r"\bnumara\w*|\bnumri\b|\bnimewo|\bномер\w*|رقم|\blaharana|ნომერ\w*|"
                         r"\bdossier|\bexpediente|\bprocesso|\bdosya\w*|\bfile\s+number)")
_CODE = re.compile(r"[^\d\n.!?;]{0,40}?(?<![\w-])([A-Z0-9](?:[A-Z0-9]|[\s.-](?=[A-Z0-9])){4,})")

_INCOME = re.compile(r"(?i)\brevenus?\s+(?:fiscal\s+(?:de\s+)?)?$")
_AMOUNT = re.compile(r"(?i)\s*(?:€|euros?\b|eur\b|e\b)")  # "une demande de 12 000 €"


def numbered_code_spans(text: str) -> list[Span]:
    """File numbers after the word that announces them (CAF, tax, foreigner, housing request)."""
    text = _ascii_digits(text)  # "CAF ٢٨٤٥١٩٣" (round 10)
    spans = []
    for cue in _NUMBER_CUE.finditer(text):
        if _INCOME.search(text, max(0, cue.start() - 20), cue.start()):
            continue  # "revenu fiscal de référence 14 300": an amount
        code = _CODE.match(text, cue.end())
        if (code and sum(c.isdigit() for c in code.group(1)) >= 5
                and not _AMOUNT.match(text, code.end(1))):
            start, end = _without_words(text, code.start(1), code.end(1))
            spans.append(Span(start, end, "number", "regex"))
    return spans


def _without_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A code typed in capitals takes the words around it ("ALLOCATAIRE CAF EST 2845193 ET
    ILS ONT"): words without a digit at either end are no part of it ("AB 12345" keeps AB)."""
    tokens = [m for m in re.finditer(r"\S+", text[start:end])]
    while tokens and not any(c.isdigit() for c in tokens[0].group()) and len(tokens[0].group()) > 2:
        tokens.pop(0)
    while tokens and not any(c.isdigit() for c in tokens[-1].group()):
        tokens.pop()
    if not tokens:
        return start, end
    return start + tokens[0].start(), start + tokens[-1].end()


# A birth year, then the years of the others born after it in the same sentence: "il est né en
# 2015 et sa soeur en 2018", "nés en 2012, 2015 et 2019", "née en mars 1987 et lui en 90".
# Or a birth date, then the others' dates or years: "yanis ne le 4/9/2015, ines le 22/01/2018 et
# le petit adam en 2021" (round 10).
_BORN_ANY = (r"(?:n[ée]e?s?|born|nac[ií]\w*|nasc\w*|n[ăa]scu\w*|nat[oaie]|geboren|urodzi\w*|"
             r"родил\w*|народил\w*|народжен\w*|f[èe]t|juddu|mzyou?d\w*|tzad\w*|bange\w*|"
             r"bangera|teraka|lindur|lindi)")
_FULL_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
              rf"|(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\s+(?:19|20)\d{{2}})")
_BIRTH_YEAR = re.compile(rf"(?i)\b{_BORN}(?: en| vers| au mois d['’e]\s*)?\s*(?:(?:{_MONTHS})\s+)?"
                         r"(?:19|20)?\d{2}\b(?!\s*(?:ans|mois))"
                         # "născut pe 11.03.2012", "born on 3/4/2015", "nacido el 4/07/2014",
                         # "geboren am 3.4.2015", "fèt 12/06/2019" (round 11)
                         rf"|\b{_BORN_ANY}\s+(?:(?:le|pe|on|the|el|em|a|am|il|op|w|в|у|na|ng)\s+)?"
                         rf"{_FULL_DATE}(?![\d/.-]\d)")
# ("nasceram em 2012 e 2015", "y", "and", "i", "und", "ve", "и", "і": round 11)
_FULL_YEAR = re.compile(r"(?:19|20)\d{2}")
_NEXT_YEAR = re.compile(r"(?i)\s*\)?\s*(?:,|\b(?:et|puis|and|e|y|i|und|ve|и|і)\b)\s*"
                        r"(?P<words>(?:[^\W\d_][\w'’-]*\s+){0,3}?)"
                        # ("burri im në 1980", "y mi esposo en el 85": round 11)
                        rf"(?:(?:en|in|em|në|më|f|fi|el|en\s+el|nel|w|в|у)\s+|\(\s*)?(?P<id>(?:(?:{_MONTHS})\s+)?(?:19|20)\d{{2}}|{_FULL_DATE})\b"
                        r"(?!\s*(?:ans|mois))")


_PRONOUNS = frozenset({"lui", "elle", "elles", "eux", "moi", "toi", "puis"})  # "lui": "luire"


# Dates, birth years, phones and e-mails in the shapes of whole families of answers (round 10):
# each pattern covers the languages, spellings and word orders of one family, not one answer.

# A year said as two digits in words, as a birth year is: "née en quarante-neuf", "le vingt-trois
# mars quatre-vingt-huit", "soixante-dix-sept" (a tens word first: "le trois mars deux enfants"
# has none).
_UNITS_WORDS = (r"(?:dix[\s-]+(?:sept|huit|neuf)|un|une|deux|trois|quatre|cinq|six|sept|huit|"
                r"neuf|dix|onze|douze|treize|quatorze|quinze|seize)")
_TWO_DIGIT_WORDS = (r"(?:quatre[\s-]+vingts?|vingt|trente|quarante|cinquante|soixante)"
                    rf"(?:[\s-]+(?:et[\s-]+)?{_UNITS_WORDS})?(?![\w-])")
_ANY_YEAR = (r"(?:(?:19|20)\d{2}(?!\d)|\d{2}(?![\d/:h]|[.,]\d)"
             rf"|{_YEAR_WORDS}|{_TWO_DIGIT_WORDS})")
# What a number is when it is no year: "12 mars 20 personnes", "né en 70 kg".
_NOT_A_YEAR = (r"(?!\s*(?:ans?\b|mois|jours?\b|semaines?|sem\b|weeks?|h\b|heures?|min|"
               r"euros?\b|€|%|kg|kilos?|grammes?|g\b|cm\b|km|m2|personnes|"
               # ("2012e" is an ordinal, "2012 e 2015" a list: round 11)
               r"enfants|fois|ème|eme)|e\b)")
# Born, in more of the languages residents write: Italian "nato", "nata".
# Darija typed in Latin letters (round 11): "mzyouda f Casa f 1975", "tzadt f wejda 1980",
# "zdadt", "twaldt"; Albanian "kam lindur në Tiranë në 1985"; Malagasy "teraka tany Toamasina".
_BORN_MORE = (rf"(?:{_BORN}|nat[oaie]|geboren|urodzi\w*|родил\w*|народил\w*|mzyou?d\w*|"
              r"tzad\w*|zdad\w*|twal?d\w*|lindur|lindi|teraka|bange\w*)")
# Between "born" and the year, where: "née à Labé vers 1966", "né a tizi en 1975", "né à
# Nouakchott, en soixante-deux je crois" (a few words, none that starts another clause).
_WHERE_BORN = (r"(?:\s+(?:à|a|au|aux|en|in|at|em|na|no|w|в|у|f|fi|fel|në|ne|tany|tao)\s+"
               r"(?:(?!(?:et|mais|puis|je|j|il|elle|on|nous|depuis|arriv\w*|venu\w*|pour|avec)\b)"
               r"[^\W\d_][\w'’-]*\s*){1,3}?,?)")
_BIRTH_YEAR_AFTER_PLACE = re.compile(
    rf"(?i)\b{_BORN_MORE}{_WHERE_BORN}\s*(?:en|vers|environ|in|em|around|about|nel|en\s+l['’]an|"
    rf"в|у|f|fi|fel|f\s+l?3am|në|ne|më|tamin['’]ny(?:\s+taona)?)\s+(?:l['’]an\s+)?(?P<id>(?:(?:{_MONTHS})\s+)?{_ANY_YEAR}){_NOT_A_YEAR}")
# "né en quarante-neuf", "nata nel 1980", "born in 1990" (the digits alone: round 8's pattern).
_BIRTH_YEAR_WORDS = re.compile(
    rf"(?i)\b{_BORN_MORE}(?:\s+(?:en|vers|environ|in|em|around|about|nel|в|у|f|fi|fel|në|më|"
    rf"tamin['’]ny(?:\s+taona)?))?\s+"
    rf"(?P<id>{_YEAR_WORDS}|{_TWO_DIGIT_WORDS}|(?:19|20)\d{{2}}(?!\d)){_NOT_A_YEAR}")
# "Born", in the languages residents write, then a few small words, then the year: "urodziłam
# się w 1985", "m-am născut în 1985", "nasci no ano de 1985", "nací en el 90", "née en l'an
# 2000", "родилась в 1985 году", Hindi "मेरा जन्म 1985 में", Arabic "تاريخ الازدياد 1985".
_BORN_WORDS = (r"(?:\b(?:n[ée]e?s?|born|nac[ií]\w*|nasc\w*|n[ăa]scu\w*|nat[oaie]|geboren|"
               r"urodzi\w*|родил\w*|народил\w*|народжен\w*|f[èe]t|juddu|haife|dhash\w*|"
               r"lul[eɣ]\w*|"
               # Bambara "a bangera 1991", "bangera 2012 la", Pulaar "jibinaa e hitaande 1985",
               # Malagasy "teraka tamin'ny 1985", Albanian "kam lindur më 1985", darija
               # "mzyouda f 1975", "tzadt 1980" (round 11)
               r"bange\w*|bangra|wolola|jibin\w*|teraka|lindur|lindi|mzyou?d\w*|tzad\w*|"
               r"zdad\w*)|\w*zaliwa|დავიბადე|დაიბადა|დაბადებ\w*|\w*botam\w*|ولدت|وُلدت|مواليد|متولد|الميلاد|الازدياد|"
               r"ازديادي|জন্ম\w*|जन्म)")
# ("née à l'automne 1966", "née début 1980", "née fin 79": a season or a part of the year)
_BETWEEN_BORN_AND_YEAR = (r"(?:[\s,:]+(?:l['’]automne|l['’]hiver|l['’][ée]t[ée]|automne|hiver|"
                          r"printemps|[ée]t[ée]|d[ée]but|fin|mi|milieu|courant|à|au|"
                          r"se|s['’]|si[ęe]|m['’]|sa|en|el|del|em|no|na|nel|in|"
                          r"în|the|year|ano|año|an|l['’]an|ani|de|di|du|w|в|у|mwaka|naa|ci|deg|a|"
                          r"ni|ve|vers|environ|around|about|سنة|عام|في|est|:|"
                          # Pulaar "e hitaande", Malagasy "tamin'ny taona", Albanian "më",
                          # "në vitin", darija "f l3am", Georgian "წელს" (round 11)
                          r"e|hitaande|tamin['’]ny|taona|ny|më|në|vitin|f|fi|fel|l3am|3am)"
                          r"(?!\w)){0,4}")
_BORN_ANY_LANGUAGE = re.compile(
    rf"(?i){_BORN_WORDS}{_BETWEEN_BORN_AND_YEAR}[\s,:]*['’]?"
    rf"(?P<id>(?:1[34]|19|20)\d{{2}}(?!\d)|\d{{2}}(?![\d/:h]|[.,]\d)|{_YEAR_WORDS}|"
    rf"{_TWO_DIGIT_WORDS}){_NOT_A_YEAR}")
# A child's birth told by the parent: "j'ai eu ma fille en 2012", "j'ai accouché de mon fils
# en 2019" ("j'ai eu mon titre en 2015" stays: no child).
_HAD_A_CHILD = re.compile(
    r"(?i)\b(?:eu|accouch[ée]e?\s+(?:de|d['’]))\s*(?:mon|ma|mes|notre|nos|un|une|le|la|les|"
    r"l['’])\s*(?:(?:premier|premi[èe]re|deuxi[èe]me|second|seconde|dernier|derni[èe]re|"
    r"petit|petite|grand|grande)\s+)?(?:enfants?|fils|filles?|gar[çc]ons?|b[ée]b[ée]s?|"
    r"jumeaux|jumelles|a[îi]n[ée]e?|cadet|cadette)\s+(?:en|vers)\s+(?P<id>(?:19|20)\d{2})(?!\d)")
# A birth year announced by a form's label: "DDN : 1955", "date de naissance 87", "année de
# naissance : 1990", "DOB: 1985", "fecha de nacimiento: 1979", "doğum tarihi 1985".
_BIRTH_LABEL = re.compile(
    r"(?i)(?:\bD\.?D\.?N\b\.?|\bdate\s+(?:de\s+)?naiss(?:ance|\.)?|\bann[ée]e\s+de\s+naissance|"
    r"\bn[ée]\(?e?\)?\s+en|\bDOB\b|\bdate\s+of\s+birth|\byear\s+of\s+birth|\bborn\s+in|"
    r"\bfecha\s+de\s+nacimiento|\bdata\s+de\s+nascimento|\bdata\s+(?:di\s+)?nascita|"
    r"\bdata\s+na[șşs]terii|\bdata\s+urodzenia|\bdo[ğg]um\s+(?:tarihi|y[ıi]l[ıi])|"
    r"\bdat\s+nesans|\bрік\s+народження|\bгод\s+рождения|"
    # "né(e) : 1990", "né(e) le: 1987", "Naissance: 1987" (round 10)
    r"\bn[ée]e?\s*\(e\)(?:\s+(?:en|le))?|\bnaissance|"
    # "DN 1990", "D.N. : 1985" (round 11)
    r"\bD\.?N\b\.?)"
    r"\s*[:=-]?\s*(?P<id>(?:19|20)\d{2}|\d{2})(?![\d/:h]|[.,]\d)" + _NOT_A_YEAR)
# "jsuis de 87", "je suis de 1990", "ma fille est de 2015": a person "is of" a year.
_IS_OF_YEAR = re.compile(
    r"(?i)(?:\b(?:je|j['’]?|tu|il|elle|on|moi|lui|fils|fille|fr[èe]re|s[œo]e?ur|mari|femme|"
    r"m[èe]re|p[èe]re|enfant|b[ée]b[ée]|petit|petite|a[îi]n[ée]e?|cadet|cadette|grand|grande)"
    r"\s*(?:suis|sui|es|est|sont|c['’]?est)|\b(?:jsuis|jsui|jsu|chui|chuis|jss|jui)|"
    r"\bc['’]est\s+(?:une?|la|le)\s+(?:ann[ée]e|classe|g[ée]n[ée]ration))\s+de\s+"
    # ("je suis de 93", "on est de 75": the départements of Île-de-France, as "du 93" says)
    r"(?P<id>(?:19|20)\d{2}|(?!(?:75|77|78|91|92|93|94|95)\b)[4-9]\d|0\d)(?![\d/:h]|[.,]\d)"
    + _NOT_A_YEAR)
# A year before the word for born, a few words apart, in the languages that put it last:
# Turkish "1985 Kayseri doğumluyum", "1990'da doğdum", Kurmanji "sala 1993an li Amedê ji dayik
# bûme", "1988an de hatime dinyayê", Wolof/Bambara absent (the year follows), Chinese
# "1979年出生" (after the seams).
_YEAR_THEN_BORN = re.compile(
    r"(?i)(?<![\d.,])(?:19|20)\d{2}(?!\d)(?=[^\d.!?;,\n]{0,40}?(?:\bdo[ğg](?:um|du|mu[şs]|dum)|"
    r"\bji\s+dayik\b|\bhatim\w*\s+din|\bр(?:оку|ік|\.)\s+народж|\bг(?:ода|\.)\s+рожд|"
    r"年\s*(?:出生|生)|년생|년에\s*태어|জন্ম|जन्म|பிறந்|پیدا|ተወለድ|ተወሊደ|"
    # round 11: romanized Tamil "Kavin 2016-la porandhan", Hindi/Urdu "2012 mein paida hua",
    # Bengali "2012 e jonmo", Georgian "1985 წელს დავიბადე", Bambara "2012 la bangera",
    # Albanian "1985 kam lindur", Malagasy, the Ukrainian and Russian "р.н.", "г.р."
    r"\bp[io]ran?d?h\w*|\bpiranth\w*|\bpaid[ae]\s+h|\bjonm\w*|\bjanm\w*|დავიბადე|დაიბადა|"
    r"\bbange\w*|\bbangra|\blindur|\blindi\b|\bteraka|\bmzyou?d\w*|\btzad\w*|"
    r"(?<!\w)р\.\s?н\.|(?<!\w)г\.\s?р\.))")
# The same languages' words before it: "متولد ۱۳۶۴", "من مواليد 1985", "出生于1979年",
# "sinh năm" (round 9), Swahili "nilizaliwa mwaka 1985", Somali "dhashay 1985", Hausa "haife ni
# a 1985", Kabyle "luleɣ deg 1985", Creole "mwen fèt an 1985".
_BORN_THEN_YEAR = re.compile(
    r"(?i)(?:متولد|مواليد|ولدت|وُلدت|ولد|出生于|出生於|生于|生於|zaliwa(?:\s+mwaka)?|"
    r"\bdhash(?:ay|tay)(?:\s+sanadkii)?|\bhaife\s+ni(?:\s+a)?|\blul[eɣ]\w*(?:\s+deg)?|"
    r"\bf[èe]t\s+(?:an|nan)|\bjuddu\s+(?:naa\s+)?(?:ci)?|botam\w*\s+(?:na\s+)?)"
    r"\s*(?:(?:في|سنة|عام|في\s+سنة|في\s+عام)\s*)?(?P<id>(?:1[3-4]|19|20)\d{2})(?!\d)")
# Dates written year first: "1975.06.18", "1975/06/18" (ISO "1975-06-18" is round 1's),
# and in Chinese, Japanese, Korean: "1979年11月3日", "1979 年 11 月 3 日" (after the seams),
# "1985년 3월 2일" (a year alone, "2015年来法国", is an arrival).
_YEAR_FIRST = re.compile(
    r"(?<![\d.,/])(?:19|20)\d{2}([./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)(?![.,/]\d)"
    r"|(?<!\d)(?:19|20)\d{2}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日号號일]"
    # "1979年十一月三日", "二〇一五年三月" (round 11: the month in numerals, the day or none)
    r"|(?<!\d)(?:19|20)\d{2}\s*年\s*(?:十[一二]?|[一二三四五六七八九])\s*月"
    r"(?:\s*(?:[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])\s*[日号號])?")
# A day, its month, a year, in the shapes typed fast: "12mars97", "12 mars 97", "12-mars-1997",
# "vingt-trois mars quatre-vingt-huit", "douze mars quatre vingt sept", "1er mai 90".
_DAY_MONTH_YEAR = re.compile(
    rf"(?i)(?:(?<![\w/.-])(?:1er|\d{{1,2}})|\b(?:premier|{_DAY_WORDS}))[\s/.-]*"
    rf"(?:{_MONTHS})(?![^\W\d_])\.?[\s/.-]*(?:{_ANY_YEAR}){_NOT_A_YEAR}")
# A birth date of numbers with spaces and a two-digit year, "nee le 12 12 90", or with "1er":
# "née le 1er/03/1990".
_BIRTH_SPACED = re.compile(rf"(?i)(?:\b{_BORN}|\bnaissance)\s*(?:le|:)?\s*"
                           r"(?P<id>(?:0?[1-9]|[12]\d|3[01])\s(?:0?[1-9]|1[0-2])\s\d{2})(?!\d)"
                           r"|\b1er[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)")
# A foreign month and a two-digit year after "de", "del": "nací el 3 de marzo del 90".
_FOREIGN_SHORT_YEAR = r"(?i)\b\d{1,2}\s+(?:de\s+)?(?:%s)\s+(?:de|del)\s+\d{2}(?![\d/:h]|[.,]\d)"
# Day and month as numbers with words between: "31 du 12 de 89", "le 3 du 4 1990", Spanish "31
# de 12 de 1989".
_DAY_OF_MONTH = re.compile(
    r"(?i)(?<![\d/.])(?:0?[1-9]|[12]\d|3[01])\s+(?:du|de|of)\s+(?:0?[1-9]|1[0-2])\s+"
    r"(?:de\s+|del\s+|of\s+)?(?:19|20)?\d{2}(?![\d/:h]|[.,]\d)" + _NOT_A_YEAR)

# Number words, whole from zero to twenty and the tens, of the languages residents dictate a
# phone number in besides French: "sıfır yedi elli iki otuz dört on altı doksan sekiz", "cero
# seis doce…", "zero sete…", "zero seven double five…", "ноль шесть…". A number starts with the
# language's zero and runs five words or more.
_DICTATED_ZEROS = ("zero", "zéro", "cero", "sıfır", "sifir", "sifr", "sfer", "zewo", "null",
                   "ноль", "нуль", "nul", "صفر")
_DICTATED_NUMBERS = (
    # English
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "double triple and "
    # Spanish
    "uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintiún veintidós "
    "veintidos veintitrés veintitres veinticuatro veinticinco veintiséis veintiseis veintisiete "
    "veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa y "
    # Portuguese
    "um uma dois duas três quatro meia sete oito nove dez onze doze treze catorze quatorze quinze "
    "dezesseis dezasseis dezessete dezassete dezoito dezenove dezanove vinte trinta quarenta "
    "cinquenta sessenta oitenta e "
    # Italian (the tens glued to the units are generated below)
    "due tre quattro cinque sei sette otto dieci undici dodici tredici quattordici quindici "
    "sedici diciassette diciotto diciannove venti trenta quaranta sessanta settanta ottanta "
    "novanta "
    # Turkish
    "bir iki üç uc dört dort beş bes altı alti yedi sekiz dokuz on yirmi otuz kırk kirk elli "
    "altmış altmis yetmiş yetmis seksen doksan "
    # Romanian
    "unu doi două doua trei patru cinci șase şase sase șapte şapte sapte opt nouă noua zece "
    "unsprezece doisprezece douăsprezece treisprezece paisprezece cincisprezece șaisprezece "
    "saisprezece șaptesprezece optsprezece nouăsprezece douăzeci douazeci treizeci patruzeci "
    "cincizeci șaizeci saizeci șaptezeci optzeci nouăzeci și si "
    # Polish
    "jeden jedna dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście "
    "dwanaście trzynaście czternaście piętnaście szesnaście siedemnaście osiemnaście "
    "dziewiętnaście dwadzieścia trzydzieści czterdzieści pięćdziesiąt sześćdziesiąt "
    "siedemdziesiąt osiemdziesiąt dziewięćdziesiąt "
    # German (the units glued to the tens are generated below)
    "eins zwei drei vier fünf fuenf sechs sieben acht neun zehn elf zwölf zwoelf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig dreißig dreissig vierzig "
    "fünfzig sechzig siebzig achtzig neunzig und "
    # Kurmanji
    "yek du sê se çar car pênc penc şeş ses heft heşt hest neh deh yazdeh dozdeh sêzdeh çardeh "
    "panzdeh şanzdeh hivdeh hejdeh nozdeh bîst bist sî çil cil pêncî penci şêst sest heftê "
    "hefte heştê heste nod û "
    # Haitian Creole
    "youn en de twa kat senk sis sèt set uit nèf nef dis onz douz trèz katòz kenz sèz ven "
    "trant karant senkant swasant katreven "
    # Arabic and darija, in Arabic letters and in Latin ones (arabizi)
    "wahed wa7ed jouj zouj tnin zouj tlata tleta rab3a reb3a arba3a khamsa setta sitta sab3a "
    "seb3a tmanya tmenya tes3a tis3a 3achra 3ashra 3echrin 3ichrin tlatin tletin rb3in arb3in "
    "khamsin settin sab3in tmanin tes3in w ou "
    "واحد اثنين اثنان جوج زوج ثلاثة تلاتة أربعة اربعة خمسة ستة سبعة ثمانية تمنية تسعة عشرة "
    "عشرين ثلاثين أربعين اربعين خمسين ستين سبعين ثمانين تسعين و "
    # Russian and Ukrainian
    "один одна два две дві три четыре чотири пять п'ять п’ять шесть шість семь сім восемь вісім "
    "девять дев'ять дев’ять десять одиннадцать одинадцять двенадцать дванадцять тринадцать "
    "тринадцять четырнадцать чотирнадцять пятнадцать п'ятнадцять шестнадцать шістнадцять "
    "семнадцать сімнадцять восемнадцать вісімнадцять девятнадцать дев'ятнадцять двадцать "
    "двадцять тридцать тридцять сорок пятьдесят п'ятдесят шестьдесят шістдесят семьдесят "
    "сімдесят восемьдесят вісімдесят девяносто дев'яносто").split()


@lru_cache(maxsize=1)
def _dictated_phone() -> re.Pattern[str]:
    words = set(_DICTATED_NUMBERS) | set(_DICTATED_ZEROS)
    italian_units = ("uno", "due", "tre", "tré", "quattro", "cinque", "sei", "sette", "otto",
                     "nove")
    for tens in ("venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
                 "novanta"):
        words.update(tens[:-1] + unit if unit in ("uno", "otto") else tens + unit
                     for unit in italian_units)
    german_units = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
    for tens in ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
                 "neunzig"):
        words.update(f"{unit}und{tens}" for unit in german_units)
    words |= {fold(word) for word in words}
    zeros = alternation(tuple(set(_DICTATED_ZEROS) | {fold(w) for w in _DICTATED_ZEROS}))
    return re.compile(rf"(?i)(?<!\w)(?:{zeros})(?:[\s,/.-]+(?:{alternation(tuple(words))}"
                      r"|\d{1,2})(?![\w'’])){4,}")


# A phone begun in digits and said on in words: "06 douze trente-quatre cinquante-six
# soixante-dix-huit", "07, 62, cinquante et un, vingt, 95".
_DIGITS_THEN_WORDS_PHONE = re.compile(
    rf"(?i)(?<![\w+])0[1-9](?=(?:[\s,/.-]+\d{{2}})*[\s,/.-]+{_NUMBER_WORDS}\b)"
    # ("06-28-44-17-93 et" ends before its "et")
    rf"(?:[\s,/.-]+(?:{_NUMBER_WORDS}|\d{{2}})\b){{4,}}(?<!\bet)")
# A phone typed with a letter for a digit: "06 2O 44 71 38" (O for 0), "O6…", "l" or "I" for 1.
_LOOKALIKE_PHONE = re.compile(r"(?<![\w+])[0Oo][1-9OolI](?:[\s.-]?[\dOolI]{2}){4}(?!\w)")
# Digits of other scripts read as digits: "০৭ ৫৩ ১৮ ৪২ ৬৬" (Bengali), "٠٦ ١٢…" (Arabic),
# "۰۶…" (Persian), full-width "０６…"; one character each, so the offsets stay.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


# A year in Chinese numerals, one character a digit: "二〇一五年出生" (round 11); the month and
# the day ("十一月三日") are read as numbers by _CHINESE_DATE.
_CHINESE_DIGITS = "〇零一二三四五六七八九"
_CHINESE_YEAR = re.compile(rf"[{_CHINESE_DIGITS}]{{4}}(?=\s*年)")
_CHINESE_TO_ASCII = str.maketrans(_CHINESE_DIGITS, "00123456789")


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return text
    text = _CHINESE_YEAR.sub(lambda year: year.group().translate(_CHINESE_TO_ASCII), text)
    return _OTHER_DIGIT.sub(lambda digit: str(unicodedata.digit(digit.group())), text)


# Phones in the other shapes they are typed: "06/12/34/56/78", "00212 6 61 23 45 67" (an
# international prefix other than France's, nine digits or more), "6 12 34 56 78" (a mobile
# without its 0, in groups).
_OTHER_PHONES = re.compile(r"(?<![\w+/])0[1-9](?:/\d{2}){4}(?![\d/])"
                           # "06  12 34 56 78", "06–12–34–56–78": typed on a phone
                           r"|(?<![\w+])0[1-9](?:[\s.\-‐‑‒–—_]{1,3}\d{2}){4}(?!\d)"
                           r"|\(0\)\s?[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
                           r"|(?<![\w+])00\s?[1-9]\d{0,2}(?:[\s.-]?\d{1,4}){3,6}(?!\d)"
                           r"|(?<![\w+,.])(?<![\d,.] )[67](?:[\s.-]\d{2}){4}(?![.,]?\d)")
# E-mails spelt out: "moussa93 at gmail dot com", "fatou[at]yahoo.fr", "fatou(at)gmail.com",
# and typed with a comma for the dot: "fatou.diallo@gmail,com".
_SPELT_EMAIL = re.compile(
    r"(?i)[\w.+-]+\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*[\w-]+"
    r"(?:(?:\.|\s*\[dot\]\s*|\s*\(dot\)\s*|\s+dot\s+)(?:[\w-]+\.)*"
    r"(?:com|fr|net|org|be|ch|ma|dz|tn|sn|ci|ml|cm|de|it|es|pt|ro|pl|tr|ru|ua|uk|co|eu|info)\b)"
    r"|[\w.+-]+@[\w-]+(?:[.,](?=(?:com|fr|net|org|be|ma|dz|tn|sn|ci)\b)[a-z]+)+"
    # without its ending, at a mail provider: "fatou.diallo@gmail", "moussa93 arobase yahoo"
    r"|[\w.+-]+\s*(?:@|\barobase\b|\[at\]|\(at\))\s*(?:gmail|yahoo|hotmail|outlook|live|"
    r"icloud|orange|free|sfr|laposte|wanadoo|gmx|aol|protonmail|proton|mail|yandex)\b")
# Children listed with their birth years, two or more: "mes enfants : Yanis 2015, Inès 2018 et
# Adam 2021", "kids: Sara 2012 / Omar 2016" (a year after a word that is no preposition nor
# month: "arrivés en 2015, depuis 2018" stay).
_CHILD_WORDS = (r"(?:enfants?|fils|filles?|gar[çc]ons?|b[ée]b[ée]s?|jumeaux|jumelles|children|"
                r"kids?|sons?|daughters?|hij[oa]s|filh[oa]s|figli|copii|dzieci|[çc]ocuk\w*|"
                r"o[ğg]lum|k[ıi]z[ıi]m|ndeye|timoun|barn|"
                # round 11: "les 3 petits (2014, 2017, 2022)", the children in more of the
                # residents' languages: Romanian "copiii", Tamil "pillainga", Hindi/Urdu
                # "bachche", Bengali "bacha", Lingala "bana", Bambara "denw", Wolof "doom",
                # Creole "pitit", darija "wlad", Kurmanji "zarok", Persian "farzand",
                # Albanian "fëmijët", Malagasy "zanaka", Swahili "watoto", Ukrainian, Russian,
                # Georgian, Arabic
                r"petit(?:e|s|es)|petiots|gosses|copiii|pillai\w*|kuzhandh\w*|bach?ch?[ae]\w*|"
                r"bana|denw|doom\w*|pitit|wl[ae]d\w*|drari|zarok\w*|farzand\w*|f[ëe]mij\w*|"
                r"zanaka\w*|watoto|діт\w*|дет\w*|შვილ\w*|أطفال|أولاد|اطفال|اولاد)")
# (a suffix may cling to the year, and a word follow it: Tamil "Kavin 2016-la porandhan",
# Turkish "Emre 2015'te"; round 11)
_YEAR_ITEM = (r"(?!(?:en|in|depuis|since|desde|em|de|du|des|le|la|les|au|aux|à|a|from|ann[ée]es?|"
              rf"an|ans|year|{_MONTHS})\b)[^\W\d_][\w'’-]*\s*[,:(-]?\s*(?:19|20)\d{{2}}"
              r"(?:[-'’]?[^\W\d_]{1,3}\b)?(?:\s+(?!(?:et|and|y|e|i|und|na)\b)[^\W\d_][\w'’-]*)?"
              r"\)?")
_CHILDREN_YEARS = re.compile(
    rf"(?i)\b{_CHILD_WORDS}\b[^.!?\n\d]{{0,40}}?(?P<list>{_YEAR_ITEM}"
    rf"(?:\s*(?:,|;|/|\s[-–—]\s|\bet\b|\band\b|\by\b|\be\b)\s*{_YEAR_ITEM})+)"
    # or their years alone in brackets: "les 3 petits (2014, 2017, 2022)" (round 11)
    # ("Enfants : 2012, 2015, 2019" too; "mes enfants sont arrivés en 2015, 2018" stays)
    r"|\b" + _CHILD_WORDS + r"\b[^.!?\n\d():]{0,30}?[(:]\s*(?P<years>(?:19|20)\d{2}"
    r"(?:\s*(?:,|;|/|-|\bet\b|\band\b|\be\b|\by\b)\s*(?:19|20)\d{2})+)(?!\d)")
# A person and a year in brackets, the year they were born: "moi (1990), ma compagne Léa
# (1993)", "mon mari (1985)", "lui (1979)" (round 11; "à Montreuil (2016-2019)" stays: a place
# and a span of years). The capitalised name before a bracketed year is _patterns()'.
_PERSON_WORDS = (r"(?:moi|lui|elle|toi|myself|him|her|yo|eu|я|mwen|nekk|mari|"
                 r"femme|[ée]pouse|[ée]poux|conjointe?|compagne|compagnon|concubine?|"
                 r"partenaire|fils|filles?|enfants?|b[ée]b[ée]|a[îi]n[ée]e?|cadette?|"
                 r"m[èe]re|p[èe]re|fr[èe]re|s[œo]e?ur|belle-m[èe]re|beau-p[èe]re|grand-m[èe]re|"
                 r"grand-p[èe]re|belle-s[œo]e?ur|beau-fr[èe]re|neveu|ni[èe]ce|cousine?|tante|"
                 r"oncle|husband|wife|daughter|mother|father|brother|sister|baby|"
                 r"marido|esposa|esposo|mujer|mulher|hij[oa]|filh[oa]|madre|padre|m[ãa]e)")
_PERSON_YEAR = re.compile(
    rf"(?i)(?<![\w-]){_PERSON_WORDS}(?:[\s-]*m[êe]me)?"
    r"(?:\s*\(\s*(?P<id>(?:19|20)\d{2})\s*\)"
    # "Mari : 1980 ; Fille : 2014", "moi 1985, mon mari 1980, les enfants 2012 et 2016", "mon
    # fils de 2012": a year after a colon, or alone before the end of the item (round 11)
    r"|\s*:\s*(?P<after_colon>(?:19|20)\d{2})(?![\d/.-]\d)" + _NOT_A_YEAR
    + r"(?!\s*(?:et|,|-|à|ou)\s*\d+\s*(?:€|euros?\b|eur\b))"  # "2000 et 1500 euros"
    + r"|\s+(?:de\s+)?(?P<bare>(?:19|20)\d{2})(?=\s*(?:[,;/)\n]|$|\bet\b|\band\b|[.!?](?!\d))))")


# Past participles of the verbs of an arrival, which is_verb_form does not know by themselves:
# "née le 3/4/1990, arrivée en 2015", "venue en 2019" (round 10).
_ARRIVAL_PARTICIPLES = frozenset({"venu", "venue", "venus", "venues", "revenu", "revenue",
                                  "parti", "partie", "partis", "parties"})


def _a_verb(word: str) -> bool:
    folded = fold(word)
    # "arrivée", "installés": the participle of a verb in -er, known by its "arrive"
    participle = re.fullmatch(r"(\w{3,})(?:é|ée|és|ées)", word.lower())
    return ((is_verb_form(word) and folded not in _PRONOUNS) or folded in _ARRIVAL_PARTICIPLES
            or bool(participle and is_verb_form(participle.group(1) + "e")))


# Words that date something else than a birth: "née en 47, veuve depuis 2019" (round 11).
_SINCE_WORDS = frozenset({"depuis", "since", "desde", "dende", "jusqu", "jusque", "until", "till",
                          "apres", "after", "avant", "before", "depois", "antes", "dopo", "od",
                          "от", "з", "с", "до", "після", "после", "veuve", "veuf", "widowed"})


def later_birth_years(text: str) -> list[Span]:
    """The years after a birth year that say when the others were born ("et sa soeur en
    2018"), not when something else happened ("et on est arrivés en 2019": a verb between;
    "veuve depuis 2019": a word that dates something else)."""
    spans = []
    births = [*_BIRTH_YEAR.finditer(text), *_IS_OF_YEAR.finditer(text),
              # "born" in the other languages (round 11): "kam lindur në 1984, burri im në 1980"
              *_BORN_ANY_LANGUAGE.finditer(text), *_BIRTH_YEAR_AFTER_PLACE.finditer(text),
              *_PERSON_YEAR.finditer(text)]  # "les enfants 2012 et 2016"
    for birth in births:
        end = birth.end()
        while (following := _NEXT_YEAR.match(text, end)) and not any(
                # (a capitalised word after the comma is a name: "Maria 2015", not "maria")
                (_a_verb(word) and not word[:1].isupper()) or fold(word) in _SINCE_WORDS
                for word in TOKEN.findall(following.group("words"))):
            spans.append(Span(following.start("id"), following.end("id"), "date", "regex"))
            end = following.end()
    return spans


@lru_cache(maxsize=1)
def _foreign_short_year() -> re.Pattern[str]:
    return re.compile(_FOREIGN_SHORT_YEAR % _foreign_months())


def date_and_contact_spans(text: str) -> list[Span]:
    """Dates, birth years, phones and e-mails in the shapes above (round 10)."""
    spans = []
    foreign_short_year = _foreign_short_year()
    for pattern in (_BIRTH_YEAR_AFTER_PLACE, _BIRTH_YEAR_WORDS, _BIRTH_LABEL, _IS_OF_YEAR,
                    _YEAR_THEN_BORN, _BORN_THEN_YEAR, _YEAR_FIRST, _DAY_MONTH_YEAR,
                    _DAY_OF_MONTH, _BORN_ANY_LANGUAGE, _HAD_A_CHILD, foreign_short_year,
                    _BIRTH_SPACED, _PERSON_YEAR):
        for match in pattern.finditer(text):
            # the "id" group when the alternative that matched has one
            group = next((name for name in ("id", "after_colon", "bare")
                          if match.groupdict().get(name)), 0)
            start, end = match.span(group)
            spans.append(Span(start, end, "date", "regex"))
    spans += [Span(*match.span(), "phone", "regex") for match in _dictated_phone().finditer(text)]
    spans += [Span(*match.span(), "phone", "regex")
              for match in _DIGITS_THEN_WORDS_PHONE.finditer(text)]
    for match in _OTHER_PHONES.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 9:
            spans.append(Span(*match.span(), "phone", "regex"))
    spans += [Span(*match.span(), "email", "regex") for match in _SPELT_EMAIL.finditer(text)]
    for listed in _CHILDREN_YEARS.finditer(text):
        group = "list" if listed.group("list") else "years"
        spans += [Span(*year.span(), "date", "regex") for year in _FULL_YEAR.finditer(
            text, listed.start(group), listed.end(group))]
    for match in _LOOKALIKE_PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 7:
            spans.append(Span(*match.span(), "phone", "regex"))
    return spans


def regex_spans(text: str) -> list[Span]:
    text = _ascii_digits(text)
    spans = later_birth_years(text) + date_and_contact_spans(text)
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            # A pattern with an "id" group removes only that group (its context stays).
            start, end = match.span("id" if "id" in pattern.groupindex else 0)
            if text[start:end].strip():
                spans.append(Span(start, end, kind, "regex"))
    return spans



# Numbers opening a street's name (spaCy lists them as stop words): "rue des sept arpents".
_NUMBER_NAMES = frozenset({"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                           "cent", "mille"})
# Streets named after a date: "avenue du 8 mai 1945", "rue du 19 mars 1962".
_DATED_STREET = re.compile(rf"(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b")


def _name_like(folded: str, lexicon: Lexicon) -> bool:
    return (folded in lexicon.first_names or folded in world_first_names()
            or not is_french_word(folded)) and folded not in lexicon.not_names


def lower_case_street_spans(text: str, folded: str, lexicon: Lexicon) -> list[Span]:
    """Streets typed without capitals: "45 av jean lolive bat C", "j'habite rue des pommiers".

    Without a number, only after words that are nothing but a street's kind ("rue", "avenue"…):
    "une place en crèche" or "le chemin de l'école" are no addresses."""
    spans = []
    for match in _LOWER_STREET.finditer(folded):
        numbered = match.group("number") is not None
        # "place olympe de gouges": other kinds without a number only before a name
        named = numbered or match.group("kind") in _STREET_ONLY_WORDS
        if not numbered and match.group("kind") in _NUMBERED_ONLY_KINDS:
            continue
        end = cursor = match.end()
        names = 0
        initial = False
        for token in TOKEN.finditer(text, match.end()):
            word = fold(token.group()).rstrip("'’")
            gap = text[cursor:token.start()].strip()
            # "93 av. J. Jaurès": an initial's dot is inside the name (round 10)
            if gap and not (gap == "." and initial) or names >= 4:
                break
            cursor = token.end()
            initial = token.group().isupper() and len(word) == 1 and text[cursor:cursor + 1] == "."
            if initial:
                end, names = cursor, names + 1
                continue
            if word in PLACE_LINKS and names == 0 or word in _STREET_LINKS:
                continue
            dated = _DATED_STREET.match(folded, token.start()) if names == 0 else None
            if dated:  # "av du 8 mai 1945": a date that names the street
                end = cursor = dated.end()
                names += 1
                continue
            if word in _NUMBER_NAMES and names == 0:
                continue  # "rue des sept arpents", "rue des quatre vents": if a name follows
            if (word in _STREET_STOPS or word in MONTH_AND_DAY or word[:1].isdigit()
                    or (word in STOP_WORDS and word not in lexicon.first_names)):
                break
            if names == 0 and not named and not _name_like(word, lexicon):
                break
            if names and token.group().islower() and (
                    word in lexicon.foreign_words or word in ENGLISH_STOP_WORDS):
                break  # "rue de Rosny w Montreuil", "rue Gabriel-Péri nan Saint-Denis": "in"
            end, names = token.end(), names + 1
        if names:
            spans.append(Span(match.start(), end, "address", "regex"))
    return spans
