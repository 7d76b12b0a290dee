"""The geoparsing scorer on a tiny file written for the test."""

from __future__ import annotations

import math
from pathlib import Path

from eventcoder.evaluation.geo import auc_of_errors, evaluate_geo, match_spans, read_geo_xml

TINY = Path(__file__).parent / "fixtures" / "geo" / "tiny.xml"


def test_reads_gold():
    (doc,) = read_geo_xml(TINY)
    assert [(t.phrase, doc.text[t.start : t.end]) for t in doc.toponyms] == [
        ("Kandahar", "Kandahar"),
        ("Paris", "Paris"),
    ]


def test_span_matching_is_one_to_one():
    assert sorted(match_spans([(0, 5), (10, 15)], [(3, 12), (12, 14)])) == [(0, 0), (1, 1)]
    assert match_spans([(0, 5)], [(6, 9)]) == []


def test_auc_definition():
    assert auc_of_errors([0.0, 0.0]) == 0.0
    assert math.isclose(auc_of_errors([20039.0]), 1.0)


def test_scores_a_file(resources):
    rep = evaluate_geo(TINY, resources).to_dict()
    assert rep["detection"]["gold"] == 2
    # Kandahar is found and right; Paris is found but the gold point was put at 0,0 on purpose,
    # so exactly one of the two geocoded toponyms is within 161 km.
    assert rep["detection"]["matched"] == 2
    assert rep["geocoding"]["accuracy_at_161km"] == 0.5
