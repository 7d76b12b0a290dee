"""Reading input: every format, and a clear per-record error for every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from eventcoder.ingest import make_article, read_inputs, summarise_errors
from eventcoder.records import Article, RecordError

GOOD = "Soldiers clashed with rebels near the town of Kidal on Monday, the army said in a statement."
GOOD2 = "Police fired tear gas at hundreds of protesters in the capital, witnesses told reporters."


def read(*paths: Path, **kw) -> tuple[list[Article], list[RecordError]]:
    items = list(read_inputs(list(paths), **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, RecordError)]


def test_plain_text_with_sidecar_meta(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps({"id": "A1", "published": "2024-03-05", "source": "Wire"}), encoding="utf-8"
    )
    arts, errs = read(tmp_path / "a.txt")
    assert not errs
    assert arts[0].id == "A1" and arts[0].published == dt.date(2024, 3, 5) and arts[0].source == "Wire"


def test_published_and_source_options_fill_missing_metadata(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    arts, _ = read(tmp_path / "a.txt", published=dt.date(2024, 1, 2), source="Desk")
    assert arts[0].published == dt.date(2024, 1, 2) and arts[0].source == "Desk"


def test_jsonl_bad_line_is_reported_and_the_rest_is_read(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(
        json.dumps({"id": "1", "text": GOOD})
        + "\n{not json\n"
        + json.dumps({"id": "3", "text": GOOD2})
        + "\n",
        encoding="utf-8",
    )
    arts, errs = read(p)
    assert [a.id for a in arts] == ["1", "3"]
    assert [(e.reason, e.origin) for e in errs] == [("malformed-json", f"{p}:2")]


def test_jsonl_record_without_text(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"id": "1", "title": "only a title"}) + "\n", encoding="utf-8")
    arts, errs = read(p)
    assert not arts and errs[0].reason == "missing-text" and errs[0].article_id == "1"


def test_csv_rows_and_malformed_rows(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text(
        f'id,title,text,published\n1,t,"{GOOD}",2024-02-01\n2,t,"{GOOD2}",2024-02-02,extra\n',
        encoding="utf-8",
    )
    arts, errs = read(p)
    assert [a.id for a in arts] == ["1"] and arts[0].published == dt.date(2024, 2, 1)
    assert errs[0].reason == "malformed-csv" and errs[0].origin.endswith("#3")


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    arts, errs = read(p)
    assert not arts and errs[0].reason == "malformed-csv" and "text" in errs[0].message


def test_bad_date_keeps_the_article_without_a_date(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"id": "1", "text": GOOD, "published": "someday"}) + "\n", encoding="utf-8")
    arts, errs = read(p)
    assert arts[0].published is None
    assert errs[0].reason == "bad-date"


def test_binary_empty_non_english_and_missing(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "de.txt").write_text(
        "Die Armee erklärte am Montag, dass bei dem Angriff auf das Dorf fünfzehn Kämpfer getötet wurden.",
        encoding="utf-8",
    )
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    arts, errs = read(tmp_path, tmp_path / "missing.txt")
    assert [a.origin for a in arts] == [str(tmp_path / "ok.txt")]
    assert summarise_errors(errs) == {"binary": 1, "empty": 1, "not-english": 1, "unreadable": 1}


def test_latin1_and_utf16_are_decoded(tmp_path):
    text = "Café owners said rebels attacked the market in the northern town on Monday morning."
    (tmp_path / "l1.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    arts, errs = read(tmp_path / "l1.txt", tmp_path / "u16.txt")
    assert not errs
    assert all(a.text == text for a in arts)


def test_huge_file_is_refused(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(GOOD * 100, encoding="utf-8")
    arts, errs = read(p, max_bytes=1000)
    assert not arts and errs[0].reason == "too-large"


def test_html_page_main_text(tmp_path):
    body = " ".join([GOOD, GOOD2] * 3)
    html = (
        "<html><head><title>Clashes in the north</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Clashes in the north</h1><p>{body}</p><p>{GOOD}</p></article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    arts, errs = read(tmp_path / "page.html")
    assert not errs
    assert "clashed with rebels" in arts[0].text and "Copyright" not in arts[0].text


def test_rss_feed_entries(tmp_path):
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        f"<item><title>Clash</title><link>http://example.org/1</link><description>{GOOD}</description>"
        "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
        f"<item><title>Protest</title><link>http://example.org/2</link><description>{GOOD2}</description></item>"
        "</channel></rss>"
    )
    (tmp_path / "feed.rss").write_text(rss, encoding="utf-8")
    arts, errs = read(tmp_path / "feed.rss")
    assert not errs and len(arts) == 2
    assert arts[0].published == dt.date(2024, 3, 5) and arts[0].url == "http://example.org/1"


def test_duplicate_ids_in_one_run(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text((json.dumps({"id": "1", "text": GOOD}) + "\n") * 2, encoding="utf-8")
    arts, errs = read(p)
    assert len(arts) == 1 and errs[0].reason == "duplicate-id"


def test_make_article_is_stable_and_normalised():
    a = make_article("A\r\nB\x00 text about clashes in the north", published="2024-05-06")
    b = make_article("A\nB text about clashes in the north")
    assert a.id == b.id and a.id.startswith("sha1:")
    assert "\r" not in a.text and "\x00" not in a.text


def test_excluded_files_in_a_folder_are_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "eventcoder.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    arts, errs = read(tmp_path, exclude={tmp_path / "eventcoder.db"})
    assert len(arts) == 1 and not errs
    arts, errs = read(tmp_path)
    assert [e.reason for e in errs] == ["binary"]


def test_unsupported_file_type_is_reported(tmp_path):
    (tmp_path / "notes.yaml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    arts, errs = read(tmp_path)
    assert len(arts) == 1 and [e.reason for e in errs] == ["unsupported"]
