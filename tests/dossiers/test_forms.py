"""The request definitions: four requests, each field sourced, and what the bot asks next."""

from __future__ import annotations

from bot.dossiers.forms import load_requests
from bot.store.dossiers import RIGHTS, VARIANTS


def test_the_four_requests_are_defined_with_their_forms():
    requests = load_requests()
    assert set(requests) == set(RIGHTS)
    assert requests["css"].form.startswith("cerfa n° 12504*10")
    assert requests["logement_social"].form == "cerfa n° 14069*05"
    assert set(requests["logement_social"].variants) == set(VARIANTS["logement_social"])


def test_every_field_has_a_french_label_and_a_known_source_and_unique_ids():
    for definition in load_requests().values():
        ids = [f.id for f in definition.fields_for("renouvellement")]
        assert len(ids) == len(set(ids)), definition.right
        for item in definition.fields_for("renouvellement"):
            assert item.label and item.source in definition.sources
        assert definition.documents, definition.right


def test_the_bot_asks_only_for_required_fields_not_known_yet_in_the_forms_order():
    css = load_requests()["css"]
    missing = [f.id for f in css.missing({"nom": "Benali", "date_naissance": ""}, None)]
    assert missing[:3] == ["prenom", "date_naissance", "numero_securite_sociale"]
    assert "nom" not in missing and "remarques" not in missing


def test_a_renewal_needs_its_numero_unique():
    housing = load_requests()["logement_social"]
    assert "numero_unique" in [f.id for f in housing.missing({}, "renouvellement")]
    assert "numero_unique" not in [f.id for f in housing.missing({}, "premiere_demande")]
