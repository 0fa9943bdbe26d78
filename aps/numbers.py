"""French numbers, in and out: the one parser every number, amount and hour field uses, and
the one formatter every number shown goes through (pages, history, e-mails, PDF, messages,
diffs).

In: what French users type — "1 800,00", "1 800,00 €" (a space, a non-breaking or a narrow
non-breaking space between thousands), "1800.5" (a point is a decimal separator too), "12 h".
The separators come from Django's French formats (``django.utils.formats.get_format``);
anything else is refused with a French message that repeats what was typed.

Out: ``french_number(1800, 2)`` → "1 800,00", ``euros(1800)`` → "1 800,00 €",
``quantity(Decimal("0.5"), "IMP")`` → "0,5 IMP" (non-breaking spaces throughout)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format

LOCALE = "fr"
DECIMAL_SEPARATOR = get_format("DECIMAL_SEPARATOR", LOCALE)  # ","
THOUSAND_SEPARATOR = get_format("THOUSAND_SEPARATOR", LOCALE)  # "\xa0"
# Every space a keyboard, a spreadsheet or a copy from a page may put between thousands.
SPACE = r"[ \u00a0\u202f\u2007\u2009]"
SPACES = re.compile(SPACE)
UNITS = ("€", "h", "H")
# After the spaces are gone: digits, with one decimal separator (a comma or a point).
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?|[+-]?[.,]\d+")
# Spaces inside a number only between groups of three digits: "1 800", not "1 8".
GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:{SPACE}\d{{3}})+(?:[.,]\d+)?")
EXAMPLE = "1 800,50"
WHOLE_EXAMPLE = "12"
UNIT = Decimal(1)


def invalid_message(text: str, example: str = EXAMPLE) -> str:
    # Non-breaking spaces inside the quotes: a line never breaks between « and the text.
    return f"«\xa0{text}\xa0» n'est pas un nombre : saisissez par exemple {example}."


def parse_number(text, *, units=UNITS, example=EXAMPLE) -> Decimal:
    """The Decimal a French user meant by ``text``; ValidationError (French, repeating what was
    typed) for anything that is not a number. Thousands may be grouped by any space; the
    decimal separator is a comma or a point; one of ``units`` may follow."""
    if isinstance(text, Decimal | int):
        return Decimal(text)
    typed = str(text).strip()
    cleaned = typed
    for unit in units:
        if cleaned.endswith(unit):
            cleaned = cleaned[: -len(unit)]
            break
    cleaned = cleaned.strip()
    if SPACES.search(cleaned) and not GROUPED.fullmatch(cleaned):
        raise ValidationError(invalid_message(typed, example), code="invalid")
    cleaned = SPACES.sub("", cleaned)
    if not NUMBER.fullmatch(cleaned):
        raise ValidationError(invalid_message(typed, example), code="invalid")
    try:
        return Decimal(cleaned.replace(DECIMAL_SEPARATOR, ".").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValidationError(invalid_message(typed, example), code="invalid") from None


def french_number(value, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals, grouped by thousands the French way: "1 800",
    "1 800,00", "0,25". Nothing counts as 0; a value that is not finite shows nothing."""
    value = Decimal(value if value not in (None, "") else 0)
    if not value.is_finite():
        return ""
    value = value.quantize(UNIT.scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    text = f"{value:,.{int(decimals)}f}"
    return text.translate({ord(","): THOUSAND_SEPARATOR, ord("."): DECIMAL_SEPARATOR})


def euros(value) -> str:
    """An amount in euros, with its cents: "1 800,00 €"."""
    return f"{french_number(value, 2)}\xa0€"


def quantity(value, unit: str = "", max_decimals: int = 2) -> str:
    """A count with only the decimals it needs (at most ``max_decimals``), then its unit:
    "180 HSE", "0,5 IMP", "12,25 h"."""
    value = Decimal(value if value not in (None, "") else 0)
    if not value.is_finite():
        return ""
    value = value.quantize(UNIT.scaleb(-max_decimals), rounding=ROUND_HALF_UP).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    text = french_number(value, decimals)
    return f"{text}\xa0{unit}" if unit else text


def file_size(size_in_bytes: int) -> str:
    """A size in megabytes with one decimal: "11,0 Mo"."""
    return f"{french_number(Decimal(size_in_bytes) / (1024 * 1024), 1)}\xa0Mo"


class FrenchNumberInput(forms.TextInput):
    """A text input (a number input would refuse "1 800,00 €" before the server sees it),
    with the decimal keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return french_number(value, max(0, -value.as_tuple().exponent))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return quantity(value)
        return super().format_value(value)


class FrenchBoundsMixin:
    """The bounds in a validator's message written the French way ("inférieure ou égale à
    1 800,5"), whoever added the validator."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            for item in error.error_list:
                if item.params and "limit_value" in item.params:
                    item.params = {
                        **item.params,
                        "limit_value": quantity(item.params["limit_value"]),
                    }
            raise


class FrenchDecimalField(FrenchBoundsMixin, forms.DecimalField):
    """A DecimalField that reads French numbers (``parse_number``) and shows its value, bounds
    and messages the French way."""

    widget = FrenchNumberInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget = FrenchNumberInput(self.widget.attrs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_number(value)

    def validate(self, value):
        forms.Field.validate(self, value)

    def widget_attrs(self, widget):
        return {}  # no min/max/step: they belong to number inputs


class FrenchIntegerField(FrenchBoundsMixin, forms.IntegerField):
    """An IntegerField that reads French numbers ("1 200"), whole ones only."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget = FrenchNumberInput({**self.widget.attrs, "inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(value, units=(), example=WHOLE_EXAMPLE)
        if number != number.to_integral_value():
            raise ValidationError(
                f"«\xa0{str(value).strip()}\xa0» n'est pas un nombre entier.", code="invalid"
            )
        return int(number)

    def widget_attrs(self, widget):
        return {}
