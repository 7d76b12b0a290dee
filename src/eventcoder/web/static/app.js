/* eventcoder web app: map, timeline, table and incident review. Plain JS, no build step.
 * Everything is read from the JSON API of the same server (see /docs). Filters live in the URL.
 * The review token is kept in sessionStorage and sent as "Authorization: Bearer ..." (no cookies). */
(function () {
  "use strict";

  // ---------------------------------------------------------------- constants
  const TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2ca02c",
    "Riots": "#d4a017",
    "Strategic developments": "#1f77b4",
  };
  const OTHER_COLOR = "#7f8c8d";
  const FILTER_KEYS = ["q", "date_from", "date_to", "country", "admin1", "event_type", "sub_event_type",
    "actor", "min_fatalities", "status"];
  const VIEW_KEYS = ["sort", "page", "page_size", "by", "incident"];
  const TOKEN_KEY = "eventcoder.token";
  const EVIDENCE_KINDS = [
    ["type", "event type / trigger"], ["actor", "actors"], ["figure", "figures"],
    ["claim", "who claimed"], ["date", "date"], ["place", "place"],
  ];

  const state = {
    config: null,
    reviewer: null,
    page: 1,
    pageSize: 50,
    sort: "-date",
    by: "week",
    map: null,
    cluster: null,
    baseTiles: null,
    chart: null,
    lastList: null,
    detail: null,
    requestSeq: 0,
  };

  // ---------------------------------------------------------------- DOM helpers
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  /** Build an element: h("div", {class: "x", onclick: fn}, child, "text", ...). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "class") el.className = v;
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function typeColor(t) { return TYPE_COLORS[t] || OTHER_COLOR; }
  function fmtInt(n) { return (n === null || n === undefined) ? "" : Number(n).toLocaleString("en-US"); }
  function orDash(v) { return (v === null || v === undefined || v === "") ? "—" : v; }

  let toastTimer = null;
  function toast(msg, bad) {
    let el = $(".toast");
    if (!el) { el = h("div", { class: "toast", role: "status" }); document.body.append(el); }
    el.textContent = msg;
    el.classList.toggle("bad", !!bad);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => el.remove(), 4000);
  }

  // ---------------------------------------------------------------- API
  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  function errorText(body, status) {
    if (!body) return `HTTP ${status}`;
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    return `HTTP ${status}`;
  }

  async function api(path, opts) {
    opts = opts || {};
    const headers = { "Accept": "application/json" };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    if (opts.auth !== false && token()) headers["Authorization"] = "Bearer " + token();
    const res = await fetch(path, {
      method: opts.method || "GET",
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      credentials: "omit",
    });
    let body = null;
    const text = await res.text();
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!res.ok) throw new ApiError(res.status, errorText(body, res.status));
    return body;
  }

  // ---------------------------------------------------------------- URL state
  function readUrl() {
    const p = new URLSearchParams(location.search);
    const f = {};
    for (const k of FILTER_KEYS) if (p.get(k)) f[k] = p.get(k);
    state.sort = p.get("sort") || "-date";
    state.page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
    state.pageSize = Math.min(500, Math.max(10, parseInt(p.get("page_size") || "50", 10) || 50));
    state.by = ["day", "week", "month"].includes(p.get("by")) ? p.get("by") : "week";
    return { filters: f, incident: p.get("incident") };
  }

  function currentFilters() {
    const form = $("#filter-form");
    const f = {};
    for (const k of FILTER_KEYS) {
      const el = form.elements[k];
      if (el && el.value !== "") f[k] = el.value.trim();
    }
    return f;
  }

  function writeUrl(push, incident) {
    const p = new URLSearchParams(currentFilters());
    if (state.sort !== "-date") p.set("sort", state.sort);
    if (state.page !== 1) p.set("page", state.page);
    if (state.pageSize !== 50) p.set("page_size", state.pageSize);
    if (state.by !== "week") p.set("by", state.by);
    if (incident) p.set("incident", incident);
    const url = location.pathname + (p.toString() ? "?" + p.toString() : "");
    if (url !== location.pathname + location.search) {
      (push ? history.pushState : history.replaceState).call(history, null, "", url);
    }
  }

  function filterQuery(extra) {
    const p = new URLSearchParams(currentFilters());
    for (const [k, v] of Object.entries(extra || {})) if (v !== undefined && v !== null) p.set(k, v);
    return p.toString();
  }

  // ---------------------------------------------------------------- filters form
  function fillSubtypes() {
    const form = $("#filter-form");
    const type = form.elements.event_type.value;
    const sub = form.elements.sub_event_type;
    const keep = sub.value;
    sub.replaceChildren(h("option", { value: "" }, "All sub-types"));
    const types = state.config.event_types;
    const names = type ? (types[type] || []) : Object.values(types).flat();
    for (const s of names) sub.append(h("option", { value: s }, s));
    if (names.includes(keep)) sub.value = keep;
  }

  async function fillCountries() {
    const sel = $("#filter-form").elements.country;
    const keep = sel.value || readUrl().filters.country || "";
    try {
      const data = await api("/api/counts?by=country");
      sel.replaceChildren(h("option", { value: "" }, "All countries"));
      const rows = data.buckets.slice().sort((a, b) => (a.label || a.key).localeCompare(b.label || b.key));
      for (const b of rows) {
        if (!b.key) continue;
        sel.append(h("option", { value: b.key }, `${b.label || b.key} (${fmtInt(b.incidents)})`));
      }
      if (keep && !rows.some((b) => b.key === keep)) sel.append(h("option", { value: keep }, keep));
      sel.value = keep;
    } catch (e) {
      toast("Could not load the country list: " + e.message, true);
    }
  }

  function setFormFromFilters(f) {
    const form = $("#filter-form");
    for (const k of FILTER_KEYS) {
      const el = form.elements[k];
      if (!el) continue;
      if (el.tagName === "SELECT" && f[k] && !Array.from(el.options).some((o) => o.value === f[k])) {
        el.append(h("option", { value: f[k] }, f[k]));
      }
      el.value = f[k] || "";
    }
    fillSubtypes();
    if (f.sub_event_type) form.elements.sub_event_type.value = f.sub_event_type;
  }

  function buildStaticControls() {
    const form = $("#filter-form");
    const typeSel = form.elements.event_type;
    for (const t of Object.keys(state.config.event_types)) typeSel.append(h("option", { value: t }, t));
    const stSel = form.elements.status;
    for (const s of state.config.statuses) stSel.append(h("option", { value: s }, s));
    const legend = $("#legend");
    legend.append(h("div", { class: "small muted" }, "Colour: event type · size: fatalities"));
    for (const t of Object.keys(state.config.event_types)) {
      legend.append(h("div", {}, h("span", { class: "dot", style: { background: typeColor(t) } }), t));
    }
    const fmt = $("#export-format");
    for (const f of state.config.export_formats) fmt.append(h("option", { value: f }, f));
    updateExportLink();
    fmt.addEventListener("change", updateExportLink);
    if (state.config.tiles_url) $("#tiles-toggle").hidden = false;
  }

  function updateExportLink() {
    const fmt = $("#export-format").value;
    $("#export-link").href = "/api/export?" + filterQuery({ format: fmt });
  }

  // ---------------------------------------------------------------- map
  async function initMap() {
    const map = L.map("map", { worldCopyJump: true, preferCanvas: true, minZoom: 2, maxZoom: 12, zoomSnap: 0.5 });
    map.setView([20, 20], 2);
    state.map = map;
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 250;
    try {
      const topo = await (await fetch("/static/vendor/world-atlas/countries-50m.json")).json();
      const geo = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(geo, {
        pane: "outlines",
        interactive: false,
        style: { color: "#b9b3a4", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 },
      }).addTo(map);
    } catch (e) {
      $("#map-note").textContent = "country outlines could not be loaded";
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    if (state.config.tiles_url) {
      state.baseTiles = L.tileLayer(state.config.tiles_url, {
        attribution: state.config.tiles_attribution || "", maxZoom: 18,
      });
      $("#tiles-checkbox").addEventListener("change", (ev) => {
        if (ev.target.checked) state.baseTiles.addTo(map); else state.baseTiles.remove();
      });
    }
    state.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      iconCreateFunction: clusterIcon,
    });
    map.addLayer(state.cluster);
  }

  function clusterIcon(cluster) {
    const markers = cluster.getAllChildMarkers();
    const byType = {};
    for (const m of markers) byType[m.options.evType] = (byType[m.options.evType] || 0) + 1;
    let acc = 0;
    const stops = [];
    for (const [t, n] of Object.entries(byType).sort((a, b) => b[1] - a[1])) {
      const from = (acc / markers.length) * 360;
      acc += n;
      const to = (acc / markers.length) * 360;
      stops.push(`${typeColor(t)} ${from}deg ${to}deg`);
    }
    const n = cluster.getChildCount();
    const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
    const div = h("div", { class: "cluster-icon", style: { width: size + "px", height: size + "px", background: `conic-gradient(${stops.join(",")})` } },
      h("span", {}, n >= 1000 ? Math.round(n / 100) / 10 + "k" : n));
    return L.divIcon({ html: div, className: "", iconSize: [size, size] });
  }

  function radiusFor(f) { return 5 + Math.min(14, Math.sqrt(f || 0) * 2); }

  async function loadMap(seq) {
    const data = await api("/api/map?" + filterQuery());
    if (seq !== state.requestSeq) return;
    state.cluster.clearLayers();
    const markers = [];
    const bounds = [];
    for (const [id, lat, lon, ti, fat] of data.points) {
      const t = data.types[ti];
      const m = L.circleMarker([lat, lon], {
        radius: radiusFor(fat), color: "#222", weight: 0.8, fillColor: typeColor(t), fillOpacity: 0.85, evType: t,
      });
      m.on("click", () => mapPopup(m, id));
      markers.push(m);
      bounds.push([lat, lon]);
    }
    state.cluster.addLayers(markers);
    const note = data.truncated
      ? `${fmtInt(data.returned)} of ${fmtInt(data.total)} mapped incidents shown (most fatal first); narrow the filters to see all`
      : `${fmtInt(data.returned)} mapped incidents` + (data.unlocated ? ` · ${fmtInt(data.unlocated)} without coordinates` : "");
    $("#map-note").textContent = note;
    if (bounds.length) {
      state.map.fitBounds(L.latLngBounds(bounds).pad(0.15), { maxZoom: 6, animate: false });
    }
  }

  async function mapPopup(marker, id) {
    const pop = L.popup({ maxWidth: 300 }).setLatLng(marker.getLatLng()).setContent("Loading…").openOn(state.map);
    try {
      const d = await api("/api/incidents/" + encodeURIComponent(id) + "?brief=true");
      const inc = d.incident;
      const box = h("div", { class: "map-popup" },
        h("b", {}, `${inc.sub_event_type || inc.event_type}`),
        h("div", {}, [inc.date, inc.location, inc.admin1, inc.country].filter(Boolean).join(" · ")),
        h("div", {}, `${inc.actor1 || "unknown actor"}${inc.actor2 ? " vs " + inc.actor2 : ""}`),
        h("div", {}, `Fatalities: ${fmtInt(inc.fatalities)} · sources: ${fmtInt(inc.sources)}`),
        h("a", { onclick: () => openIncident(id, true) }, "Open incident and evidence →"));
      pop.setContent(box);
    } catch (e) {
      pop.setContent("Could not load: " + e.message);
    }
  }

  // ---------------------------------------------------------------- timeline
  function bucketTime(key) {
    // keys: YYYY-MM-DD (day and week start) or YYYY-MM (month)
    const s = key.length === 7 ? key + "-01" : key;
    return Date.parse(s + "T00:00:00Z") / 1000;
  }

  async function loadTimeline(seq) {
    $$(".seg .btn").forEach((b) => b.classList.toggle("active", b.dataset.by === state.by));
    const data = await api("/api/counts?" + filterQuery({ by: state.by }));
    if (seq !== state.requestSeq) return;
    const rows = data.buckets.filter((b) => b.key).sort((a, b) => a.key.localeCompare(b.key));
    const xs = rows.map((b) => bucketTime(b.key));
    const inc = rows.map((b) => b.incidents);
    const fat = rows.map((b) => b.fatalities);
    const el = $("#timeline");
    if (state.chart) { state.chart.destroy(); state.chart = null; }
    el.replaceChildren();
    if (!rows.length) { el.append(h("div", { class: "empty" }, "No dated incidents match these filters.")); return; }
    const width = Math.max(300, el.clientWidth || 800);
    const barWidth = { day: 86400, week: 7 * 86400, month: 30 * 86400 }[state.by];
    const opts = {
      width, height: 220,
      padding: [8, 8, 0, 0],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: true, range: (u, min, max) => [min - barWidth * 0.6, max + barWidth * 0.6] },
        n: { auto: true, range: (u, min, max) => [0, Math.max(1, max * 1.1)] },
        f: { auto: true, range: (u, min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {},
        { scale: "n", label: "incidents", size: 50, grid: { stroke: "#eef0f3" } },
        { scale: "f", side: 1, label: "fatalities", size: 50, grid: { show: false }, stroke: "#c62828" },
      ],
      series: [
        { label: state.by === "month" ? "Month" : state.by === "week" ? "Week of" : "Day",
          value: (u, v) => v == null ? "" : new Date(v * 1000).toISOString().slice(0, state.by === "month" ? 7 : 10) },
        { label: "Incidents", scale: "n", stroke: "rgba(31,95,168,.9)", fill: "rgba(31,95,168,.55)", width: 1,
          paths: uPlot.paths.bars({ size: [0.8, 60], align: 0 }), points: { show: false } },
        { label: "Fatalities", scale: "f", stroke: "#c62828", width: 2, points: { show: rows.length < 60, size: 5 } },
      ],
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 5) return;
          const a = u.posToVal(u.select.left, "x"), b = u.posToVal(u.select.left + u.select.width, "x");
          const form = $("#filter-form");
          form.elements.date_from.value = new Date(a * 1000).toISOString().slice(0, 10);
          form.elements.date_to.value = new Date(b * 1000).toISOString().slice(0, 10);
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          applyFilters();
        }],
      },
    };
    state.chart = new uPlot(opts, [xs, inc, fat], el);
  }

  // ---------------------------------------------------------------- table
  async function loadTable(seq) {
    const q = filterQuery({ page: state.page, page_size: state.pageSize, sort: state.sort });
    const data = await api("/api/incidents?" + q);
    if (seq !== state.requestSeq) return;
    state.lastList = data;
    const tbody = $("#incident-table tbody");
    tbody.replaceChildren();
    for (const inc of data.items) {
      tbody.append(h("tr", { dataset: { id: inc.id }, tabindex: 0, onclick: () => openIncident(inc.id, true),
        onkeydown: (ev) => { if (ev.key === "Enter") openIncident(inc.id, true); } },
      h("td", { class: "nowrap" }, orDash(inc.date)),
      h("td", {}, orDash(inc.country)),
      h("td", {}, orDash(inc.admin1)),
      h("td", {}, orDash(inc.location)),
      h("td", {}, h("span", { class: "type-cell" }, h("span", { class: "dot", style: { background: typeColor(inc.event_type) } }), inc.event_type)),
      h("td", {}, orDash(inc.sub_event_type)),
      h("td", {}, orDash(inc.actor1)),
      h("td", {}, orDash(inc.actor2)),
      h("td", { class: "num" }, fmtInt(inc.fatalities)),
      h("td", { class: "num" }, fmtInt(inc.sources)),
      h("td", {}, h("span", { class: "badge " + (inc.status || "") }, inc.status || "coded"))));
    }
    if (!data.items.length) {
      tbody.append(h("tr", {}, h("td", { colspan: 11, class: "empty" }, "No incidents match these filters.")));
    }
    const key = state.sort.replace(/^-/, "");
    $$("#incident-table th[data-sort]").forEach((th) => {
      th.classList.toggle("sorted-asc", th.dataset.sort === key && !state.sort.startsWith("-"));
      th.classList.toggle("sorted-desc", th.dataset.sort === key && state.sort.startsWith("-"));
    });
    renderPager(data);
    const from = data.total ? (data.page - 1) * data.page_size + 1 : 0;
    const to = Math.min(data.total, data.page * data.page_size);
    $("#table-note").textContent = `${fmtInt(from)}–${fmtInt(to)} of ${fmtInt(data.total)}`;
    $("#summary").replaceChildren(h("span", {},
      h("b", {}, fmtInt(data.total)), " incidents",
      data.fatalities !== undefined && data.fatalities !== null ? [" · ", h("b", {}, fmtInt(data.fatalities)), " fatalities"] : [],
      Object.keys(currentFilters()).length ? " match the filters" : ""));
  }

  function renderPager(data) {
    const pages = Math.max(1, Math.ceil(data.total / data.page_size));
    const pager = $("#pager");
    pager.replaceChildren();
    const go = (p) => { state.page = p; writeUrl(false); refreshTable(); };
    pager.append(h("button", { class: "btn small", disabled: data.page <= 1, onclick: () => go(data.page - 1) }, "‹ Prev"));
    const shown = new Set([1, pages, data.page - 2, data.page - 1, data.page, data.page + 1, data.page + 2]);
    let last = 0;
    for (const p of Array.from(shown).filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b)) {
      if (p - last > 1) pager.append(h("span", { class: "muted" }, "…"));
      pager.append(h("button", { class: "btn small" + (p === data.page ? " active" : ""), onclick: () => go(p) }, p));
      last = p;
    }
    pager.append(h("button", { class: "btn small", disabled: data.page >= pages, onclick: () => go(data.page + 1) }, "Next ›"));
    const size = h("select", { "aria-label": "Rows per page", onchange: (ev) => { state.pageSize = +ev.target.value; state.page = 1; writeUrl(false); refreshTable(); } },
      [25, 50, 100, 200].map((n) => h("option", { value: n, selected: n === state.pageSize }, `${n} / page`)));
    pager.append(h("span", { class: "grow" }), size);
  }

  function refreshTable() {
    loadTable(state.requestSeq).catch((e) => toast("Could not load incidents: " + e.message, true));
  }

  async function refreshAll() {
    const seq = ++state.requestSeq;
    updateExportLink();
    const jobs = [loadTable(seq), loadMap(seq), loadTimeline(seq)];
    const results = await Promise.allSettled(jobs);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) toast(failed.reason.message, true);
  }

  function applyFilters() {
    state.page = 1;
    writeUrl(true);
    refreshAll();
  }

  // ---------------------------------------------------------------- incident view
  async function openIncident(id, push) {
    writeUrl(push, id);
    const overlay = $("#incident-view");
    overlay.hidden = false;
    const body = $("#incident-body");
    body.replaceChildren(h("p", { class: "muted" }, "Loading incident…"));
    try {
      const d = await api("/api/incidents/" + encodeURIComponent(id));
      state.detail = d;
      renderIncident(d);
    } catch (e) {
      body.replaceChildren(h("p", { class: "error" }, e.status === 404 ? `Incident ${id} was not found.` : "Could not load the incident: " + e.message));
    }
  }

  function closeIncident(push) {
    $("#incident-view").hidden = true;
    state.detail = null;
    if (push !== false) writeUrl(true, null);
  }

  function fieldRows(inc) {
    const actor = (a, assoc) => [a || "—", assoc && assoc.length ? ` (with ${assoc.join(", ")})` : ""].join("");
    return [
      ["Date", [inc.date || "—", inc.date_precision ? ` (precision: ${inc.date_precision})` : ""].join("")],
      ["Event type", inc.event_type], ["Sub-event type", inc.sub_event_type],
      ["Disorder type", inc.disorder_type],
      ["Actor 1", actor(inc.actor1, inc.assoc_actor1)], ["Actor 2", actor(inc.actor2, inc.assoc_actor2)],
      ["Interaction", inc.interaction],
      ["Country", inc.country ? `${inc.country}${inc.iso3 ? " (" + inc.iso3 + ")" : ""}` : null],
      ["Admin 1", inc.admin1], ["Admin 2", inc.admin2], ["Location", inc.location],
      ["Coordinates", inc.latitude != null ? `${(+inc.latitude).toFixed(4)}, ${(+inc.longitude).toFixed(4)}` : null],
      ["Geo precision", inc.geo_precision],
      ["Fatalities", inc.fatalities],
      ["UCDP best (low–high)", inc.best != null ? `${inc.best} (${inc.low ?? "?"}–${inc.high ?? "?"})` : null],
      ["Notes", inc.notes],
    ];
  }

  function renderIncident(d) {
    const inc = d.incident;
    const body = $("#incident-body");
    const title = h("h2", { id: "incident-title" },
      h("span", { class: "dot", style: { background: typeColor(inc.event_type), marginRight: "8px" } }),
      `${inc.sub_event_type || inc.event_type}`,
      inc.location || inc.country ? ` in ${[inc.location, inc.country].filter(Boolean).join(", ")}` : "");
    const head = h("div", { class: "inc-head" },
      h("div", { class: "grow" }, title,
        h("div", { class: "muted" }, `${inc.date || "undated"} · incident ${inc.id} · ${fmtInt(inc.sources)} source${inc.sources === 1 ? "" : "s"} · `,
          h("span", { class: "badge " + (inc.status || "") }, inc.status || "coded"),
          inc.merged_into ? h("span", {}, " → merged into ", h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); openIncident(inc.merged_into, true); } }, inc.merged_into)) : null)));

    const dl = h("dl", { class: "fields" });
    for (const [k, v] of fieldRows(inc)) {
      if (v === null || v === undefined || v === "") continue;
      dl.append(h("dt", {}, k), h("dd", {}, String(v)));
    }
    const fieldsPanel = h("section", { class: "panel" }, h("h3", {}, "Coded fields"), dl);
    const reviewPanel = h("section", { class: "panel", id: "review-panel" }, h("h3", {}, "Review"), reviewControls(d));

    const claims = h("section", { class: "panel wide", id: "claims" }, h("h3", {}, "Claims"), claimsTable(d));
    const sources = h("section", { class: "panel wide", id: "sources" }, h("h3", {}, `Sources and evidence`),
      h("div", { class: "ev-legend" }, "Highlighted:", EVIDENCE_KINDS.map(([k, label]) => h("mark", { class: "ev k-" + k }, label))),
      d.sources.length ? d.sources.map(articleBox) : h("p", { class: "muted" }, "No source article is stored for this incident."));
    const hist = h("section", { class: "panel wide", id: "history" }, h("h3", {}, "History"), historyTable(d.history));
    body.replaceChildren(head, h("div", { class: "inc-grid" }, fieldsPanel, reviewPanel, claims, sources, hist));
  }

  function claimsTable(d) {
    if (!d.claims.length) return h("p", { class: "muted small" }, "No casualty or arrest figures were reported.");
    return h("table", { class: "grid" },
      h("thead", {}, h("tr", {}, ["Figure", "Kind", "Who", "Coded", "Claimed by", "Status", "Source"].map((x) => h("th", {}, x)))),
      h("tbody", {}, d.claims.map((c) => h("tr", {
        title: "Show in the article", style: { cursor: c.span ? "pointer" : "default" },
        onclick: () => c.span && flashSpan(c.article_id, c.span.start),
      },
      h("td", {}, h("mark", { class: "ev k-figure" }, c.stated || (c.span && c.span.text) || "")),
      h("td", {}, c.kind),
      h("td", {}, [c.group, c.who].filter(Boolean).join(": ")),
      h("td", { class: "num" }, fmtInt(c.value)),
      h("td", {}, c.claimed_by || h("span", { class: "muted" }, "not attributed")),
      h("td", {}, h("span", { class: "badge " + c.status }, c.status)),
      h("td", { class: "small" }, c.source || c.article_id || "")))));
  }

  function historyTable(history) {
    if (!history.length) return h("p", { class: "history-empty" }, "No review yet: the record is as coded.");
    const fmtVal = (v) => (v === null || v === undefined) ? "∅" : (typeof v === "object" ? JSON.stringify(v) : String(v));
    return h("table", { class: "grid", id: "history-table" },
      h("thead", {}, h("tr", {}, ["When", "Who", "Action", "Field", "Before → after", "Why"].map((x) => h("th", {}, x)))),
      h("tbody", {}, history.map((c) => h("tr", {},
        h("td", { class: "small" }, (c.at || "").replace("T", " ").slice(0, 19)),
        h("td", {}, c.who || ""),
        h("td", {}, h("span", { class: "badge" }, c.action)),
        h("td", {}, c.field || ""),
        h("td", {}, c.field || c.before !== undefined || c.after !== undefined
          ? [h("span", { class: "diff-before" }, fmtVal(c.before)), " → ", h("span", { class: "diff-after" }, fmtVal(c.after))] : ""),
        h("td", {}, c.reason || "")))));
  }

  /** The article text with every evidence span wrapped in <mark>; overlapping spans are split at their edges. */
  function highlightedText(text, spans) {
    const cuts = new Set([0, text.length]);
    const good = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start);
    for (const s of good) { cuts.add(s.start); cuts.add(s.end); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = good.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { frag.append(piece); continue; }
      // the most specific kind colours the piece; the tooltip lists every field it supports
      const order = ["figure", "claim", "actor", "type", "date", "place"];
      const kinds = covering.map((s) => s.kind);
      const kind = order.find((k) => kinds.includes(k)) || kinds[0];
      const fields = Array.from(new Set(covering.map((s) => s.field))).join(", ");
      frag.append(h("mark", { class: "ev k-" + kind, title: fields, dataset: { start: a, fields } }, piece));
    }
    return frag;
  }

  function articleBox(src) {
    const a = src.article;
    const meta = [a.source, a.published].filter(Boolean).join(" · ");
    return h("article", { class: "article", dataset: { article: a.id } },
      h("div", { class: "article-head" },
        h("b", {}, a.title || a.id), h("span", { class: "muted small" }, meta),
        a.url && /^https?:\/\//.test(a.url) ? h("a", { href: a.url, target: "_blank", rel: "noopener noreferrer", class: "small" }, "original") : null,
        h("span", { class: "grow" }),
        h("span", { class: "kv" }, `${src.evidence.length} evidence span${src.evidence.length === 1 ? "" : "s"}`)),
      h("div", { class: "article-text" }, highlightedText(a.text || "", src.evidence)));
  }

  function flashSpan(articleId, start) {
    const box = $$(".article").find((el) => el.dataset.article === articleId) || $(".article");
    if (!box) return;
    const marks = $$("mark.ev", box);
    const m = marks.find((el) => +el.dataset.start >= start) || marks[0];
    if (!m) return;
    m.scrollIntoView({ behavior: "smooth", block: "center" });
    m.classList.add("flash");
    setTimeout(() => m.classList.remove("flash"), 1600);
  }

  // ---------------------------------------------------------------- review
  function reviewControls(d) {
    const inc = d.incident;
    const box = h("div", {});
    if (!state.config.writable) {
      box.append(h("p", { class: "review-note" }, "This server is read-only: it was started without a review token, so records cannot be changed here."));
      return box;
    }
    const actions = h("div", { class: "review-actions" },
      h("button", { class: "btn good", id: "btn-confirm", onclick: () => showForm("confirm") }, "Confirm"),
      h("button", { class: "btn", id: "btn-correct", onclick: () => showForm("correct") }, "Correct fields"),
      h("button", { class: "btn", id: "btn-merge", onclick: () => showForm("merge") }, "Merge…"),
      h("button", { class: "btn", id: "btn-split", disabled: d.sources.length < 2, title: d.sources.length < 2 ? "needs two or more sources" : null, onclick: () => showForm("split") }, "Split…"),
      h("button", { class: "btn danger", id: "btn-reject", onclick: () => showForm("reject") }, "Reject"));
    const note = h("p", { class: "review-note" }, state.reviewer
      ? `Signed in as ${state.reviewer}. Every change is recorded with your name, the time, the values before and after, and your reason.`
      : "You are not signed in: changes will be refused until you sign in with a review token.");
    const formHost = h("div", { id: "review-form-host" });
    box.append(actions, note, formHost);

    function showForm(kind) {
      formHost.replaceChildren(reviewForm(kind, d));
      const first = $("input, select, textarea", formHost);
      if (first) first.focus();
    }
    if (inc.status === "rejected") note.append(" This incident is rejected; correcting or confirming it restores it.");
    return box;
  }

  function reviewForm(kind, d) {
    const inc = d.incident;
    const err = h("p", { class: "error", id: "review-error", role: "alert" });
    const reason = h("textarea", { name: "reason", rows: 2, required: true, maxlength: 2000, placeholder: "Why? (kept in the history)" });
    const form = h("form", { class: "review-form", id: "review-form-" + kind });
    let collect;
    if (kind === "correct") {
      const grid = h("div", { class: "fields-edit" });
      const inputs = {};
      for (const f of state.config.editable_fields) {
        const cur = inc[f.name];
        let input;
        if (f.name === "event_type" || f.name === "sub_event_type") {
          const opts = f.name === "event_type" ? Object.keys(state.config.event_types) : Object.values(state.config.event_types).flat();
          input = h("select", { name: f.name }, h("option", { value: "" }, "—"), opts.map((o) => h("option", { value: o, selected: o === cur }, o)));
        } else {
          input = h("input", { name: f.name, type: f.type === "integer" || f.type === "number" ? "number" : f.type === "date" ? "date" : "text",
            step: f.type === "number" ? "any" : f.type === "integer" ? "1" : null, value: cur === null || cur === undefined ? "" : cur });
        }
        inputs[f.name] = { input, cur, type: f.type };
        grid.append(h("label", {}, f.label, input));
      }
      form.append(h("h3", {}, "Correct fields"), grid);
      collect = () => {
        const changes = {};
        for (const [name, { input, cur, type }] of Object.entries(inputs)) {
          const raw = input.value.trim();
          let val = raw === "" ? null : raw;
          if (val !== null && (type === "integer" || type === "number")) val = Number(val);
          const before = cur === undefined ? null : cur;
          if (String(val ?? "") !== String(before ?? "")) changes[name] = val;
        }
        if (!Object.keys(changes).length) throw new Error("Change at least one field.");
        return { method: "PATCH", path: `/api/incidents/${encodeURIComponent(inc.id)}`, body: { changes } };
      };
    } else if (kind === "merge") {
      const others = h("input", { name: "others", placeholder: "incident ids, comma separated" });
      form.append(h("h3", {}, "Merge other incidents into this one"),
        h("label", {}, "Duplicates of this incident", others));
      collect = () => {
        const ids = others.value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
        if (!ids.length) throw new Error("Give the id of at least one other incident.");
        return { method: "POST", path: `/api/incidents/${encodeURIComponent(inc.id)}/merge`, body: { others: ids } };
      };
    } else if (kind === "split") {
      const boxes = d.sources.map((s) => h("label", { class: "small" }, h("input", { type: "checkbox", value: s.article.id, style: { width: "auto", marginRight: "6px" } }), s.article.title || s.article.id));
      form.append(h("h3", {}, "Split: move these sources to a new incident"), boxes);
      collect = () => {
        const ids = boxes.map((b) => $("input", b)).filter((i) => i.checked).map((i) => i.value);
        if (!ids.length || ids.length === d.sources.length) throw new Error("Tick some, but not all, of the sources.");
        return { method: "POST", path: `/api/incidents/${encodeURIComponent(inc.id)}/split`, body: { article_ids: ids } };
      };
    } else {
      form.append(h("h3", {}, kind === "confirm" ? "Confirm this incident as coded" : "Reject this incident (not a real event, or out of scope)"));
      collect = () => ({ method: "POST", path: `/api/incidents/${encodeURIComponent(inc.id)}/${kind}`, body: {} });
    }
    const submit = h("button", { type: "submit", class: "btn primary" }, { confirm: "Confirm", reject: "Reject", correct: "Save correction", merge: "Merge", split: "Split" }[kind]);
    form.append(h("label", {}, "Reason", reason), err,
      h("div", { class: "buttons" }, submit, h("button", { type: "button", class: "btn", onclick: () => form.remove() }, "Cancel")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      err.textContent = "";
      let req;
      try {
        req = collect();
        if (!reason.value.trim()) throw new Error("Say why (the reason is kept in the history).");
      } catch (e) { err.textContent = e.message; return; }
      req.body.reason = reason.value.trim();
      submit.disabled = true;
      try {
        const res = await api(req.path, { method: req.method, body: req.body });
        toast({ confirm: "Confirmed", reject: "Rejected", correct: "Correction saved", merge: "Merged", split: "Split" }[kind]);
        const next = (res && res.incident && res.incident.id) || inc.id;
        await openIncident(next, false);
        refreshAll();
      } catch (e) {
        submit.disabled = false;
        if (e.status === 401 || e.status === 403) {
          err.replaceChildren("Refused: " + e.message + " ", h("a", { href: "#", onclick: (x) => { x.preventDefault(); openAuth(); } }, "Sign in"));
        } else {
          err.textContent = e.message;
        }
      }
    });
    return form;
  }

  // ---------------------------------------------------------------- auth
  function renderAuth() {
    const st = $("#auth-state"), btn = $("#auth-button");
    if (!state.config.writable) {
      st.textContent = "read-only server"; st.className = "auth-state"; btn.hidden = true; return;
    }
    btn.hidden = false;
    if (state.reviewer) {
      st.textContent = "reviewer: " + state.reviewer; st.className = "auth-state signed"; btn.textContent = "Sign out";
    } else {
      st.textContent = ""; st.className = "auth-state"; btn.textContent = "Sign in to review";
    }
  }

  async function checkToken() {
    state.reviewer = null;
    if (token()) {
      try { state.reviewer = (await api("/api/auth")).reviewer; } catch (e) { sessionStorage.removeItem(TOKEN_KEY); }
    }
    renderAuth();
  }

  function openAuth() {
    $("#auth-error").textContent = "";
    $("#auth-token").value = "";
    $("#auth-dialog").showModal();
  }

  function initAuth() {
    $("#auth-button").addEventListener("click", () => {
      if (state.reviewer) {
        sessionStorage.removeItem(TOKEN_KEY); state.reviewer = null; renderAuth();
        if (state.detail) renderIncident(state.detail);
        toast("Signed out");
      } else openAuth();
    });
    $("#auth-cancel").addEventListener("click", () => $("#auth-dialog").close());
    $("#auth-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const value = $("#auth-token").value.trim();
      try {
        const res = await fetch("/api/auth", { headers: { Authorization: "Bearer " + value }, credentials: "omit" });
        if (!res.ok) { $("#auth-error").textContent = "This token was refused."; return; }
        sessionStorage.setItem(TOKEN_KEY, value);
        state.reviewer = (await res.json()).reviewer;
        $("#auth-dialog").close();
        renderAuth();
        if (state.detail) renderIncident(state.detail);
        toast("Signed in as " + state.reviewer);
      } catch (e) { $("#auth-error").textContent = e.message; }
    });
  }

  // ---------------------------------------------------------------- start
  async function main() {
    state.config = await api("/api/config", { auth: false });
    $("#db-label").textContent = state.config.database || "";
    buildStaticControls();
    initAuth();
    const url = readUrl();
    setFormFromFilters(url.filters);
    await initMap();
    await Promise.all([fillCountries(), checkToken()]);
    setFormFromFilters(url.filters);

    const form = $("#filter-form");
    form.addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(); });
    form.elements.event_type.addEventListener("change", fillSubtypes);
    $("#reset-filters").addEventListener("click", () => { form.reset(); fillSubtypes(); state.sort = "-date"; applyFilters(); });
    $$("#incident-table th[data-sort]").forEach((th) => th.addEventListener("click", () => {
      const key = th.dataset.sort;
      const cur = state.sort.replace(/^-/, "");
      state.sort = cur === key ? (state.sort.startsWith("-") ? key : "-" + key) : (["date", "fatalities", "sources"].includes(key) ? "-" + key : key);
      state.page = 1;
      writeUrl(false);
      refreshTable();
    }));
    $$(".seg .btn").forEach((b) => b.addEventListener("click", () => {
      state.by = b.dataset.by; writeUrl(false);
      loadTimeline(state.requestSeq).catch((e) => toast(e.message, true));
    }));
    $("#incident-close").addEventListener("click", () => closeIncident());
    $("#incident-view").addEventListener("click", (ev) => { if (ev.target.id === "incident-view") closeIncident(); });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("#incident-view").hidden) closeIncident(); });
    window.addEventListener("popstate", () => {
      const u = readUrl();
      setFormFromFilters(u.filters);
      refreshAll();
      if (u.incident) openIncident(u.incident, false); else closeIncident(false);
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { if (state.chart) state.chart.setSize({ width: $("#timeline").clientWidth, height: 220 }); }, 150);
    });

    await refreshAll();
    if (url.incident) openIncident(url.incident, false);
    document.body.dataset.ready = "1";
  }

  main().catch((e) => {
    document.body.dataset.ready = "error";
    toast("The app could not start: " + e.message, true);
  });
})();
