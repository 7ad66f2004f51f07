// The codeless UI of datasync: plain JavaScript, no build step. Every API
// call carries the token the page was opened with (#token=...), in a
// header; nothing the server sends is written as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  token: "",
  dataSources: [],
  srcCols: [],      // the source table's columns (name, kind, native)
  dstCols: [],      // the target table's columns
  mapping: [],      // for each target column: the source column's name, or ""
  converted: false, // converted to a script: the form is read-only
  run: null,        // the run being watched
};

// ---- API --------------------------------------------------------------

async function api(method, path, body) {
  const opts = { method, headers: { "X-Datasync-Token": state.token } };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(path, opts);
  const type = resp.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await resp.json() : await resp.text();
  if (!resp.ok) {
    const err = new Error(typeof data === "string" ? data : data.error);
    err.fields = data.fields || [];
    err.status = resp.status;
    throw err;
  }
  return data;
}

function say(text, bad) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", !!bad);
}

// ---- field errors -----------------------------------------------------

function clearErrors(prefix) {
  document.querySelectorAll(".field-error").forEach((p) => {
    if (!prefix || p.id.startsWith("err-" + prefix)) p.textContent = "";
  });
  document.querySelectorAll("[data-field]").forEach((el) => {
    if (!prefix || el.dataset.field.startsWith(prefix)) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    }
  });
}

// showFieldErrors puts each error beside its field; those with no field on
// the page are returned.
function showFieldErrors(fields) {
  const rest = [];
  for (const f of fields || []) {
    let name = f.field;
    if (name.startsWith("mapping.") || /^mapping\[\d+\]$/.test(name)) {
      if (showPairError(f)) continue;
      name = "mapping";
    }
    const p = $("err-" + name);
    if (!p) { rest.push(f.field + ": " + f.error); continue; }
    const panel = p.closest("[data-panel]");
    if (panel && panel.hidden) { // said here too, since its step is not shown
      const step = document.querySelector(`#steps button[data-step="${panel.dataset.panel}"]`);
      rest.push(`${step ? step.textContent + ": " : ""}${f.error}`);
    }
    p.textContent = p.textContent ? p.textContent + " " + f.error : f.error;
    const input = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
    }
  }
  return rest;
}

// ---- step navigation ----------------------------------------------------

function showStep(name, focus) {
  document.querySelectorAll("[data-panel]").forEach((p) => { p.hidden = p.dataset.panel !== name; });
  document.querySelectorAll("#steps button").forEach((b) => {
    if (b.dataset.step === name) b.setAttribute("aria-current", "step");
    else b.removeAttribute("aria-current");
  });
  if (focus) {
    const h = document.querySelector(`[data-panel="${name}"] h2`);
    h.tabIndex = -1;
    h.focus();
  }
  if (name === "mapping") renderMapping();
  say("");
}

// ---- data sources -------------------------------------------------------

function fillSelect(sel, items, value, label, placeholder) {
  const keep = value !== undefined ? value : sel.value;
  sel.replaceChildren();
  if (placeholder) sel.append(new Option(placeholder, ""));
  for (const it of items) sel.append(new Option(label ? label(it) : it, typeof it === "string" ? it : it.name));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
}

async function loadDataSources() {
  const data = await api("GET", "/api/datasources");
  state.dataSources = data.datasources;
  const label = (d) => `${d.name} (${d.type}, ${d.where})`;
  fillSelect($("source-ds"), data.datasources.filter((d) => d.source), undefined, label, "— choose —");
  fillSelect($("target-ds"), data.datasources.filter((d) => d.target), undefined, label, "— choose —");
  fillSelect($("ds-type"), data.types, undefined, null, null);
  for (const w of data.warnings || []) say("catalog: " + w, true);
}

async function testDataSource(side) {
  const name = $(side + "-ds").value;
  const out = $(side + "-test-result");
  out.hidden = false;
  out.className = "result";
  if (!name) { out.textContent = "Choose a data source first."; return; }
  out.textContent = "Testing " + name + "…";
  try {
    const r = await api("POST", "/api/datasources/test", { name });
    out.textContent = r.ok ? "Connected.\n" + r.report : r.error;
    out.classList.add(r.ok ? "ok" : "bad");
  } catch (e) {
    out.textContent = e.message;
    out.classList.add("bad");
  }
}

async function addDataSource(ev) {
  ev.preventDefault();
  clearErrors("ds.");
  const port = $("ds-port").value;
  const body = {
    name: $("ds-name").value.trim(), type: $("ds-type").value, host: $("ds-host").value.trim(),
    port: port ? Number(port) : 0, database: $("ds-database").value.trim(), username: $("ds-username").value.trim(),
    passwordEnv: $("ds-password-env").value.trim(), passwordFile: $("ds-password-file").value.trim(),
  };
  try {
    const r = await api("POST", "/api/datasources", body);
    $("ds-result").textContent = `Added ${r.name} to ${r.catalog}.`;
    await loadDataSources();
  } catch (e) {
    const rest = showFieldErrors((e.fields || []).map((f) => ({ field: "ds." + f.field, error: f.error })));
    $("ds-result").textContent = rest.length || !e.fields.length ? e.message : "Not added: see the fields.";
  }
}

// ---- tables ---------------------------------------------------------------

// Each side's listings are numbered: an answer to a request that a newer
// one (another data source, schema or table chosen since) replaced is
// dropped, so a slow answer never undoes a later choice.
const latest = { source: 0, target: 0 };
const newer = (side, n) => latest[side] !== n;

async function loadSchemas(side) {
  const n = ++latest[side];
  const ds = $(side + "-ds").value;
  const sel = $(side + "-schema");
  sel.replaceChildren();
  $(side + "-table").replaceChildren();
  if (side === "source") state.srcCols = []; else { state.dstCols = []; state.mapping = []; }
  if (!ds) return;
  try {
    const r = await api("POST", "/api/schemas", { datasource: ds });
    if (newer(side, n)) return;
    fillSelect(sel, r.schemas, r.current, (x) => x || "(the bucket)", null);
    await loadTables(side);
  } catch (e) { say(e.message, true); }
}

async function loadTables(side) {
  const n = ++latest[side];
  const ds = $(side + "-ds").value;
  const sel = $(side + "-table");
  try {
    const r = await api("POST", "/api/tables", { datasource: ds, schema: $(side + "-schema").value });
    if (newer(side, n)) return;
    const label = (t) => t.name + (t.type === "view" ? " (view)" : "") + (t.rows ? ` · ~${t.rows} rows` : "");
    fillSelect(sel, r.tables, "", label, "— choose —");
  } catch (e) { say(e.message, true); }
}

async function loadColumns(side) {
  const n = ++latest[side];
  const ds = $(side + "-ds").value;
  const table = $(side + "-table").value;
  let cols = [];
  if (ds && table) {
    try {
      cols = (await api("POST", "/api/columns", { datasource: ds, schema: $(side + "-schema").value, table })).columns;
    } catch (e) { say(e.message, true); }
  }
  if (newer(side, n)) return;
  if (side === "source") state.srcCols = cols;
  else { state.dstCols = cols; state.mapping = cols.map(() => ""); }
  renderMapping();
}

function useQuery() {
  const q = $("source-use-query").checked;
  document.querySelectorAll(".query-only").forEach((el) => { el.hidden = !q; });
  document.querySelectorAll(".table-only").forEach((el) => { el.hidden = q; });
  $("source-table").disabled = q;
}

async function preview() {
  const box = $("preview-box");
  clearErrors("source.");
  try {
    say("Reading the first rows…");
    const r = await api("POST", "/api/preview", { source: model().source });
    if ($("source-use-query").checked) state.srcCols = r.columns;
    const table = $("preview-table");
    const head = document.createElement("tr");
    for (const c of r.columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c.name;
      const t = document.createElement("div");
      t.className = "type";
      t.textContent = c.native || c.kind;
      th.append(t);
      head.append(th);
    }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const row of r.rows) {
      const tr = document.createElement("tr");
      for (const v of row) {
        const td = document.createElement("td");
        td.textContent = v === null ? "NULL" : typeof v === "string" ? v : JSON.stringify(v);
        tr.append(td);
      }
      body.append(tr);
    }
    box.hidden = false;
    say(`${r.rows.length} rows shown.`);
  } catch (e) { say(e.message, true); }
}

// ---- mapping --------------------------------------------------------------

function typeText(c) { return c ? (c.native ? `${c.native} · ${c.kind}` : c.kind) : ""; }

function renderMapping() {
  const body = $("mapping-table").tBodies[0];
  body.replaceChildren();
  if (!state.dstCols.length) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 5;
    td.textContent = "Choose the source and destination tables first.";
    tr.append(td);
    body.append(tr);
    return;
  }
  state.dstCols.forEach((dc, i) => {
    const tr = document.createElement("tr");
    tr.id = "map-row-" + i;
    tr.dataset.to = dc.name;
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = dc.name;
    const dtype = document.createElement("td");
    dtype.className = "type";
    dtype.textContent = typeText(dc);
    const pick = document.createElement("td");
    const sel = document.createElement("select");
    sel.id = "map-" + i;
    sel.setAttribute("aria-label", "Source field for " + dc.name);
    sel.dataset.field = "mapping." + dc.name;
    sel.append(new Option("— not written —", ""));
    for (const sc of state.srcCols) sel.append(new Option(sc.name, sc.name));
    sel.value = state.mapping[i] || "";
    sel.addEventListener("change", () => { state.mapping[i] = sel.value; updateRow(i); clearCheck(); });
    pick.append(sel);
    const stype = document.createElement("td");
    stype.className = "type";
    stype.id = "map-src-type-" + i;
    const status = document.createElement("td");
    status.id = "map-status-" + i;
    status.setAttribute("aria-live", "polite");
    tr.append(name, dtype, pick, stype, status);
    body.append(tr);
    updateRow(i);
  });
}

function updateRow(i) {
  const sc = state.srcCols.find((c) => c.name === state.mapping[i]);
  $("map-src-type-" + i).textContent = typeText(sc);
}

function mapBy(how) {
  state.mapping = state.dstCols.map((dc, i) => {
    if (how === "row") return state.srcCols[i] ? state.srcCols[i].name : "";
    if (how === "name") {
      const same = state.srcCols.find((c) => c.name === dc.name) ||
        state.srcCols.find((c) => c.name.toLowerCase() === dc.name.toLowerCase());
      return same ? same.name : "";
    }
    return "";
  });
  renderMapping();
  clearCheck();
}

function clearCheck() {
  state.dstCols.forEach((_, i) => {
    const s = $("map-status-" + i);
    if (s) { s.replaceChildren(); s.className = ""; }
    const row = $("map-row-" + i);
    if (row) row.classList.remove("bad");
  });
  $("check-general").replaceChildren();
  $("check-summary").textContent = "";
}

function showPairError(f) {
  const to = f.field.startsWith("mapping.") ? f.field.slice(8) : null;
  const i = to === null ? -1 : state.dstCols.findIndex((c) => c.name === to);
  if (i < 0) return false;
  setPairStatus(i, false, [f.error]);
  return true;
}

function setPairStatus(i, ok, errors) {
  const s = $("map-status-" + i);
  if (!s) return;
  s.replaceChildren();
  s.className = ok ? "compat-ok" : "compat-bad";
  $("map-row-" + i).classList.toggle("bad", !ok);
  const sel = $("map-" + i);
  if (ok) {
    s.textContent = "✓ compatible";
    sel.removeAttribute("aria-invalid");
    return;
  }
  const ul = document.createElement("ul");
  ul.id = "map-errors-" + i;
  for (const e of errors) {
    const li = document.createElement("li");
    li.textContent = e;
    ul.append(li);
  }
  s.append(ul);
  sel.setAttribute("aria-invalid", "true");
  sel.setAttribute("aria-describedby", ul.id);
}

async function check() {
  clearErrors();
  clearCheck();
  $("check-summary").textContent = "Checking…";
  try {
    const r = await api("POST", "/api/check", { model: model() });
    for (const p of r.pairs) {
      const i = state.dstCols.findIndex((c) => c.name === p.to);
      if (i >= 0) setPairStatus(i, p.ok, p.errors || []);
    }
    const rest = showFieldErrors(r.fields).concat(r.general || []);
    const ul = $("check-general");
    for (const g of rest) {
      const li = document.createElement("li");
      li.textContent = g;
      ul.append(li);
    }
    const bad = r.pairs.filter((p) => !p.ok).length;
    $("check-summary").textContent = r.ok
      ? `Check passed: ${r.pairs.length} fields, ${r.splits} splits.`
      : `Check found problems${bad ? ` in ${bad} field${bad > 1 ? "s" : ""}` : ""}.`;
    $("check-summary").className = r.ok ? "compat-ok" : "compat-bad";
    return r.ok;
  } catch (e) {
    $("check-summary").textContent = e.message;
    showFieldErrors(e.fields);
    return false;
  }
}

// ---- the model --------------------------------------------------------------

function num(id) { const v = $(id).value; return v === "" ? 0 : Number(v); }

function model() {
  const q = $("source-use-query").checked;
  const mapping = [];
  state.dstCols.forEach((c, i) => { if (state.mapping[i]) mapping.push({ from: state.mapping[i], to: c.name }); });
  return {
    source: {
      datasource: $("source-ds").value, schema: q ? "" : $("source-schema").value,
      table: q ? "" : $("source-table").value, query: q ? $("source-query").value.trim() : "",
      where: q ? "" : $("source-where").value.trim(), splitPk: "",
    },
    target: { datasource: $("target-ds").value, schema: $("target-schema").value, table: $("target-table").value, query: "", where: "", splitPk: "" },
    mapping,
    channel: { concurrent: num("ch-concurrent"), mbps: num("ch-mbps"), dirtyLimit: num("ch-dirty-limit"), dirtyPath: $("ch-dirty-path").value.trim() },
    write: { mode: $("write-mode").value, truncate: $("write-truncate").checked, preSql: [], postSql: [] },
  };
}

// ---- run ----------------------------------------------------------------------

function fmtBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : String(Math.round(n))) + " " + units[i];
}
function fmtNum(n) { return Math.round(n).toLocaleString("en-US"); }

async function run() {
  clearErrors();
  $("run-errors").replaceChildren();
  $("report").hidden = true;
  $("dirty-records").hidden = true;
  try {
    const r = await api("POST", "/api/runs", { model: model() });
    state.run = r.id;
    $("run").disabled = true;
    $("run-cancel").disabled = false;
    $("progress").hidden = false;
    $("run-state").textContent = "Running…";
    poll(r.id);
  } catch (e) {
    const rest = showFieldErrors(e.fields);
    const ul = $("run-errors");
    for (const t of [e.message].concat(rest)) {
      const li = document.createElement("li");
      li.textContent = t;
      ul.append(li);
    }
  }
}

async function poll(id) {
  let st;
  try { st = await api("GET", "/api/runs/" + id); } catch (e) { $("run-state").textContent = e.message; return; }
  const p = st.progress;
  $("p-records").textContent = fmtNum(p.recordsWritten) + " written";
  $("p-bytes").textContent = fmtBytes(p.bytesRead);
  $("p-rate").textContent = fmtNum(p.recordsPerSec) + " rec/s";
  $("p-dirty").textContent = fmtNum(p.recordsDirty);
  $("p-splits").textContent = `${p.splitsDone} / ${p.splitsTotal}`;
  const bar = $("progress-bar");
  bar.max = Math.max(p.splitsTotal, 1);
  bar.value = p.splitsDone;
  if (st.state === "running") { setTimeout(() => poll(id), 300); return; }
  $("run").disabled = false;
  $("run-cancel").disabled = true;
  $("run-state").textContent = { succeeded: "Succeeded.", failed: "Failed.", cancelled: "Cancelled." }[st.state] || st.state;
  showReport(st);
}

function showReport(st) {
  const r = st.report;
  const dl = $("report-figures");
  dl.replaceChildren();
  const fig = (label, value, id) => {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    if (id) dd.id = id;
    div.append(dt, dd);
    dl.append(div);
  };
  if (r) {
    fig("Records written", fmtNum(r.recordsWritten), "r-written");
    fig("Records read", fmtNum(r.recordsRead), "r-read");
    fig("Dirty records", fmtNum(r.recordsDirty), "r-dirty");
    fig("Bytes read", fmtBytes(r.bytesRead), "r-bytes");
    fig("Elapsed", (r.elapsedMs / 1000).toFixed(2) + " s", "r-elapsed");
    fig("Throughput", fmtBytes(r.bytesPerSec) + "/s", "r-throughput");
    fig("Speed", fmtNum(r.recordsPerSec) + " rec/s", "r-speed");
    fig("Splits", `${r.splitsDone} / ${r.splitsPlanned}`, "r-splits");
    fig("Retries", fmtNum(r.retries), "r-retries");
  }
  const err = $("report-error");
  err.hidden = !st.error;
  err.textContent = st.error || "";
  $("dirty-link").hidden = !st.dirty;
  $("report").hidden = false;
  $("report").scrollIntoView({ block: "nearest" });
}

async function showDirty(ev) {
  ev.preventDefault();
  const pre = $("dirty-records");
  try {
    pre.textContent = await api("GET", "/api/runs/" + state.run + "/dirty");
  } catch (e) { pre.textContent = e.message; }
  pre.hidden = false;
  pre.focus();
}

async function cancelRun() {
  if (state.run) await api("POST", "/api/runs/" + state.run + "/cancel", {});
}

// ---- convert and save ----------------------------------------------------------

async function convert() {
  clearErrors();
  const st = $("convert-state");
  try {
    const r = await api("POST", "/api/script", { model: model() });
    $("script-dataworks").textContent = r.dataworks;
    $("script-datax").textContent = r.datax;
    $("scripts").hidden = false;
    state.converted = true;
    document.querySelectorAll("fieldset.editable").forEach((f) => { f.disabled = true; });
    $("convert").disabled = true;
    $("converted-note").hidden = false;
    $("new-job").hidden = false;
    st.textContent = "Converted. The form is now read-only.";
  } catch (e) {
    const rest = showFieldErrors(e.fields);
    st.textContent = e.message + (rest.length ? ": " + rest.join("; ") : "");
  }
}

async function save(ev) {
  ev.preventDefault();
  clearErrors("save.");
  try {
    const r = await api("POST", "/api/save", {
      model: model(), dialect: $("save-dialect").value, path: $("save-path").value.trim(), overwrite: $("save-overwrite").checked,
    });
    $("save-result").textContent = `Saved the ${r.dialect === "datax" ? "DataX job" : "DataWorks script"} to ${r.path}.`;
  } catch (e) {
    showFieldErrors(e.fields);
    $("save-result").textContent = e.message;
  }
}

function newJob() {
  state.converted = false;
  document.querySelectorAll("fieldset.editable").forEach((f) => { f.disabled = false; });
  $("convert").disabled = false;
  $("converted-note").hidden = true;
  $("new-job").hidden = true;
  $("scripts").hidden = true;
  $("convert-state").textContent = "";
  state.mapping = state.dstCols.map(() => "");
  clearErrors();
  clearCheck();
  showStep("sources", true);
}

// ---- start ------------------------------------------------------------------------

function start() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    state.token = decodeURIComponent(m[1]);
    sessionStorage.setItem("datasync-token", state.token);
    history.replaceState(null, "", location.pathname); // keep it out of the address bar
  } else {
    state.token = sessionStorage.getItem("datasync-token") || "";
  }
  if (!state.token) { $("no-token").hidden = false; return; }

  document.querySelectorAll("#steps button").forEach((b) => b.addEventListener("click", () => showStep(b.dataset.step, true)));
  document.querySelectorAll("[data-goto]").forEach((b) => b.addEventListener("click", () => showStep(b.dataset.goto, true)));
  for (const side of ["source", "target"]) {
    $(side + "-ds").addEventListener("change", () => loadSchemas(side));
    $(side + "-schema").addEventListener("change", () => loadTables(side));
    $(side + "-table").addEventListener("change", () => loadColumns(side));
    $(side + "-test").addEventListener("click", () => testDataSource(side));
  }
  $("add-ds-form").addEventListener("submit", addDataSource);
  $("source-use-query").addEventListener("change", useQuery);
  $("preview").addEventListener("click", preview);
  $("map-name").addEventListener("click", () => mapBy("name"));
  $("map-row").addEventListener("click", () => mapBy("row"));
  $("map-clear").addEventListener("click", () => mapBy("clear"));
  $("check").addEventListener("click", check);
  $("run").addEventListener("click", run);
  $("run-cancel").addEventListener("click", cancelRun);
  $("dirty-link").addEventListener("click", showDirty);
  $("convert").addEventListener("click", convert);
  $("save-form").addEventListener("submit", save);
  $("new-job").addEventListener("click", newJob);
  showStep("sources", false);
  loadDataSources().then(() => say("Ready.")).catch((e) => say(e.message, true));
}

document.addEventListener("DOMContentLoaded", start);
