"""From coded records (records.Event, Article) to the API's evidence, claims and source shapes."""

from __future__ import annotations

from ..records import Article, Event, Span
from .schemas import ArticleOut, ClaimOut, EvidenceSpan, SpanOut

# evidence field name (or its prefix) -> colour class in the page
_KIND_BY_FIELD = [
    ("claim", "claim"),
    ("event_type", "type"),
    ("sub_event_type", "type"),
    ("trigger", "type"),
    ("disorder", "type"),
    ("actor", "actor"),
    ("assoc", "actor"),
    ("inter", "actor"),
    ("fatalities", "figure"),
    ("figure", "figure"),
    ("killed", "figure"),
    ("injured", "figure"),
    ("arrested", "figure"),
    ("abducted", "figure"),
    ("deaths", "figure"),
    ("ucdp", "figure"),
    ("date", "date"),
    ("time", "date"),
    ("location", "place"),
    ("place", "place"),
    ("country", "place"),
    ("admin", "place"),
    ("geo", "place"),
]


def evidence_kind(field: str) -> str:
    """The colour class of an evidence field: type, actor, figure, claim, date or place."""
    f = field.lower()
    for prefix, kind in _KIND_BY_FIELD:
        if f.startswith(prefix):
            return kind
    return "type"


def _valid(span: Span | None, text: str | None) -> bool:
    if span is None or text is None:
        return False
    return 0 <= span.start < span.end <= len(text)


def event_evidence(event: Event, text: str | None) -> list[EvidenceSpan]:
    """Every span behind an event's fields: its evidence map plus the spans on its parts."""
    out: dict[tuple[int, int, str], EvidenceSpan] = {}

    def add(field: str, span: Span | None) -> None:
        if not _valid(span, text):
            return
        assert span is not None
        key = (span.start, span.end, field)
        if key not in out:
            out[key] = EvidenceSpan(
                start=span.start,
                end=span.end,
                text=span.text,
                field=field,
                kind=evidence_kind(field),
                event_id=event.id,
            )

    for field, spans in event.evidence.items():
        for sp in spans:
            add(field, sp)
    add("trigger", event.trigger)
    for name in ("actor1", "actor2"):
        ref = getattr(event, name)
        if ref is not None:
            add(name, ref.span)
    for i, ref in enumerate(event.assoc_actor1):
        add(f"assoc_actor1[{i}]", ref.span)
    for i, ref in enumerate(event.assoc_actor2):
        add(f"assoc_actor2[{i}]", ref.span)
    for fig in event.figures:
        add(f"figure:{fig.kind}", fig.span)
        add("claim", fig.claim_span)
    add("date", event.date.span)
    if event.place is not None:
        add("location", event.place.span)
    return sorted(out.values(), key=lambda e: (e.start, e.end, e.field))


def _span_out(span: Span | None) -> SpanOut | None:
    return SpanOut(start=span.start, end=span.end, text=span.text) if span is not None else None


def event_claims(event: Event, article: Article | None) -> list[ClaimOut]:
    """The figures of an event as claims: stated words, coded value, who said it and status."""
    return [
        ClaimOut(
            kind=f.kind,
            group=f.group,
            stated=f.stated,
            value=f.value,
            low=f.low,
            high=f.high,
            who=f.who,
            claimed_by=f.claimed_by,
            status=f.status,
            article_id=event.article_id,
            source=(article.source if article else None) or event.source,
            event_id=event.id,
            span=_span_out(f.span),
            claim_span=_span_out(f.claim_span),
        )
        for f in event.figures
    ]


def article_out(article: Article, with_text: bool = True) -> ArticleOut:
    """The API shape of a stored article."""
    return ArticleOut(
        id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
        text=article.text if with_text else None,
    )
