"""Measurements in and out as CSV or Excel files, one row per measurement.

Import checks every row before anything is saved: one bad row and nothing is, and the report
names the file, the row (as a spreadsheet numbers it, the header being row 1) and the column of
each problem. Re-importing a file updates the measurements of the same (indicator, date,
breakdown) and changes nothing else, so an exported file imports back as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from observatoire import vocabularies as v
from observatoire.errors import InputError
from observatoire.platform.scorecards import records
from observatoire.platform.scorecards.models import Indicator, Measurement, Scorecard
from observatoire.platform.scorecards.validation import (
    MEASUREMENT_COLUMNS,
    REQUIRED_COLUMNS,
    MeasurementData,
    clean_measurement,
)

MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_ERRORS = 50  # reported at most; the count says how many there were
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip

Row = tuple[int, dict[str, Any]]


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    errors: list[InputError] = field(default_factory=list)
    error_count: int = 0
    saved: records.SaveReport | None = None
    dry_run: bool = False

    def add(self, error: InputError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def lines(self) -> list[str]:
        if self.error_count:
            head = _("%(file)s : %(count)s erreur(s), rien n'a été enregistré.")
            return [head % {"file": self.file, "count": self.error_count}, *map(str, self.errors)]
        if self.saved is None:
            dry = _("%(file)s : %(rows)s ligne(s) valides (essai : rien n'a été enregistré).")
            return [dry % {"file": self.file, "rows": self.rows}]
        saved = _(
            "%(file)s : %(created)s mesure(s) ajoutée(s), %(updated)s modifiée(s), "
            "%(unchanged)s inchangée(s)."
        )
        return [saved % {"file": self.file, **vars(self.saved)}]


def _header(names: list[Any], file: str) -> list[str]:
    header = [str(name or "").strip().lower() for name in names]
    unknown = [name for name in header if name and name not in MEASUREMENT_COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r} (columns: {', '.join(MEASUREMENT_COLUMNS)})",
            file=file, row=1, column=unknown[0],
        )  # fmt: skip
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", file=file, row=1)
    seen = set()
    for name in header:
        if name and name in seen:
            raise InputError("the column appears twice", file=file, row=1, column=name)
        seen.add(name)
    return header


def _decode(content: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what French Excel writes)."""
    if b"\x00" in content:
        raise InputError("contains NUL bytes: not a text CSV file", file=file)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("is neither UTF-8 nor Windows-1252 text", file=file)


def _csv_rows(content: bytes, file: str) -> list[Row]:
    text = _decode(content, file)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)  # French spreadsheets write ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _header(next(reader, []), file)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise InputError(f"{len(cells)} cells for {len(header)} columns", file=file,
                                 row=number)  # fmt: skip
            rows.append((number, {k: c for k, c in zip(header, cells, strict=False) if k}))
    except csv.Error as exc:
        raise InputError(f"unreadable CSV ({exc})", file=file, row=reader.line_num) from None
    return rows


def _xlsx_rows(content: bytes, file: str) -> list[Row]:
    import fastexcel

    try:
        sheet = fastexcel.read_excel(content).load_sheet(0, dtypes="string")
        table = sheet.to_arrow().to_pylist()
        names = list(sheet.to_arrow().column_names)
    except Exception as exc:  # fastexcel raises its own types for every kind of bad workbook
        raise InputError(f"not a readable Excel workbook ({type(exc).__name__})",
                         file=file) from None  # fmt: skip
    header = _header(names, file)
    return [
        (number, {k: cells[name] for k, name in zip(header, names, strict=True) if k})
        for number, cells in enumerate(table, start=2)
    ]


def read_rows(file: str, content: bytes) -> list[Row]:
    """The rows of a .csv or .xlsx file as (row number, {column: cell}), blank rows dropped."""
    if len(content) > MAX_BYTES:
        raise InputError(f"is larger than {MAX_BYTES // 1_000_000} MB", file=file)
    suffix = file.rsplit(".", 1)[-1].lower() if "." in file else ""
    if suffix == "csv":
        rows = _csv_rows(content, file)
    elif suffix == "xlsx":
        rows = _xlsx_rows(content, file)
    else:
        raise InputError("expected a .csv or .xlsx file", file=file)
    rows = [
        (n, {k: _unsafe_cell(c) for k, c in cells.items()})
        for n, cells in rows
        if any(str(c or "").strip() for c in cells.values())
    ]
    if len(rows) > MAX_ROWS:
        raise InputError(f"has more than {MAX_ROWS} rows: split it", file=file)
    return rows


def check_rows(
    scorecard: Scorecard, rows: list[Row]
) -> tuple[list[MeasurementData], list[tuple[int, InputError]]]:
    """Validate numbered rows of measurements (a file's, an API call's): the valid ones, and
    (number, error) for each bad one: a bad value, the same key twice, overlapping periods."""
    rules = records.rules(scorecard)
    valid: list[tuple[int, MeasurementData]] = []
    errors: list[tuple[int, InputError]] = []
    seen: dict[tuple[str, Any, str], int] = {}
    for number, cells in rows:
        try:
            data = clean_measurement(cells, rules)
        except InputError as exc:
            errors.append((number, exc))
            continue
        key = (data.indicator, data.date, data.breakdown_code)
        if key in seen:
            message = f"same indicator, date and breakdown as row {seen[key]}"
            errors.append((number, InputError(message, field="date")))
            continue
        seen[key] = number
        valid.append((number, data))
    if not errors:
        for index, error in records.check_periods(scorecard, [d for _, d in valid]):
            errors.append((valid[index][0], error))
    return [d for _, d in valid], errors


def import_measurements(
    scorecard: Scorecard, file: str, content: bytes, actor: Any, *, dry_run: bool = False
) -> ImportReport:
    """Validate every row, then save them all, or nothing if any row is bad."""
    report = ImportReport(file=file, dry_run=dry_run)
    try:
        rows = read_rows(file, content)
    except InputError as exc:
        report.add(exc)
        return report
    report.rows = len(rows)
    valid, errors = check_rows(scorecard, rows)
    for number, error in errors:
        report.add(InputError(error.message, file=file, row=number, column=error.field))
    if report.error_count or dry_run:
        return report
    report.saved = records.save_measurements(scorecard, valid, actor)
    return report


def export_rows(indicators: list[Indicator]) -> list[dict[str, str]]:
    """The measurements of these indicators as file rows (the import's columns)."""
    rows = []
    measurements = Measurement.objects.filter(indicator__in=indicators).select_related("indicator")
    for m in measurements.order_by("indicator__position", "indicator_id", "date", "breakdown_code"):
        rows.append({
            "indicator": m.indicator.code,
            "name": m.indicator.name,
            "unit": m.indicator.unit,
            "period_start": m.period_start.isoformat() if m.period_start else "",
            "date": m.date.isoformat(),
            "breakdown": m.breakdown_code,
            "value": format(m.value.normalize(), "f"),
            "confidence": m.confidence,
            "source": m.source,
            "source_url": m.source_url,
            "note": m.note,
        })  # fmt: skip
    return rows


_FORMULA_STARTS = ("=", "+", "-", "@")


def _safe_cell(value: str) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection): a leading "'" before
    =, +, - or @ (numbers excepted). The import removes it, so files round-trip."""
    if value.startswith(_FORMULA_STARTS) and not _is_num(value):
        return "'" + value
    return value


def _unsafe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def _is_num(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MEASUREMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _safe_cell(c) for k, c in row.items()} for row in rows)
    return out.getvalue()


def to_xlsx(rows: list[dict[str, str]], notice: str = "") -> bytes:
    """An Excel workbook: the measurements sheet, then a sheet of the allowed codes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("mesures")
    sheet.write_row(0, 0, MEASUREMENT_COLUMNS, bold)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(MEASUREMENT_COLUMNS):
            cell = row.get(name, "")
            if name == "value" and _is_num(cell):
                sheet.write_number(r, c, float(cell))
            else:
                sheet.write_string(r, c, cell)
    sheet.freeze_panes(1, 0)
    codes = book.add_worksheet("codes")
    codes.write_row(0, 0, ["colonne", "code", "libellé"], bold)
    line = 1
    for column, vocabulary in (("confidence", v.CONFIDENCE_LEVELS), ("unit", v.UNITS),
                               ("breakdown", v.ACTOR_TYPES), ("breakdown", v.PILLARS),
                               ("breakdown", v.ASSET_KINDS)):  # fmt: skip
        for term in vocabulary:
            codes.write_row(line, 0, [column, term.code, term.fr])
            line += 1
    if notice:
        codes.write_string(line + 1, 0, notice)
    book.close()
    return out.getvalue()
