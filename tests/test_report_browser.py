"""The report in a real headless Chromium (Debian's `chromium`, driven by Playwright).

The demo report in Vietnamese and English, and an orders-only shop's report,
are opened from disk: no console error, no network request, every chart drawn,
the grain switch changes what is shown, the tables sort, and the page is
labelled for assistive technology. Screenshots are saved for people to look
at in warehouse/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ORDERS_ONLY_VARS, PROJECT_ROOT, WORKED_EXAMPLE_RAW, Warehouse, shared_build
from report_page import page_data, write_report

from cs_analytics.report.formatting import format_number
from cs_analytics.report.labels import LABELS

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "warehouse" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEMO_SIZE_LIMIT = 5 * 1024 * 1024

@dataclass
class OpenPage:
    """A report opened in Chromium, with what it asked of the network and the console."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if url != self.url and not url.startswith(("data:", "blob:"))
        ]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or "
            "`apt-get install chromium`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 900},
            offline=True,
        )
        try:
            yield context
        finally:
            context.close()


def open_report(browser: Any, path: Path) -> Iterator[OpenPage]:
    page = browser.new_page()
    opened = OpenPage(page=page, url=path.resolve().as_uri())

    def block_foreign(route: Any) -> None:
        url = route.request.url
        if url == opened.url or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", block_foreign)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on(
        "console",
        lambda message: opened.console_errors.append(message.text)
        if message.type == "error"
        else None,
    )
    page.on("pageerror", lambda error: opened.console_errors.append(str(error)))
    page.goto(opened.url)
    page.wait_for_selector("html[data-ready='true']", timeout=60_000)
    try:
        yield opened
    finally:
        page.close()


# The demo report of each language is conftest's `demo_reports` (once per session).


@pytest.fixture(scope="module", params=["vi", "en"])
def demo_page(request: pytest.FixtureRequest, browser: Any, demo_reports: dict[str, Path]) -> Any:
    yield from open_report(browser, demo_reports[request.param])


def shown_text(opened: OpenPage, selector: str) -> str:
    return opened.page.locator(selector).inner_text()


def test_demo_report_is_small(demo_reports: dict[str, Path]) -> None:
    for path in demo_reports.values():
        assert path.stat().st_size <= DEMO_SIZE_LIMIT, path.stat().st_size


def test_no_console_error_and_no_network_request(demo_page: OpenPage) -> None:
    assert demo_page.console_errors == []
    assert demo_page.foreign_requests() == []
    assert demo_page.requests[0] == demo_page.url


def test_every_chart_is_drawn_and_labelled(demo_page: OpenPage) -> None:
    page = demo_page.page
    containers = page.locator("[data-chart]")
    assert containers.count() >= 15
    for index in range(containers.count()):
        container = containers.nth(index)
        chart_id = container.get_attribute("data-chart")
        assert container.get_attribute("data-rendered") == "true", chart_id
        # Vega-Embed makes the container a graphics document named by the spec's description.
        assert container.get_attribute("role") == "graphics-document", chart_id
        assert container.get_attribute("aria-label").startswith(
            page.locator(f"#title-{chart_id}").inner_text().strip()
        ), chart_id
        svg = container.locator("svg").first
        assert svg.locator("path, rect, line").count() > 5, chart_id
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50, chart_id
    # Every figure is named by its heading.
    figures = page.locator("figure.chart")
    for index in range(figures.count()):
        heading_id = figures.nth(index).get_attribute("aria-labelledby")
        assert page.locator(f"#{heading_id}").inner_text().strip()


def test_page_title_and_language(demo_page: OpenPage, demo_reports: dict[str, Path]) -> None:
    page = demo_page.page
    lang = page.evaluate("document.documentElement.lang")
    assert lang in {"vi", "en"}
    title = page.title()
    assert title.startswith("Báo cáo chăm sóc khách hàng" if lang == "vi" else "Customer care")
    assert page.locator("fieldset.grain-switch legend").inner_text().strip()
    # Numbers follow the language on the page itself.
    cards = shown_text(demo_page, "#headline")
    if lang == "vi":
        assert re.search(r"\d,\d\u00a0%", cards) and re.search(r"\d\.\d{3}", cards)
    else:
        assert re.search(r"\d\.\d%", cards) and re.search(r"\d,\d{3}", cards)


def axis_labels(opened: OpenPage, chart_id: str) -> list[str]:
    """The x-axis labels of a chart: Vega names a discrete axis by its values."""
    axis = opened.page.locator(f"[data-chart='{chart_id}'] svg g.role-axis[aria-label^='X-axis']")
    return axis.locator("g.role-axis-label text").all_text_contents()


def test_grain_switch_changes_what_is_shown(demo_page: OpenPage) -> None:
    page = demo_page.page
    data = page_data(page.content())
    assert page.locator("body").get_attribute("data-shown-grain") == "month"
    months = axis_labels(demo_page, "revenue")
    month_cards = shown_text(demo_page, "#headline")
    period = shown_text(demo_page, ".toolbar")

    page.check("input[name='grain'][value='quarter']")
    page.wait_for_selector("body[data-shown-grain='quarter']")
    quarters = axis_labels(demo_page, "revenue")
    assert quarters != months
    assert quarters and all(re.match(r"Q[1-4][/ ]\d{4}", label) for label in quarters)
    quarter_rows = [r for r in data["datasets"]["revenue"] if r["period_grain"] == "quarter"]
    assert len(quarters) <= len(quarter_rows)
    assert shown_text(demo_page, "#headline") != month_cards
    assert shown_text(demo_page, ".toolbar") != period
    assert demo_page.console_errors == []

    page.check("input[name='grain'][value='week']")
    page.wait_for_selector("body[data-shown-grain='week']")
    weeks = axis_labels(demo_page, "tickets")
    assert weeks and all(re.match(r"(Tuần \d+/|W\d\d )\d{4}", label) for label in weeks)
    page.check("input[name='grain'][value='month']")
    page.wait_for_selector("body[data-shown-grain='month']")
    assert axis_labels(demo_page, "revenue") == months


def test_agent_table_sorts(demo_page: OpenPage) -> None:
    page = demo_page.page
    table = page.locator("[data-grain-panel='month']:not([hidden]) table[data-table='agents']")
    assert table.locator("tbody tr").count() >= 5
    header = table.locator("th").last  # CSAT
    header.locator("button").click()
    values = [
        float(value) if value else None
        for value in table.locator("tbody tr td:last-child").evaluate_all(
            "cells => cells.map(cell => cell.dataset.value)"
        )
    ]
    present = [value for value in values if value is not None]
    assert present == sorted(present) and values[: len(present)] == present
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"


def test_screenshots(browser: Any, demo_reports: dict[str, Path]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for lang, path in demo_reports.items():
        for opened in open_report(browser, path):
            target = SCREENSHOTS / f"report-{lang}.png"
            opened.page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 50_000


# --------------------------------------------------------------------------
# An orders-only shop: "no data" panels, not broken charts
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def orders_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A shop without a helpdesk (contract section 6): no tickets, surveys or
    # agents files, declared absent; the session's one build of it.
    raw = tmp_path_factory.mktemp("orders-only") / "raw"
    raw.mkdir()
    for table in ("customers", "orders"):
        shutil.copy(WORKED_EXAMPLE_RAW / f"{table}.csv", raw / f"{table}.csv")
    warehouse = shared_build(tmp_path_factory, raw, ORDERS_ONLY_VARS)
    out = tmp_path_factory.mktemp("orders-only-report") / "index.html"
    write_report(warehouse.path, out, "vi")
    return out


SUPPORT_CHARTS = {"nps", "csat", "tickets", "fcr", "first_response", "resolution", "wait", "sla",
                  "team_csat"}


def test_empty_marts_get_no_data_panels(orders_only: Path) -> None:
    data = page_data(orders_only.read_text(encoding="utf-8"))
    empty = {chart for chart, info in data["charts"].items() if not info["has_data"]}
    assert SUPPORT_CHARTS <= empty
    assert {"active_customers", "revenue", "cohorts"}.isdisjoint(empty)


def test_empty_marts_in_the_browser(browser: Any, orders_only: Path) -> None:
    for opened in open_report(browser, orders_only):
        page = opened.page
        assert opened.console_errors == [] and opened.foreign_requests() == []
        for chart in SUPPORT_CHARTS:
            panel = page.locator(f"[data-no-data='{chart}']")
            assert panel.is_visible(), chart
            assert "Không có dữ liệu" in panel.inner_text()
            assert page.locator(f"[data-chart='{chart}']").count() == 0
        assert page.locator("[data-chart='revenue'] svg").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        opened.page.screenshot(path=str(SCREENSHOTS / "report-orders-only-vi.png"), full_page=True)


# --------------------------------------------------------------------------
# Service and retention: the numbers on the page are the mart's
# --------------------------------------------------------------------------


def latest_service_bands(warehouse: Warehouse, grain: str) -> dict[str, dict[str, Any]]:
    rows = warehouse.rows(
        "select service_band, customers_start, retention_rate, retention_rate_ci_low, "
        f"retention_rate_ci_high from marts.service_retention where period_grain = '{grain}' "
        "and period_start = (select max(period_start) from marts.customer_retention "
        f"where is_complete and period_grain = '{grain}')"
    )
    return {row.pop("service_band"): row for row in rows}


def test_service_section_shows_the_mart(
    demo_page: OpenPage, demo_warehouse: Warehouse
) -> None:
    """For the shown grain's latest complete period, each band's customers and rate as
    the page shows them (table cells and the chart's points) equal the mart's; a band
    under 30 customers shows no rate and is not drawn."""
    page = demo_page.page
    lang = page.evaluate("document.documentElement.lang")
    labels = LABELS[lang]["service_retention"]
    assert page.locator("#service .association").is_visible()
    for grain in ("month", "year"):
        page.check(f"input[name='grain'][value='{grain}']")
        page.wait_for_selector(f"body[data-shown-grain='{grain}']")
        expected = latest_service_bands(demo_warehouse, grain)
        table = page.locator(f"[data-grain-panel='{grain}'] table[data-table='service-bands']")
        assert table.is_visible()
        shown_rates = []
        for band, values in expected.items():
            cells = table.locator(f"tr[data-band='{band}'] td")
            assert int(cells.nth(0).get_attribute("data-value")) == values["customers_start"]
            rate = cells.nth(1).get_attribute("data-value")
            if values["customers_start"] >= 30:
                assert float(rate) == pytest.approx(values["retention_rate"], rel=1e-12)
                assert cells.nth(1).inner_text() == format_number(
                    values["retention_rate"], "rate", lang)
                assert cells.nth(2).inner_text() == labels["interval"].format(
                    low=format_number(values["retention_rate_ci_low"], "rate", lang),
                    high=format_number(values["retention_rate_ci_high"], "rate", lang))
                shown_rates.append(format_number(values["retention_rate"], "rate", lang))
            else:
                assert rate == ""
                assert cells.nth(1).inner_text() == labels["too_small"].format(minimum=30)
        chart = page.locator("[data-chart='service_band_rates'] svg")
        points = chart.locator("g.mark-symbol.role-mark path")
        whiskers = chart.locator("g.mark-rule.role-mark line")
        assert points.count() == whiskers.count() == len(shown_rates) >= 2, grain
        columns = labels["columns"]
        for index in range(points.count()):
            # Vega names each point by its fields: "band_label: Served; ...".
            fields = dict(part.split(": ", 1) for part in
                          points.nth(index).get_attribute("aria-label").split("; "))
            band = next(b for b, (name, _) in labels["bands"].items()
                        if name == fields[columns["band"]])
            customers = fields[columns["customers"]].replace(".", "").replace(",", "")
            assert int(customers) == expected[band]["customers_start"] >= 30
            assert float(fields["shown_retention_rate"].replace(",", ".")) == pytest.approx(
                expected[band]["retention_rate"], rel=1e-9)
    assert demo_page.console_errors == []
    page.check("input[name='grain'][value='month']")
    page.wait_for_selector("body[data-shown-grain='month']")


def test_service_section_of_a_shop_without_a_helpdesk(browser: Any, orders_only: Path) -> None:
    for opened in open_report(browser, orders_only):
        page = opened.page
        for chart in ("service_band_rates", "service_vs_no_ticket"):
            assert page.locator(f"[data-no-data='{chart}']").is_visible(), chart
            assert page.locator(f"[data-chart='{chart}']").count() == 0
        panel = page.locator("[data-grain-panel='month'].service-bands")
        assert "Không có dữ liệu" in panel.inner_text()
        assert panel.locator("table").count() == 0
        assert opened.console_errors == []
