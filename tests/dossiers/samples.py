"""Answers of fictitious residents, one per request (no real person)."""

from __future__ import annotations

CSS_ANSWERS = {
    "nom": "Benali", "prenom": "Samira", "date_naissance": "1986-04-17",
    "numero_securite_sociale": "2 86 04 93 055 123 02",
    "adresse": "12 rue Hoche, 93500 Pantin", "telephone": "06 12 34 56 78",
    "situation_familiale": "en couple",
    "foyer": [
        {"nom": "Benali", "prenom": "Karim", "date_naissance": "1983-09-02", "lien": "conjoint"},
        {"nom": "Benali", "prenom": "Inès", "date_naissance": "2014-06-21", "lien": "fille"},
    ],
    "ressources_salaires": 9600, "ressources_chomage": 3200.5,
    "ressources_prestations_familiales": 1450, "beneficiaire_rsa": False,
    "situation_logement": "locataire avec aide au logement",
    "organisme_gestionnaire": "ma caisse d'assurance maladie",
    "remarques": "Mon mari travaille à mi-temps chez un traiteur de la rue Hoche.",
}

HLM_RENEWAL_ANSWERS = {
    "type_demande": "Renouvellement d'une demande en cours", "numero_unique": "093122400123456",
    "nom": "Traoré", "prenom": "Moussa", "date_naissance": "1979-11-30", "nationalite": "malienne",
    "titre_sejour": True, "adresse": "4 allée des Pommiers, 93500 Pantin",
    "telephone": "07 81 22 33 44",
    "foyer": [{"nom": "Traoré", "prenom": "Awa", "date_naissance": "1985-01-15",
               "lien": "épouse"}],
    "handicap_foyer": False, "revenu_fiscal_reference": 21430, "revenu_fiscal_annee": 2024,
    "logement_actuel": "T1 de 24 m² pour 2 personnes",
    "motif": "Logement trop petit et humide depuis la naissance de notre fils.",
}

MUTUELLE_ANSWERS = {
    "nom": "Lefèvre", "prenom": "Odile", "date_naissance": "1951-02-08",
    "adresse": "27 avenue Jean-Lolive, 93500 Pantin", "telephone": "06 45 67 89 10",
    "css_verifiee": True, "complementaire_actuelle": "aucune",
    "remarques": "Je suis suivie à l'hôpital Avicenne.",
}

CAISSE_ANSWERS = {
    "nom": "Da Silva", "prenom": "Joana", "adresse": "8 rue Delizy, 93500 Pantin",
    "telephone": "07 55 44 33 22", "nombre_personnes": 3, "ressources_mensuelles": 1120,
    "loyer": 540,
    "situation": "Seule avec deux enfants, je fais mes courses à l'épicerie solidaire des "
                 "Quatre-Chemins.",
}

HLM_FIRST_ANSWERS = {
    "type_demande": "Première demande", "nom": "Haddad", "prenom": "Nadia",
    "date_naissance": "1992-07-05", "nationalite": "française", "adresse":
    "chez Mme Haddad, 3 rue Méhul, 93500 Pantin", "telephone": "06 98 76 54 32",
    "foyer": [{"nom": "Haddad", "prenom": "Lina", "date_naissance": "2019-02-11", "lien": "fille"}],
    "handicap_foyer": False, "revenu_fiscal_reference": 14210, "revenu_fiscal_annee": 2024,
    "logement_actuel": "hébergée chez ma mère", "motif": "Séparation, hébergée avec ma fille.",
}
