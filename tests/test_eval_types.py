"""CASE 2021 Task 2 typing evaluation: reading, label table and metrics (computed by hand here)."""

from __future__ import annotations

import json

import pytest

from eventcoder.evaluation.types import (
    LABELS,
    NO_EVENT,
    evaluate_types,
    gold_label,
    read_tsv,
    score,
)
from eventcoder.records import SUB_TO_TYPE

TSV = (
    "id\tEventSnippet\tSubType\n"
    "1\tTroops and rebels clashed near the town.\tARMED_CLASH\n"
    '2\t"Rebels fought soldiers, a ""fierce"" battle."\tARMED_CLASH\n'
    "3\tGunmen shot dead five villagers.\tATTACK\n"
    "4\tJets bombed the market.\tAIR_STRIKE\n"
    "5\tThe ministers held talks on trade.\tDIPLO\n"
    "6\tThe flood destroyed bridges.\tNATURAL_DISASTER\n"
)


def test_label_table_covers_every_acled_sub_type():
    acled = {v for v in LABELS.values() if v}
    assert acled == set(SUB_TO_TYPE)
    assert len(acled) == 25
    assert [k for k, v in LABELS.items() if v is None] == [
        "MAN_MADE_DISASTER",
        "NATURAL_DISASTER",
        "ORG_CRIME",
        "DIPLO",
        "ATTRIB",
    ]
    with pytest.raises(ValueError):
        gold_label("NOT_A_LABEL")


def test_read_tsv_handles_quotes(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text(TSV, encoding="utf-8")
    rows = read_tsv(path)
    assert len(rows) == 6
    assert rows[1][1] == 'Rebels fought soldiers, a "fierce" battle.'
    assert [gold_label(r[2]) for r in rows][4:] == [NO_EVENT, NO_EVENT]


def test_metrics_by_hand():
    gold = ["Armed clash", "Armed clash", "Attack", "Air/drone strike", NO_EVENT, NO_EVENT]
    pred = ["Armed clash", "Attack", "Attack", NO_EVENT, NO_EVENT, "Armed clash"]
    m = score(gold, pred)
    per = {s.label: s for s in m["per_label"]}
    # Armed clash: 1 right of 2 predicted, 1 of 2 gold
    assert per["Armed clash"].precision == pytest.approx(0.5)
    assert per["Armed clash"].recall == pytest.approx(0.5)
    # Attack: 1 right of 2 predicted, 1 of 1 gold -> F1 2/3
    assert per["Attack"].f1 == pytest.approx(2 / 3)
    assert per["Air/drone strike"].f1 == 0.0
    assert set(per) == {"Armed clash", "Attack", "Air/drone strike"}
    assert m["micro_precision"] == pytest.approx(2 / 4)
    assert m["micro_recall"] == pytest.approx(2 / 4)
    assert m["micro_f1"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert m["weighted_f1"] == pytest.approx((0.5 * 2 + 2 / 3 * 1 + 0 * 1) / 4)
    assert m["non_acled_rows"] == 2
    assert m["non_acled_no_event"] == pytest.approx(0.5)
    assert m["accuracy"] == pytest.approx(3 / 6)


def test_evaluate_types_end_to_end(tmp_path, resources):
    path = tmp_path / "tiny.tsv"
    path.write_text(TSV, encoding="utf-8")
    report = evaluate_types(path, resources, errors=3, mode="triggers")
    assert report.n == 6
    d = report.to_dict()
    json.dumps(d)
    assert d["articles_per_s"] > 0
    assert {"micro_f1", "macro_f1", "weighted_f1", "non_acled_no_event", "per_label"} <= set(d)
    assert len(report.errors) <= 3
    assert report.render() is not None
    # the unambiguous snippets are typed right
    assert d["non_acled_no_event"] == 1.0
    clash = next(s for s in report.per_label if s.label == "Armed clash")
    assert clash.recall == 1.0
