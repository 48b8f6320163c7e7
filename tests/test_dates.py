"""RFC 2822 dates (what feeds write) read exactly as ``email.utils`` reads them."""

from __future__ import annotations

import datetime as dt
import email.utils
import os

import pytest
from contentkit_rules.front_matter import _RFC2822, parse_date, rfc2822_datetime
from hypothesis import given, settings
from hypothesis import strategies as st

PROFILE = settings(
    max_examples=int(os.environ.get("CONTENTKIT_PROPERTY_EXAMPLES", "150")) * 4,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
)


def _outcome(read, text: str) -> object:
    try:
        value = read(text)
    except (TypeError, ValueError, ArithmeticError) as exc:
        return type(exc)
    return (value, value.tzinfo, value.utcoffset())


def _ours(text: str) -> dt.datetime:
    m = _RFC2822.match(text)
    assert m is not None
    return rfc2822_datetime(m)


_DAY = st.sampled_from(["", "Tue, ", "tue,", "XYZ,  "])
_MONTH = st.sampled_from(["Apr", "apr", "MAY", "Dec", "Foo", "Sep", "jan"])
_ZONE = st.one_of(
    st.sampled_from(["GMT", "UT", "UTC", "Z", "EST", "PDT", "CEST", "A", "-0000", "+0000"]),
    st.from_regex(r"\A[+-][0-9]{4}\Z"),
)
_RFC_DATES = st.builds(
    "{}{} {} {:04d} {}:{:02d}{} {}".format,
    _DAY,
    st.integers(0, 39),
    _MONTH,
    st.integers(0, 9999),
    st.integers(0, 29),
    st.integers(0, 99),
    st.one_of(st.just(""), st.integers(0, 99).map(":{:02d}".format)),
    _ZONE,
)


@PROFILE
@given(st.one_of(_RFC_DATES, st.from_regex(_RFC2822, fullmatch=True)))
def test_rfc2822_dates_read_as_email_utils_reads_them(text: str) -> None:
    assert _outcome(_ours, text) == _outcome(email.utils.parsedate_to_datetime, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tue, 20 Apr 2021 02:55:35 GMT",
            dt.datetime(2021, 4, 20, 2, 55, 35, tzinfo=dt.timezone.utc),
        ),
        (
            "20 Apr 2021 2:55 +0800",
            dt.datetime(2021, 4, 20, 2, 55, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        ),
        (
            "Tue,20 apr 2021 02:55:35 EST",
            dt.datetime(2021, 4, 20, 2, 55, 35, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ),
        ("Tue, 20 Apr 2021 02:55:35 -0000", dt.datetime(2021, 4, 20, 2, 55, 35)),
        ("1 Jan 0021 00:00 XYZ", dt.datetime(2021, 1, 1)),
    ],
)
def test_rfc2822_dates(text: str, expected: dt.datetime) -> None:
    parsed, safe = parse_date(text)
    assert safe
    assert (parsed, parsed.tzinfo if parsed else None) == (expected, expected.tzinfo)


def test_an_impossible_rfc2822_date_is_read_by_the_other_layouts() -> None:
    assert parse_date("Tue, 31 Feb 2021 02:55:35 GMT") == (None, False)
