"""Pure domain rules: join codes, criterion presets, profile question parsing."""

from __future__ import annotations

import pytest

from domain.joincode import ALPHABET, LENGTH, generate_code, is_valid_code, normalize_code
from domain.scales import PRESETS
from facilitator.forms import format_profile_questions, parse_profile_questions


def test_join_codes_avoid_look_alikes_and_normalise():
    assert not set("0O1IL2Z5S8BUV") & set(ALPHABET)
    codes = {generate_code() for _ in range(200)}
    assert all(is_valid_code(c) and len(c) == LENGTH for c in codes)
    assert len(codes) > 190
    assert normalize_code(" 7kq-4mx ") == "7KQ4MX"
    assert not is_valid_code("7KQ4M0")


@pytest.mark.parametrize("key", PRESETS)
def test_every_preset_labels_every_scale_point(key):
    preset = PRESETS[key]
    assert len(preset.anchors) == preset.scale_max - preset.scale_min + 1


def test_the_required_presets_exist():
    assert (PRESETS["relevance"].scale_min, PRESETS["relevance"].scale_max) == (1, 4)
    assert (PRESETS["importance"].scale_min, PRESETS["importance"].scale_max) == (1, 5)
    assert (PRESETS["clarity"].scale_min, PRESETS["clarity"].scale_max) == (1, 4)
    assert PRESETS["essentiality"].anchors == ("Not necessary", "Useful but not essential", "Essential")


def test_profile_questions_round_trip_and_errors():
    text = "Sector: University, Business, Expert\nYears in KT: <5, 5-10, >10"
    questions = parse_profile_questions(text)
    assert questions[1] == {
        "key": "years_in_kt", "label": "Years in KT", "options": ["<5", "5-10", ">10"], "texts": {}
    }  # fmt: skip
    assert parse_profile_questions(format_profile_questions(questions)) == questions
    with pytest.raises(ValueError, match="Line 1"):
        parse_profile_questions("Sector University")
    with pytest.raises(ValueError, match="two options"):
        parse_profile_questions("Sector: only one")
