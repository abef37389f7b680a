"""Names known by the words around them: "ma fille ines", "mme diarra", "je m'appelle", "chez"."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.fr.stop_words import STOP_WORDS

from .first_names import world_first_names
from .lexicon import Lexicon, alternation, load_lexicon
from .names import is_first_name, is_name_alone, is_name_word
from .spans import ARABIC_LETTER, PLACE_LINKS, TOKEN, Span, fold, sentence_start
from .vocabulary import is_french_word, is_verb_form, mostly_english
from .word_frequency import EVERYDAY_ENGLISH, elsewhere_zipf, zipf

NAME_PARTICLES = frozenset({"da", "de", "dos", "do", "ben", "bin", "van", "von", "el", "al",
                             "di", "del", "della", "le", "la", "ould", "abou", "abu"})


# Creole "little" before a first name makes a nickname: "ti Jean", "ti Paul" (round 10).
_DIMINUTIVES = frozenset({"ti", "tit", "ti'"})


def _names_after(text: str, position: int, lexicon: Lexicon, *, several: bool = False,
                 links: bool = False, after_title: bool = False,
                 capital_is_name: bool = False, world: bool = False,
                 said: bool = False) -> tuple[int, int]:
    """The name that starts at ``position``: (start, end), empty when there is none.

    ``several``: "léo et chloé", "adam, noah et ilyes"; ``links``: "cité des [Courtillières]",
    "résidence Les [Pommiers]" (after such a word, a capitalised word is a name);
    ``capital_is_name``: after "ma voisine", "Merveille" is a name although it is a word;
    ``said``: after "my name is", a family word opens the name ("nkombo na ngai Papy Mukendi":
    no one says their name is "dad")."""
    start = end = cursor = position
    expect_name = fresh = True  # fresh: the next word would open a name
    article: int | None = None
    for match in TOKEN.finditer(text, position):
        gap = text[cursor:match.start()]
        if (gap.strip(" -") and not (several and gap.strip() == "," and end > start)) or (
                "\n" in gap):
            break
        word, folded = match.group(), fold(match.group()).rstrip("'’")
        if expect_name and _elided_name(text, match, lexicon):
            start = match.start() if end == start else start  # "mme n'diaye", "M'Baye"
            end = cursor = TOKEN.match(text, match.end()).end()
            expect_name, fresh = several is False, False
            continue
        if expect_name and (is_name_word(word, lexicon, world=world and end == start,
                                        first=fresh and not links and not capital_is_name,
                                        after_title=after_title and end == start,
                                        opening=end == start)
                            # "moi c'est li wei": a family name opening a name, "hadja
                            # fatoumata bah": one that is a word after it (round 10)
                            or end == start and _family_name_first(text, match, lexicon)
                            or end > start and _surname_after(text[start:end], folded,
                                                              lexicon)) and not (
                end == start and folded in lexicon.relations and not after_title
                and article is None and not said):
            if end == start:
                start = match.start() if article is None else article
            end, expect_name, fresh = match.end(), several is False, False
        elif end == start and capital_is_name and word in ("Le", "La", "Les", "L'", "L’") and (
                article is None):
            article = match.start()  # "le restaurant s'appelle Le Grand Wenzhou" (round 8)
        elif end > start and cursor == end and links and word.isdigit() and len(word) <= 3 \
                and not UNIT.match(text, match.end()):
            end = match.end()  # "l'agence Century 21", "résidence Ilot 27" (round 8)
            expect_name = False
        elif end == start and links and folded in PLACE_LINKS:
            if word[:1].isupper():
                article = match.start()  # "résidence Les Pommiers": the article is the name's
            # "la cité des …": a link in lower case belongs to no one
        elif end == start and after_title and folded in _DIMINUTIVES and article is None:
            article = match.start()  # "on m'appelle ti Jean": Creole "little", if a name follows
        elif end == start and folded in NAME_PARTICLES - PLACE_LINKS and article is None:
            article = match.start()  # "madame da silva", "mr ben salah": if a name follows
        elif end > start and folded in NAME_PARTICLES:
            following = TOKEN.match(text, match.end() + 1)
            place = fold(following.group()) if following else ""
            if place in lexicon.places and place not in lexicon.countries:
                break  # "foyer Adoma de Pantin": two names, "de" is neither; but a country
                # names a business: "restaurant Le Jardin de Chine"
            if folded == "de" and " " not in text[start:end] and (
                    fold(text[start:end]) in world_first_names() or "-" in place):
                break  # "c Momo de Franc-Mo", "Karim de Bobigny": where the person is from
            expect_name = True  # "Da Silva", "ben youssef": kept only if a name follows
        elif several and end > start and folded == "et":
            expect_name = fresh = True
        elif end > start and not expect_name and is_name_word(word, lexicon):
            end = match.end()  # second word of a name: "rachid benali"
        elif end > start and not expect_name and _surname_after(text[start:end], folded,
                                                                 lexicon):
            end = match.end()  # a family name that is a word somewhere: "sarah lopes", "wang li"
        elif world and end > start and _family_name_that_is_a_word(text, start, end, match,
                                                                    lexicon):
            end = match.end()  # "leur père pierre blanc ne paye plus"
        else:
            break
        if gap.strip() == ",":
            expect_name = fresh = True
        cursor = match.end()
    return start, end


_MONTHS_AND_DAYS = ("janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|"
                    "novembre|d[ée]cembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
# What a number counts after a place's name: "foyer Adoma 2 ans" is no "Adoma 2".
UNIT = re.compile(rf"(?i)\s*(?:{_MONTHS_AND_DAYS}|ans?|mois|jours?|nuits?|semaines?|fois|"
                   r"euros?|€|%|h\b|heures?|min|minutes?|m2|m²|km|enfants?|personnes?|pi[èe]ces?|[ée]tages?|"
                   r"(?:e|è|ème|eme|er)\b)")


def _surname_after(name: str, folded: str, lexicon: Lexicon) -> bool:
    """A family name of the lists after the name found so far; one that is an everyday word
    of the residents' languages (Creole "li", "he") only after another family name ("wang
    li"), not after a first name ("jean li malad")."""
    return folded in lexicon.surnames and (
        folded not in lexicon.foreign_words or fold(name.split()[-1]) in lexicon.surnames)


def _family_name_first(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """A family name of the lists, then a word that is a name: "li wei", "sow fatoumata"
    (family names come first in Chinese, Vietnamese, and on French forms)."""
    if fold(match.group()) not in lexicon.surnames or text[match.end():match.end() + 1] != " ":
        return False
    following = TOKEN.match(text, match.end() + 1)
    return following is not None and (fold(following.group()) in lexicon.surnames
                                      or is_name_word(following.group(), lexicon))


def _family_name_that_is_a_word(text: str, start: int, end: int, match: re.Match[str],
                                lexicon: Lexicon) -> bool:
    """After a family word and a first name typed in lower case, a French word and then a
    verb: the family name ("mon père pierre blanc ne paye plus", "ma mère awa petit est")."""
    word, folded = match.group(), fold(match.group())
    if not (word.islower() and text[start:end].islower() and " " not in text[start:end]):
        return False
    if (folded in STOP_WORDS or folded in lexicon.not_names or folded in lexicon.keep
            or folded in lexicon.relations or len(folded) < 4 or is_verb_form(word)):
        return False
    following = TOKEN.match(text, match.end() + 1) if text[match.end():match.end() + 1] == " " \
        else None
    after = fold(following.group()).rstrip("'’") if following else ""
    return after in ("ne", "n", "qui", "a", "est", "etait", "m", "nous", "me", "vit", "habite")


# A word French text uses less than this (Zipf) can name a street after "j'habite": "barbusse"
# (2.5), "lilas" (3.3), "hoche" (3.2); "loin" (5.4), "seule", "actuellement" (5.0) cannot.
_STREET_WORD = 3.5


def _street_after(text: str, position: int, lexicon: Lexicon) -> tuple[int, int]:
    """The street named right after a verb of living, without a number nor a street kind:
    "j'habite jean lolive", "on vit à Barbusse" (a first name, a word no dictionary knows or
    one French hardly uses, then up to three more words that are no small word nor verb).
    One common word alone is none: "je vis grâce au RSA", "j'habite loin"."""
    start = end = cursor = position
    for match in TOKEN.finditer(text, position):
        if text[cursor:match.start()].strip() or end - start and len(
                TOKEN.findall(text[start:end])) == 4:
            break
        word, folded = match.group(), fold(match.group()).rstrip("'’")
        if (folded in STOP_WORDS or folded in lexicon.keep or folded in lexicon.relations
                or folded in lexicon.not_names or folded in lexicon.named_places
                or not word[:1].isalpha() or is_verb_form(word) or folded.endswith("ment")):
            break
        common = is_french_word(folded) and zipf(folded) >= (
            _STREET_WORD if end == start else EVERYDAY_ENGLISH)
        if common and not (is_first_name(folded, lexicon) or word[:1].isupper()):
            break
        start, end, cursor = (match.start() if end == start else start), match.end(), match.end()
    if end > start and " " not in text[start:end] and is_french_word(text[start:end]) and (
            zipf(text[start:end]) >= _STREET_WORD):
        return position, position  # a first name that is a common word, alone: "grâce"
    return start, end


def _elided_name(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """"n'" or "m'" glued to a word that is a name: N'Diaye, M'Baye (not "n'ai", "m'a"); "D'"
    with its capital: "Maître D'Almeida" (round 8; "maître d'hôtel" stays)."""
    if fold(match.group()) not in ("n'", "m'", "n’", "m’") and match.group() not in ("D'", "D’"):
        return False
    glued = TOKEN.match(text, match.end())
    return glued is not None and is_name_word(glued.group(), lexicon)


# Husband, wife, son, daughter, brother, sister, mother, father in Tamil, Arabic, Bengali.
_SCRIPT_KIN = ("கணவர்", "மனைவி", "மகன்", "மகள்", "அண்ணன்", "தம்பி", "அக்கா", "தங்கை",
               "زوجي", "زوجتي", "ابني", "بنتي", "ابنتي", "أخي", "اخي", "أختي", "اختي",
               "স্বামী", "স্ত্রী", "ছেলে", "মেয়ে", "ভাই", "বোন",
               # Urdu and Farsi (round 9): "میرے شوہر طارق", "همسرم"
               "شوہر", "بیوی", "بیٹا", "بیٹی", "شوهرم", "همسرم", "پسرم", "دخترم")


@lru_cache(maxsize=1)
def _triggers() -> list[tuple[re.Pattern[str], str, bool, bool, str, bool]]:
    """The words announcing a name, as patterns on folded text, with how to read the name."""
    lexicon = load_lexicon()
    relations = alternation(lexicon.relations)
    professions = alternation(tuple(fold(p) for p in lexicon.professions))
    titles = alternation(tuple(fold(t) for t in lexicon.titles if t != "M"))
    # (pattern, kind, several names, links before the name, how the trigger reads the word
    # after it: "title" any word is a name and the title goes with it, "any" any word is a name
    # (and "nickname" too, even a brand's name)
    # and the trigger stays, "kin" any first name of the world list is one, "" the word must
    # look like a name; a capitalised word is a
    # name even when it is a French word)
    triggers = [
        # "ma fille ines", "mon ex karim", "mes enfants léo et chloé", "mon fils aîné, Rayan",
        # "mon frère c'est moussa"
        (rf"\b(?:mon|ma|mes|son|sa|ses|notre|nos|votre|vos|leur|leurs|le|la|les|l['’])\s+"
         rf"(?:\d+\s+)?(?:(?:{relations})[\s-]+){{0,2}}(?:{relations})\s*[,:]?\s+"
         # "mon frère c'est moussa", "mon mari s'appelle karim"
         r"(?:(?:c['’ ]?est|c|(?:qui\s+)?s['’ ]appelle|il\s+s['’ ]appelle|elle\s+s['’ ]appelle)"
         r"\s+)?",
         "person", True, False, "kin", True),
        # "tonton issa", "tata khady": family words of speech used like a title, also in the
        # languages residents mix in ("khouya karim", "amma Selvi", "yaay Awa")
        (r"\b(?:tonton|tata|tati|tatie|tantine|mamie|papi|papy|khouya|khoya|khti|akhi|ukhti|"
         r"amma|appa|akka|thambi|yaay|baay|abi|abla|teyze|amca|"
         # and in their scripts (round 8): "என் கணவர் கணேஷ்", "زوجي", "আমার স্বামী"
         rf"{alternation(tuple(fold(word) for word in _SCRIPT_KIN))})\s+", "person", False,
         False, "kin", True),
        # "je m'appelle", SMS "je m appelle", "my name is": after them a capitalised word is a
        # name even when it is a word ("je m'appelle Prince")
        (r"\b(?:je m['’ ]?appelle|s['’ ]appelle|mon nom est|mon nom c['’]est|"
         r"nom de famille\s*:?|mon nom\s*:|nom\s*:|prenom\s*:?|my name is|my name's|"
         # the same in the languages residents write in (lexicon.yml's my_name_is)
         rf"{alternation(lexicon.my_name_is)})\s+",
         "person", True, False, "", True),
        # "on m'appelle Tati", "mon surnom c'est doudou": a nickname is the person's name
        # whatever word it is, even a brand's or a French word (round 8)
        # typed fast too: "tt le monde m'appel ti jean", "on mapel", "les gens m'apelle"
        (r"\b(?:(?:on|ils|elles|monde|gens|tous|toutes) m['’ ]?app?ell?(?:e|es|ent)?(?!\w)|"
         r"on l['’ ]appelle|"
         r"(?:mon|son|ton) (?:surnom|petit nom)(?:\s+(?:est|c['’ ]?est|:))?|surnommee?s?)\s+",
         "person", False, False, "nickname", True),
        # "moi c kevin", "slt c fatou", "je suis" (but "je suis Aide à domicile")
        (r"\b(?:moi c['’]est|c['’]est moi|je suis|(?:moi\s+)?c(?:\s+moi)?(?=\s))"
         r"\s+", "person", True, False, "", False),
        (rf"\b(?:{titles})\.?\s+", "person", False, False, "title", False),
        # "mon conseiller c'est m. petit": "m." with its dot is "Monsieur" in lower case too
        (r"(?<![\w'’])m\.\s+", "person", False, False, "title", False),
        (rf"(?<!\w)(?:{professions})\.?\s+", "person", False, False, "title", False),
        (r"\bchez\s+", "organisation", False, False, "", False),
        # Origin: "née à oran", "je viens de tizi ouzou", "originaire de Kayes".
        (r"\b(?:nee?s?|originaires?|viens|venons|vient|viennent|venue?s?|arrivee?s?|grandi|"
         r"vivais|vivait|habitais|habitait|etais|etait)\s+(?:(?:a|au|aux|en|de|du|des)\b|d['’])\s*"
         # in English (round 8): "I was born in Port Harcourt", "I come from Lagos"
         r"|\b(?:born|grew up|raised)\s+(?:in|at)\s+|\b(?:come|comes|came|i am|i'm|im)\s+from\s+",
         "place", False, True, "", False),
        # "rés. les Pommiers", "bât." aside: "rés" is short for "résidence"
        (rf"\b(?:{alternation(lexicon.named_places)}|res\.?)\s+", "place", False, True, "",
         False),
        # "j'habite jean lolive", "on vit à Barbusse": after a verb of living, a name (a first
        # name of the world list even if also a word) is the street or the place (round 7)
        # also glued to its pronoun in SMS: "jhabite aux courtis" (round 8)
        (r"\b(?:habite|habites|habitons|habitez|habitent|jhabite|je vis|on vit|nous vivons|"
         r"demeurant|domiciliee?s?|reside|residons)\s+(?:(?:a|au|aux|sur|vers|pres de|"
         r"a cote de)\s+)?",
         "address", False, False, "kin", False),
        # "la cité des auteurs", "résidence du parc": after "cité de…" any word is the name
        # "la résidence les iris", "foyer le moulin": an article after the word opens the name
        # too, whatever its case (round 8)
        (r"\b(?:cite|residence|res\.?|foyer|ehpad)\s+(?:des|du|de\s+la|de\s+l['’]|d['’]|les|le|la)"
         r"\s*", "place",
         False, False, "any", False),
    ]
    return [(re.compile(pattern), *how) for pattern, *how in triggers]


def context_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Names known by the word before them: a family word, a title, "je m'appelle", "chez"…"""
    spans = []
    folded = fold(text)
    for pattern, kind, several, links, reading, capital_is_name in _triggers():
        for match in pattern.finditer(folded):
            if "\n" in match.group():
                continue  # "Nom :" then a new line: a blank form, the next label is no name
            if match.group().strip(" .") in ("me", "pr") and text[match.start()].islower():
                continue  # "il me dit", "pr mes enfants": "Me" and "Pr" only with a capital
            start, end = _names_after(text, match.end(), lexicon, several=several, links=links,
                                      after_title=reading in ("title", "any", "nickname"),
                                      world=reading == "kin",
                                      capital_is_name=capital_is_name,
                                      said=reading == "" and capital_is_name)
            if kind == "address":
                start, end = _street_after(text, match.end(), lexicon)
            if end > start:
                with_trigger = reading == "title"
                start = match.start() if with_trigger else start
                by = "title" if with_trigger else "nickname" if reading == "nickname" \
                    else "context"
                position = start
                for between in re.finditer(r"\s*,\s*|\s+et\s+", text[start:end]):
                    spans.append(Span(position, start + between.start(), kind, by))
                    position = start + between.end()  # "léo et chloé": "et" stays
                spans.append(Span(position, end, kind, by))
    return spans


# Turkish writes a suffix after an apostrophe only on a proper noun: "Batman'dan geldim",
# "Pantin'de oturuyorum", "Mehmet'in oğlu" (round 8). French elisions are small lower-case
# words ("l'", "d'") or end in "qu" ("Jusqu'à").
TURKISH_SUFFIXED = re.compile(
    r"(?<![\w'’-])(?P<name>[A-ZÇĞİÖŞÜ][\w-]{2,})(?<!qu)['’]"
    r"(?P<suffix>(?:n|y)?(?:d|t)(?:a|e)(?:n|ki)?|y?(?:a|e)|y?(?:ı|i|u|ü)|n?(?:ı|i|u|ü)n|"
    # "Kayseri'liyim", "Batman'lıyım": "I am from…" (round 9)
    r"y?l(?:a|e)|l(?:ı|i|u|ü)(?:y(?:ı|i|u|ü)m)?|d(?:ı|i|u|ü)r)(?!\w)")


def turkish_proper_noun_spans(text: str) -> list[Span]:
    """A capitalised word before a Turkish suffix is a place or a person: "[Konya]'dan"."""
    spans = []
    for match in TURKISH_SUFFIXED.finditer(text):
        suffix = match.group("suffix")
        kind = "place" if suffix.startswith(("d", "t", "nd", "nt", "yd")) else "person"
        spans.append(Span(match.start("name"), match.end("name"), kind, "context"))
    return spans


# Chinese, written without spaces (round 8): the name after "我叫" (my name is), "名字是", "我姓" or
# a family word and "叫" ("儿子叫…"); the place before "人" (a person of …: "温州人") and after
# "住在" (live in), "来自" (come from), "出生在" (born in).
_HAN = "\u4e00-\u9fff"
_CLAUSE_END = r"，,。.！!？?；;：:\s（()"
_CHINESE_KIN = "儿子|女儿|老公|丈夫|先生|妻子|老婆|太太|孩子|妈妈|爸爸|哥哥|姐姐|弟弟|妹妹"
# The hundred commonest family names: after a family word, one of them opens the person's name
# even without "叫" ("我老公王建国在…打工", held-out 1 Dec d).
_CHINESE_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
                     "董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
                     "邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_CHINESE_NAME = re.compile(rf"(?:我叫|名叫|名字叫|名字是|我姓|(?:{_CHINESE_KIN})叫)"
                           rf"(?P<name>[{_HAN}]{{2,3}})"
                           rf"|(?:{_CHINESE_KIN})(?P<kin_name>[{_CHINESE_SURNAMES}][{_HAN}]{{1,2}})")
_CHINESE_ORIGIN = re.compile(rf"(?:^|(?<=[{_CLAUSE_END}是]))(?P<place>[{_HAN}]{{2,4}})人"
                             rf"(?=[{_CLAUSE_END}]|$)")
_CHINESE_PLACE = re.compile(rf"(?:住在|来自于?|出生在|出生于|生于|老家在|老家是)"
                            rf"(?P<place>(?![这那家一哪附])[{_HAN}]{{2,6}}?)(?=[{_CLAUSE_END}]|$|[A-Za-z])")
_ANY_HAN = re.compile(rf"[{_HAN}]")
# A name is two or three characters: the third is no name's after these ("陈美玲是…", "王伟在…").
_NOT_IN_NAME = frozenset("是在的住人我今年来和也就要说有")


def chinese_spans(text: str) -> list[Span]:
    """Names and places in Chinese, known by the words around them."""
    if not _ANY_HAN.search(text):
        return []  # every pattern below needs a Chinese character
    spans = []
    for match in _CHINESE_NAME.finditer(text):
        if match.group("kin_name") and zipf(match.group("kin_name")[:2], "zh") >= 3.5:
            continue  # "我老公高兴": a word ("happy"), not 高 and a given name
        start, end = match.span("name" if match.group("name") else "kin_name")
        if text[end - 1] in _NOT_IN_NAME and end - start == 3:
            end -= 1
        spans.append(Span(start, end, "person", "context"))
    for pattern in (_CHINESE_ORIGIN, _CHINESE_PLACE):
        spans += [Span(*match.span("place"), "place", "context")
                  for match in pattern.finditer(text)]
    # the towns of the area and of origin in Chinese characters, wherever they are: "回温州了"
    spans += [Span(*match.span(), "place", "lexicon") for match in _han_places().finditer(text)]
    return spans


@lru_cache(maxsize=1)
def _han_places() -> re.Pattern[str]:
    return re.compile(alternation(load_lexicon().places_in_han))


# After a name, the person's place in the family: "Grâce ma fille aînée", "Espoir mon petit".
_APPOSITION = ("fils|fille|petit|petite|grand|grande|aine|ainee|cadet|cadette|dernier|derniere|"
               "mari|femme|epouse|frere|soeur|cousin|cousine|voisin|voisine|amie?|tante|oncle")
# "yacine a 4 ans", "rose est née en 2019", "pierre m'a dit": a verb of a person after a word.
# "Olive et moi", "Espoir c'est mon fils", "Grâce m'a hébergée"; for a first name, "lina 2 ans".
# "Ange 14 an": "an" for "ans" in Creole (round 8).
_AGE_AFTER = re.compile(r"\s+\d+\s*ans?\b")
# "Céleste elle a 6 ans", "Karim il travaille": a first name set before the sentence and taken
# up by "il" or "elle" and a verb (round 8); only for first names, since "Demain il a…" or
# "Parfois elle est…" open sentences the same way.
_TAKEN_UP = re.compile(r"\s*,?\s+(?:il|elle)\s+(?:a|avait|aura|est|etait|sera|va|allait|fait|"
                       r"faisait|m['’ ]a|me|ne|n['’]|travaille|habite|vit|dort|vient|parle|"
                       r"s['’ ]appelle|pleure|mange|veut|peut|doit)\b")
_PERSON_AFTER = re.compile(r"\s+(?:a|aura|avait)\s+(?:\d+|\w+)\s*ans\b|\s+est\s+nee?\b"
                           r"|\s+m['’ ]a\s+[^\W\d_]{3,}"  # "ma" alone is "my"…
                           r"|\s+ma\s+(?:dit|aidee?|conseille|parle|explique|appele|donne|"
                           r"hebergee?)\b"  # …but SMS "ma dit" is "m'a dit"
                           r"|\s+et\s+moi\b|\s*,?\s+(?:c['’ ]?est|est)\s+(?:mon|ma|notre)\s"
                           # "Rose est venue", "Grâce ma fille aînée", "Espoir mon petit dernier"
                           r"|\s+(?:est|etait)\s+(?:venue?|partie?|passee?|allee?|arrivee?)\b"
                           r"|\s+(?:m['’ ]aide|me dit|travaille|habite|dort|vient)\b"
                           rf"|\s+(?:mon|ma|son|sa|notre|leur)\s+(?:{_APPOSITION})\b")
# Words standing for no one or nothing that a person's verb may follow: "Rien m'a été donné".
_NOBODY = frozenset({"rien", "personne", "chacun", "chacune", "quiconque", "aucun", "aucune"})
# "avec claire", "j'ai vu pierre": words before a person.
_PERSON_BEFORE = re.compile(r"\b(?:avec|vu|voir|appele|appelee|appeler|parle a)\s+$")
# "pour rose", "de la part de claire": before a first name that is also a word.
# "chez les martin": a family named after a first name that is also a word.
_FIRST_NAME_BEFORE = re.compile(r"\b(?:avec|pour|chez(?: les)?|de la part de|vu|appele|appelee)"
                                r"\s+$")


def _first_and_family(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """A first name of the world then a family name of the list, in lower case: "ahmad rahimi"
    is a name even in an answer written in English (round 10)."""
    following = TOKEN.match(text, match.end() + 1)
    return (text[match.end():match.end() + 1] == " " and following is not None
            and fold(match.group()) in world_first_names()
            and fold(following.group()) in lexicon.surnames)


def name_alone_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """First names with no cue before them: "j'ai vu karim hier", "avec sofiane et sa femme".

    A word of the world's or the area's first names that is no French word is a name
    wherever it is; one that is also a word ("rose") only before a verb of a person
    ("rose a 4 ans", "avec rose")."""
    spans = []
    folded = fold(text)
    english = mostly_english(text)  # "I come from…": "come" is no name there
    for match in TOKEN.finditer(text):
        word = match.group()
        if not word[:1].isalpha() or english and word.islower() and not _first_and_family(
                text, match, lexicon):
            continue
        if fold(word) in lexicon.foreign_words and sentence_start(text, match.start()):
            continue  # "Bună ziua", "Ami Rahima": the word opening the sentence
        if word.islower() and fold(word) in lexicon.relations:
            continue  # "mon daron il est au bled": a kinship word in lower case (round 11)
        alone = is_name_alone(word, lexicon)
        if not alone:
            lower = fold(word).rstrip("'’")
            # "Merveille m'a aidée", "Espoir c'est mon fils": with a capital, any word that is
            # no small word can be a name before such a cue; in lower case only first names.
            # "Amadou 12 ans": a first name of the area that is also a word (tinder).
            first_name = is_first_name(lower, lexicon) or lower in lexicon.area_names
            known = first_name or (
                word[:1].isupper() and len(lower) > 2 and lower not in STOP_WORDS
                and lower not in _NOBODY and lower not in lexicon.relations)
            if not (known and lower not in lexicon.keep and (
                    _PERSON_AFTER.match(folded, match.end())
                    or first_name and _AGE_AFTER.match(folded, match.end())
                    or first_name and _TAKEN_UP.match(folded, match.end())
                    or first_name and _FIRST_NAME_BEFORE.search(
                        folded, max(0, match.start() - 16), match.start())
                    or _PERSON_BEFORE.search(folded, max(0, match.start() - 12),
                                             match.start()))):
                continue
        start, end = _names_after(text, match.start(), lexicon)
        if end <= match.start():
            start, end = match.span()
        spans.append(Span(start, end, "person", "context"))
    return spans



# A name in Arabic script with its "son/daughter of" between two words: "خديجة بن علي",
# "محمد بن سالم" (round 9). Names there are common words, so the particle is the cue; the
# word before it is the first name, the one after the father's or family name.
_ARABIC_PARTICLE_NAME = re.compile(rf"(?<![\u0600-\u06ff]){ARABIC_LETTER}{{2,}}"
                                   rf" (?:(?:بن|بنت|ابن) {ARABIC_LETTER}{{2,}}"
                                   r"|بی بی)")  # Urdu "bibi" after a woman's name


def arabic_particle_spans(text: str) -> list[Span]:
    """Names in Arabic script known by "bin"/"bint" between two of their words, or by "bibi"
    after one ("عائشہ بی بی"); names and places known by the words of Urdu, Farsi, Pashto and
    Arabic around them."""
    spans = [Span(*match.span(), "person", "context")
             for match in _ARABIC_PARTICLE_NAME.finditer(text)]
    everyday = load_lexicon().foreign_words
    for pattern, kind in _ARABIC_SCRIPT_CUES:
        # "ایک کمرے میں رہتا ہوں" (I live in a room): a listed word is no place (round 10)
        spans += [Span(*match.span("id"), kind, "context") for match in pattern.finditer(text)
                  if fold(match.group("id")) not in everyday]
    spans += [Span(*match.span("id"), "person", "context") for match in _I_AM.finditer(text)
              if _no_everyday_word(match.group("id"), everyday)]
    return spans


# Farsi joins a compound name's parts with a zero-width non-joiner: "گل‌آقا" (round 11).
_ARABIC_WORD = (rf"(?<!{ARABIC_LETTER}|\u200c){ARABIC_LETTER}"
                rf"(?:{ARABIC_LETTER}|\u200c(?={ARABIC_LETTER}))+")
_ARABIC_END = rf"(?!{ARABIC_LETTER})"
# Urdu "میرا نام ثنا خان ہے", Farsi "اسم من مریم احمدی است", Pashto "زما نوم … دی": the whole
# name runs to the verb "is"; Urdu "میں لاہور سے ہوں" (I am from Lahore), "… میں رہتی ہوں" (I
# live in …), Farsi "اهل کابل هستم", "از هرات آمدم", Arabic "أنا من وهران" (held-out 1 Dec d).
_ARABIC_SCRIPT_CUES = [
    (re.compile(rf"(?:میرا نام|نام من|اسم من|زما نوم|اسمي|اسمی)\s+(?P<id>{_ARABIC_WORD}"
                rf"(?:\s+{_ARABIC_WORD}){{0,2}}?)\s+(?:ہے|است|هست|دی|ده){_ARABIC_END}"), "person"),
    (re.compile(rf"(?P<id>{_ARABIC_WORD})\s+(?:سے|کے)\s+(?:ہوں|ہیں|ہے|آیا|آئی|آئے|تعلق)"
                rf"{_ARABIC_END}"), "place"),
    (re.compile(rf"(?P<id>{_ARABIC_WORD})\s+میں\s+(?:رہت|رہائش)"), "place"),
    (re.compile(rf"(?<!{ARABIC_LETTER})(?:اهل|از)\s+(?P<id>{_ARABIC_WORD})\s+"
                r"(?:هستم|هستیم|است|آمدم|آمده|آمدیم)"), "place"),
    (re.compile(rf"(?<!{ARABIC_LETTER})در\s+(?P<id>{_ARABIC_WORD})\s+(?:زندگی|ساکن)"), "place"),
    (re.compile(rf"(?<!{ARABIC_LETTER})(?:أنا|انا|إحنا|احنا|نحن)\s+من\s+(?P<id>{_ARABIC_WORD})"),
     "place"),
    # A parent named after their child, the kunya: "أنا أم خالد" (Umm Khalid), "أبو يوسف"; the
    # child's name follows (round 10). Words with the article ("أم الأطفال", the children's
    # mother) are no name.
    # "أم لا" ("or not"), "أم ماذا" ("or what"): "or" before a small word or a question word.
    (re.compile(rf"(?<!{ARABIC_LETTER})(?:أم|ام|أبو|ابو)\s+"
                rf"(?!ال|(?:ماذا|متى|كيف|أين|اين|هذا|هذه|هل|من|لماذا){_ARABIC_END})"
                rf"(?P<id>{ARABIC_LETTER}{{3,}}){_ARABIC_END}"), "person"),
]

# Farsi "من فریده احمدی هستم" (I am …), Urdu "میں نادیہ بٹ ہوں": two words that are no
# everyday word (round 11); one word alone only when rare.
_I_AM = re.compile(rf"(?<!{ARABIC_LETTER})(?:من|میں)\s+"
                   rf"(?P<id>{_ARABIC_WORD}(?:\s+{_ARABIC_WORD})?)\s+(?:هستم|ہوں){_ARABIC_END}")
# "من خسته هستم" (I am tired), "میں بیمار ہوں" (I am ill): a word that common is no name.
_EVERYDAY_IN_ARABIC_SCRIPT = 5.0
_RARE_ALONE = 3.6


def _no_everyday_word(found: str, everyday: frozenset[str]) -> bool:
    """No word of ``found`` (words of Arabic script found after a cue) is an everyday word of
    the lists or of Arabic, Farsi or Urdu; one word alone, rarer still."""
    words = found.split()
    limit = _EVERYDAY_IN_ARABIC_SCRIPT if len(words) > 1 else _RARE_ALONE
    return all(fold(word) not in everyday and elsewhere_zipf(fold(word)) < limit
               for word in words)


def arabic_first_name_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """A first name in Arabic script that is no everyday word, wherever it stands: "سلام، أنا
    يوسف", "ولدي محمد" (round 10), also after "and", "for", "with" glued to it ("ويوسف")."""
    if not re.search(ARABIC_LETTER, text):
        return []
    return [Span(*match.span(), "person", "context")
            for match in _arabic_first_names(lexicon.arabic_first_names).finditer(text)]


@lru_cache(maxsize=1)
def _arabic_first_names(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!{ARABIC_LETTER})(?:و|ل|ب)?(?:{alternation(names)}){_ARABIC_END}")


# The same in Latin letters: "oum khaled", "umm yusuf", "abou ali", "abu bakr" (round 10).
_KUNYA = re.compile(r"\b(?:oum|om|umm|um|abou|abu|abo)\s+(?P<id>[^\W\d_]{3,})")


def kunya_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """The child's name in a kunya typed in Latin letters, when it is a first name."""
    return [Span(*match.span("id"), "person", "context")
            for match in _KUNYA.finditer(fold(text))
            if match.group("id") in world_first_names() or match.group("id") in lexicon.area_names]


# Cyrillic (Ukrainian, Russian): two capitalised words in a row are a first and a family name
# ("Олена Коваленко", "Сергій Мельник"), and after "я" (I am), "мене звати", "меня зовут" (my
# name is) a capitalised word is a name (round 10). A sentence opens with one capital only.
_CYRILLIC_WORD = r"[А-ЯЁЄІЇҐ][а-яёєіїґ'’ʼ-]+"
_CYRILLIC_NAME = re.compile(rf"(?<![\w-])(?:{_CYRILLIC_WORD})(?:\s+{_CYRILLIC_WORD}){{1,2}}"
                            rf"(?![\w-])"
                            rf"|(?<![\w-])(?:я|Я|мене звати|Мене звати|меня зовут|Меня зовут|"
                            rf"моє ім['’ʼ]я|мое имя)\s+"
                            rf"(?P<named>{_CYRILLIC_WORD}(?:\s+{_CYRILLIC_WORD}){{0,2}})(?![\w-])")
_CYRILLIC_GREETINGS = frozenset({"добрий", "добрый", "доброго", "добре", "дякую", "спасибо",
                                 "здравствуйте", "привіт", "привет", "вітаю", "шановні"})


# Family words opening a sentence before the name, in Russian and Ukrainian (round 11: "Муж
# Руслан работает"): they stay, the name after them goes.
_CYRILLIC_KIN = frozenset({"муж", "жена", "сын", "дочь", "дочка", "мама", "мать", "папа", "отец",
                           "брат", "сестра", "бабушка", "дедушка", "внук", "внучка", "тётя",
                           "дядя", "чоловік", "дружина", "син", "донька", "мати",
                           "батько", "бабуся", "дідусь", "онук", "онука", "тітка",
                           "дядько", "сусід", "сусідка", "сосед", "соседка"})


def cyrillic_name_spans(text: str) -> list[Span]:
    """Names in Cyrillic, known by their capitals or by "я"/"мене звати" before them."""
    spans = []
    for match in _CYRILLIC_NAME.finditer(text):
        start, end = match.span("named") if match.group("named") else match.span()
        first = match.group().split()[0]
        if first.lower() in _CYRILLIC_GREETINGS:
            continue  # "Добрий День": a greeting typed with capitals
        if not match.group("named") and first.lower() in _CYRILLIC_KIN:
            start = match.start() + len(first) + 1  # "Муж Руслан": the husband is no name
            start += len(text[start:]) - len(text[start:].lstrip())
            if start >= end:
                continue
        spans.append(Span(start, end, "person", "context"))
    return spans


# Kabyle villages and tribes, Maghreb places and family names opened by "sons of": "At Yenni",
# "Ath Yenni", "Aït Ouali", "Beni Douala", "Ouled Fayet", "Bni Ansar" (round 10). "At" and
# "Ath" only inside a sentence: "At Carrefour I work" opens an English one.
_SONS_OF = re.compile(r"(?<![\w'’-])(?P<prefix>At|Ath|A[iï]t|Beni|B[ée]ni|Bni|Ouled|Oulad|Ulad|"
                      r"Iwadiyen|Ighil|Tizi|Tala|Ain|Aïn|Sidi|Bordj|Draâ|Dra[aâ])"
                      r"\s+(?P<name>[A-ZÉÈ][\w'’-]+)")


def sons_of_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """A place or family name opened by "At", "Aït", "Beni", "Ouled", "Tizi", "Sidi"…."""
    spans = []
    for match in _SONS_OF.finditer(text):
        if match.group("prefix") in ("At", "Ath") and sentence_start(text, match.start()):
            continue
        if fold(match.group("name")) in lexicon.keep or match.group("name").lower() in STOP_WORDS:
            continue
        spans.append(Span(match.start(), match.end(), "place", "context"))
    return spans


# A household listed with birth years or ages: "Nazali na bana misato: Grâce (2012), Divine
# (2016)", "mes enfants : Merveille (née en 2015), joie (7 ans)", "Grâce, née en 2012" (round
# 11). A first name that is a word ("Grâce", "Divine", "Joie") is a name there; not a month, a
# feast, an institution ("Pâques (2019)", "les Restos (2019)", "CAF (2020)"); in lower case only
# a first name.
_BRACKETED_BIRTH = re.compile(
    r"(?<![\w'’-])(?P<name>[^\W\d_][\w'’-]+(?:\s+[^\W\d_][\w'’-]+)?)(?:\s*\(\s*(?:(?:n[ée]e?|born)"
    r"\s+(?:en\s+|le\s+|in\s+)?)?(?:(?:19|20)\d\d|\d{1,2}\s*(?:ans?|years?|mois))\s*\)"
    r"|\s*,\s*n[ée]e?\s+(?:en|le)\s+(?=\d|[a-z]))")


def bracketed_birth_spans(text: str, lexicon: Lexicon) -> list[Span]:
    spans = []
    for match in _BRACKETED_BIRTH.finditer(text):
        words = list(TOKEN.finditer(text, match.start("name"), match.end("name")))
        while words and fold(words[0].group()) in STOP_WORDS | lexicon.keep:
            words.pop(0)  # "les Restos", "mes enfants Grâce"
        folded = [fold(word.group()) for word in words]
        if not words or any(word in lexicon.keep or word in STOP_WORDS or UNIT.fullmatch(word)
                            for word in folded):
            continue
        if words[0].group().islower() and not is_first_name(folded[0], lexicon):
            continue
        spans.append(Span(words[0].start(), words[-1].end(), "person", "context"))
    return spans
