// gridserve UI for every table, built from its description at /api/v1/tables: columns, filters, facets, the
// editor and the stats view all come from the table's schema (/?t=orders; products when no table is named).
"use strict";

const PAGE = 50;
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

let meta = null;            // the table's description
let path = "";              // its path
let table = null;           // Tabulator
const picked = {};          // facet field -> Set of values
let cursors = {};
let cursorKey = "";
let editing = null;

const numeric = (f) => ["integer", "long", "decimal", "double"].includes(f.type);
const label = (name) => name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

// ---- filters from the schema: search, facet checkboxes (any of), ranges for numbers and times ----
function buildFilters() {
  $("search-box").hidden = !meta.fields.some((f) => f.searchable);
  $("search").placeholder = meta.fields.filter((f) => f.searchable).map((f) => f.name).join(", ");
  const box = $("filters");
  box.replaceChildren();
  for (const f of meta.fields) {
    if (f.facet && f.filterable) {
      picked[f.name] = new Set();
      box.append(el("fieldset", {}, el("legend", { textContent: label(f.name) }),
        el("div", { id: "facet-" + f.name, className: "facet" })));
    } else if (f.filterable && (numeric(f) || f.type === "timestamp")) {
      const type = f.type === "timestamp" ? "date" : "number";
      const step = f.type === "decimal" ? String(Math.pow(10, -f.scale)) : f.type === "double" ? "any" : "1";
      const fs = el("fieldset", {}, el("legend", { textContent: label(f.name) }));
      for (const side of ["min", "max"]) {
        const id = side + "-" + f.name;
        const input = el("input", { id, type, step });
        input.dataset.param = side + "_" + f.name;
        input.addEventListener("change", reload);
        fs.append(el("label", { htmlFor: id, textContent: side === "min" ? "From" : "To" }), input);
      }
      box.append(fs);
    }
  }
}

function filterParams() {
  const q = new URLSearchParams();
  const search = $("search").value.trim();
  if (search) q.set("search", search);
  for (const [field, values] of Object.entries(picked)) values.forEach((v) => q.append(field, v));
  document.querySelectorAll("#filters input[data-param]").forEach((i) => {
    if (i.value !== "") q.set(i.dataset.param, i.value);
  });
  return q;
}

function renderFacets(facets) {
  for (const field of Object.keys(picked)) {
    const counts = new Map(((facets && facets[field]) || []).map((f) => [f.value, f.count]));
    picked[field].forEach((v) => counts.has(v) || counts.set(v, 0));
    $("facet-" + field).replaceChildren(...[...counts.entries()].map(([value, count]) => {
      const box = el("input", { type: "checkbox", checked: picked[field].has(value), value });
      box.dataset.facet = field;
      box.addEventListener("change", () => {
        box.checked ? picked[field].add(value) : picked[field].delete(value);
        reload();
      });
      return el("label", {}, box, el("span", { textContent: value }), el("span", { className: "count", textContent: num(count) }));
    }));
  }
}

// ---- the grid: one column per field, sortable where the schema says so, paged by cursor ----
const asText = (v) => document.createTextNode(v == null ? "" : String(v));
function formatter(f) {
  if (f.type === "keyword_list") return (cell) => asText((cell.getValue() || []).join(", "));
  if (f.type === "timestamp") return (cell) => asText((cell.getValue() || "").replace("T", " ").replace(/\.\d+Z$|Z$/, ""));
  if (f.type === "decimal") return (cell) => asText(cell.getValue() == null ? "" : Number(cell.getValue()).toFixed(f.scale));
  return (cell) => asText(cell.getValue());
}

let loads = 0; // pages being fetched: Tabulator drops a page that arrives after its rows were changed meanwhile
async function loadPage(params) {
  loads++;
  try {
    return await fetchPage(params);
  } finally {
    loads--;
  }
}

async function fetchPage(params) {
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
  } else if (Object.keys(picked).length) {
    q.set("facets", Object.keys(picked).join(","));
  }
  try {
    const res = await api(path + "?" + q);
    showError("");
    if (res.next_cursor) cursors[params.page + 1] = res.next_cursor;
    if (params.page === 1) {
      renderFacets(res.facets);
      $("total").textContent = num(res.total) + " " + (res.total === 1 ? "row" : "rows");
    }
    return { last_page: Math.max(1, res.total_pages), data: res[meta.name] };
  } catch (e) {
    if (e.status === 401) askForKey(e.message, reload);
    else showError(e.message);
    return { last_page: 1, data: [] };
  }
}

function buildGrid() {
  const columns = meta.fields.map((f) => ({
    title: label(f.name),
    field: f.name,
    headerSort: f.sortable,
    hozAlign: numeric(f) ? "right" : "left",
    minWidth: f.type === "text" ? 160 : 80,
    maxWidth: f.type === "text" ? 360 : undefined,
    formatter: formatter(f),
  }));
  columns.push({ title: "", field: "_id", headerSort: false, width: 62, hozAlign: "center",
    formatter: () => el("button", { type: "button", className: "edit", textContent: "Edit" }),
    cellClick: (e, cell) => openEditor(cell.getRow().getData()) });
  table = new Tabulator("#grid", {
    height: "100%", layout: "fitColumns", index: "_id", placeholder: "No rows match these filters.",
    progressiveLoad: "scroll", progressiveLoadScrollMargin: 400, paginationSize: PAGE, sortMode: "remote",
    ajaxURL: path, ajaxRequestFunc: (url, config, params) => loadPage(params),
    initialSort: [{ column: "created_at", dir: "desc" }], columns,
  });
  table.on("rowDblClick", (e, row) => canWrite() && openEditor(row.getData()));
  table.on("tableBuilt", renderMe);
}

function reload() {
  table.setData();
  if (!$("stats-view").hidden) loadStats();
}

// ---- stats: the count, average/minimum/maximum of every stats field, and per value of the first facet the
// rows and the first stats field's average (the generic shape, which every table answers in) ----
let chart;
const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
/** 150000000 -> "150M", 2500 -> "2.5K": axis labels short enough to be read whole. */
const compact = (v) => COMPACT.format(v);
async function loadStats() {
  try {
    const q = filterParams();
    q.set("shape", "fields");
    const s = await api(path + "/stats/summary?" + q);
    const tiles = [["Rows", num(s.total)]];
    // numbers to two decimals at most for reading (the API's averages carry two more than the field)
    const show = (v) => (v == null ? "–" : typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 2 }) : v);
    for (const [name, v] of Object.entries(s.fields)) {
      tiles.push(["Avg " + name, show(v.avg)], ["Min " + name, show(v.min)], ["Max " + name, show(v.max)]);
    }
    $("stats-summary").replaceChildren(...tiles.map(([k, v]) => el("div", {}, el("b", { textContent: v }), k)));
    if (s.by) {
      const first = Object.keys(s.fields)[0];
      const series = [{ name: "rows", type: "bar", data: s.by.groups.map((g) => g.count) }];
      const yAxis = [{ type: "value", name: "rows", axisLabel: { formatter: compact } }];
      if (first) {
        series.push({ name: "avg " + first, type: "bar", yAxisIndex: 1,
          data: s.by.groups.map((g) => g.fields[first].avg) });
        yAxis.push({ type: "value", name: "avg " + first, axisLabel: { formatter: compact } });
      }
      chart = chart || echarts.init($("chart-groups"));
      // tooltips drawn on the canvas as text: ECharts' HTML tooltips would put values into markup
      chart.setOption({
        title: { text: "Per " + s.by.field }, tooltip: { renderMode: "richText" }, legend: { top: 24 },
        grid: { top: 60, bottom: 90 },
        xAxis: { type: "category", data: s.by.groups.map((g) => g.value), axisLabel: { rotate: 40 } },
        yAxis, series,
      }, true);
    }
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
  if (stats) loadStats().then(() => chart && chart.resize());
  else table.redraw();
}

// ---- the editor: one input per writable field, typed by the schema; the server's 422 names the field ----
function buildEditor() {
  const box = $("editor-fields");
  box.replaceChildren();
  for (const f of meta.fields.filter((x) => !x.read_only)) {
    const id = "f-" + f.name;
    let input;
    if (f.allowed) {
      input = el("select", { id, name: f.name }, el("option", { value: "", textContent: "" }),
        ...f.allowed.map((a) => el("option", { value: a, textContent: a })));
    } else if (f.type === "boolean") {
      input = el("select", { id, name: f.name }, el("option", { value: "", textContent: "" }),
        el("option", { value: "true", textContent: "yes" }), el("option", { value: "false", textContent: "no" }));
    } else {
      input = el("input", { id, name: f.name });
      if (numeric(f)) {
        input.type = "number";
        input.step = f.type === "decimal" ? String(Math.pow(10, -f.scale)) : f.type === "double" ? "any" : "1";
      }
      if (f.type === "keyword_list") input.placeholder = "comma separated";
      if (f.type === "timestamp") input.placeholder = "2026-01-31T12:00:00Z";
      if (f.max_length) input.maxLength = f.max_length;
    }
    input.required = f.required;
    box.append(el("label", { htmlFor: id, textContent: label(f.name) + (f.required ? " *" : "") }), input,
      el("span", { className: "err", id: "err-" + f.name }));
  }
}

function openEditor(row) {
  editing = row || null;
  $("editor-title").textContent = row ? "Edit row " + row._id : "New row";
  $("delete-row").hidden = !row;
  clearErrors();
  for (const f of meta.fields.filter((x) => !x.read_only)) {
    const v = row ? row[f.name] : null;
    $("f-" + f.name).value = v == null ? "" : Array.isArray(v) ? v.join(", ") : String(v);
  }
  $("editor").showModal();
}

function clearErrors() {
  $("form-error").textContent = "";
  document.querySelectorAll("#editor-fields .err").forEach((s) => (s.textContent = ""));
  document.querySelectorAll("#editor-fields [aria-invalid]").forEach((i) => {
    i.removeAttribute("aria-invalid");
    i.removeAttribute("aria-describedby");
  });
}

function formBody() {
  const body = {};
  for (const f of meta.fields.filter((x) => !x.read_only)) {
    const raw = $("f-" + f.name).value.trim();
    if (f.type === "keyword_list") body[f.name] = raw ? raw.split(",").map((t) => t.trim()).filter(Boolean) : [];
    else if (raw === "") {
      if (editing && !f.required) body[f.name] = null;
    } else if (numeric(f)) body[f.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else if (f.type === "boolean") body[f.name] = raw === "true";
    else body[f.name] = raw;
  }
  return body;
}

async function save() {
  clearErrors();
  try {
    await api(editing ? path + "/" + editing._id : path, {
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

async function remove() {
  try {
    await api(path + "/" + editing._id, { method: "DELETE" });
    $("editor").close();
    reload();
  } catch (err) {
    if (err.status === 401 || err.status === 403) return askForKey(err.message, remove);
    $("form-error").textContent = err.message;
  }
}

/** Write buttons only for callers who may write. */
function renderWrites() {
  $("new-row").hidden = !canWrite();
  const edit = table && table.getColumn("_id");
  if (edit) canWrite() ? edit.show() : edit.hide();
}

function wire() {
  let timer;
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  });
  $("clear-filters").addEventListener("click", () => {
    $("search").value = "";
    document.querySelectorAll("#filters input[data-param]").forEach((i) => (i.value = ""));
    Object.values(picked).forEach((s) => s.clear());
    reload();
  });
  for (const [id, format] of [["export-csv", "csv"], ["export-xlsx", "xlsx"]]) {
    $(id).addEventListener("click", () => {
      const q = filterParams();
      q.set("format", format);
      const sort = table.getSorters()[0];
      if (sort) {
        q.set("sort_by", sort.field);
        q.set("sort_order", sort.dir);
      }
      $(id).href = path + "/export?" + q;
    });
  }
  $("show-grid").addEventListener("click", () => show("grid"));
  $("show-stats").addEventListener("click", () => show("stats"));
  $("new-row").addEventListener("click", () => openEditor(null));
  $("editor-form").addEventListener("submit", (e) => {
    e.preventDefault();
    save();
  });
  $("cancel-edit").addEventListener("click", () => $("editor").close());
  $("delete-row").addEventListener("click", () => editing && confirm("Delete row " + editing._id + "?") && remove());
  wireSignIn(renderWrites, reload);
  wireImport(path, $("import-file"), $("import-status"), reload, askForKey);
}

/** The table picker: every table served. */
function buildPicker(tables, current) {
  const picker = $("table-picker");
  picker.replaceChildren(...tables.map((t) => el("option", { value: t.name, textContent: t.name, selected: t.name === current })));
  picker.addEventListener("change", () => (location.href = "/?t=" + encodeURIComponent(picker.value)));
}

/**
 * Live: the table's change stream (Server-Sent Events, read with fetch so that the signed-in key goes along). A
 * row on screen that changed is fetched and updated in place, a deleted one removed; anything else (new rows,
 * bulk loads, a resync after falling behind) reloads the grid if the user is at the top, to keep their place.
 */
function followChanges() {
  let last = null;
  let reloadPending = false;
  const reloadIfAtTop = () => {
    const holder = document.querySelector("#grid .tabulator-tableholder");
    if (reloadPending || (holder && holder.scrollTop >= 10)) return;
    reloadPending = true;
    setTimeout(() => { reloadPending = false; reload(); }, 500);
  };
  const onEvent = async (type, data) => {
    if (type === "resync") return reloadIfAtTop();
    if (type !== "change") return;
    const c = JSON.parse(data);
    if (c._id === undefined || !table.getRow(c._id)) return reloadIfAtTop();
    if (c.op !== "upsert" && c.op !== "delete") return reloadIfAtTop();
    let fresh = null;
    if (c.op === "upsert") {
      try {
        fresh = await api(path + "/" + encodeURIComponent(c._id));
      } catch (e) {
        if (e.status !== 404) return; // e.g. a key revoked meanwhile: the next page load shows the truth
      }
    }
    // changing rows while a page loads makes Tabulator drop that page (and keep its overlay): try again after
    if (loads > 0) return setTimeout(() => onEvent(type, data), 300);
    const row = table.getRow(c._id);
    if (row) fresh ? table.updateData([fresh]) : row.delete();
  };
  const connect = async () => {
    try {
      const headers = withKey({ Accept: "text/event-stream" });
      if (last !== null) headers["Last-Event-ID"] = last;
      const res = await fetch(path + "/changes/stream", { headers });
      if (!res.ok) throw new Error("stream refused: " + res.status);
      $("live").style.opacity = "1";
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n")) {
          let type = "message", data = "";
          for (const line of buf.slice(0, end).split("\n")) {
            if (line.startsWith("id: ")) last = line.slice(4);
            else if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          buf = buf.slice(end + 2);
          await onEvent(type, data);
        }
      }
    } catch (e) {
      // reconnected below, resuming after the last event received
    }
    $("live").style.opacity = "0.3";
    setTimeout(connect, 3000);
  };
  connect();
}

(async function start() {
  try {
    const { tables } = await api("/api/v1/tables");
    const wanted = new URLSearchParams(location.search).get("t");
    meta = tables.find((t) => t.name === wanted) || tables.find((t) => t.name === "products") || tables[0];
    if (!meta) return showError("No table is served; add a schema file (see the README).");
    path = meta.path;
    document.title = "gridserve — " + meta.name;
    buildPicker(tables, meta.name);
    buildFilters();
    buildEditor();
    wire();
    buildGrid();
    followChanges();
    await refreshMe();
  } catch (err) {
    showError(err.message);
  }
})();
