"""Readable terminal output of coded articles."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .records import CodedArticle, Event, RecordError


def _actor(ev: Event, which: int) -> str:
    a = ev.actor1 if which == 1 else ev.actor2
    assoc = ev.assoc_actor1 if which == 1 else ev.assoc_actor2
    if a is None:
        return "-"
    s = f"{a.name} [inter {a.inter}]"
    if not a.in_dictionary:
        s += " (not in dictionary)"
    if a.matched and a.matched.lower() != a.name.lower():
        s += f' "{a.matched}"'
    for x in assoc:
        s += f"\n  + {x.name} [inter {x.inter}]"
    return s


def _place(ev: Event) -> str:
    p = ev.place
    if p is None:
        return "-"
    bits = [b for b in (p.place, p.admin2, p.admin1, p.country or p.iso3) if b]
    where = ", ".join(dict.fromkeys(bits)) or p.name
    if p.expression and p.expression.lower() not in where.lower():
        where = f'{where} ("{p.expression}")'
    prec = (
        f"level {p.level}; ACLED geo_precision {p.acled_geo_precision}, UCDP where_prec {p.ucdp_where_prec}"
    )
    if p.latitude is not None and p.longitude is not None:
        prec += f"; {p.latitude:.4f}, {p.longitude:.4f}"
    return f"{where}\n  {prec}"


def _date(ev: Event) -> str:
    d = ev.date
    if not d.date:
        return f"unresolved ({d.note or 'no date'})"
    s = f"{d.date.isoformat()} ({d.precision}"
    if d.start and d.end and d.start != d.end:
        s += f", {d.start.isoformat()}..{d.end.isoformat()}"
    s += ")"
    if d.expression:
        s += f' from "{d.expression}"'
    elif d.note:
        s += f" - {d.note}"
    return s


def event_panel(ev: Event) -> Panel:
    t = Table.grid(padding=(0, 1))
    t.add_column(style="bold cyan", no_wrap=True)
    t.add_column()
    t.add_row(
        "type",
        f"{ev.event_type} / {ev.sub_event_type}"
        + (f"  (UCDP type {ev.ucdp_type_of_violence})" if ev.ucdp_type_of_violence else ""),
    )
    t.add_row("actor 1", _actor(ev, 1))
    t.add_row("actor 2", _actor(ev, 2))
    if ev.interaction is not None:
        t.add_row("interaction", str(ev.interaction))
    t.add_row("date", _date(ev))
    t.add_row("place", _place(ev))
    u = ev.ucdp
    t.add_row(
        "fatalities",
        f"ACLED {ev.fatalities}; UCDP a {u.deaths_a}, b {u.deaths_b}, civilians {u.deaths_civilians}, "
        f"unknown {u.deaths_unknown} (low {u.low}, best {u.best}, high {u.high})",
    )
    if ev.figures:
        ft = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        for col in ("figure", "group", "as stated", "claimed by", "status"):
            ft.add_column(col)
        for f in ev.figures:
            ft.add_row(
                f"{f.kind} {f.value}" + (f" ({f.low}-{f.high})" if f.high and f.high != f.value else ""),
                f.group,
                f'"{f.span.text}"',
                f.claimed_by or "-",
                f.status,
            )
        t.add_row("figures", ft)
    if ev.trigger:
        t.add_row("evidence", Text(f'"{ev.trigger.text}" @ {ev.trigger.start}-{ev.trigger.end}', style="dim"))
    title = f"{ev.id}  {ev.event_type} / {ev.sub_event_type}"
    if ev.background:
        title += f"  [BACKGROUND: {ev.background_reason}]"
    return Panel(t, title=title, title_align="left", border_style="yellow" if ev.background else "green")


def print_coded(console: Console, coded: CodedArticle) -> None:
    a = coded.article
    head = Text(a.title or a.id, style="bold")
    meta = f"id {a.id}"
    meta += f" | published {a.published.isoformat()}" if a.published else " | no publication date"
    if a.source:
        meta += f" | {a.source}"
    parts: list = [head, Text(meta, style="dim")]
    for w in coded.warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    if not coded.events:
        parts.append(Text("no events found", style="italic"))
    console.print(Group(*parts))
    for ev in coded.events:
        console.print(event_panel(ev))


def print_error(console: Console, err: RecordError) -> None:
    console.print(f"[red]error[/red] {err.origin}: [bold]{err.reason}[/bold] - {err.message}")


WARNING_REASONS = {"bad-date"}  # the record was still coded


def print_summary(console: Console, n_ok: int, n_events: int, errors: list[RecordError]) -> None:
    line = f"coded {n_ok} article(s), {n_events} event(s)"
    failed = [e for e in errors if e.reason not in WARNING_REASONS]
    warned = [e for e in errors if e.reason in WARNING_REASONS]
    if failed:
        counts = Counter(e.reason for e in failed)
        line += f"; {len(failed)} record(s) failed: " + ", ".join(f"{k} {v}" for k, v in counts.most_common())
    if warned:
        counts = Counter(e.reason for e in warned)
        line += "; warnings: " + ", ".join(f"{k} {v}" for k, v in counts.most_common())
    console.print(f"[bold]{line}[/bold]")
