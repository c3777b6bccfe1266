"""The platform's one check of a text and of a web address (`plaindata.text`, `plaindata.url`),
which every app's validation module uses."""

from __future__ import annotations

import datetime

import pytest

from observatoire.errors import InputError
from observatoire.platform import plaindata


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "file:///etc/passwd",
        "//example.org/x",
        "mailto:a@example.org",  # only where the field allows it
        "https://",
    ],
)
def test_only_web_addresses_pass(value: str) -> None:
    with pytest.raises(InputError) as caught:
        plaindata.url({"site": value}, "site")
    assert caught.value.field == "site" and "http(s)" in caught.value.message


def test_web_addresses_and_mailto_where_allowed() -> None:
    assert plaindata.url({"u": " https://example.org/a?b=c "}, "u") == "https://example.org/a?b=c"
    assert plaindata.url({}, "u") == ""
    mail = {"u": "mailto:accueil@example.org?subject=Bonjour"}
    assert plaindata.url(mail, "u", mailto=True) == mail["u"]
    with pytest.raises(InputError, match="mailto"):
        plaindata.url({"u": "mailto:nobody"}, "u", mailto=True)
    with pytest.raises(InputError, match="longer than 500"):
        plaindata.url({"u": "https://example.org/" + "a" * 500}, "u")


def test_text_checks_length_and_nul_bytes() -> None:
    assert plaindata.text({"t": " Titre "}, "t", 10) == "Titre"
    assert plaindata.text({"t": 12}, "t", 10) == "12"
    with pytest.raises(InputError, match="longer than 3"):
        plaindata.text({"t": "abcd"}, "t", 3)
    with pytest.raises(InputError, match="NUL"):
        plaindata.text({"t": "a\x00b"}, "t", 10)
    with pytest.raises(InputError, match="expected text"):
        plaindata.text({"t": True}, "t", 10)
    with pytest.raises(InputError, match="required"):
        plaindata.text({"t": "  "}, "t", 10, required=True)


def test_a_nul_byte_deep_in_a_record_is_named() -> None:
    with pytest.raises(InputError) as caught:
        plaindata.refuse_nul({"sources": [{"title": "ok"}, {"x\x00": "y"}]})
    assert caught.value.field == "sources[2].x\\x00"
    plaindata.refuse_nul({"a": [1, None, {"b": "c"}]})  # nothing to refuse


def test_a_review_date_in_the_future_is_refused() -> None:
    today = datetime.date.today()
    assert plaindata.past_date({"d": today.isoformat()}, "d") == today
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(InputError, match="in the future"):
        plaindata.past_date({"d": tomorrow}, "d")
    with pytest.raises(InputError, match="not a date"):
        plaindata.past_date({"d": "hier"}, "d")


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-x", "@SUM(A1)", "\tx", "\r=1"])
def test_csv_cells_starting_with_a_formula_sign_are_escaped_and_read_back(cell: str) -> None:
    text = plaindata.write_csv([{"a": cell, "b": "texte"}], ["a", "b"])
    assert text.splitlines()[1].startswith(("'", "\"'"))
    assert list(plaindata.csv_rows(text, "f.csv")) == [(2, {"a": cell, "b": "texte"})]


@pytest.mark.parametrize("cell", ["-5", "+3,5", "12", "texte", "l'été", ""])
def test_plain_cells_are_written_as_they_are(cell: str) -> None:
    assert plaindata.spreadsheet_safe(cell) == cell


def test_an_unreadable_csv_row_is_an_input_error_naming_file_and_row() -> None:
    text = "a,b\n1,2\n3," + "x" * 200_000 + "\n"
    with pytest.raises(InputError) as caught:
        list(plaindata.csv_rows(text, "gros.csv"))
    assert (caught.value.file, caught.value.row) == ("gros.csv", 3)


def test_json_nested_too_deeply_is_an_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        plaindata.json_document("[" * 100_000 + "]" * 100_000, "f.json")
