"""Validation of funds, strands, supports, evaluations and instruments given as plain data.

Every way in (seed YAML, API, the fund managers' form, the admin) goes through these functions,
so a record is checked the same way whatever its source: lengths, NUL bytes, URL schemes,
vocabulary codes, INSEE codes, amounts, periods, and the rules that tie a support to its fund
(its strand, the support whose amount may include it). Errors are InputError naming the field.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.alliances import places
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.funds import eligibility, status
from observatoire.platform.funds.models import (
    DIRECT_FUNDING,
    Availability,
    EvaluationStatus,
    Fund,
    Strand,
    Support,
    SupportStatus,
)

# Length limits, also stated in the API schemas.
NAME_MAX = 200
SUMMARY_MAX = 2_000
TEXT_MAX = 10_000
SOURCE_MAX = 500
URL_MAX = plaindata.URL_MAX
KEY_MAX = 120
ITEMS_MAX = 50
AMOUNT_MAX = Decimal("10000000000")
RESERVED_SLUGS = frozenset({"instruments"})  # /fonds/instruments/ is the instruments' page

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")


# The platform's one check of a text and of a web address (length, NUL bytes, URL schemes).
text = plaindata.text
url = plaindata.url


def key(data: Mapping[str, Any], name: str, fallback: str = "", *, required: bool = False) -> str:
    value = text(data, name, KEY_MAX, required=required) or slugify(fallback)[:KEY_MAX].strip("-")
    if not value or slugify(value) != value:
        raise InputError("must be a slug: lower-case letters, digits and hyphens", field=name)
    return value


def _list(data: Mapping[str, Any], name: str, max_items: int = ITEMS_MAX) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InputError("expected a list", field=name)
    if len(value) > max_items:
        raise InputError(f"at most {max_items} items", field=name)
    plaindata.refuse_nul(list(value), name)
    return list(value)


def codes(
    data: Mapping[str, Any],
    name: str,
    vocabulary: vocabularies.Vocabulary,
    *,
    required: bool = False,
) -> list[str]:
    out = [str(c).strip() for c in _list(data, name)]
    for code in out:
        if code not in vocabulary:
            allowed = ", ".join(vocabulary.codes)
            raise InputError(f"unknown code {code!r} (allowed: {allowed})", field=name)
    if required and not out:
        raise InputError("at least one code is required", field=name)
    return list(dict.fromkeys(out))


def code(data: Mapping[str, Any], name: str, vocabulary: vocabularies.Vocabulary) -> str:
    value = text(data, name, 60)
    if value and value not in vocabulary:
        allowed = ", ".join(vocabulary.codes)
        raise InputError(f"unknown code {value!r} (allowed: {allowed})", field=name)
    return value


def choice(data: Mapping[str, Any], name: str, allowed: list[str], default: str) -> str:
    value = text(data, name, 20) or default
    if value not in allowed:
        raise InputError(f"unknown value {value!r} (allowed: {', '.join(allowed)})", field=name)
    return value


def flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "on", "off"):
        return value.lower() in ("true", "1", "on")
    raise InputError("expected true or false", field=name)


def integer(data: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise InputError("expected a whole number", field=name)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InputError(f"{value!r} is not a whole number", field=name) from None
    if not low <= number <= high:
        raise InputError(f"must be between {low} and {high}", field=name)
    return number


def amount(data: Mapping[str, Any], name: str) -> Decimal | None:
    """Euros, at most two decimals; "10 000,50" and 10000.5 are both read."""
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise InputError("expected an amount in euros", field=name)
    raw = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise InputError(f"{value!r} is not an amount in euros", field=name) from None
    if not number.is_finite() or number < 0 or number > AMOUNT_MAX:
        raise InputError("must be between 0 and 10 000 000 000 €", field=name)
    if number != number.quantize(Decimal("0.01")):
        raise InputError("at most two decimals (cents)", field=name)
    return number.quantize(Decimal("0.01"))


def partial_date(data: Mapping[str, Any], name: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD: sources often give only a year ("2021-2022")."""
    value = data.get(name)
    out = value.isoformat() if isinstance(value, datetime.date) else text(data, name, 10)
    if not out:
        return ""
    if not _PARTIAL_DATE.match(out):
        raise InputError(f"{out!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field=name)
    if len(out) == 10:
        try:
            datetime.date.fromisoformat(out)
        except ValueError:
            raise InputError(f"{out!r} does not exist", field=name) from None
    return out


def date(data: Mapping[str, Any], name: str) -> datetime.date | None:
    value = partial_date(data, name)
    if value and len(value) != 10:
        raise InputError(f"{value!r} is not a date YYYY-MM-DD", field=name)
    return datetime.date.fromisoformat(value) if value else None


def territory(value: str, name: str = "territory") -> str:
    try:
        return places.place(value).ref
    except InputError as exc:
        raise InputError(exc.message, field=name) from None


def _records(
    data: Mapping[str, Any], name: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> list[dict[str, str | None]]:
    """A list of small records (sources, outputs, lessons), each field text within limits."""
    out = []
    for i, item in enumerate(_list(data, name), start=1):
        where = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            raise InputError(f"expected a mapping with {', '.join(required)}", field=where)
        unknown = sorted(set(item) - {*required, *optional})
        if unknown:
            raise InputError(f"unknown key(s): {', '.join(map(str, unknown))}", field=where)
        record: dict[str, str | None] = {}
        try:
            for k in required:
                record[k] = text(item, k, TEXT_MAX if k == "text" else SOURCE_MAX, required=True)
            for k in optional:
                v = url(item, k) if k == "url" else text(item, k, SOURCE_MAX)
                record[k] = v or None
        except InputError as exc:
            raise InputError(exc.message, field=f"{where}.{exc.field}") from None
        out.append(record)
    return out


def sources(data: Mapping[str, Any]) -> list[dict[str, str | None]]:
    return _records(data, "sources", ("title",), ("publisher", "date", "url", "locator"))


FUND_FIELDS = (
    "slug",
    "name",
    "summary",
    "vision",
    "mission",
    "founders",
    "created_year",
    "endowment_eur",
    "duration_months",
    "url",
    "fiche",
    "sources",
    "published",
    "is_synthetic",
)


@dataclass
class FundData:
    slug: str
    name: str
    summary: str
    vision: str = ""
    mission: str = ""
    founders: list[str] = field(default_factory=list)
    created_year: int | None = None
    endowment_eur: Decimal | None = None
    duration_months: int | None = None
    url: str = ""
    fiche: Alliance | None = None
    sources: list[dict[str, str | None]] = field(default_factory=list)
    published: bool = False
    is_synthetic: bool = False


def fiche(data: Mapping[str, Any], name: str) -> Alliance | None:
    slug = text(data, name, KEY_MAX)
    if not slug:
        return None
    found = Alliance.objects.filter(slug=slug).first()
    if found is None:
        raise InputError(f"no fiche {slug!r} in the base of alliances", field=name)
    return found


def clean_fund(data: Mapping[str, Any]) -> FundData:
    _unknown(data, FUND_FIELDS)
    founders = [str(f).strip() for f in _list(data, "founders", 20)]
    if any(not f or len(f) > NAME_MAX for f in founders):
        raise InputError(f"each founder is a name of 1 to {NAME_MAX} characters", field="founders")
    name = text(data, "name", NAME_MAX, required=True)
    slug = key(data, "slug", name)
    if slug in RESERVED_SLUGS:
        raise InputError(f"{slug!r} is reserved for a page of the funds", field="slug")
    return FundData(
        slug=slug,
        name=name,
        summary=text(data, "summary", SUMMARY_MAX, required=True),
        vision=text(data, "vision", SUMMARY_MAX),
        mission=text(data, "mission", SUMMARY_MAX),
        founders=founders,
        created_year=integer(data, "created_year", 1900, 2100),
        endowment_eur=amount(data, "endowment_eur"),
        duration_months=integer(data, "duration_months", 1, 600),
        url=url(data, "url"),
        fiche=fiche(data, "fiche"),
        sources=sources(data),
        published=flag(data, "published"),
        is_synthetic=flag(data, "is_synthetic"),
    )


@dataclass
class StrandData:
    code: str
    title: str
    position: int = 0
    description: str = ""
    source: str = ""


def clean_strand(data: Mapping[str, Any], position: int = 0) -> StrandData:
    title = text(data, "title", NAME_MAX, required=True)
    return StrandData(
        code=key(data, "code", title),
        title=title,
        position=position,
        description=text(data, "description", SUMMARY_MAX),
        source=text(data, "source", SOURCE_MAX),
    )


SUPPORT_FIELDS = (
    "key",
    "strand",
    "alliance",
    "beneficiary",
    "territory",
    "form",
    "description",
    "amount_eur",
    "may_be_included_in",
    "amount_note",
    "objective",
    "maturity_at_start",
    "start",
    "end",
    "status",
    "published",
    "source",
    "note",
)


@dataclass
class SupportData:
    key: str
    beneficiary: str
    territory: str
    form: str
    description: str
    status: str
    strand: Strand | None = None
    alliance: Alliance | None = None
    amount_eur: Decimal | None = None
    may_be_included_in: Support | None = None
    amount_note: str = ""
    objective: str = ""
    maturity_at_start: str = ""
    start: str = ""
    end: str = ""
    published: bool = False
    source: str = ""
    note: str = ""


def _unknown(data: Mapping[str, Any], known: tuple[str, ...]) -> None:
    if not isinstance(data, Mapping):
        raise InputError("expected a mapping of fields")
    unknown = sorted(str(k) for k in set(data) - set(known))
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])


def clean_support(
    data: Mapping[str, Any], fund: Fund, current: Support | None = None
) -> SupportData:
    """A support of `fund` (`current` when it is an edit); references are resolved in the fund."""
    _unknown(data, SUPPORT_FIELDS)
    form = code(data, "form", vocabularies.SUPPORT_FORMS)
    if not form:
        raise InputError("is required", field="form")
    alliance = fiche(data, "alliance")
    beneficiary = text(data, "beneficiary", NAME_MAX) or (
        alliance.title[:NAME_MAX] if alliance else ""
    )
    if not beneficiary:
        raise InputError("is required (or give the alliance supported)", field="beneficiary")
    where = text(data, "territory", 20)
    if not where and alliance is not None and alliance.territories:
        where = alliance.territories[0]
    if not where:
        raise InputError("an INSEE code is required (or give the alliance)", field="territory")
    state = choice(data, "status", SupportStatus.values, SupportStatus.REQUESTED)
    out = SupportData(
        key=key(data, "key", f"{beneficiary}-{form}"),
        beneficiary=beneficiary,
        territory=territory(where),
        form=form,
        description=text(data, "description", TEXT_MAX, required=True),
        status=state,
        strand=_strand(data, fund),
        alliance=alliance,
        amount_eur=amount(data, "amount_eur"),
        may_be_included_in=_including(data, fund, current),
        amount_note=text(data, "amount_note", SUMMARY_MAX),
        objective=code(data, "objective", vocabularies.OBJECTIVES),
        maturity_at_start=code(data, "maturity_at_start", vocabularies.INNOVATION_STAGES),
        start=partial_date(data, "start"),
        end=partial_date(data, "end"),
        published=flag(data, "published"),
        source=text(data, "source", SOURCE_MAX),
        note=text(data, "note", SUMMARY_MAX),
    )
    _check_support(out)
    if current is not None:
        status.check_change(current, out.status)
    return out


def support_as_data(support: Support) -> dict[str, Any]:
    """A saved support in the plain format `clean_support` reads (forms' initial values, API)."""
    data: dict[str, Any] = {name: getattr(support, name) for name in SUPPORT_FIELDS}
    data["strand"] = support.strand.code if support.strand else ""
    data["alliance"] = support.alliance.slug if support.alliance else ""
    data["may_be_included_in"] = (
        support.may_be_included_in.key if support.may_be_included_in else ""
    )
    return data


def _strand(data: Mapping[str, Any], fund: Fund) -> Strand | None:
    wanted = text(data, "strand", KEY_MAX)
    if not wanted:
        return None
    strand = Strand.objects.filter(fund=fund, code=wanted).first()
    if strand is None:
        known = ", ".join(fund.strands.values_list("code", flat=True)) or "none"
        raise InputError(f"no strand {wanted!r} in this fund (known: {known})", field="strand")
    return strand


def _including(data: Mapping[str, Any], fund: Fund, current: Support | None) -> Support | None:
    wanted = text(data, "may_be_included_in", KEY_MAX)
    if not wanted:
        return None
    other = Support.objects.filter(fund=fund, key=wanted).first()
    if other is None:
        raise InputError(f"no support {wanted!r} in this fund", field="may_be_included_in")
    if other.form != DIRECT_FUNDING:
        raise InputError("must be a direct-funding support", field="may_be_included_in")
    if current is not None and (
        other.pk == current.pk or other.may_be_included_in_id == current.pk
    ):
        raise InputError("two supports cannot include each other", field="may_be_included_in")
    return other


def _check_support(s: SupportData) -> None:
    """Rules between fields: money only for direct funding, which alone is paid; dates in order."""
    if s.form == DIRECT_FUNDING:
        if s.amount_eur is None and not s.amount_note:
            raise InputError(
                "direct funding needs its amount in euros (or a note saying why it is unknown)",
                field="amount_eur",
            )
    elif s.amount_eur is not None:
        raise InputError("only direct funding has an amount", field="amount_eur")
    elif s.status == SupportStatus.PAID:
        raise InputError("only direct funding can be paid", field="status")
    if s.may_be_included_in is not None:
        if s.form != DIRECT_FUNDING:
            raise InputError(
                "only an amount can be included in another", field="may_be_included_in"
            )
        if not s.amount_note:
            raise InputError("say why the amounts may overlap", field="amount_note")
    if s.start and s.end and s.end[: len(s.start)] < s.start[: len(s.end)]:
        raise InputError("the end comes before the start", field="end")
    if s.published and s.status == SupportStatus.REQUESTED:
        raise InputError("a request is never public: grant it first", field="published")


EVALUATION_FIELDS = (
    "key",
    "alliance",
    "title",
    "status",
    "date",
    "method",
    "outputs",
    "outcomes",
    "mobilised_eur",
    "leverage_basis",
    "lessons",
    "published",
    "source",
)


@dataclass
class EvaluationData:
    key: str
    title: str
    status: str
    alliance: Alliance | None = None
    date: str = ""
    method: str = ""
    outputs: list[dict[str, str | None]] = field(default_factory=list)
    outcomes: list[dict[str, str | None]] = field(default_factory=list)
    mobilised_eur: Decimal | None = None
    leverage_basis: str = ""
    lessons: list[dict[str, str | None]] = field(default_factory=list)
    published: bool = False
    source: str = ""


def clean_evaluation(data: Mapping[str, Any], fund: Fund) -> EvaluationData:
    _unknown(data, EVALUATION_FIELDS)
    title = text(data, "title", NAME_MAX, required=True)
    alliance = fiche(data, "alliance")
    if alliance is not None and not fund.supports.filter(alliance=alliance).exists():
        raise InputError("this fund has no support to this alliance", field="alliance")
    out = EvaluationData(
        key=key(data, "key", title),
        title=title,
        status=choice(data, "status", EvaluationStatus.values, EvaluationStatus.PLANNED),
        alliance=alliance,
        date=partial_date(data, "date"),
        method=text(data, "method", TEXT_MAX),
        outputs=_records(data, "outputs", ("label",), ("value", "source")),
        outcomes=_records(data, "outcomes", ("label",), ("value", "source")),
        mobilised_eur=amount(data, "mobilised_eur"),
        leverage_basis=text(data, "leverage_basis", SUMMARY_MAX),
        lessons=_records(data, "lessons", ("text",), ("source",)),
        published=flag(data, "published"),
        source=text(data, "source", SOURCE_MAX),
    )
    if out.mobilised_eur is not None and not out.leverage_basis:
        raise InputError("say what the mobilised resources are", field="leverage_basis")
    return out


INSTRUMENT_FIELDS = (
    "slug",
    "name",
    "operator",
    "fund",
    "fiche",
    "kinds",
    "summary",
    "description",
    "actor_types",
    "stages",
    "support_forms",
    "territories",
    "eligibility",
    "availability",
    "url",
    "sources",
    "last_checked",
    "published",
)


@dataclass
class InstrumentData:
    slug: str
    name: str
    operator: str
    kinds: list[str]
    summary: str
    fund: Fund | None = None
    fiche: Alliance | None = None
    description: str = ""
    actor_types: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    support_forms: list[str] = field(default_factory=list)
    territories: list[str] = field(default_factory=list)
    eligibility: list[dict[str, Any]] = field(default_factory=list)
    availability: str = Availability.UNKNOWN
    url: str = ""
    sources: list[dict[str, str | None]] = field(default_factory=list)
    last_checked: datetime.date | None = None
    published: bool = False


def clean_instrument(data: Mapping[str, Any]) -> InstrumentData:
    _unknown(data, INSTRUMENT_FIELDS)
    name = text(data, "name", NAME_MAX, required=True)
    fund_slug = text(data, "fund", KEY_MAX)
    fund = Fund.objects.filter(slug=fund_slug).first() if fund_slug else None
    if fund_slug and fund is None:
        raise InputError(f"no fund {fund_slug!r}", field="fund")
    return InstrumentData(
        slug=key(data, "slug", name),
        name=name,
        operator=text(data, "operator", 300, required=True),
        kinds=codes(data, "kinds", vocabularies.FUNDING_INSTRUMENT_KINDS, required=True),
        summary=text(data, "summary", SUMMARY_MAX, required=True),
        fund=fund,
        fiche=fiche(data, "fiche"),
        description=text(data, "description", TEXT_MAX),
        actor_types=codes(data, "actor_types", vocabularies.ACTOR_TYPES),
        stages=codes(data, "stages", vocabularies.INNOVATION_STAGES),
        support_forms=codes(data, "support_forms", vocabularies.SUPPORT_FORMS),
        territories=list(
            dict.fromkeys(
                territory(str(t), f"territories[{i}]")
                for i, t in enumerate(_list(data, "territories"), 1)
            )
        ),
        eligibility=eligibility.clean_rules(data.get("eligibility")),
        availability=choice(data, "availability", Availability.values, Availability.UNKNOWN),
        url=url(data, "url"),
        sources=sources(data),
        last_checked=date(data, "last_checked"),
        published=flag(data, "published"),
    )
