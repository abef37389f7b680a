"""Employers and brands: "je bosse chez carrefour" names an employer, "un forfait Free" no one.

Where a person works says who they are (a small employer, a shop of the town); the brand of
their phone or the shop where they buy food does not. So an employer is removed, whatever its
case, when the sentence says the person works there; a brand is kept otherwise.
"""

from __future__ import annotations

import re

from spacy.lang.fr.stop_words import STOP_WORDS

from .lexicon import Lexicon, words_pattern
from .names import is_name_word
from .spans import ARABIC_LETTER, TOKEN, Span, fold
from .word_frequency import elsewhere_zipf

# Words saying that someone works somewhere, on folded text.
_WORK = (r"(?:travail\w*|bosse\w*|bossais|bossait|taff?e?\w*|employee?s?|salariee?s?|"
         r"embauchee?s?|recrutee?s?|interim\w*|cdi|cdd|contrat|licenciee?s?|stage|stagiaire|"
         r"apprenti\w*|alternance|caissiere?|vendeu\w*|livreu\w*|magasinier|manutentionnaire|"
         r"serveu\w*|cuisinier\w*|plongeu\w*|plonge|commis|equipiere?s?|menage|nettoyage|"
         r"boulot|job|mission|poste|chomage|entrepot|"
         r"usine|chantier|collegue\w*|patron\w*|employeur|livr\w*|vtc|chauffeu\w*|"
         r"(?:auto|micro)[\s-]?entrepreneu\w*|freelance|independante?s?|agent|vigile|"
         r"auxiliaire|nounou|aide[\s-]soignante?|ouvriere?|technicien\w*|secretaire|"
         # "ma mutuelle d'entreprise s'arrête, je pars en retraite de chez Monoprix"
         r"entreprise|"
         # work in the languages residents write (round 8): "Pracuję na budowie dla Bouygues",
         # "trabalho para", "khdamt f KFC", "lucrez la", "çalışıyorum"
         r"pracuj\w*|praca|pracy|trabaj\w*|trabalh\w*|lucrez\w*|lucram|munca|calis\w*|"
         r"khdam\w*|khedma|work\w*|job|"
         # Wolof "liggéey ci Veolia", Urdu "Uber Eats pe delivery karta hoon", Lingala "mosala",
         # Creole "travay", Tamil "velai", Hindi/Urdu "kaam", "naukri" (held-out 1 Dec d)
         r"liggeey\w*|deliver\w*|mosala|travay|velai|kaam|naukri|"
         # a working life: "toute ma carrière dans le bâtiment chez Bouygues" (round 10)
         r"carriere|batiment|btp|metier|retraitee?s?|"
         # in the scripts residents write (round 10): darija "خدام ف Carrefour", Arabic "أعمل",
         # "أشتغل", Bengali "ডেলিভারি করি", "কাজ", "চাকরি", Tamil "வேலை", Urdu "کام", "نوکری"
         r"خدام\w*|نخدم|كنخدم|خدمت|أعمل|اعمل|أشتغل|اشتغل|شغال\w*|"
         r"ডেলিভারি|কাজ\w*|চাকরি\w*|வேலை\w*|کام|نوکری|"
         # trades, which say the person works: "plombier chez Bati Confort 93" (round 11)
         r"plombier\w*|plaquiste\w*|macon\w*|electricien\w*|peintre\w*|carreleu\w*|"
         r"couvreu\w*|menuisi\w*|soudeu\w*|coffreu\w*|ferrailleu\w*|grutier\w*|"
         r"chauffagiste\w*|mecanicien\w*|cariste\w*|preparat\w*|manoeuvre\w*|coiffeu\w*|"
         r"boucher\w*|gardien\w*|concierge\w*|jardinier\w*|infirmi\w*|femme de chambre|"
         # round 11: the third person and the plural in Arabic ("زوجي يعمل في", "كيخدم ف"),
         # Farsi "کار می‌کنم", Bambara "baara kɛ", Soninke and Pulaar "golle", Malagasy "miasa",
         # Albanian "punoj", Swahili "kazi", Kurmanji "dixebitim", Russian and Ukrainian
         # "работаю", "працюю", Georgian "ვმუშაობ", Vietnamese "làm việc", Tigrinya "ይሰርሕ"
         r"يعمل|تعمل|نعمل|يعملون|يشتغل|تشتغل|نشتغل|يشتغلو|يخدم|تخدم|كيخدم|كتخدم|"
         r"کار|baara|golle|gollal|miasa\w*|punoj\w*|punon|pune|kazi|dixebit\w*|"
         r"работа\w*|работу|працю\w*|роботу|робота|ვმუშაობ\w*|მუშაობ\w*|lam viec|ይሰርሕ|ስራሕ)")
# Mutuals and insurers are named like employers when they cover the person: "je suis à la MGEN".
_INSURED = re.compile(r"\b(?:mutuelle|assurance|assuree?|complementaire|adherente?|"
                      r"couverte?|cotis\w*)\b")
_INSURERS = frozenset({"mgen", "maaf", "macif", "maif", "matmut", "harmonie", "malakoff",
                       "humanis", "ag2r", "apivia", "axa", "allianz", "groupama", "generali",
                       "mutualia", "smeno", "lmde", "heyme", "mnh", "mgefi", "ociane", "alan",
                       "april", "swisslife", "gmf", "macsf", "mma", "mutuelle generale",
                       # round 10: more mutuals of residents and of the public service
                       "harmonie mutuelle", "klesia", "pro btp", "probtp", "interiale", "mnt",
                       "solimut", "mutuelle bleue", "uniprevoyance", "mutex", "miel mutuelle",
                       "just", "sante claire", "mutuelle familiale", "la mutuelle familiale",
                       "mcd", "mfp", "mutuelle des affaires etrangeres"})
# The same as a pattern, for an insurer named anywhere in a sentence about a mutual; the names
# that are words too ("april", "alan", "just", "harmonie") only with "mutuelle" right before.
_INSURER_NAMES = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in sorted(
        _INSURERS - {"april", "alan", "just", "harmonie"}, key=len, reverse=True))
    + r"|(?<=mutuelle )(?:april|alan|harmonie))(?![\w-])")
# Where: "chez", "pour", "à"…, after a work word earlier in the same sentence.
_AT = re.compile(r"\b(?P<at>chez|pour|a|au|aux|dans|dla|f|em|para|at|for|ci|pe|na|no|bei|fi|"
                 r"ف|في|فى)"
                 r"(?:\s+(?:la|le|les)|\s*l['’])?\s*(?<=[\s'’])")
_WORK_WORD = re.compile(rf"\b{_WORK}\b")
_WORK_BEFORE = re.compile(rf"\b{_WORK}\b[^.!?;\n]*$")
_WORK_AFTER = re.compile(rf"^[^.!?;\n]*\b{_WORK}\b")
_SENTENCE = 120  # how far back a work word is looked for, in characters
# After "chez", words that are people, not an employer: "chez des particuliers".
_NOT_EMPLOYERS = frozenset({"particulier", "particuliers", "particuliere", "particulieres",
                            "client", "clients", "gens", "personne", "personnes", "famille",
                            "familles", "dame", "monsieur", "madame", "eux", "elles",
                            # "chez Monoprix fin janvier": when, not who
                            "fin", "debut", "mi", "depuis", "jusqu", "pendant", "cette", "ce"})


def employer_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """"je bosse chez carrefour", "caissière à Lidl", "je travaille chez tapis saint maclou"."""
    spans = []
    folded = fold(text)
    for match in _AT.finditer(folded):
        following = TOKEN.match(folded, match.end())
        insurer = following is not None and following.group() in _INSURERS and (
            _INSURED.search(_sentence_of(folded, match.start())))
        if not insurer and not _WORK_BEFORE.search(folded, max(0, match.start() - _SENTENCE),
                                                    match.start()):
            continue
        words = []
        for token in TOKEN.finditer(text, match.end()):
            gap = text[(words[-1].end() if words else match.end()):token.start()]
            word = fold(token.group()).rstrip("'’")
            if gap.strip() or len(words) == 3 or word in STOP_WORDS or word in _NOT_EMPLOYERS:
                break
            if word in lexicon.relations or word in lexicon.keep or word[:1].isdigit():
                break
            # After "chez" any word names the employer; after "à", "pour", "dans" only a brand
            # or a capitalised name ("à mi-temps", "dans le bâtiment" are no employer); in
            # Arabic script, which has no capitals, a word Arabic seldom uses ("يعمل في كارفور",
            # not "في مطعم", a restaurant) (round 11).
            if match.group("at") != "chez" and not (word in lexicon.brands or insurer or (
                    token.group()[:1].isupper() and is_name_word(token.group(), lexicon))
                    or _rare_in_arabic_script(word, lexicon)):
                break
            words.append(token)
        if words and match.group("at") == "chez":  # "chez Bati Rénov 93" (round 11)
            number = _COMPANY_NUMBER.match(text, words[-1].end())
            words += [number] if number else []
        if words:
            end = words[-1].end()
            company = _COMPANY_END.match(text, end)
            spans.append(Span(words[0].start(), company.end() if company else end,
                              "organisation", "employer"))
    spans += [Span(*match.span(), "organisation", "employer")
              for match in _FAMILY_BUSINESS.finditer(text)]
    spans += [Span(*match.span(), "organisation", "employer")
              for match in _WORK_THEN_POSTPOSITION.finditer(text)]
    spans += [Span(match.start(), match.end(), "organisation", "employer")
              for match in words_pattern(lexicon.employers_only).finditer(folded)]
    return spans + _named_brand_spans(text, folded, lexicon) + _insurer_spans(folded)


# A company's number after its name, when "chez" opened it: "chez Bati Rénov 93", "chez
# Nettoyage 2000" (round 11); not an amount, an hour or a length ("chez Lidl 20 heures").
_COMPANY_NUMBER = re.compile(r"\s+\d{1,4}(?![\w'’/:-]|[,.]\d|\s*(?:%|€|e\b|eme\b|ème\b|"
                             r"h\b|heures?|ans?\b|jours?|mois|semaines?|fois|euros?|"
                             r"personnes|salari))")
# Bambara and Dyula say the employer between "baara kɛ" (work) and a postposition: "N bɛ baara
# kɛ Veolia fɛ" (I work for Veolia), "baara kɛ Samsic la" (round 11).
_WORK_THEN_POSTPOSITION = re.compile(
    r"(?<=\bbaara k[ɛe] )[A-ZÀ-Ý][\w'’&-]*(?:\s+(?:[A-ZÀ-Ý][\w'’&-]*|\d{1,4})){0,3}"
    r"(?=\s+(?:f[ɛe]|la|k[ɔo]n[ɔo])\b)")
_ARABIC_SCRIPT_WORD = re.compile(rf"{ARABIC_LETTER}{{3,}}")


def _rare_in_arabic_script(word: str, lexicon: Lexicon) -> bool:
    """A word of Arabic script that Arabic, Farsi and Urdu seldom use, with no article: a
    company's name transliterated."""
    if not _ARABIC_SCRIPT_WORD.fullmatch(word) or word.startswith("ال") or (
            word in lexicon.foreign_words):
        return False
    return elsewhere_zipf(word) < _RARE_ARABIC


_RARE_ARABIC = 3.8


# A family business goes whole: "Plomberie Martins et Fils", "Garage Da Costa & Frères",
# "Transports Diallo et Cie", "Nettoyage Express SARL" (round 10).
_COMPANY_END = re.compile(r"(?i)\s*(?:(?:et|&)\s+(?:fils|fr[eè]res|filles|cie|compagnie|"
                          r"associ[ée]e?s)|fr[eè]res|sarl|sas|sasu|eurl)\b")
# The same without "chez" before: "la boulangerie Diallo et Fils", "Transports Ba Frères".
_FAMILY_BUSINESS = re.compile(r"(?<![\w'’-])[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2}\s*"
                              r"(?:(?:et|&)\s+(?:[Ff]ils|[Ff]r[eè]res|[Ff]illes|[Cc]ie|"
                              r"[Cc]ompagnie|[Aa]ssoci[ée]e?s)|[Ff]r[eè]res)\b")
# Brands that are apps, phones, banks, media or public companies: in a sentence about work they
# are still what the person uses, not who employs them ("je travaille, écrivez-moi sur WhatsApp").
_USED_NOT_EMPLOYERS = frozenset({
    "free", "orange", "sfr", "sosh", "samsung", "apple", "iphone", "huawei", "xiaomi",
    "netflix", "facebook", "whatsapp", "google", "snapchat", "tiktok", "instagram",
    "western union", "lycamobile", "lebara", "wero", "vinted", "leboncoin", "doctolib", "navigo",
    "velib", "sncf", "ratp", "bnp", "lcl", "societe generale", "credit agricole",
    "credit mutuel", "caisse d'epargne", "banque postale", "la poste", "tf1", "bfm", "m6",
    "france 2", "psg", "nike", "adidas"})


def _named_brand_spans(text: str, folded: str, lexicon: Lexicon) -> list[Span]:
    """A shop, delivery or building brand in a sentence that says the person works, wherever
    it stands: "work uber eats delivery", "livreur Deliveroo", "خدام ف Carrefour", "আমি
    Deliveroo তে ডেলিভারি করি" (round 10: no "chez" before it)."""
    spans = []
    for brand in words_pattern(lexicon.brands).finditer(folded):
        if brand.group() in _USED_NOT_EMPLOYERS or brand.group() in lexicon.keep or (
                brand.group() in lexicon.car_models):
            continue
        sentence = _sentence_of(folded, brand.start())
        if _WORK_WORD.search(sentence):
            spans.append(Span(brand.start(), brand.end(), "organisation", "employer"))
    return spans


def _insurer_spans(folded: str) -> list[Span]:
    """An insurer named in a sentence about a mutual or an insurance, without "à" or "chez"
    before it: "Sa mutuelle MGEN c'était celle de papi", "mutuelle : Harmonie" (round 10)."""
    return [Span(match.start(), match.end(), "organisation", "employer")
            for match in _INSURER_NAMES.finditer(folded)
            if _INSURED.search(_sentence_of(folded, match.start()))]


def _sentence_of(folded: str, position: int) -> str:
    """The sentence around ``position`` (insurers: "je suis à la MGEN mais la mutuelle…")."""
    start = max(folded.rfind(mark, 0, position) for mark in ".!?\n")
    ends = [end for end in (folded.find(mark, position) for mark in ".!?\n") if end >= 0]
    return folded[start + 1:min(ends) if ends else len(folded)]


def brand_as_employer(span: Span, text: str, lexicon: Lexicon) -> Span | None:
    """A guessed span that is only a brand: None in a sentence that says nothing of work, an
    employer in one that does ("Amazon a pas renouvelé mon contrat", "Uber Eats pe delivery
    karta hoon", which the NER calls a place); any other span as it was."""
    inside = (brand.start() <= span.start and span.end <= brand.end()
              for brand in words_pattern(lexicon.brands).finditer(fold(text)))
    if not any(inside):  # "Eats" alone is no brand, but in "Uber Eats" it is
        return span
    before = fold(text[max(0, span.start - _SENTENCE):span.start])
    after = fold(text[span.end:span.end + _SENTENCE])
    if _WORK_BEFORE.search(before) or _WORK_AFTER.search(after):
        return Span(span.start, span.end, "organisation", span.by)
    return None
