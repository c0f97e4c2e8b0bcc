// gridserve data-table UI: Tabulator over the cursor API, facet filters, stats charts, create/edit/delete.
"use strict";

const API = "/api/v1/products";
const PAGE = 50;
const state = { category: new Set(), brand: new Set(), tags: new Set() };
let cursors = {};
let cursorKey = "";
let version = null;

/** The current filters as query parameters (shared by the grid, facets and stats). */
function filterParams() {
  const q = new URLSearchParams();
  const search = $("search").value.trim();
  if (search) q.set("search", search);
  for (const key of ["category", "brand", "tags"]) state[key].forEach((v) => q.append(key, v));
  for (const [id, param] of [["min-price", "min_price"], ["max-price", "max_price"], ["min-stock", "min_stock"],
                             ["min-rating", "min_rating"]]) {
    if ($(id).value !== "") q.set(param, $(id).value);
  }
  return q;
}

/** Tabulator asks for page N; page N>1 is fetched with the cursor page N-1 returned (constant cost). */
async function loadPage(params) {
  const q = filterParams();
  q.set("page_size", PAGE);
  const sort = params.sort && params.sort[0];
  if (sort) {
    q.set("sort_by", sort.field);
    q.set("sort_order", sort.dir);
  }
  const key = q.toString();
  if (params.page === 1 || key !== cursorKey) {
    cursors = {};
    cursorKey = key;
  }
  if (params.page > 1) {
    if (cursors[params.page]) q.set("cursor", cursors[params.page]);
    else q.set("page", params.page);
  } else {
    q.set("facets", "category,brand,tags");
  }
  try {
    const res = await api(API + "?" + q);
    showError("");
    if (res.next_cursor) cursors[params.page + 1] = res.next_cursor;
    if (params.page === 1) {
      renderFacets(res.facets);
      $("total").textContent = num(res.total) + (res.total === 1 ? " product" : " products");
    }
    return { last_page: Math.max(1, res.total_pages), data: res.products };
  } catch (e) {
    if (e.status === 401) askForKey(e.message, reload);
    else showError(e.message);
    return { last_page: 1, data: [] };
  }
}

function renderFacets(facets) {
  for (const key of ["category", "brand", "tags"]) {
    const box = $("facet-" + key);
    const counts = new Map((facets && facets[key] || []).map((f) => [f.value, f.count]));
    state[key].forEach((v) => counts.has(v) || counts.set(v, 0));
    box.replaceChildren(...[...counts.entries()].map(([value, count]) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = state[key].has(value);
      box.dataset.facet = key;
      box.value = value;
      box.addEventListener("change", () => {
        box.checked ? state[key].add(value) : state[key].delete(value);
        reload();
      });
      const text = document.createElement("span");
      text.textContent = value;
      const c = document.createElement("span");
      c.className = "count";
      c.textContent = num(count);
      label.append(box, text, c);
      return label;
    }));
  }
}

// Data is only ever rendered as text. Tabulator parses a formatter's string result as HTML, so every formatter
// returns a text node or an element built with textContent.
const asText = (value) => document.createTextNode(value == null ? "" : String(value));
const money = (cell) => asText(cell.getValue() == null ? "" : Number(cell.getValue()).toFixed(2));
const date = (cell) => asText((cell.getValue() || "").replace("T", " ").replace(/\.\d+Z$|Z$/, ""));
const list = (cell) => asText((cell.getValue() || []).join(", "));
function editButton() {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "edit";
  b.textContent = "Edit";
  return b;
}

const table = new Tabulator("#grid", {
  height: "100%",
  layout: "fitColumns",
  index: "_id",
  placeholder: "No products match these filters.",
  progressiveLoad: "scroll",
  progressiveLoadScrollMargin: 400,
  paginationSize: PAGE,
  sortMode: "remote",
  ajaxURL: API,
  ajaxRequestFunc: (url, config, params) => loadPage(params),
  initialSort: [{ column: "created_at", dir: "desc" }],
  columnDefaults: { formatter: (cell) => asText(cell.getValue()) },
  columns: [
    { title: "Name", field: "name", minWidth: 200 },
    { title: "SKU", field: "sku", headerSort: false, width: 118 },
    { title: "Category", field: "category", headerSort: false, width: 115 },
    { title: "Brand", field: "brand", headerSort: false, width: 90 },
    { title: "Price", field: "price", hozAlign: "right", formatter: money, width: 82 },
    { title: "Stock", field: "stock", hozAlign: "right", width: 72 },
    { title: "Rating", field: "rating", hozAlign: "right", width: 76 },
    { title: "Reviews", field: "reviews_count", hozAlign: "right", width: 84 },
    { title: "Tags", field: "tags", headerSort: false, minWidth: 90, formatter: list },
    { title: "Created", field: "created_at", formatter: date, width: 140 },
    { title: "", field: "_id", headerSort: false, width: 62, hozAlign: "center",
      formatter: editButton,
      cellClick: (e, cell) => openEditor(cell.getRow().getData()) },
  ],
});
table.on("rowDblClick", (e, row) => {
  if (canWrite()) openEditor(row.getData());
});
table.on("tableBuilt", renderMe);

function reload() {
  table.setData();
  if (!$("stats-view").hidden) loadStats();
}

let searchTimer;
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(reload, 250);
});
for (const id of ["min-price", "max-price", "min-stock", "min-rating"]) $(id).addEventListener("change", reload);
/** Export links follow the grid: its filters and its sort, every matching row. */
for (const [id, format] of [["export-csv", "csv"], ["export-xlsx", "xlsx"]]) {
  $(id).addEventListener("click", () => {
    const q = filterParams();
    q.set("format", format);
    const sort = table.getSorters()[0];
    if (sort) {
      q.set("sort_by", sort.field);
      q.set("sort_order", sort.dir);
    }
    $(id).href = API + "/export?" + q;
  });
}

$("clear-filters").addEventListener("click", () => {
  $("search").value = "";
  for (const id of ["min-price", "max-price", "min-stock", "min-rating"]) $(id).value = "";
  Object.values(state).forEach((s) => s.clear());
  reload();
});

// ---- stats view ----
let charts;
const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
/** 150000000 -> "150M", 2500 -> "2.5K": axis labels short enough to be read whole. */
function compact(v) {
  return COMPACT.format(v);
}
// Tooltips are drawn on the canvas as text: ECharts' HTML tooltips would put category names into markup.
const TOOLTIP = { renderMode: "richText" };
async function loadStats() {
  try {
    const s = await api(API + "/stats/summary?" + filterParams());
    const tiles = [["Products", num(s.total_products)], ["Total stock", num(s.total_stock)],
      ["Avg price", s.avg_price ?? "–"], ["Inventory value", num(s.inventory_value)],
      ["Out of stock", num(s.out_of_stock)], ["Avg rating", s.avg_rating ?? "–"]];
    $("stats-summary").replaceChildren(...tiles.map(([k, v]) => {
      const d = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = v;
      d.append(b, k);
      return d;
    }));
    charts = charts || { cat: echarts.init($("chart-categories")), price: echarts.init($("chart-prices")) };
    const cats = s.categories.map((c) => c.category);
    charts.cat.setOption({
      title: { text: "Per category" }, tooltip: TOOLTIP, legend: { top: 24 },
      grid: { top: 60, bottom: 90 },
      xAxis: { type: "category", data: cats, axisLabel: { rotate: 40 } },
      // compact units (150M, not "150,000,000", which the axis clipped): the labels fit beside the chart
      yAxis: [{ type: "value", name: "products", axisLabel: { formatter: compact } },
              { type: "value", name: "inventory value", axisLabel: { formatter: compact } }],
      series: [{ name: "products", type: "bar", data: s.categories.map((c) => c.count) },
               { name: "inventory value", type: "bar", yAxisIndex: 1,
                 data: s.categories.map((c) => c.inventory_value) }],
    }, true);
    charts.price.setOption({
      title: { text: "Price histogram" }, tooltip: TOOLTIP, grid: { bottom: 60 },
      xAxis: { type: "category", data: s.price_histogram.map((b) => b.min + (b.max == null ? "+" : "–" + b.max)),
               axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: "products", axisLabel: { formatter: compact } },
      series: [{ type: "bar", data: s.price_histogram.map((b) => b.count) }],
    }, true);
    showError("");
  } catch (e) {
    if (e.status === 401) askForKey(e.message, loadStats);
    else showError(e.message);
  }
}

function show(view) {
  const stats = view === "stats";
  $("grid-view").hidden = stats;
  $("stats-view").hidden = !stats;
  $("show-grid").setAttribute("aria-pressed", String(!stats));
  $("show-stats").setAttribute("aria-pressed", String(stats));
  if (stats) loadStats().then(() => charts && Object.values(charts).forEach((c) => c.resize()));
  else table.redraw();
}
$("show-grid").addEventListener("click", () => show("grid"));
$("show-stats").addEventListener("click", () => show("stats"));

// ---- create / edit / delete ----
const FIELDS = ["name", "description", "price", "category", "stock", "sku", "brand", "rating", "tags"];
let editing = null;

function openEditor(product) {
  editing = product || null;
  $("editor-title").textContent = product ? "Edit product" : "New product";
  $("delete-product").hidden = !product;
  clearErrors();
  for (const f of FIELDS) {
    const v = product ? product[f] : "";
    $("f-" + f).value = v == null ? "" : Array.isArray(v) ? v.join(", ") : v;
  }
  $("editor").showModal();
  $("f-name").focus();
}

function clearErrors() {
  $("form-error").textContent = "";
  for (const f of FIELDS) {
    $("err-" + f).textContent = "";
    $("f-" + f).removeAttribute("aria-invalid");
    $("f-" + f).removeAttribute("aria-describedby");
  }
}

function formBody() {
  const body = {};
  for (const f of FIELDS) {
    const raw = $("f-" + f).value.trim();
    if (f === "tags") {
      body.tags = raw ? raw.split(",").map((t) => t.trim()).filter(Boolean) : [];
    } else if (raw === "") {
      if (editing && ["brand", "rating"].includes(f)) body[f] = null;
    } else if (["price", "stock", "rating"].includes(f)) {
      body[f] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    } else {
      body[f] = raw;
    }
  }
  return body;
}

$("editor-form").addEventListener("submit", (e) => {
  e.preventDefault();
  save();
});

async function save() {
  clearErrors();
  try {
    await api(editing ? API + "/" + editing._id : API, {
      method: editing ? "PUT" : "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(formBody()),
    });
    $("editor").close();
    reload();
  } catch (err) {
    if (err.status === 401 || err.status === 403) return askForKey(err.message, save);
    showFieldErrors(err);
  }
}
$("cancel-edit").addEventListener("click", () => $("editor").close());
$("new-product").addEventListener("click", () => openEditor(null));
$("delete-product").addEventListener("click", () => {
  if (editing && confirm("Delete " + editing.name + "?")) remove();
});
async function remove() {
  try {
    await api(API + "/" + editing._id, { method: "DELETE" });
    $("editor").close();
    reload();
  } catch (err) {
    if (err.status === 401 || err.status === 403) return askForKey(err.message, remove);
    $("form-error").textContent = err.message;
  }
}

// ---- signing in (common.js); write buttons only for callers who may write ----
function renderWrites() {
  $("new-product").hidden = !canWrite();
  const edit = table.getColumn("_id");
  if (edit) canWrite() ? edit.show() : edit.hide();
}
wireSignIn(renderWrites, reload);
wireImport(API, $("import-file"), $("import-status"), reload, askForKey);
refreshMe().catch((err) => showError(err.message));

// ---- the table picker: every table served; the others open the page built from their schema ----
api("/api/v1/tables").then(({ tables }) => {
  const picker = $("table-picker");
  picker.replaceChildren(...tables.map((t) => {
    const o = document.createElement("option");
    o.value = t.name;
    o.textContent = t.name;
    o.selected = t.name === "products";
    return o;
  }));
  picker.addEventListener("change", () => {
    if (picker.value !== "products") location.href = "/table.html?t=" + encodeURIComponent(picker.value);
  });
}).catch(() => {});

// ---- live: when the data version moves, refresh (only if the user is at the top, to keep their place) ----
setInterval(async () => {
  try {
    const h = await fetch("/health").then((r) => r.json());
    const v = h.index && h.index.applied_seq;
    if (version !== null && v !== version) {
      const holder = document.querySelector("#grid .tabulator-tableholder");
      if (!holder || holder.scrollTop < 10) reload();
    }
    version = v;
    $("live").style.opacity = "1";
  } catch (e) {
    $("live").style.opacity = "0.3";
  }
}, 4000);
