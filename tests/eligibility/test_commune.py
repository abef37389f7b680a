"""The commune file: valid, honest about what is unknown, importable without the service."""

from __future__ import annotations

import copy

import jsonschema
import pytest
import yaml

from commune import DEFAULT_PATH, CommuneFileError, _schema, load_commune


def test_pantin_file_is_valid():
    data = load_commune()
    assert data["commune"]["insee"]["value"] == "93055"
    assert data["zones"]["logement_social"]["value"] == "paris_communes_limitrophes"


def test_no_local_address_phone_or_amount_is_claimed_verified():
    """rights.md verifies none of Pantin's addresses, phones or local amounts."""
    data = load_commune()
    for place in data["places"]:
        for key in ("address", "phone", "opening_hours", "permanences"):
            assert place[key]["verified"] is False
            assert place[key]["value"] is None
    assert data["caisse_sociale_alimentaire"]["amount_per_person_per_month"]["value"] is None
    assert data["mutuelle_communale"]["prices"]["value"] is None


def test_national_lines_are_the_verified_numbers():
    lines = {line["id"]: line["number"] for line in load_commune()["national_lines"]}
    assert {key: fact["value"] for key, fact in lines.items()} == {
        "3114": "3114",
        "samu": "15",
        "urgence_europeenne": "112",
        "fil_sante_jeunes": "0 800 235 236",
        "sos_amitie": "09 72 39 40 50",
    }
    assert all(fact["verified"] for fact in lines.values())


def test_a_verified_fact_needs_a_source(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["places"][0]["phone"] = {
        "value": "01 00 00 00 00",
        "verified": True,
        "source": None,
        "date": None,
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _schema())
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommuneFileError, match="places.0.phone"):
        load_commune(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommuneFileError, match="illisible"):
        load_commune(tmp_path / "absent.yml")


def test_an_edited_commune_file_is_read_again_without_a_restart(tmp_path):
    """The file is parsed once while unchanged; the town's edit shows on the next answer, and
    a caller changing what it was given does not change what the next caller reads."""
    town = tmp_path / "town.yml"
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    town.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    first = load_commune(town)
    first["commune"]["insee"]["value"] = "changed by a caller"
    assert load_commune(town)["commune"]["insee"]["value"] == "93055"

    data["commune"]["insee"]["value"] = "93001"
    town.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_commune(town)["commune"]["insee"]["value"] == "93001"

    town.write_text("commune: [", encoding="utf-8")
    with pytest.raises(CommuneFileError):
        load_commune(town)
