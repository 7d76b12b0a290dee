"""Date expressions resolved against the publication date (extract.time)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.extract.time import find_dates
from eventcoder.records import Article

SAT = dt.date(2024, 8, 31)  # a Saturday


@pytest.fixture(scope="module")
def res():
    from eventcoder.resources import Resources

    return Resources.load(eager=False)


@pytest.fixture(scope="module")
def dates(res):
    def run(text: str, published: dt.date | None = SAT):
        analysis = res.analyzer.analyze(Article(id="t", text=text, published=published))
        out = [dm.date for dm in find_dates(analysis)]
        for d in out:
            assert d.span is not None and text[d.span.start : d.span.end] == d.span.text
        return out

    return run


def only(out):
    assert len(out) == 1, out
    return out[0]


def test_weekday_is_the_last_such_day_before_publication(dates):
    d = only(dates("Troops raided the village early Thursday."))
    assert d.date == dt.date(2024, 8, 29) and d.precision == "day"
    assert d.acled_time_precision == 1 and d.ucdp_date_prec == 1
    assert "Thursday" in d.span.text and d.expression == "early Thursday"
    d = only(dates("The shelling resumed on Monday night."))
    assert d.date == dt.date(2024, 8, 26)


def test_weekday_of_publication_is_that_day_and_last_means_a_week_before(dates):
    assert only(dates("Protesters gathered on Saturday.")).date == SAT
    assert only(dates("Protesters gathered last Saturday.")).date == dt.date(2024, 8, 24)


def test_yesterday_and_overnight(dates):
    out = dates("The clashes began yesterday and continued overnight.")
    assert [d.date for d in out] == [dt.date(2024, 8, 30), dt.date(2024, 8, 30)]


def test_last_week_is_a_week_range_with_mid_point(dates):
    d = only(dates("Police arrested the suspects last week."))
    assert (d.start, d.end) == (dt.date(2024, 8, 19), dt.date(2024, 8, 25))
    assert d.date == dt.date(2024, 8, 22)
    assert d.precision == "week" and d.acled_time_precision == 2 and d.ucdp_date_prec == 3


def test_month_only(dates):
    d = only(dates("The group attacked the town in June."))
    assert (d.start, d.end, d.date) == (dt.date(2024, 6, 1), dt.date(2024, 6, 30), dt.date(2024, 6, 15))
    assert d.precision == "month" and d.acled_time_precision == 3 and d.ucdp_date_prec == 4
    d = only(dates("The mission ended in December 2021."))
    assert (d.start, d.end) == (dt.date(2021, 12, 1), dt.date(2021, 12, 31))
    # a month after the publication month is last year's
    d = only(dates("The fighting started in October.", dt.date(2024, 3, 1)))
    assert d.start == dt.date(2023, 10, 1)


def test_absolute_dates_with_and_without_year(dates):
    out = dates("He was detained on 3 February and tried on Feb. 12, 2023; the verdict came 3 MARCH.")
    assert [d.date for d in out] == [dt.date(2024, 2, 3), dt.date(2023, 2, 12), dt.date(2024, 3, 3)]
    assert all(d.precision == "day" and d.resolved for d in out)
    # a year-less date that would fall after publication is last year's
    d = only(dates("The attack on September 5 killed two.", dt.date(2024, 8, 31)))
    assert d.date == dt.date(2023, 9, 5)


def test_range_of_weekdays(dates):
    d = only(dates("Fighting raged between Monday and Wednesday."))
    assert (d.start, d.end) == (dt.date(2024, 8, 26), dt.date(2024, 8, 28))
    assert d.ucdp_date_prec == 2


def test_days_ago_and_years(dates):
    assert only(dates("The bombing two days ago shocked the city.")).date == dt.date(2024, 8, 29)
    d = only(dates("The group was founded in 2019."))
    assert d.precision == "year" and d.ucdp_date_prec == 5 and d.start == dt.date(2019, 1, 1)


def test_no_dates_from_times_ages_durations_numbers_or_modal_may(dates):
    text = (
        "The 19-year-old may be held for three days. At 10:30 some 2,500 troops arrived. "
        "They march 12 km a day and may return."
    )
    assert dates(text) == []


def test_without_publication_date_relative_dates_stay_unresolved(dates):
    out = dates("Gunmen struck on Thursday, and on February 3, 2024, and on 5 May.", None)
    thursday, full, yearless = out
    assert not thursday.resolved and thursday.note == "no publication date" and thursday.date is None
    assert full.resolved and full.date == dt.date(2024, 2, 3)
    assert not yearless.resolved


def test_vague_days_ago_is_a_week(dates):
    d = only(dates("The town was attacked a few days ago."))
    assert d.precision == "week" and d.start == dt.date(2024, 8, 24) and d.end == dt.date(2024, 8, 30)


def test_upper_case_wire_copy(dates):
    out = dates("TROOPS CLASHED WITH REBELS YESTERDAY AND ON 3 FEBRUARY 2023, THE ARMY SAID ON THURSDAY.")
    assert [d.date for d in out] == [dt.date(2024, 8, 30), dt.date(2023, 2, 3), dt.date(2024, 8, 29)]
