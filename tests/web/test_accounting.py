"""Contabilidad pages: chart of accounts, journal entries (form, htmx fragments, writes),
trial balance, ledger integrity; permissions, refusals that write nothing, tenancy."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cuadra.core.models import AuditLog
from cuadra.core.money import encode_sortable
from cuadra.ledger.models import AccountBalance, JournalEntry, JournalLine, LedgerAuditLog
from cuadra.ledger.services import journal_entry_create, journal_entry_post

DAY = "2026-03-10"
NEW = "/accounting/entries/new/"
TB = "/accounting/reports/trial-balance/?date_from=2026-01-01&date_to=2026-12-31"
PAGES = ["/accounting/", "/accounting/accounts/", "/accounting/entries/", NEW, TB,
         "/accounting/integrity/"]

# A sale for cash: 1,234.50 = 1,100.00 revenue + 134.50 ITBMS (three lines).
SALE = [("110101", "Cobro", "1,234.50", ""), ("4101", "Venta", "", "1100"),
        ("210201", "ITBMS", "", "134.50")]


def books() -> dict[str, int]:
    """Rows a journal-entry write could touch (audit rows aside)."""
    from cuadra.ledger.models import FiscalYear, LedgerChainHead, Period
    from cuadra.sequences.models import IssuedNumber, SequenceCounter

    models = (JournalEntry, JournalLine, LedgerAuditLog, AccountBalance, LedgerChainHead,
              Period, FiscalYear, SequenceCounter, IssuedNumber)
    return {m.__name__: m._base_manager.count() for m in models} | {
        "counter_values": sum(SequenceCounter.objects.values_list("last_value", flat=True))}


@pytest.fixture
def counts():
    return books


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def owner(platform) -> Client:
    return _client("demo")


@pytest.fixture
def contador(platform) -> Client:
    return _client("contador")


def text(response) -> str:
    return response.content.decode()


def form_data(lines, *, journal="GEN", date=DAY, reference="F-1", memo="Venta al contado",
              **extra) -> dict:
    data = {"journal": journal, "date": date, "reference": reference, "memo": memo,
            "line_account": [li[0] for li in lines], "line_label": [li[1] for li in lines],
            "line_debit": [li[2] for li in lines], "line_credit": [li[3] for li in lines]}
    data.update(extra)
    return data


def cells(html: str, row_attr: str) -> list[str]:
    """The text of each cell of the table row carrying ``row_attr``."""
    row = re.search(rf"<tr {re.escape(row_attr)}[^>]*>(.*?)</tr>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  row, re.S)]


def totals(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))


# --- access --------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["demo", "contador"])
@pytest.mark.parametrize("url", PAGES)
def test_pages_open_for_owner_and_accountant(platform, username, url):
    response = _client(username).get(url)
    assert response.status_code == 200
    assert '<a href="/accounting/" aria-current="page">Contabilidad</a>' in text(response)


@pytest.mark.parametrize("url", ["/accounting/accounts/", "/accounting/entries/", NEW,
                                 "/accounting/integrity/"])
def test_sales_may_not_open_the_books(platform, url):
    assert _client("ventas").get(url).status_code == 403


def test_sales_sees_reports_only(platform):
    ventas = _client("ventas")
    assert ventas.get(TB).status_code == 200  # the sales role reads REPORTS
    overview = text(ventas.get("/accounting/"))
    assert 'href="/accounting/reports/trial-balance/"' in overview
    assert 'href="/accounting/entries/"' not in overview
    assert 'href="/accounting/accounts/"' not in overview


def test_warehouse_without_reports_or_ledger_is_refused(platform):
    bodega = _client("bodega")
    assert bodega.get("/accounting/").status_code == 403
    assert bodega.get(TB).status_code == 403


def test_sales_may_not_write_entries(platform, counts):
    before = counts()
    response = _client("ventas").post(NEW, form_data(SALE))
    assert response.status_code == 403
    assert counts() == before


def test_auditor_reads_but_may_not_post(platform, demo, owner):
    draft = journal_entry_create(company=demo, actor=platform.owner, journal="GEN", date=DAY,
                                 lines=[{"account": "110101", "debit": "5"},
                                        {"account": "4101", "credit": "5"}])
    auditor = _client("auditor")
    page = text(auditor.get(f"/accounting/entries/{draft.pk}/"))
    assert 'id="post-entry"' not in page and 'id="edit-entry"' not in page
    response = auditor.post(f"/accounting/entries/{draft.pk}/post/")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("draft", "")
    assert AuditLog.objects.filter(operation="web_journal_entry_post",
                                   error_code="PERMISSION_DENIED").count() == 1


# --- chart of accounts ---------------------------------------------------------------------

def test_chart_is_a_tree_in_the_page_language(owner):
    html = text(owner.get("/accounting/accounts/"))
    assert cells(html, 'data-account="1"') == ["1", "Activos", "Activo", "", "Sí"]
    assert cells(html, 'data-account="110101"') == ["110101", "Caja general", "Activo", "Caja",
                                                   "Sí"]
    assert 'style="padding-left: calc(3 * 1.25rem)">Caja general' in html
    owner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(owner.get("/accounting/accounts/"))
    assert cells(html, 'data-account="110101"') == ["110101", "Cash on hand", "Asset", "Cash",
                                                   "Yes"]


def test_chart_filters_by_text_and_type(owner):
    html = text(owner.get("/accounting/accounts/?q=caja"))
    assert re.findall(r'data-account="(\w+)"', html) == ["110101", "110102"]
    html = text(owner.get("/accounting/accounts/?type=EQUITY&q=utilidades"))
    assert re.findall(r'data-account="(\w+)"', html) == ["3201"]


# --- the entry form and its htmx fragments -------------------------------------------------

def test_totals_fragment_sums_what_the_form_holds(owner):
    response = owner.post("/accounting/entries/form/totals/", form_data(SALE[:2]))
    html = text(response)
    assert '<strong id="total-debit">1,234.50</strong>' in html
    assert '<strong id="total-credit">1,100.00</strong>' in html
    assert '<strong id="total-difference">134.50</strong>' in html
    assert "unbalanced" in html and "Todavía no cuadra" in html
    html = text(owner.post("/accounting/entries/form/totals/", form_data(SALE)))
    assert '<strong id="total-difference">0.00</strong>' in html
    assert "entry-totals balanced" in html and "✓ Cuadra" in html


def test_lines_fragment_adds_and_removes_rows_keeping_values(owner):
    html = text(owner.post("/accounting/entries/form/lines/", form_data(SALE, op="add")))
    assert len(re.findall(r'<tr class="entry-line', html)) == 4
    assert 'value="1,234.50"' in html and 'id="entry-totals"' in html
    html = text(owner.post("/accounting/entries/form/lines/",
                           form_data(SALE, op="remove", index="1")))
    assert len(re.findall(r'<tr class="entry-line', html)) == 2
    assert '<option value="4101" selected>' not in html
    assert '<option value="210201" selected>' in html


def test_new_entry_form_starts_with_two_blank_lines_today(contador):
    html = text(contador.get(NEW))
    assert len(re.findall(r'<tr class="entry-line', html)) == 2
    assert '<option value="GEN" selected>' in html
    assert '<option value="110101">110101 · Caja general</option>' in html
    assert 'value="1"' not in html  # group accounts are not offered
    assert f'name="date" id="entry-date" value="{timezone.localdate().isoformat()}"' in html


# --- create, post, reverse -----------------------------------------------------------------

def test_create_post_reverse_flow_with_exact_figures(contador, demo):
    response = contador.post(NEW, form_data([*SALE, ("", "", "", "")]))  # a blank row is ignored
    assert response.status_code == 302
    entry = JournalEntry.objects.get(company=demo)
    assert response["Location"] == f"/accounting/entries/{entry.pk}/"
    assert (entry.state, entry.number, entry.lines.count()) == ("draft", "", 3)
    html = text(contador.get(response["Location"]))
    assert "Borrador guardado." in html
    assert cells(html, 'data-line="1"') == ["1", "110101 Caja general", "Cobro", "",
                                            "1,234.50", ""]
    assert totals(html) == {"debit": "1,234.50", "credit": "1,234.50"}

    response = contador.post(f"/accounting/entries/{entry.pk}/post/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "posted" and entry.number
    html = text(contador.get(f"/accounting/entries/{entry.pk}/"))
    link = LedgerAuditLog.objects.get(entry=entry)
    assert f"Asiento {entry.number} contabilizado." in html
    assert f'<dd data-field="chain">#1 <code class="hash" title="{link.hash}">' in html
    assert 'id="reverse-entry"' in html and 'id="post-entry"' not in html

    tb = text(contador.get(TB))
    assert cells(tb, 'data-account="110101"') == ["110101", "Caja general", "0.00", "1,234.50",
                                                 "0.00", "1,234.50"]
    assert cells(tb, 'data-account="4101"') == ["4101", "Ventas de mercancía", "0.00", "0.00",
                                               "1,100.00", "-1,100.00"]
    assert totals(tb) == {"opening": "0.00", "debit": "1,234.50", "credit": "1,234.50",
                          "closing": "0.00"}

    response = contador.post(f"/accounting/entries/{entry.pk}/reverse/", {"date": "2026-03-31"})
    assert response.status_code == 302
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert response["Location"] == f"/accounting/entries/{reversal.pk}/"
    assert reversal.date == dt.date(2026, 3, 31) and reversal.state == "posted"
    html = text(contador.get(response["Location"]))
    assert (f'<dd data-field="reverses"><a href="/accounting/entries/{entry.pk}/">'
            f'{entry.number}</a></dd>') in html
    assert cells(html, 'data-line="1"')[4:] == ["", "1,234.50"]
    original = text(contador.get(f"/accounting/entries/{entry.pk}/"))
    assert f'data-field="reversed-by"><a href="/accounting/entries/{reversal.pk}/">' in original
    assert 'id="reverse-entry"' not in original

    tb = text(contador.get(TB))
    assert cells(tb, 'data-account="110101"')[2:] == ["0.00", "1,234.50", "1,234.50", "0.00"]
    assert totals(tb) == {"opening": "0.00", "debit": "2,469.00", "credit": "2,469.00",
                          "closing": "0.00"}
    listed = text(contador.get("/accounting/entries/?state=posted"))
    assert cells(listed, f'data-entry="{entry.pk}"')[5:] == ["1,234.50", "Contabilizado"]


def test_save_and_post_in_one_step(contador, demo):
    response = contador.post(NEW, form_data(SALE, post_now="1"))
    assert response.status_code == 302
    entry = JournalEntry.objects.get(company=demo)
    assert entry.state == "posted" and LedgerAuditLog.objects.filter(entry=entry).exists()


def test_an_unbalanced_entry_is_refused_with_its_message_and_writes_nothing(contador, counts):
    before = counts()
    lines = [("110101", "", "100", ""), ("4101", "", "", "90.00")]
    response = contador.post(NEW, form_data(lines, post_now="1"))
    assert response.status_code == 400
    html = text(response)
    assert 'data-code="UNBALANCED_ENTRY"' in html
    assert "<strong>El asiento no cuadra.</strong>" in html
    assert "Débitos 100.00 y créditos 90.00 difieren en 10.00." in html
    assert 'value="90.00"' in html  # what was typed is kept
    assert counts() == before
    refusal = AuditLog.objects.get(operation="web_journal_entry_post")
    assert refusal.error_code == "UNBALANCED_ENTRY"


def test_posting_an_unbalanced_draft_is_refused_and_it_stays_a_draft(contador, demo):
    contador.post(NEW, form_data([("110101", "", "1100", ""), ("4101", "", "", "90")]))
    draft = JournalEntry.objects.get(company=demo)
    response = contador.post(f"/accounting/entries/{draft.pk}/post/")
    assert response.status_code == 400
    assert "Débitos 1,100.00 y créditos 90.00 difieren en 1,010.00." in text(response)
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("draft", "")
    assert not LedgerAuditLog.objects.exists() and not AccountBalance.objects.exists()


def test_a_locked_period_is_refused(contador, demo, platform):
    from cuadra.ledger.services import period_close, period_for_date, period_lock

    march = period_for_date(company=demo, date=dt.date(2026, 3, 1))
    period_lock(company=demo, actor=platform.owner,
                period=period_close(company=demo, actor=platform.owner, period=march))
    before = books()
    response = contador.post(NEW, form_data(SALE, post_now="1"))
    assert response.status_code == 400
    assert 'data-code="PERIOD_CLOSED"' in text(response)
    assert "El período está cerrado." in text(response)
    assert "Period 2026-03 is locked." in text(response)
    assert books() == before


def test_line_errors_show_on_their_row(contador, counts):
    before = counts()
    lines = [("", "", "", ""), ("110101", "", "abc", ""), ("", "", "", "5")]
    html = text(contador.post(NEW, form_data(lines)))
    assert "Corrija los campos marcados." in html
    second = re.search(r'data-line="1">(.*?)</tr>', html, re.S).group(1)
    third = re.search(r'data-line="2">(.*?)</tr>', html, re.S).group(1)
    assert "Not a decimal number." in second
    assert "Choose an account." in third
    assert counts() == before


def test_edit_and_delete_a_draft(contador, demo):
    contador.post(NEW, form_data(SALE))
    draft = JournalEntry.objects.get(company=demo)
    form = text(contador.get(f"/accounting/entries/{draft.pk}/edit/"))
    assert 'value="1234.50"' in form and '<option value="210201" selected>' in form
    response = contador.post(f"/accounting/entries/{draft.pk}/edit/",
                             form_data([*SALE[:1], ("4101", "", "", "1234.5")], memo="Otra"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.memo == "Otra"
    assert [(li.account.code, li.credit) for li in draft.lines.order_by("line_no")] == [
        ("110101", Decimal(0)), ("4101", Decimal("1234.5"))]
    response = contador.post(f"/accounting/entries/{draft.pk}/delete/")
    assert response["Location"] == "/accounting/entries/"
    assert not JournalEntry.objects.filter(pk=draft.pk).exists()
    assert not JournalLine.objects.exists()


def test_a_posted_entry_is_neither_edited_nor_deleted(contador, demo):
    contador.post(NEW, form_data(SALE, post_now="1"))
    entry = JournalEntry.objects.get(company=demo)
    assert contador.get(f"/accounting/entries/{entry.pk}/edit/").status_code == 302
    response = contador.post(f"/accounting/entries/{entry.pk}/delete/")
    assert response.status_code == 400
    assert 'data-code="INVALID_TRANSITION"' in text(response)
    assert JournalEntry.objects.filter(pk=entry.pk, state="posted").exists()


# --- list ----------------------------------------------------------------------------------

def test_list_filters_and_paginates(contador, demo, platform):
    for i in range(27):
        journal_entry_create(company=demo, actor=platform.owner, journal="GEN",
                             date=dt.date(2026, 2, 1) + dt.timedelta(days=i),
                             reference=f"R-{i:02d}",
                             lines=[{"account": "110101", "debit": "1"},
                                    {"account": "4101", "credit": "1"}])
    first = text(contador.get("/accounting/entries/"))
    assert len(re.findall(r"<tr data-entry=", first)) == 25
    assert "Página 1 de 2" in first
    second = text(contador.get("/accounting/entries/?page=2"))
    assert len(re.findall(r"<tr data-entry=", second)) == 2
    found = text(contador.get("/accounting/entries/?q=R-07"))
    assert len(re.findall(r"<tr data-entry=", found)) == 1
    ranged = text(contador.get("/accounting/entries/?date_from=2026-02-10&date_to=2026-02-12"))
    assert len(re.findall(r"<tr data-entry=", ranged)) == 3
    assert len(re.findall(r"<tr data-entry=",
                          text(contador.get("/accounting/entries/?state=posted")))) == 0


# --- tenancy -------------------------------------------------------------------------------

def test_another_companys_entry_is_not_found(owner, otra, counts):
    foreign = journal_entry_post(company=otra, actor=None, journal="GEN", date=DAY,
                                 lines=[{"account": "110101", "debit": "7"},
                                        {"account": "4101", "credit": "7"}])
    before = counts()
    base = f"/accounting/entries/{foreign.pk}/"
    assert owner.get(base).status_code == 404
    assert owner.get(base + "edit/").status_code == 404
    for action in ("post/", "reverse/", "delete/"):
        assert owner.post(base + action, {"date": DAY}).status_code == 404
    assert counts() == before
    assert "7.00" not in text(owner.get(TB))


# --- integrity -----------------------------------------------------------------------------

def _tamper(sql: str, params) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_journalline DISABLE TRIGGER ALL")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE ledger_journalline ENABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER ledger_journalline_no_update")
            cursor.execute(sql, params)


def test_integrity_ok_then_names_the_broken_link(contador, demo):
    contador.post(NEW, form_data(SALE, post_now="1"))
    entry = JournalEntry.objects.get(company=demo)
    head = LedgerAuditLog.objects.get(entry=entry).hash
    html = text(contador.get("/accounting/integrity/"))
    assert f"<code>OK 1 entries, head {head}</code>" in html
    assert f"company DEMO entries 1 head {head} at " in html
    line = entry.lines.get(line_no=2)
    value = encode_sortable(Decimal("9999"), 25, 25) if connection.vendor == "sqlite" \
        else Decimal("9999")
    _tamper("UPDATE ledger_journalline SET credit = %s WHERE id = %s", [value, line.pk])
    html = text(contador.get("/accounting/integrity/"))
    assert "La cadena está rota" in html
    assert f'<dd data-field="broken">{entry.number}</dd>' in html
    assert '<dd data-field="field">lines[1].credit</dd>' in html


# --- language ------------------------------------------------------------------------------

def test_english_pages_keep_the_panama_number_format(contador):
    contador.post(NEW, form_data(SALE, post_now="1"))
    contador.post("/i18n/setlang/", {"language": "en", "next": "/"})
    tb = text(contador.get(TB))
    assert "<h1>Trial balance</h1>" in tb
    assert cells(tb, 'data-account="110101"') == ["110101", "Cash on hand", "0.00", "1,234.50",
                                                 "0.00", "1,234.50"]


# --- statements and downloads --------------------------------------------------------------

RENT = [("6201", "Alquiler marzo", "500", ""), ("110101", "", "", "500")]
YEAR = "date_from=2026-01-01&date_to=2026-12-31"


@pytest.fixture
def books_with_activity(contador):
    contador.post(NEW, form_data(SALE, post_now="1"))
    contador.post(NEW, form_data(RENT, date="2026-03-20", reference="A-3", memo="Alquiler",
                                 post_now="1"))
    assert JournalEntry.objects.filter(state="posted").count() == 2
    return contador


@pytest.mark.parametrize("url", ["/accounting/reports/general-ledger/",
                                 "/accounting/reports/general-journal/",
                                 "/accounting/reports/income-statement/",
                                 "/accounting/reports/balance-sheet/"])
def test_report_pages_need_reports_view(platform, url):
    assert _client("contador").get(url).status_code == 200
    assert _client("ventas").get(url).status_code == 200
    assert _client("bodega").get(url).status_code == 403


def test_trial_balance_groups_and_comparison(books_with_activity):
    html = text(books_with_activity.get(
        "/accounting/reports/trial-balance/?date_from=2026-03-01&date_to=2026-03-31&compare=1"))
    assert cells(html, 'data-account="1101"') == ["1101", "Efectivo y equivalentes de efectivo",
                                                 "0.00", "1,234.50", "500.00", "734.50",
                                                 "0.00", "0.00", "734.50"]
    assert "Comparado con 2026-02-01 – 2026-02-28." in html
    assert totals(html)["debit"] == "1,734.50"


def test_income_statement_and_balance_sheet(books_with_activity):
    html = text(books_with_activity.get(f"/accounting/reports/income-statement/?{YEAR}"))
    assert cells(html, 'data-account="4101"') == ["4101", "Ventas de mercancía", "1,100.00"]
    assert cells(html, 'data-account="6201"') == ["6201", "Alquileres", "500.00"]
    assert re.search(r'data-total="net_result"><th colspan="2">Resultado neto</th>'
                     r'<td class="num total">600.00</td>', html)
    html = text(books_with_activity.get("/accounting/reports/balance-sheet/?as_of=2026-12-31"))
    assert cells(html, 'data-account="110101"') == ["110101", "Caja general", "734.50"]
    assert re.search(r'data-total="liabilities_and_equity">.*?<td class="num total">734.50<',
                     html, re.S)
    assert 'id="balance-check">✓' in html


def test_general_ledger_has_a_running_balance(books_with_activity):
    html = text(books_with_activity.get(
        f"/accounting/reports/general-ledger/?account=110101&{YEAR}"))
    balances = re.findall(r'<tr data-line="\d+">.*?<td class="num">([^<]*)</td>\s*</tr>', html,
                          re.S)
    assert balances == ["1,234.50", "734.50"]
    assert totals(html) == {"debit": "1,234.50", "credit": "500.00", "closing": "734.50"}


def test_general_journal_lists_posted_entries_with_lines(books_with_activity):
    html = text(books_with_activity.get(f"/accounting/reports/general-journal/?{YEAR}"))
    assert len(re.findall(r'<tbody class="journal-entry"', html)) == 2
    assert "Alquiler marzo" in html
    assert totals(html) == {"debit": "1,734.50", "credit": "1,734.50"}


def test_a_bad_range_is_shown_next_to_the_filters(contador):
    response = contador.get("/accounting/reports/income-statement/"
                            "?date_from=2026-05-01&date_to=2026-01-01")
    assert response.status_code == 400
    assert 'id="report-error">The range starts after it ends.' in text(response)


def test_downloads_stream_csv_and_xlsx(books_with_activity):
    page_html = text(books_with_activity.get(f"/accounting/reports/trial-balance/?{YEAR}"))
    link = f'href="/accounting/reports/trial_balance/export/csv/?{YEAR.replace("&", "&amp;")}"'
    assert link in page_html
    response = books_with_activity.get(f"/accounting/reports/trial_balance/export/csv/?{YEAR}")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="trial_balance_DEMO_2026-01-01_2026-12-31.csv"')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "110101" in body and "Caja general" in body
    xlsx = books_with_activity.get(f"/accounting/reports/general_ledger/export/xlsx/"
                                   f"?account=110101&{YEAR}")
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_a_refused_download_says_why(contador):
    response = contador.get(f"/accounting/reports/general_ledger/export/csv/?{YEAR}")
    assert response.status_code == 400
    assert "Choose an account." in text(response)
    assert contador.get("/accounting/reports/nope/export/csv/").status_code == 404
    assert _client("bodega").get(
        f"/accounting/reports/trial_balance/export/csv/?{YEAR}").status_code == 403


def test_the_review_preset_cannot_be_bypassed_from_the_page(platform, demo):
    """With the seed's general-journal review chosen, a manual entry is posted only by
    audit + confirm: neither 'post' nor 'save and post' posts it from the page."""
    from cuadra.documents.services import workflow_setting_set
    from cuadra.ledger.models import JournalEntry

    workflow_setting_set(company=demo, document_type="JOURNAL_ENTRY", workflow_key="review",
                         actor=platform.owner)
    client = _client("contador")
    posted_before = JournalEntry.objects.filter(company=demo, state="posted").count()
    draft = journal_entry_create(company=demo, actor=platform.owner, journal="GEN", date=DAY,
                                 lines=[{"account": "110101", "debit": "5"},
                                        {"account": "4101", "credit": "5"}])
    assert client.post(f"/accounting/entries/{draft.pk}/post/").status_code == 400
    new = form_data([("110101", "", "7", ""), ("4101", "", "", "7")])
    new["post_now"] = "1"
    assert client.post("/accounting/entries/new/", new).status_code == 400
    assert JournalEntry.objects.filter(company=demo, state="posted").count() == posted_before
