"""Field rules of the contacts domain. Each check adds to an ErrorCollector, so a refusal
lists every bad field at once; none of them touches the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from cuadra.contacts.enums import PANAMA_PROVINCES, ReceiverType, TaxIdType, TaxpayerKind
from cuadra.core.errors import ErrorCollector
from cuadra.core.money import to_decimal
from cuadra.tenancy.ruc import compute_dv

# ../shared/research/panama-fe.md section 3: a legal RUC has a 3-10 digit first part
# (155596713-2-2015, old style 521-136-113133); a plain cédula P-FFFF-AAAAAA a 1-2 digit one.
_CEDULA = re.compile(r"^\d{1,2}-\d{1,4}-\d{1,6}$")
_LEGAL = re.compile(r"^\d{3,10}-\d{1,4}-\d{1,6}$")
# Natural-person variants (PE-, E-, N-, nAV-, nPI-, n-NT-, PI-, NT-): their DV uses other
# codes, so only the shape is checked here.
_CEDULA_VARIANT = re.compile(r"^(?:PE|E|N|PI|NT|\d{1,2}-?(?:AV|PI|NT))-\d{1,5}(?:-\d{1,6}){0,2}$")
_FOREIGN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")
_DV = re.compile(r"^\d{2}$")
_ISO_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCATION = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{1,2})$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class TaxIdentity:
    id_type: str
    number: str
    dv: str
    kind: str


def choice(errors: ErrorCollector, name: str, value, choices) -> str:
    allowed = [c.value for c in choices]
    if value not in allowed:
        errors.add(name, f"'{value}' is not one of {', '.join(allowed)}.")
    return value


def tax_identity(errors: ErrorCollector, *, id_type: str, number: str, dv: str) -> TaxIdentity:
    """Normalise and check a tax identity; a RUC or cédula DV must be the DGI's."""
    id_type = (id_type or "").strip().upper()
    number = (number or "").strip().upper()
    dv = (dv or "").strip()
    if not id_type:
        if number or dv:
            errors.add("tax_id_type", "Say what kind of id the tax id is.")
        return TaxIdentity("", "", "", TaxpayerKind.NONE)
    choice(errors, "tax_id_type", id_type, TaxIdType)
    if not number:
        errors.add("tax_id", "A tax id is required with a tax id type.")
        return TaxIdentity(id_type, number, dv, TaxpayerKind.NONE)
    if id_type == TaxIdType.RUC:
        return _ruc(errors, number, dv)
    if id_type == TaxIdType.CEDULA:
        return _cedula(errors, number, dv)
    if id_type in (TaxIdType.PASSPORT, TaxIdType.FOREIGN_ID):
        if not _FOREIGN.match(number):
            errors.add("tax_id", "3 to 20 letters, digits or hyphens.")
        if dv:
            errors.add("tax_dv", "Only a RUC or a cédula has a DV.")
        return TaxIdentity(id_type, number, "", TaxpayerKind.NONE)
    return TaxIdentity(id_type, number, dv, TaxpayerKind.NONE)


def _check_dv(errors: ErrorCollector, number: str, dv: str) -> None:
    if not _DV.match(dv):
        errors.add("tax_dv", "The DV is two digits.")
        return
    expected = compute_dv(number)
    if dv != expected:
        errors.add("tax_dv", f"Wrong DV for {number}: the DGI algorithm gives {expected}.")


def _ruc(errors: ErrorCollector, number: str, dv: str) -> TaxIdentity:
    if _LEGAL.match(number):
        kind = TaxpayerKind.JURIDICAL
    elif _CEDULA.match(number) or _CEDULA_VARIANT.match(number):
        kind = TaxpayerKind.NATURAL
    else:
        errors.add("tax_id", "A RUC looks like 155596713-2-2015, 521-136-113133 or "
                             "8-769-1080 (natural person).")
        return TaxIdentity(TaxIdType.RUC, number, dv, TaxpayerKind.NONE)
    if not dv:
        errors.add("tax_dv", "A RUC needs its DV.")
    elif _CEDULA_VARIANT.match(number):
        if not _DV.match(dv):
            errors.add("tax_dv", "The DV is two digits.")
    else:
        _check_dv(errors, number, dv)
    return TaxIdentity(TaxIdType.RUC, number, dv, kind)


def _cedula(errors: ErrorCollector, number: str, dv: str) -> TaxIdentity:
    if not (_CEDULA.match(number) or _CEDULA_VARIANT.match(number)):
        errors.add("tax_id", "A cédula looks like 8-769-1080 (or PE-, E-, N- ... variants).")
    elif dv and _CEDULA.match(number):
        _check_dv(errors, number, dv)
    elif dv and not _DV.match(dv):
        errors.add("tax_dv", "The DV is two digits.")
    return TaxIdentity(TaxIdType.CEDULA, number, dv, TaxpayerKind.NATURAL)


def receiver(errors: ErrorCollector, *, receiver_type: str, identity: TaxIdentity) -> None:
    """The e-invoice receiver rules the DGI enforces on gDatRec."""
    if receiver_type not in ReceiverType.values:
        choice(errors, "receiver_type", receiver_type, ReceiverType)
        return
    if receiver_type in (ReceiverType.CONTRIBUYENTE, ReceiverType.GOBIERNO) \
            and identity.id_type != TaxIdType.RUC:
        errors.add("tax_id_type", "A contribuyente or government receiver needs a RUC "
                                  "with its DV.")
    if receiver_type == ReceiverType.CONSUMIDOR_FINAL \
            and identity.kind == TaxpayerKind.JURIDICAL:
        errors.add("receiver_type", "A consumidor final cannot carry a legal-person RUC "
                                    "(DGI rule 1621); use CONTRIBUYENTE.")
    if receiver_type == ReceiverType.EXTRANJERO \
            and identity.id_type not in (TaxIdType.PASSPORT, TaxIdType.FOREIGN_ID):
        errors.add("tax_id_type", "A foreign receiver is identified by a PASSPORT or a "
                                  "FOREIGN_ID (gIdExt).")


def country(errors: ErrorCollector, name: str, value: str) -> str:
    value = (value or "").strip().upper()
    if not _ISO_COUNTRY.match(value):
        errors.add(name, "An ISO 3166 alpha-2 country code, e.g. PA.")
    return value


def currency(errors: ErrorCollector, name: str, value: str) -> str:
    value = (value or "").strip().upper()
    if not _ISO_CURRENCY.match(value):
        errors.add(name, "An ISO 4217 currency code, e.g. USD.")
    return value


def email(errors: ErrorCollector, name: str, value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            errors.add(name, "Not an e-mail address.")
    return value


def color(errors: ErrorCollector, name: str, value: str) -> str:
    value = (value or "").strip()
    if value and not _COLOR.match(value):
        errors.add(name, "A colour like #1f77b4.")
    return value


def required(errors: ErrorCollector, name: str, value) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        errors.add(name, "Required.")
    return value


def decimal_in(errors: ErrorCollector, name: str, value, *, low: Decimal | None = None,
               high: Decimal | None = None, nullable: bool = False) -> Decimal | None:
    if value is None or value == "":
        if not nullable:
            errors.add(name, "Required.")
        return None
    try:
        number = to_decimal(value)
    except (TypeError, ValueError) as exc:
        errors.add(name, str(exc))
        return None
    if not number.is_finite() or (low is not None and number < low) \
            or (high is not None and number > high):
        errors.add(name, f"Must be between {low} and {high}." if high is not None
                   else f"Must be at least {low}.")
    return number


def int_in(errors: ErrorCollector, name: str, value, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(name, f"A whole number from {low} to {high}.")
    return value


def location(errors: ErrorCollector, values: dict) -> None:
    """dCodUbi 'province-district-corregimiento' with its three names (DGI gUbiRec)."""
    code = (values.get("location_code") or "").strip()
    values["location_code"] = code
    for name in ("province", "district", "corregimiento"):
        values[name] = (values.get(name) or "").strip().upper()
    if not code:
        return
    m = _LOCATION.match(code)
    if not m or int(m.group(1)) not in PANAMA_PROVINCES or "0" in {m.group(2), m.group(3)}:
        errors.add("location_code", "A Panama location code 'province-district-"
                                    "corregimiento', e.g. 8-8-7 (Bella Vista).")
        return
    values["province"] = values["province"] or PANAMA_PROVINCES[int(m.group(1))]
    if values.get("country") != "PA":
        errors.add("location_code", "Location codes are Panama's; the country must be PA.")
    for name in ("district", "corregimiento"):
        if not values[name]:
            errors.add(name, "Required with a location code (the DGI wants the names).")


def lengths(errors: ErrorCollector, model, values: dict) -> None:
    """Text longer than its column: a clear VALIDATION rather than a database error."""
    flagged = {e.field for e in errors.errors}
    for name, value in values.items():
        if name in flagged:
            continue
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:  # not a column
            continue
        limit = getattr(f, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.add(name, f"At most {limit} characters.")
