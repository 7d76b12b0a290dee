"""Reading articles: text, folders, JSON Lines, JSON, CSV/TSV, saved HTML pages and feeds.

``read_inputs`` yields an ``Article`` for every record it can read and a ``RecordError`` (with a
short reason code and a clear message) for every one it cannot: nothing read is silently dropped,
and one bad record never stops the run. Reason codes are listed in docs/input.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..records import Article, RecordError

MIN_CHARS = 20
MAX_RECORD_CHARS = 2_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}


# --------------------------------------------------------------------------- articles


def normalise_text(text: str) -> str:
    """NFC, no NULs, '\\n' newlines. Spans index the text after this step."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def parse_date(value: Any) -> dt.date | None:
    """A publication date from 'YYYY-MM-DD', an ISO datetime, a date, or a feed/HTTP date string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    raise ValueError(f"unreadable date {s!r} (expected YYYY-MM-DD)")


def text_id(text: str) -> str:
    """Stable id of a text: 'sha1:' + 16 hex digits of its normalised form."""
    return "sha1:" + hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def make_article(
    text: str,
    published: dt.date | str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    id: str | None = None,
    origin: str | None = None,
) -> Article:
    """Build a normalised Article (raises ValueError for an unreadable date)."""
    text = normalise_text(text)
    return Article(
        id=str(id) if id not in (None, "") else text_id(text),
        text=text,
        title=title or None,
        published=parse_date(published),
        source=source or None,
        url=url or None,
        origin=origin,
    )


# --------------------------------------------------------------------------- decoding


class DecodeError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else the encoding
    charset-normalizer is confident about. Returns (text, warning or None)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise DecodeError("encoding", f"invalid UTF-16: {exc}") from exc
    head = data[:4096]
    if b"\x00" in head:
        raise DecodeError("binary", "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("encoding", "not UTF-8 and no other text encoding fits")
    control = sum(1 for c in str(best)[:4096] if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if control > 8:
        raise DecodeError("binary", "binary data, not text")
    return str(best), f"not UTF-8: decoded as {best.encoding}"


def _looks_binary(data: bytes) -> bool:
    head = data[:1024]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


# --------------------------------------------------------------------------- checks


def check_article(article: Article) -> RecordError | None:
    """Reject records that cannot be coded: empty, too short, too long or not English."""
    from ..nlp import looks_english

    origin = article.origin or article.id
    stripped = article.text.strip()
    if not stripped:
        return RecordError(origin=origin, reason="empty", message="no text", article_id=article.id)
    if len(stripped) < MIN_CHARS:
        return RecordError(
            origin=origin,
            reason="empty",
            message=f"text too short to code ({len(stripped)} characters)",
            article_id=article.id,
        )
    if len(article.text) > MAX_RECORD_CHARS:
        return RecordError(
            origin=origin,
            reason="too-large",
            message=f"text of {len(article.text):,} characters is over the {MAX_RECORD_CHARS:,} limit",
            article_id=article.id,
        )
    ok, detail = looks_english(article.text)
    if not ok:
        return RecordError(
            origin=origin,
            reason="not-english",
            message=f"text is not English: {detail}",
            article_id=article.id,
        )
    return None


def _record(
    fields: dict[str, Any], origin: str, published: dt.date | None, source: str | None
) -> list[Article | RecordError]:
    """One input record: the Article, or the error that stops it (a bad date gives both)."""
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        reason = "missing-text" if text is None else "empty"
        return [
            RecordError(
                origin=origin,
                reason=reason,
                message="record has no 'text'",
                article_id=_opt(fields.get("id")),
            )
        ]
    pub: Any = fields.get("published") or published
    try:
        article = make_article(
            text=text,
            published=pub,
            title=_opt(fields.get("title")),
            source=_opt(fields.get("source")) or source,
            url=_opt(fields.get("url")),
            id=_opt(fields.get("id")),
            origin=origin,
        )
    except ValueError as exc:
        # Keep the article, coded without a date, and say so: a bad date must not lose the text.
        article = make_article(
            text=text,
            published=published,
            title=_opt(fields.get("title")),
            source=_opt(fields.get("source")) or source,
            url=_opt(fields.get("url")),
            id=_opt(fields.get("id")),
            origin=origin,
        )
        problem = check_article(article)
        if problem is not None:
            return [problem]
        note = RecordError(
            origin=origin,
            reason="bad-date",
            message=f"{exc}; the article is coded without a publication date",
            article_id=article.id,
        )
        return [note, article]
    problem = check_article(article)
    return [problem] if problem is not None else [article]


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


# --------------------------------------------------------------------------- readers


def read_inputs(
    paths: list[Path],
    published: dt.date | None = None,
    source: str | None = None,
    max_bytes: int = 50_000_000,
    exclude: set[Path] | None = None,
) -> Iterator[Article | RecordError]:
    """Every record of every path (files, folders, '-' for stdin), in order. Files in ``exclude``
    (the run's own database and output files) are skipped when met inside a folder."""
    seen: set[str] = set()
    skip = {p.resolve() for p in exclude or set()}
    for path in paths:
        for item in _read_path(Path(path), published, source, max_bytes, skip):
            if isinstance(item, Article):
                if item.id in seen:
                    yield RecordError(
                        origin=item.origin or item.id,
                        reason="duplicate-id",
                        message=f"id {item.id!r} was already read in this run; this record is skipped",
                        article_id=item.id,
                    )
                    continue
                seen.add(item.id)
            yield item


def _read_path(
    path: Path, published: dt.date | None, source: str | None, max_bytes: int, skip: set[Path] | None = None
) -> Iterator[Article | RecordError]:
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        yield from _read_bytes(data, "<stdin>", ".txt", published, source, None)
        return
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and not p.name.endswith(".meta.json")
            and p.resolve() not in (skip or set())
        )
        if not files:
            yield RecordError(origin=str(path), reason="empty", message="folder holds no files")
        for f in files:
            yield from _read_path(f, published, source, max_bytes, skip)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield RecordError(
                origin=str(path),
                reason="too-large",
                message=f"file of {size:,} bytes is over the {max_bytes:,}-byte limit",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield RecordError(origin=str(path), reason="unreadable", message=exc.strerror or str(exc))
        return
    meta = _sidecar(path)
    yield from _read_bytes(data, str(path), path.suffix.lower(), published, source, meta)


def _sidecar(path: Path) -> dict[str, Any] | None:
    side = path.with_name(path.stem + ".meta.json")
    if not side.is_file():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read_bytes(
    data: bytes,
    origin: str,
    suffix: str,
    published: dt.date | None,
    source: str | None,
    meta: dict[str, Any] | None,
) -> Iterator[Article | RecordError]:
    if not data.strip():
        yield RecordError(origin=origin, reason="empty", message="file is empty")
        return
    if _looks_binary(data):
        yield RecordError(origin=origin, reason="binary", message="binary data (NUL bytes), not text")
        return
    try:
        text, warning = decode_bytes(data)
    except DecodeError as exc:
        yield RecordError(origin=origin, reason=exc.reason, message=exc.message)
        return
    del warning  # decoded with a fallback encoding: still read; the text decides the rest
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(text, origin, published, source)
    elif suffix == ".json":
        yield from _read_json(text, origin, published, source)
    elif suffix in CSV_SUFFIXES:
        yield from _read_csv(text, origin, published, source, "\t" if suffix == ".tsv" else ",")
    elif suffix in HTML_SUFFIXES:
        yield from _read_html(text, origin, published, source)
    elif suffix in FEED_SUFFIXES:
        yield from _read_feed(data, origin, published, source)
    elif suffix not in TEXT_SUFFIXES:
        yield RecordError(
            origin=origin,
            reason="unsupported",
            message=f"unsupported file type {suffix!r}: give .txt, .jsonl, .json, .csv, .tsv, .html or a feed",
        )
    else:
        fields: dict[str, Any] = dict(meta or {})
        fields["text"] = text
        if not fields.get("id"):
            fields["id"] = Path(origin).stem if origin != "<stdin>" else None
        yield from _record(fields, origin, published, source)


def _read_jsonl(text: str, origin: str, published, source) -> Iterator[Article | RecordError]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield RecordError(origin=where, reason="malformed-json", message=f"line {n}: {exc}")
            continue
        if not isinstance(obj, dict):
            yield RecordError(origin=where, reason="malformed-json", message=f"line {n}: expected an object")
            continue
        yield from _record(obj, where, published, source)


def _read_json(text: str, origin: str, published, source) -> Iterator[Article | RecordError]:
    try:
        obj = json.loads(text)
    except ValueError as exc:
        yield RecordError(origin=origin, reason="malformed-json", message=str(exc))
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items):
        where = f"{origin}[{n}]" if isinstance(obj, list) else origin
        if not isinstance(item, dict):
            yield RecordError(origin=where, reason="malformed-json", message="expected an object with 'text'")
            continue
        yield from _record(item, where, published, source)


def _read_csv(text: str, origin: str, published, source, delimiter: str) -> Iterator[Article | RecordError]:
    csv.field_size_limit(MAX_RECORD_CHARS * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        yield RecordError(origin=origin, reason="malformed-csv", message=f"no readable header: {exc}")
        return
    if "text" not in header:
        yield RecordError(
            origin=origin, reason="malformed-csv", message=f"no 'text' column (columns: {', '.join(header)})"
        )
        return
    row_no = 1
    while True:
        row_no += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RecordError(
                origin=f"{origin}#{row_no}", reason="malformed-csv", message=f"row {row_no}: {exc}"
            )
            continue
        where = f"{origin}#{row_no}"
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            yield RecordError(
                origin=where,
                reason="malformed-csv",
                message=f"row {row_no} has {len(row)} fields, the header has {len(header)}",
            )
            continue
        yield from _record(dict(zip(header, row, strict=True)), where, published, source)


def _read_html(text: str, origin: str, published, source) -> list[Article | RecordError]:
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False, favor_precision=True)
    if not body:
        return [RecordError(origin=origin, reason="empty", message="no article text found in the HTML page")]
    meta = trafilatura.extract_metadata(text)
    fields: dict[str, Any] = {"text": body, "id": Path(origin).stem}
    if meta is not None:
        fields.update(title=meta.title, url=meta.url, source=meta.sitename)
        if meta.date:
            fields["published"] = meta.date
    return _record(fields, origin, published, source)


def _read_feed(data: bytes, origin: str, published, source) -> Iterator[Article | RecordError]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        msg = "not an RSS/Atom feed with entries"
        if feed.get("bozo_exception") is not None:
            msg += f": {feed.bozo_exception}"
        yield RecordError(origin=origin, reason="malformed-feed", message=msg)
        return
    for n, entry in enumerate(feed.entries):
        content = ""
        if entry.get("content"):
            content = " ".join(c.get("value", "") for c in entry.content)
        content = content or entry.get("summary", "")
        if "<" in content:
            import trafilatura

            content = trafilatura.extract(f"<html><body>{content}</body></html>") or _strip_tags(content)
        title = entry.get("title")
        text = f"{title}.\n{content}" if title and content else (content or title or "")
        pub = None
        if entry.get("published_parsed"):
            pub = dt.date(*entry.published_parsed[:3])
        fields = {
            "text": text,
            "title": title,
            "url": entry.get("link"),
            "id": entry.get("id") or entry.get("link"),
            "published": pub,
            "source": feed.feed.get("title"),
        }
        yield from _record(fields, f"{origin}#{n + 1}", published, source)


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html)


def summarise_errors(errors: list[RecordError]) -> dict[str, int]:
    """Count errors by reason code."""
    out: dict[str, int] = {}
    for e in errors:
        out[e.reason] = out.get(e.reason, 0) + 1
    return out
