"""CSV downloads that open cleanly in Excel and cannot run formulas (OWASP "CSV injection")."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(header: list[str], rows: Iterable[Iterable[object]], *, name: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel reads "Zoë" and "王" as written; never cached."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralize(value) for value in row])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
