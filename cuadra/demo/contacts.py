"""DEMO's clients, suppliers, factories and salespersons (issue 5 item 1), created through
the contacts services. Idempotent: a row whose code exists is left alone.

The RUCs are fictitious; their DVs come from the DGI algorithm (cuadra.tenancy.ruc), so
they validate as real ones do. Client codes C-001..C-006 and supplier codes P-001..P-003
are the partners the demo books (cuadra/demo/ledger.py) already name.
"""

from __future__ import annotations

from cuadra.contacts import services
from cuadra.contacts.models import Client, Factory, Salesperson, Supplier, Tag
from cuadra.tenancy.ruc import compute_dv

# Bella Vista (8-8-7) covers Obarrio, Marbella, El Cangrejo and Calle 50 in Panama City.
BELLA_VISTA = {"location_code": "8-8-7", "province": "PANAMA", "district": "PANAMA",
               "corregimiento": "BELLA VISTA"}

TAGS = [("Mayorista", "#1f77b4"), ("Minorista", "#2ca02c"), ("VIP", "#d62728"),
        ("Gobierno", "#9467bd"), ("Exportación", "#ff7f0e"), ("Horeca", "#8c564b")]

SALESPERSONS = [("V-01", "Luis Batista", "ventas", "2.5"),
                ("V-02", "Carmen Arosemena", None, "3"),
                ("V-03", "Ricardo Chen", None, "2")]


def _ruc(number: str) -> dict:
    return {"tax_id_type": "RUC", "tax_id": number, "tax_dv": compute_dv(number)}


def _cedula(number: str) -> dict:
    return {"tax_id_type": "CEDULA", "tax_id": number, "tax_dv": compute_dv(number)}


# code, legal name, trade name, identity, receiver, salesperson, tags, terms, limit, address
CLIENTS = [
    ("C-001", "Supermercados La Económica, S.A.", "La Económica",
     _ruc("2501234-1-819321"), "01", "V-01", ["Mayorista", "VIP"], 30, "25000.00",
     "Vía España y Calle 45, Bella Vista"),
    ("C-002", "Farmacias San Judas, S.A.", "Farmacia San Judas",
     _ruc("1398765-1-622310"), "01", "V-01", ["Minorista"], 30, "8000.00",
     "Calle 50, Edificio Plaza Obarrio, local 3"),
    ("C-003", "Constructora Pacífico Azul, S.A.", "Pacífico Azul",
     _ruc("155612345-2-2016"), "01", "V-02", ["Mayorista"], 45, "40000.00",
     "Avenida Balboa, Torre Marbella, piso 12"),
    ("C-004", "Hotel Casco Viejo Suites, S.A.", "Casco Viejo Suites",
     _ruc("155700123-2-2019"), "01", "V-02", ["Horeca", "VIP"], 30, "15000.00",
     "Calle Uruguay, El Cangrejo"),
    ("C-005", "Restaurante El Trapiche, S.A.", "El Trapiche",
     _ruc("87654-12-543210"), "01", "V-03", ["Horeca"], 15, "5000.00",
     "Vía Argentina, El Cangrejo"),
    ("C-006", "Distribuidora Chiricana, S.A.", "Dichisa",
     _ruc("1876543-1-710022"), "01", "V-03", ["Mayorista"], 60, "30000.00", None),
    ("C-007", "Clínica Dental Sonrisa, S.A.", "Sonrisa",
     _ruc("155655544-2-2017"), "01", "V-01", ["Minorista"], 30, "3000.00",
     "Calle 53 Este, Marbella"),
    ("C-008", "Colegio Bilingüe del Istmo, S.A.", "CBI",
     _ruc("30123-45-210987"), "01", "V-02", [], 30, "12000.00", None),
    ("C-009", "Ministerio de Salud", "MINSA", _ruc("8881-1-000142"), "03", "V-02",
     ["Gobierno"], 90, None, None),
    ("C-010", "Caribbean Traders LLC", "Caribbean Traders",
     {"tax_id_type": "FOREIGN_ID", "tax_id": "59-1234567", "tax_dv": ""}, "04", "V-03",
     ["Exportación"], 30, "20000.00", None),
    ("C-011", "María Fernanda Quintero", "", _cedula("8-769-1080"), "02", None, [], 0,
     None, "Calle 47, Edificio Sol del Mar, apto 5B, Bella Vista"),
    ("C-012", "José Antonio Pinzón", "", _cedula("4-715-1993"), "02", None, [], 0, None,
     None),
    ("C-013", "Ana Lucía Herrera", "", _cedula("6-108-289"), "02", "V-01", ["Minorista"], 0,
     None, None),
    ("C-014", "Consumidor final", "Contado", {}, "02", None, [], 0, None, None),
    ("C-015", "Panadería y Dulcería La Espiga, S.A.", "La Espiga",
     _ruc("2209876-1-781234"), "01", "V-03", ["Horeca"], 15, "4000.00", None),
]

OTHER_ADDRESSES = {
    "C-006": ("Avenida Obaldía, David, Chiriquí", "DAVID"),
    "C-008": ("Vía Ricardo J. Alfaro, Betania", "PANAMA"),
    "C-009": ("Edificio 265, Ancón", "PANAMA"),
    "C-012": ("Barrio Bolívar, David, Chiriquí", "DAVID"),
    "C-013": ("Calle Manuel María Tejada, Chitré, Herrera", "CHITRE"),
    "C-014": ("Ciudad de Panamá", "PANAMA"),
    "C-015": ("Avenida Central, Colón", "COLON"),
}

# code, legal name, trade name, identity, terms, currency, country, address, contact
SUPPLIERS = [
    ("P-001", "Importadora del Pacífico, S.A.", "Impacífico", _ruc("1558899-1-654321"), 30,
     "USD", "PA", "Zona Libre de Colón, Manzana 4", ("Rosa Díaz", "Ventas")),
    ("P-002", "Distribuidora Istmeña de Alimentos, S.A.", "DIASA",
     _ruc("155646463-2-2017"), 45, "USD", "PA", "Vía España, Bella Vista",
     ("Jorge Vega", "Crédito y cobros")),
    ("P-003", "Ferretería Industrial Novey, S.A.", "Novey Industrial",
     _ruc("2679372-1-844914"), 30, "USD", "PA", "Calle 50 y Calle 56, Obarrio",
     ("Itzel Mora", "Cuentas corporativas")),
    ("P-004", "Empaques Modernos, S.A.", "Emposa", _ruc("637793-1-457490"), 60, "USD", "PA",
     "Parque Industrial Costa del Este", ("Eduardo Ng", "Ventas")),
    ("P-005", "Transportes Rápidos del Istmo, S.A.", "TRI", _ruc("25046169-3-2021"), 15,
     "USD", "PA", "Vía Transístmica, Las Cumbres", ("Pedro Saldaña", "Despacho")),
    ("P-006", "Global Supplies Miami Inc.", "Global Supplies",
     {"tax_id_type": "FOREIGN_ID", "tax_id": "65-0987654", "tax_dv": ""}, 30, "USD", "US",
     "8200 NW 41st St, Doral, FL", ("Susan Miller", "Export sales")),
    ("P-007", "Papelería Universal, S.A.", "Universal", _ruc("155587169-2-2014"), 30, "USD",
     "PA", "Avenida Perú, Calidonia", ("Gloria Ruiz", "Ventas")),
    ("P-008", "Servicios Eléctricos Cedeño", "", _cedula("8-28-1284"), 0, "USD", "PA",
     "Juan Díaz, Ciudad de Panamá", ("Manuel Cedeño", "Propietario")),
]

FACTORIES = [
    ("F-001", "Guangzhou Hardware Manufacturing Co., Ltd.", "GZ Hardware", "CN", "P-001",
     "No. 88 Industrial Road, Baiyun, Guangzhou"),
    ("F-002", "Productos Alimenticios del Valle, S.A. de C.V.", "PAVSA", "CR", "P-002",
     "Zona Franca, Heredia"),
]


def _tags(company, actor) -> dict[str, Tag]:
    out = {}
    for name, color in TAGS:
        out[name] = (Tag.objects.filter(company=company, name=name).first()
                     or services.tag_create(company=company, actor=actor, name=name,
                                            color=color))
    return out


def _salespersons(company, actor) -> dict[str, Salesperson]:
    from django.contrib.auth import get_user_model

    out = {}
    for code, name, username, commission in SALESPERSONS:
        found = Salesperson.objects.filter(company=company, code=code).first()
        if found is None:
            user = get_user_model().objects.filter(username=username).first() \
                if username else None
            found = services.salesperson_create(company=company, actor=actor, code=code,
                                                name=name, user=user,
                                                commission_percent=commission)
        out[code] = found
    return out


def _client(company, actor, row, tags, salespersons) -> None:
    code, legal, trade, identity, receiver, sp, tag_names, terms, limit, street = row
    if Client.objects.filter(company=company, code=code).exists():
        return
    client = services.client_create(
        company=company, actor=actor, code=code, legal_name=legal, trade_name=trade,
        receiver_type=receiver, salesperson=salespersons.get(sp) if sp else None,
        tags=[tags[t] for t in tag_names], payment_terms_days=terms, credit_limit=limit,
        country="US" if receiver == "04" else "PA", **identity)
    if street:
        services.address_add(company=company, actor=actor, owner=client, line1=street,
                             city="PANAMA", **BELLA_VISTA)
        services.address_add(company=company, actor=actor, owner=client, kind="SHIPPING",
                             line1=street, city="PANAMA", **BELLA_VISTA)
    elif code in OTHER_ADDRESSES:
        line, city = OTHER_ADDRESSES[code]
        services.address_add(company=company, actor=actor, owner=client, line1=line,
                             city=city)
    elif receiver == "04":
        services.address_add(company=company, actor=actor, owner=client,
                             line1="1200 Brickell Ave, Suite 900", city="MIAMI",
                             postal_code="33131", country="US")
    if receiver in ("01", "03"):
        services.contact_person_add(company=company, actor=actor, owner=client,
                                    name="Cuentas por pagar", role="Pagos",
                                    email=f"pagos@{code.lower()}.example.com.pa")


def _supplier(company, actor, row) -> None:
    code, legal, trade, identity, terms, currency, country, street, (person, role) = row
    if Supplier.objects.filter(company=company, code=code).exists():
        return
    supplier = services.supplier_create(company=company, actor=actor, code=code,
                                        legal_name=legal, trade_name=trade,
                                        payment_terms_days=terms, currency=currency,
                                        country=country, **identity)
    location = BELLA_VISTA if "Bella Vista" in street or "Obarrio" in street else {}
    services.address_add(company=company, actor=actor, owner=supplier, line1=street,
                         country=country, **location)
    services.contact_person_add(company=company, actor=actor, owner=supplier, name=person,
                                role=role)


def _factory(company, actor, row) -> None:
    code, legal, trade, country, supplier_code, street = row
    if Factory.objects.filter(company=company, code=code).exists():
        return
    factory = services.factory_create(
        company=company, actor=actor, code=code, legal_name=legal, trade_name=trade,
        country=country, supplier=Supplier.objects.get(company=company, code=supplier_code))
    services.address_add(company=company, actor=actor, owner=factory, kind="OTHER",
                         line1=street, country=country)


def load(*, company, actor) -> None:
    tags = _tags(company, actor)
    salespersons = _salespersons(company, actor)
    for row in CLIENTS:
        _client(company, actor, row, tags, salespersons)
    for row in SUPPLIERS:
        _supplier(company, actor, row)
    for row in FACTORIES:
        _factory(company, actor, row)
