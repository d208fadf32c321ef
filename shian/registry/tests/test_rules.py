"""Identifier rules on the real test vectors of regulations.md §7."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shian.registry.rules import (
    USCC_CHARS,
    check_credit_code,
    check_id_number,
    check_licence_number,
    jy_category,
    mask_id_number,
    mod11_10_ok,
    org_code_check_char,
    uscc_plainly_valid,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    "code", ["91110000600037341L", "91350100M000100Y43", "91440300708461136T", "911101083303521997"]
)
def test_real_credit_codes_pass_without_warnings(code):
    result = check_credit_code(code)
    assert result.ok and result.warnings == []


@pytest.mark.parametrize(
    ("body", "check"), [("60003734", "1"), ("70846113", "6"), ("M000100Y", "4"), ("33035219", "9")]
)
def test_organisation_code_check_character(body, check):
    assert org_code_check_char(body) == check


def test_a_wrong_check_character_is_an_error():
    result = check_credit_code("91110000600037341M")
    assert not result.ok and "credit code" in result.errors[0]


def test_a_placeholder_organisation_code_is_only_a_warning():
    from stdnum.cn import uscc

    body = "92320508" + "00000000" + "1"  # 个体工商户 with a placeholder organisation code
    code = body + uscc.calc_check_digit(body)
    result = check_credit_code(code)
    assert result.ok and "GB 11714" in result.warnings[0]


@pytest.mark.parametrize("number", ["11464010500015", "11108071215650", "23506230105266"])
def test_mod11_10_on_real_numbers(number):
    assert mod11_10_ok(number)


def test_real_sc_and_jy_numbers_pass():
    assert check_licence_number("SC11464010500015").warnings == []
    assert check_licence_number("JY11108071215650").warnings == []
    assert check_licence_number("JY23506230105266").warnings == []


def test_licence_county_mismatch_is_a_warning():
    # JY 2|35|06|23|010526|6: a caterer in 350623 (漳浦县)
    result = check_licence_number("JY23506230105266", county="350624")
    assert result.ok and "350623" in result.warnings[0]
    assert check_licence_number("JY23506230105266", county="350623").warnings == []


def test_licence_bad_check_digit_is_a_warning():
    result = check_licence_number("SC11464010500016")
    assert result.ok and "check digit" in result.warnings[0]


def test_sc_unknown_category_is_a_warning():
    result = check_licence_number("SC29964010500015")
    assert result.ok and any("category 99" in w for w in result.warnings)


@pytest.mark.parametrize(
    "bad", ["", "SC1146401050001", "SC31464010500015", "JY41108071215650", "QS110001234567", "sc11464010500015"]
)
def test_malformed_licence_numbers_are_errors(bad):
    assert not check_licence_number(bad).ok


def test_jy_category():
    assert jy_category("JY11108071215650") == "sales"
    assert jy_category("JY23506230105266") == "catering"
    assert jy_category("SC11464010500015") is None


def test_id_numbers():
    assert check_id_number("11010519491231002X").ok
    assert not check_id_number("110105194912310021").ok
    assert not check_id_number("1101051949123100").ok


def test_id_number_masking_hides_digits_11_to_14():
    assert mask_id_number("11010519491231002X") == "1101051949****002X"


def test_a_licence_that_does_not_fit_the_business_format_is_a_warning():
    # JY 2…: a caterer's number
    assert check_licence_number("JY23506230105266", category="catering").warnings == []
    with translation.override("en"):
        result = check_licence_number("JY23506230105266", category="sales")
        assert result.ok and result.warnings == [
            "the JY number encodes the business format Catering service, not Food seller"
        ]
        assert "producers" in check_licence_number("SC11464010500015", category="catering").warnings[0]
    assert check_licence_number("SC11464010500015", category="production").warnings == []


@given(
    head=st.text(alphabet="0123456789", min_size=8, max_size=8),
    body=st.text(alphabet=USCC_CHARS, min_size=9, max_size=9),
    checked=st.booleans(),
    tail=st.text(alphabet=USCC_CHARS + "IOSVZ -a", max_size=2),
)
def test_the_fast_credit_code_check_never_disagrees_with_stdnum(head, body, checked, tail):
    from stdnum.cn import uscc

    body = head + body
    code = body + (uscc.calc_check_digit(body) if checked else "") + tail
    if uscc_plainly_valid(code):
        assert uscc.is_valid(code)
    if uscc.is_valid(code) and code == uscc.compact(code):
        assert uscc_plainly_valid(code)


@given(digits=st.text(alphabet="0123456789", min_size=2, max_size=20))
def test_the_table_mod11_10_equals_the_standards_recurrence(digits):
    p = 10
    for ch in digits[:-1]:
        p = ((p + int(ch)) % 10 or 10) * 2 % 11
    assert mod11_10_ok(digits) == ((11 - p) % 10 == int(digits[-1]))


def test_licence_numbers_take_ascii_digits_only():
    assert not check_licence_number("JY2320508000001٣").ok
