"""Choices of the contacts domain. Codes that the DGI defines keep the DGI's values
(../shared/research/panama-fe.md 1.2, gDatRec and RucType)."""

from __future__ import annotations

from django.db import models


class TaxIdType(models.TextChoices):
    RUC = "RUC", "RUC"
    CEDULA = "CEDULA", "Cédula"
    PASSPORT = "PASSPORT", "Passport"
    FOREIGN_ID = "FOREIGN_ID", "Foreign id"


class TaxpayerKind(models.TextChoices):
    """``dTipoRuc``: derived from the shape of the number, never typed in."""

    NONE = "", "—"
    NATURAL = "1", "Natural person"
    JURIDICAL = "2", "Legal person"


class ReceiverType(models.TextChoices):
    """``iTipoRec`` of the e-invoice receiver."""

    CONTRIBUYENTE = "01", "Contribuyente"
    CONSUMIDOR_FINAL = "02", "Consumidor final"
    GOBIERNO = "03", "Gobierno"
    EXTRANJERO = "04", "Extranjero"


class ClientStatus(models.TextChoices):
    PROSPECT = "PROSPECT", "Prospect"
    ACTIVE = "ACTIVE", "Active"
    ON_HOLD = "ON_HOLD", "On hold"
    BLOCKED = "BLOCKED", "Blocked"


class AddressKind(models.TextChoices):
    BILLING = "BILLING", "Billing"
    SHIPPING = "SHIPPING", "Shipping"
    OTHER = "OTHER", "Other"


class CreditLimitPolicy(models.TextChoices):
    """What issuing a document over a client's credit limit does."""

    WARN = "WARN", "Warn and allow"
    BLOCK = "BLOCK", "Refuse"


# Panama's provinces and comarcas, the first part of a DGI location code (dCodUbi).
PANAMA_PROVINCES = {
    1: "BOCAS DEL TORO", 2: "COCLE", 3: "COLON", 4: "CHIRIQUI", 5: "DARIEN", 6: "HERRERA",
    7: "LOS SANTOS", 8: "PANAMA", 9: "VERAGUAS", 10: "COMARCA GUNA YALA",
    11: "COMARCA EMBERA WOUNAAN", 12: "COMARCA NGABE BUGLE", 13: "PANAMA OESTE",
}
