// The report's controller: draws every chart with Vega-Embed from the page's data
// block, switches the period grain, and sorts the agent and team tables.
// The charts themselves are Vega-Lite specs; nothing here draws.

const data = JSON.parse(document.getElementById("report-data").textContent);
const specs = JSON.parse(document.getElementById("report-specs").textContent);
const views = new Map();

function embedOptions() {
  return {
    renderer: "svg",
    actions: false,
    formatLocale: data.format.locale,
  };
}

async function drawChart(element) {
  const id = element.dataset.chart;
  const info = data.charts[id];
  const spec = structuredClone(specs[id]);
  spec.datasets = { [info.dataset]: structuredClone(data.datasets[info.dataset]) };
  const result = await window.vegaEmbed(element, spec, embedOptions());
  views.set(id, result.view);
  element.dataset.rendered = "true";
}

async function setGrain(grain) {
  document.body.dataset.grain = grain;
  for (const panel of document.querySelectorAll("[data-grain-panel]")) {
    panel.hidden = panel.dataset.grainPanel !== grain;
  }
  const runs = [];
  for (const [id, view] of views) {
    if (data.charts[id].uses_grain) {
      view.signal("grain", grain);
      runs.push(view.runAsync());
    }
  }
  await Promise.all(runs);
  // A chart with nothing to draw at this grain gives way to its "no data" panel.
  let shown = false;
  for (const panel of document.querySelectorAll("[data-no-data-for]")) {
    const id = panel.dataset.noDataFor;
    const empty = !data.charts[id].has_data_by_grain[grain];
    const chart = document.querySelector(`[data-chart="${id}"]`);
    shown = shown || (chart.hidden && !empty);
    panel.hidden = !empty;
    chart.hidden = empty;
  }
  if (shown) window.dispatchEvent(new Event("resize")); // re-fit charts shown again
  document.body.dataset.shownGrain = grain;
}

function cellValue(row, index, kind) {
  const cell = row.cells[index];
  if (kind === "number") {
    const value = cell.dataset.value;
    return value === "" || value === undefined ? null : Number(value);
  }
  return cell.textContent.trim();
}

function sortTable(table, index, kind, button) {
  const header = button.closest("th");
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const th of table.querySelectorAll("th")) th.setAttribute("aria-sort", "none");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, index, kind);
    const y = cellValue(b, index, kind);
    if (x === null && y === null) return 0;
    if (x === null) return 1; // empty values last, whichever the direction
    if (y === null) return -1;
    const order = kind === "number" ? x - y : String(x).localeCompare(String(y), data.meta.lang);
    return ascending ? order : -order;
  });
  body.append(...rows);
}

function wireTables() {
  for (const table of document.querySelectorAll("table.sortable")) {
    const buttons = table.querySelectorAll("th button");
    buttons.forEach((button) => {
      const index = button.closest("th").cellIndex;
      button.addEventListener("click", () => sortTable(table, index, button.dataset.sort, button));
    });
  }
}

async function main() {
  wireTables();
  for (const input of document.querySelectorAll('input[name="grain"]')) {
    input.addEventListener("change", () => setGrain(input.value));
  }
  await Promise.all(Array.from(document.querySelectorAll("[data-chart]"), drawChart));
  const checked = document.querySelector('input[name="grain"]:checked');
  await setGrain(checked ? checked.value : data.meta.default_grain);
  document.documentElement.dataset.ready = "true";
}

main().catch((error) => {
  console.error("The report could not draw its charts:", error);
});
