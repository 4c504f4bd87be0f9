# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The report tables' fast cell helpers write what Django's own filters and the old templates wrote."""

import math

from django.template.defaultfilters import floatformat
from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.templatetags.report_tags import change, tenths

# Means and changes are sums of whole levels divided by a count of people: fractions; a spread is a root.
MEANS = st.one_of(
    st.integers(-50, 50).map(lambda n: n / 20),  # exact halves and quarters: where rounding differs first
    st.fractions(min_value=-5, max_value=5, max_denominator=400).map(float),
    st.fractions(min_value=-5, max_value=5, max_denominator=100_000).map(float),
    st.fractions(min_value=0, max_value=16, max_denominator=400).map(lambda f: math.sqrt(f)),  # spreads
)


@pytest.mark.parametrize("language", ["nl", "en"])
@given(value=MEANS)
def test_tenths_is_floatformat_one(language, value):
    with translation.override(language):
        assert tenths(value) == floatformat(value, 1)


def test_tenths_of_nothing_is_empty():
    assert tenths(None) == ""


@pytest.mark.parametrize(
    ("value", "digits", "html"),
    [
        (None, 0, '<span class="text-body-secondary">–</span>'),
        (
            2,
            0,
            '<span class="report-change report-change-up"><span aria-hidden="true">↑ </span>+2'
            '<span class="visually-hidden"> (hoger)</span></span>',
        ),
        (
            -0.45,
            1,
            '<span class="report-change report-change-down"><span aria-hidden="true">↓ </span>−0,5'
            '<span class="visually-hidden"> (lager)</span></span>',
        ),
        (
            0,
            1,
            '<span class="report-change"><span aria-hidden="true">→ </span>0'
            '<span class="visually-hidden"> (geen verandering)</span></span>',
        ),
    ],
)
def test_a_change_reads_as_before(value, digits, html):
    with translation.override("nl"):
        assert change(value, digits) == html
