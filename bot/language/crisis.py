"""Always-on safety net for suicidal crisis in residents' messages.

Relais promises that any sign of suicidal crisis gets the 3114 line and a person at once,
whatever the conversation was doing. The NLU model has a ``crisis`` intent, but a model's
confidence can be low on exactly the messages that matter (SMS spelling, a crisis told in
the middle of a housing story). This module is the second, deterministic layer: a lexicon
and patterns run on the normalised text of every message, which a low model confidence
cannot switch off.

Design (every rule and its rationale: ``docs/crisis-safety-net.md``):

1. The text is normalised (``bot.language.normalize``): no accents, SMS spellings expanded.
2. Idioms that borrow the words of death ("mourir de honte", "sauter un repas", "c'est du
   suicide", "se tuer à la tâche"…) are masked rather than used to dismiss the message, so
   a real signal elsewhere in the same message still fires. ("Le stress me tue" needs no
   mask: no rule matches another subject killing "me".)
3. Every rule is tried; a signal carries the ids of all the rules that matched and never
   the text, so it can be logged.

Distress that is not a crisis ("j'en peux plus", "je suis à bout", anxiety, loneliness,
burnout, insomnia) does not fire on its own: it is the ``mental_health_support`` topic.
When a signal is doubtful the rules lean towards firing: a needless 3114 message costs a
sentence, a missed crisis costs a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.normalize import normalize

__all__ = [
    "CRISIS_RULES",
    "CrisisRule",
    "CrisisSignal",
    "detect_crisis",
    "detect_crisis_normalized",
]

#: Longest text examined. Channels cap messages well below this (4 096 characters on
#: WhatsApp and Telegram); a longer text is read by its beginning and its end, where a crisis
#: told after a long story sits.
MAX_CHARS = 20_000


def _bounded(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    half = MAX_CHARS // 2
    return text[:half] + " . " + text[-half:]


@dataclass(frozen=True)
class CrisisSignal:
    """A detected crisis: which rules matched, never what the resident wrote.

    ``about_other`` is true when every matching passage speaks of a third person ("mon
    fils parle de se suicider"): the reply then addresses a worried relative (3114 also
    answers them).
    """

    rule_ids: tuple[str, ...]
    about_other: bool = False


@dataclass(frozen=True)
class CrisisRule:
    """One pattern of the safety net, named so that a log line says why it fired."""

    rule_id: str
    pattern: re.Pattern[str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# ---------------------------------------------------------------------------
# Vocabulary fragments (normalised text: lower case, no accents, "j'ai", digits)
# ---------------------------------------------------------------------------
_MOURIR = r"mour+i+r?e?s?\b"
# every form of "mourir" an idiom can take: "je meurs de faim", "on mourra de froid"
_DIE_FORMS = r"\b(?:mour+i+r?e?s?|meur[st]?|meurent|mourr\w*|mourai\w*)"
_SUICID = r"\bs(?:ui|iu|u)(?:c|s)+i?d\w*"
_REFL = r"(?:me |se |m'|s'|te |t')"
_ADV = (
    r"(?:(?:juste|vraiment|serieusement|bientot|simplement|encore|souvent|tout le temps|"
    r"parfois|deja|presque|peut etre|aller|plutot) )*"
)
# Wanting or planning one's death (not "il va mourir": an illness is not a crisis).
_WANT = (
    r"(?:veux|veut|veu|veulent|voudrais|voudrait|voulais|voulait|aimerais|aimerait|souhaite|"
    r"souhaiterais|souhaiterait|prefere|prefererais|prefererait|envie de|envie d'|pret a|"
    r"prete a|decide de|decide a|pense a|pense serieusement a|songe a|reve de|parle de|"
    r"parlait de|cherche a|laissez moi|laisse moi|laisser|hate de|besoin de|demande a)"
)
# Acting on oneself: the wish, plan, attempt, threat or fear of doing it. Who acts matters:
# "je vais me tuer" is a crisis, "mon proprio va me tuer" or "il va me jeter dehors" are not,
# so reflexive "me" goes with first-person forms and reflexive "se" with third-person ones.
_INTRO = (
    r"envie de|envie d'|pret a|prete a|decide de|decide a|pense a|pense serieusement a|songe a|"
    r"reve de|cherche a|hate de|besoin de|essaye de|essaie de|essayer de|essaye d'|tente de|"
    r"tenter de|peur de|risque de|sur le point de|capable de|failli"
)
_MODAL_ME = (
    r"(?:vais|vai|veux|je veut|veu|voudrais|aimerais|souhaite|prefere|prefererais|peux|pourrais|"
    r"compte|allais|voulais|faut que je|faudrait que je|que je|" + _INTRO + r")"
)
_MODAL_SE = (
    r"(?:va|veut|voudrait|voulait|allait|peut|pourrait|compte|menace de|menace|parle de|"
    r"parlait de|qu'il|qu'elle|" + _INTRO + r")"
)


def _acting_on_self(acts: str) -> str:
    """Pattern for a first- or third-person modal followed by a reflexive act."""
    return (
        r"\b(?:" + _MODAL_ME + r" " + _ADV + r"(?:me |m')|" + _MODAL_SE + r" " + _ADV
        + r"(?:se |s'))(?:" + acts + r")"
    )


# "vivre comme ça / ici / dans ce taudis / avec lui": a way of living, not life itself.
_NOT_A_PLACE = (
    r"(?! (?:comme ca|comme cela|ici|la bas|la dedans|dans|avec|chez|en|sans|au|a cote)\b)"
)
_DRUGS = (
    r"(?:cachets?|medicaments?|medocs?|pilules?|comprimes?|somniferes?|doliprane|"
    r"paracetamol|efferalgan|dafalgan|xanax|lexomil|tranxene|valium|temesta|seresta|"
    r"lysanxia|stilnox|atarax|anxiolytiques?|antidepresseurs?|neuroleptiques?|lithium|"
    r"tramadol|codeine|morphine|insuline)"
)
_MANY = (
    r"(?:toute? (?:la|ma|une|sa) (?:boite|plaquette|tube|flacon|bouteille)|"
    r"(?:une|la|ma|sa|des|2|3|deux|trois) (?:boites?|plaquettes?|tubes?|flacons?)|"
    r"plein|trop|beaucoup|un max|une tonne|une poignee|une dose|une overdose|"
    r"\d{2,}|dix|quinze|vingt|trente|quarante|cinquante)"
)
_PEOPLE = (
    r"(?:famille|enfants?|fils|fille|filles|proches|mere|pere|parents|mari|femme|amis?|"
    r"amies?|copine|copain|frere|soeur|freres|soeurs|petits enfants|bebe|mes gosses)"
)
_THIRD = re.compile(
    r"\b(?:il|elle|ils|elles|se|s'\w+|qu'il|qu'elle|son|sa|ses|lui|leur|"
    r"mon fils|ma fille|mon mari|ma femme|ma mere|mon pere|mon frere|ma soeur|mon ami|"
    r"ma copine|mon copain|he|she|his|her)\b"
)
_FIRST = re.compile(r"\b(?:je|j'\w+|me|m'\w+|moi|i|i'm|myself)\b")

# ---------------------------------------------------------------------------
# Idioms masked before matching (see docs: "Idioms that never fire")
# ---------------------------------------------------------------------------
_IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    _rx(p)
    for p in (
        # "mourir de honte / rire / faim…", "mort de fatigue", "crever de chaud"
        _DIE_FORMS + r" (?:de |d')(?:rire|honte|faim|froid|chaud|soif|peur|ennui|fatigue|"
        r"envie|jalousie|plaisir|impatience|curiosite|stress|trouille|inquietude|sommeil)\b",
        r"\bmorte?s? (?:de |d')(?:rire|honte|faim|froid|chaud|soif|peur|ennui|fatigue|"
        r"trouille|stress|inquietude|sommeil)\b",
        r"\bcrev\w* (?:de |d')(?:chaud|faim|froid|soif|fatigue|rire|peur|ennui|sommeil)\b",
        # "se tuer à la tâche / au travail", "tu vas me tuer à me répéter ça"
        r"\btu\w* (?:a la tache|au travail|au boulot|a le dire|a vous le dire|a le repeter|"
        r"a (?:vous )?expliquer|a (?:vous )?repeter)",
        r"\btuer le temps\b",
        # "c'est du suicide" (= c'est de la folie), "suicide commercial"
        r"\bc'est (?:du|un vrai|vraiment du|carrement du|un) " + _SUICID[2:],
        r"\b(?:c'est|c'etait|ce serait|ca serait|ca parait|ca semble) (?:\w+ )?suicidaire\b",
        _SUICID + r" (?:commercial|financier|social|politique|professionnel|scolaire|fiscal)",
        # the "suicide" of a company, a party, a team
        _SUICID + r" (?:de |d')(?:l'|la |le |son |sa |notre |leur )?(?:entreprise|societe|boite|"
        r"commerce|economie|parti|club|equipe|marque|magasin)",
        # "sauter le pas / de joie / un repas", "se jeter à l'eau", "une balle dans le pied"
        r"\bsaut\w* (?:le pas|de joie|au plafond|un repas|les repas|le repas|des repas|"
        r"le petit dejeuner|le dejeuner|le diner|une ligne|une etape|une case|une question|"
        r"un tour|une page|une annee|une classe)",
        r"\bjet\w* a l'eau\b",
        r"\bballe dans le pied\b",
        # "pour en finir, je voulais dire…" (= enfin)
        r"^pour en finir\b",
        r"\bpour en finir (?=je |j'|voici|merci|bref|avec (?:ce|cette|ces|le|la|les|mon|ma|mes)\b)",
    )
)

# ---------------------------------------------------------------------------
# Rules, by layer. Ids are stable: logs, tests and docs refer to them.
# ---------------------------------------------------------------------------
_RULES_SPEC: tuple[tuple[str, str], ...] = (
    # 1. Explicit words: suicide, and reflexive acts with no idiomatic use.
    ("explicit.suicide", _SUICID),
    ("explicit.ts_abbrev",
     r"\b(?:une|sa|des|de|premiere|derniere|nouvelle|fait|faire|fais) ts\b"),
    # "il a fait une tentative" alone means a suicide attempt; "une tentative de recours" not.
    ("explicit.attempt",
     r"\b(?:fait|faire|refait|fais|fera) une (?:nouvelle |autre )?tentative\b(?! (?:de|d')\b)"),
    ("explicit.hanging", r"\b" + _REFL + r"pend(?:re|s|ait|rai|rais|u|ue)\b|\bpendaison\b"),
    ("explicit.foutre_en_lair",
     r"\b" + _REFL + r"(?:foutre|fous|fout|fou|suis foutu) en l'?air\b"),
    ("explicit.mettre_fin",
     r"\b(?:fin|terme) a (?:mes|ses|tes|sa|ma|ta|leurs?|nos) (?:jours|vie|vies)\b|"
     r"\b(?:mettre|mis|mets|met|mettrai|mettrais) (?:fin|un terme) a tout\b"
     r"(?! (?:ce|cette|ces|le|la|les|mes|mon|ma|nos|notre)\b)"),
    ("explicit.self_harm",
     r"\bscarifi\w*|\bauto ?mutil\w*|\b" + _REFL + r"mutil\w*|"
     r"\b(?:ouv\w*|coup\w*|tailla?\w*|tranch\w*) (?:les|mes|ses|le|mon|son) "
     r"(?:veines?|poignets?)\b|"
     r"\b(?:me|se|m'|s') ?(?:coup\w*|brul\w*|tailla?d\w*|entaill\w*) (?:les|mes|ses) "
     r"(?:bras|poignets|cuisses|jambes|veines)\b"),
    # 2. Killing oneself, with the wish, plan, attempt or threat before it.
    ("self.kill",
     _acting_on_self(r"tuer|tue|supprimer|buter|flinguer|noyer|empoisonner|tirer une balle|"
                     r"mettre une balle|faire sauter la cervelle") + r"\b"),
    # Present tense as a threat: "si on m'expulse je me tue" (idioms are masked first).
    ("self.kill_present",
     r"\bje (?:me|m'en) (?:tue|suicide|supprime)\b(?! (?:les yeux|a|au|de|pour)\b)"),
    ("self.harm",
     r"\b(?:je (?:ne )?me fais|se fai(?:t|s|re|sait)) du mal\b|"
     + _acting_on_self(r"faire du mal|blesser") + r"\b"),
    # 3. Wanting to die, to be dead, not to live.
    ("die.want",
     r"\b" + _WANT + r" " + _ADV + r"(?:" + _MOURIR + r"|crev(?:er|e)\b)|"
     # "envie de tout arrêter, de crever": the wish heads a list of infinitives
     r"\benvie (?:\S+ ){1,6}?de (?:" + _MOURIR + r"|crever\b)"),
    ("die.be_dead",
     r"\b(?:" + _WANT + r" (?:etre )?|(?:serais|serait|seraient|serions) mieux |"
     r"mieux vaut (?:que je sois |etre )?|ferais mieux d'etre )morte?s?\b|"
     # wishing never to have been born
     r"\b(?:" + _WANT + r"|aurais prefere|aurait prefere|regrette d'etre) (?:ne |n')?"
     r"(?:jamais|pas) (?:etre )?nee?s?\b"),
    ("die.death_wish",
     r"\b(?:je veux|veut|cherche|souhaite|appelle|attends|attend|reclame) la mort\b(?! de)|"
     r"\b(?:pense|pensais|penser|songe|obsede|obsedee|reve)\b(?: \S+){0,3}? a "
     r"(?:la mort\b(?! de)|" + _MOURIR + r"|en finir|partir pour toujours)|"
     r"\b(?:seule? |derniere |unique )?(?:solution|issue|sortie) (?:c'est|est|serait|reste) "
     r"(?:la mort|de " + _MOURIR + r"|d'en finir|de partir pour toujours)|"
     r"\bla mort\b(?! de)(?: \S+){0,3}? (?:la |ma |une )?(?:seule|unique|meilleure|derniere) "
     r"(?:solution|issue|sortie)\b|"
     r"\breste (?:plus |rien )?(?:que|a part|sauf) la mort\b"),
    ("die.no_will_to_live",
     r"\b(?:plus|pu|pas|aucune?|perdu|sans) (?:la |le |l'|d'|de |du )?"
     r"(?:envie|gout|force|raison|courage|interet|volonte|desir) (?:de |d'|a )"
     r"(?:vivre|exister|rester en vie|etre en vie|etre vivante?|etre la)\b" + _NOT_A_PLACE + r"|"
     r"\b(?:veux|veut|voudrais|peux|peut|arrive) plus (?:a )?(?:vivre|exister)\b"
     + _NOT_A_PLACE + r"|"
     r"\b(?:marre|assez|fatiguee?|lasse|epuisee?|peu[xt]? plus|pu) "
     r"(?:de la vie|de vivre|d'exister|d'etre en vie)\b" + _NOT_A_PLACE),
    ("die.life_meaningless",
     r"\b(?:la|ma) vie (?:n'a|na|a) (?:plus|aucun|pas|plus aucun) (?:de )?sens\b|"
     r"\b(?:vie|vivre) ne (?:vaut|vaux|sert) (?:plus|pas|a) (?:la peine|le coup|rien)\b|"
     r"\bvaut (?:plus|pas) (?:la peine|le coup) de vivre\b|"
     r"\ba quoi (?:bon|ca sert de) (?:vivre|continuer a vivre|rester en vie)\b|"
     r"\b(?:ca|sa|cela) (?:ne )?sert (?:a rien|plus a rien|a quoi) de "
     r"(?:vivre|continuer a vivre|rester en vie)\b" + _NOT_A_PLACE + r"|"
     r"\bpourquoi (?:je )?(?:vivre|vis encore|continuer a vivre|rester en vie)\b"),
    # 4. Ending it, disappearing, not waking up.
    ("end.en_finir",
     r"\ben finir\b(?!(?: une bonne fois(?: pour toutes)?| pour de bon| vite| definitivement)?"
     r" avec (?!(?:la vie|ma vie|cette vie|la souffrance|ce monde|l'existence|"
     r"mes jours|moi|tout(?! (?:ce|cette|ces|le|la|les|mes|mon|ma)\b))\b))"),
    ("end.disappear",
     r"\b(?:" + _WANT + r"|vais|va) " + _ADV + r"disparaitre\b"
     r"(?! (?:de|des|du|d') ?(?:la |les |vos |votre |ma |mes |leur |leurs |l'|cette |ces )?"
     r"(?:listes?|fichiers?|bases?|registres?|systemes?|donnees|dossiers?|sites?|ecrans?)\b)|"
     r"\bdisparaitre (?:de ce monde|de la terre|pour toujours|a jamais|pour de bon)\b"),
    ("end.never_wake",
     r"\b(?:dormir|m'endormir|endormir|sommeil) (?:pour toujours|a jamais|pour de bon|"
     r"et ne (?:plus|jamais|pas) (?:me )?reveiller)\b|"
     r"\b(?:" + _WANT + r"|espere|esperant) (?:ne |n')?(?:plus|jamais|pas) (?:me )?reveiller\b|"
     # "si demain je me réveille pas, c'est pas grave"
     r"\bsi (?:\S+ )?je (?:ne )?me reveille (?:pas|plus|jamais)\b"),
    ("end.everything_stops",
     r"\bque tout (?:s'arrete|se termine|finisse|s'eteigne)\b|\barreter de vivre\b"),
    ("end.do_something_stupid",
     r"\b(?:peur|risque|capable|pret|prete|point|envie|vais|va|vas|pourrais|pourrait|sens|crains)"
     r"(?: \S+){0,3}? (?:faire|fasse|fassent|fait) (?:une|des|la) (?:grosse |grande |vraie )?"
     r"(?:connerie|betise)s?\b(?! (?:sur|dans|avec|en|au|a|pour|de|du|des|administrative)\b)"),
    ("end.act", r"\b(?:peur de|envie de|vais|va|failli|pres de|sur le point de|pourrais|risque de|"
                r"pret a|prete a) passer a l'acte\b"),
    # 5. Farewells and feeling a burden.
    ("farewell.adieu",
     r"\b(?:dire|dis|dit|faire|fais|fait|mes|nos|ses|derniers?) adieux?\b"
     r"(?! (?:a|au|aux) (?!(?:mes |ma |mon |la |ce |le |tout le monde|tous)?(?:" + _PEOPLE
     + r"|vie|monde|tout le monde|tous)\b))"
     # a farewell explained by a departure: "elle m'a dit adieu, elle déménage"
     r"(?!(?: \S+){0,5}? (?:demenag\w*|part (?:en|au|aux|a|vivre)|retourn\w*|quitt\w*|"
     r"vacances|voyage\w*|mutee?|mutation)\b)|"
     r"\badieu (?:a tous|tout le monde|ce monde|le monde|la vie|cruel|" + _PEOPLE + r")\b|"
     r"\b(?:lettre|message|mot) d'adieux?\b|"
     # words left for the family: "dites à mes enfants que je les aime", "prenez soin de ma fille"
     r"\bdites? (?:a|au|aux) (?:mes |ma |mon )?" + _PEOPLE
     + r" (?:\S+ ){0,2}?que je (?:les|l'|la|le|vous|t') ?aime\b|"
     r"\bprenez soin (?:de|d') ?(?:mes |ma |mon )" + _PEOPLE + r"\b|"
     r"\brejoindre (?:\S+ ){1,3}?(?:la haut|au ciel|au paradis|dans la mort|de l'autre cote)\b"),
    ("farewell.never_again",
     r"\b(?:vous|on|tu|personne|ils|elles) (?:ne |n')?(?:me )?reverr\w* (?:plus|jamais)\b|"
     r"\b(?:entendrez|entendra|entendront|aurez|aura) plus (?:jamais )?"
     r"(?:parler de moi|de mes nouvelles)\b|"
     r"\b(?:c'est|voici|ceci est) (?:mon|le) dernier message\b(?! (?:avant|de la journee|pour)\b)|"
     r"\bderniere fois que (?:je vous ecris|je vous parle|j'ecris|vous avez de mes nouvelles)\b"),
    ("farewell.not_here",
     r"\bje (?:ne )?(?:serai|serais|vais plus etre) plus (?:la|de ce monde|en vie|vivante?)\b"
     r"(?! (?:le|les|du|au|en|a|aux|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|pendant|"
     r"cet|cette|ce|entre|avant|apres|quand|a partir|jusqu'\w*|la semaine|"
     r"de (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d+|janvier|fevrier|mars|"
     r"avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|midi|\d+h)|"
     r"pour (?:le|la|les|l'|un|une|ce|cette|votre|vos|mon rendez))\b)|"
     r"\bje (?:ne )?(?:serai|serais) plus (?:de ce monde|en vie)\b|"
     r"\b(?:partir|m'en aller|je pars|je m'en vais|je m'en irai|je partirai) "
     r"(?:pour toujours|a jamais|pour de bon)\b"
     r"(?! (?:de|d'|en|au|a|pour|loin|vers|dans|chez|du)\b)"),
    # "le grand saut" is also a life step ("je fais le grand saut, je déménage"); it fires
    # unless a project follows.
    ("farewell.grand_saut",
     r"\b(?:fais|faire|ferai|fait|vais faire|va faire) le grand saut\b"
     r"(?!(?: \S+){0,4}? (?:demenag\w*|install\w*|quitt\w*|achet\w*|sign\w*|mari\w*|"
     r"inscri\w*|demande\w*|cree\w*|lance\w*|ouvr\w*|retour\w*|vers|en province|a l'etranger|"
     r"dans (?:le|la|l'|un|une)))"),
    ("farewell.its_over",
     r"\b(?:c'est|ce sera|ca sera|tout est|tout sera) (?:bientot |presque |deja )?(?:fini|termine)"
     r" pour moi\b(?! (?:le|la|les|l'|avec|de|du|des|ce|cette|ici|a|au|aux|chez|dans)\b)"),
    ("burden.better_without_me",
     r"\b(?:mieux|plus heureux|plus heureuse|plus heureuses|tranquilles?|soulages?|soulagees?|"
     r"libres?|debarrasses?) sans moi\b|"
     r"\bje (?:suis|serai|deviens|me sens) (?:devenue? )?(?:un|une|qu'un|qu'une) "
     r"(?:poids|fardeau|charge)\b"),
    ("burden.nobody_will_miss",
     r"\bpersonne (?:ne |n')?(?:\S+ ){0,2}?(?:regrett\w*|pleurera\w*|remarquera\w*|"
     r"s'en rendra\w* compte|viendra a mon enterrement|verra\w* la difference|manquera\w*)|"
     r"\bje (?:ne )?manquer(?:ai|ais|a) a personne\b|"
     r"\bpersonne (?:ne |n')?(?:\S+ ){0,3}?(?:de mon absence|de ma disparition|"
     r"si je (?:pars|disparais|meurs|suis plus la|ne suis plus la))\b"),
    # 6. Means: jumping, overdose.
    ("means.jump",
     r"(?:\b" + _MODAL_ME + r" " + _ADV + r"(?:me |m')?(?:jeter|sauter|balancer|lancer)|"
     + _acting_on_self(r"jeter|balancer|lancer") + r")\b"
     r"(?! (?:sur|le|la|les|un|une|des|ce|cet|cette|ces|mon|ma|mes|son|sa|ses|votre|notre|"
     r"dessus|dehors|hors|a la rue|de chez|du logement|"
     r"dans mes bras|dans la bataille|a l'eau|de joie)\b)|"
     r"\b(?:" + _REFL + r"(?:jeter|jette|jete|balancer|lancer)|saut\w*) (?:par la fenetre|du haut|"
     r"du pont|du balcon|du toit|de la fenetre|de mon balcon|de l'immeuble|de la tour|d'un pont|"
     r"d'un immeuble|d'un toit|d'une tour|d'un balcon|du \d+e? etage|dans le vide|dans la seine|"
     r"dans le canal|"
     r"sous (?:le|un|une|la) (?:train|metro|rer|tram|tramway|bus|camion|voiture|rame))"),
    ("means.jump_place",
     r"\b(?:suis|sommes|est|me trouve|assise?|debout) (?:au bord|sur le rebord|sur le parapet|"
     r"sur la rambarde|penchee?) (?:du|de la|d'un|d'une|de mon|de ma) "
     r"(?:pont|quai|vide|fenetre|toit|balcon|falaise|immeuble|rails?|voie)\b"),
    ("means.overdose",
     r"\b(?:pris|avale|prendre|avaler|prend|prends|gobe|gober)\b(?: \S+){0,2}? " + _MANY
     + r" (?:\S+ )?(?:de |d')?" + _DRUGS + r"\b|"
     r"\b" + _DRUGS + r" (?:\S+ ){0,2}?(?:d'un (?:seul )?coup|en meme temps|a la fois|"
     r"pour (?:mourir|en finir|ne plus me reveiller|ne pas me reveiller|dormir pour toujours))\b|"
     r"\bover ?dose\b|"
     # "avaler tous les médicaments": swallowing everything, not following a prescription
     r"\b(?:avale|avaler|avales|avalait|gobe|gober) (?:tous|toutes) (?:les|mes|ses) "
     + _DRUGS + r"\b"),
    # "j'ai pris tous mes cachets" said alone; "j'ai (bien) pris tous mes médicaments ce matin"
    # or "comme prescrit" is adherence.
    ("means.all_pills",
     r"\b(?:(?:j'ai|il a|elle a|a) pris|"
     r"(?:vais|va|veux|veut|voudrais|pense a|envie de) (?:\S+ )?(?:prendre|avaler)) "
     r"(?:tous|toutes) (?:mes|ses|les) " + _DRUGS + r"\b"
     r"(?! (?:ce|cette|du|de la|le|les|aujourd'hui|hier|comme|prescrits?|selon|chaque|tous|"
     r"a|au|avant|apres|en|sauf|pour (?!(?:mourir|en finir)\b)))"),
    # Preparing the means: "j'ai préparé une corde" (not "une corde à linge / à sauter").
    ("means.rope",
     r"\b(?:prepare|achete|accroche|attache|trouve|pris|sorti) (?:une|la|ma) corde\b"
     r"(?! (?:a linge|a sauter|pour (?:le|la|les|l'|mon|ma|mes|attacher|etendre|le linge)|"
     r"de (?:guitare|violon|linge)))"),
    # Swallowing a poison: bleach, drain cleaner, rat poison (an accident is an emergency too).
    ("means.poison",
     r"\b(?:boire|bu|bois|boit|avale|avaler|prendre|pris|ingere|ingerer)\b(?: \S+){0,4}? "
     r"(?:de la |du |d')?(?:javel|destop|detergent|antigel|mort aux rats|raticide|poison|"
     r"pesticide|desherbant|soude caustique|white spirit)\b"),
    ("means.pills_taken",
     r"\b(?:j'ai|il a|elle a|a) (?:pris|avale) des " + _DRUGS + r"\b"
     r"(?! (?:pour (?!(?:mourir|en finir|ne plus|ne pas|plus me|pas me|partir|"
     r"dormir pour toujours)\b)|"
     r"contre|prescrits?|du medecin|de mon medecin|comme|ce matin|tous les|le matin|le soir|"
     r"chaque|depuis|pendant|par)\b)"),
    # Giving one's belongings away and getting ready to leave: a listed warning sign.
    ("combo.giving_away",
     r"\A(?=.*\b(?:donne|distribue|legue|offert|vendu) (?:toutes |tous )?(?:mes|toutes mes) "
     r"(?:affaires|biens|objets|vetements|bijoux)\b)"
     r"(?=.*\b(?:pret|prete|partir|je pars|adieu|plus besoin|plus jamais))"),
    # 7. Hopelessness spelled as a warning sign.
    ("ideation.dark_thoughts",
     r"\b(?:idees?|pensees?) (?:noires?|de mort|suicidaires?|morbides?)\b"),
    ("hopeless.no_way_out",
     r"\b(?:vois|voit|trouve|il y a|y a|y'a) (?:plus|aucune?|pas|plus aucune?) "
     r"(?:d'|de |d )?(?:autre )?(?:issue|avenir)\b"
     r"(?! (?:pour|a|au|avec|dans|concernant|sur|de|du|des|en)\b)"),
    # 8. Distress and one's own death in the same message.
    ("combo.distress_and_death",
     r"\A(?=.*\b(?:j'en peu[xt]? (?:plus|pu)|je n'en peu[xt]? plus|je (?:ne )?peux plus|"
     r"je suis a bout|au bout du rouleau|plus la force|je craque|je tiens plus|desesperee?|"
     r"plus d'espoir|aucun espoir)\b)"
     r"(?=.*\b(?:je vais " + _MOURIR + r"|je vais crever\b|je meurs\b|je vais partir pour de bon|"
     r"je me laisse " + _MOURIR + r"))"),
    # 9. English.
    ("en.explicit",
     r"\bkill(?:ing)? (?:my|him|her|them) ?(?:self|selves)\b|"
     r"\b(?:end|take|ending|taking) (?:my|his|her) (?:own )?life\b|"
     r"\b(?:want|wanna|wants|going|gonna|wish|ready|ready to) (?:to )?die\b|"
     r"\b(?:don't|dont|do not|doesn't|doesnt) want to (?:live|be alive|wake up)\b|"
     r"\bbetter off (?:dead|without me)\b|\bwish (?:i|i'd) (?:was|were|had) (?:dead|died)\b|"
     r"\bwant to be dead\b|\bend it all\b|\bself ?harm\w*|"
     r"\b(?:hurt|cut)(?:ting)? myself\b|"
     r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b"),
    # 10. Maghrebi Arabic (Darija), in Latin letters ("arabizi") and Arabic script.
    ("ar.want_to_die",
     r"\b(?:bghit|baghi|baghia|bghiti|nbghi|nebghi|nabghi|n7eb|nheb|n7ab|nhab|nhib|n7ib|habit|"
     r"7abit|7ab|hab) (?:n|ne|na)?mou?t\b|"
     r"(?:بغيت|باغي|نبغي|نحب|حابب|حابة) نموت|اريد ان اموت|بدي موت"),
    ("ar.kill_self",
     r"\bn[aei]?[qk9]+[aei]?t[aeiou]?l (?:rasi|rassi|ras|rouhi|ro7i|rou7i|nefsi|nafsi|nfsi)\b|"
     r"(?:نقتل|اقتل) (?:روحي|راسي|نفسي)"),
    ("ar.suicide",
     r"\b(?:ntahar|intihar|ntihar|nentahar|nentaher|ntaher|nntahar|yentahar)\w*|انتحار|ننتحر|انتحر"),
)

CRISIS_RULES: tuple[CrisisRule, ...] = tuple(CrisisRule(rid, _rx(p)) for rid, p in _RULES_SPEC)


def _mask_idioms(text: str) -> str:
    for idiom in _IDIOMS:
        text = idiom.sub(" ~ ", text)
    return text


def detect_crisis_normalized(normalized: str) -> CrisisSignal | None:
    """Run the safety net on text already passed through :func:`normalize`."""
    text = _mask_idioms(_bounded(normalized))
    ids: list[str] = []
    spans: list[str] = []
    for rule in CRISIS_RULES:
        match = rule.pattern.search(text)
        if match:
            ids.append(rule.rule_id)
            start = max(0, match.start() - 40)
            spans.append(text[start : max(match.end(), match.start() + 40)])
    if not ids:
        return None
    about_other = all(_THIRD.search(s) and not _FIRST.search(s) for s in spans)
    return CrisisSignal(rule_ids=tuple(ids), about_other=about_other)


def detect_crisis(text: str) -> CrisisSignal | None:
    """Return a :class:`CrisisSignal` when ``text`` shows a sign of suicidal crisis.

    ``text`` is the resident's raw message; it is normalised here. ``None`` means no rule
    matched, not that the resident is safe: the NLU intent is the other layer.
    """
    if not text:
        return None
    return detect_crisis_normalized(normalize(_bounded(text)))
