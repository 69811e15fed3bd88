// report-tracker viewer: hash routes over the JSON API. Report text only ever reaches the
// page through textContent, never innerHTML, so a report containing <script> shows as text.
// Every word shown for a raw value comes from static/labels.json, the catalogue the CSV and
// Markdown exports use too; raw values appear only as tooltips (title) and data-* attributes.
"use strict";

const view = document.getElementById("view");
const STATUS_ORDER = ["fulfilled", "partial", "missed", "not_reported"];
const STATUS_COLOURS = { fulfilled: "#1a7f37", partial: "#bf8700", missed: "#cf222e", not_reported: "#6e7781" };
const LANG_KEY = "report-tracker-lang";
let LABELS = null;
let lang = "zh";

function chooseLanguage() {
  const kept = localStorage.getItem(LANG_KEY);
  if (kept === "zh" || kept === "en") return kept;
  const asked = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "zh-CN"];
  for (const tag of asked) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (primary === "zh" || primary === "en") return primary;
  }
  return "zh";
}

// t("ui key", {name: value}): a phrase of the catalogue with its {placeholders} filled.
function t(key, args = {}) {
  const phrase = (LABELS[lang].ui[key] ?? LABELS.en.ui[key] ?? key);
  return phrase.replace(/\{(\w+)\}/g, (_, name) => (args[name] ?? ""));
}
const word = (group, value) => (LABELS[lang][group] || {})[value] ?? value;
const locale = () => (lang === "zh" ? "zh-CN" : "en");
const percent = (share) => new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(share);
const number = (n) => new Intl.NumberFormat(locale()).format(n);
function date(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}
function reasonWords(reason) {
  const at = reason.indexOf(": ");
  return at < 0 ? word("rule", reason) : word("rule", reason.slice(0, at)) + reason.slice(at);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const enc = encodeURIComponent;
const link = (hash, text) => el("a", { href: "#" + hash }, text);
const badge = (status, group = "status") =>
  el("span", { class: "badge " + status, "data-status": status, title: status }, word(group, status));
const csvLink = (href) => el("a", { href: `${href}${href.includes("?") ? "&" : "?"}format=csv&lang=${lang}`, download: "", class: "csv" }, t("download_csv"));

// Deployed behind an authorizer, the page and its assets are public and every data call carries
// the reader's token (a JWT, or the local server's token), kept in this browser only.
const TOKEN_KEY = "report-tracker-token";
class Unauthorized extends Error {}

async function send(path, options = {}) {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers = { Accept: "application/json", "Accept-Language": lang,
    ...(token ? { Authorization: "Bearer " + token } : {}), ...(options.headers || {}) };
  const resp = await fetch(path, { ...options, headers });
  if (resp.status === 401) throw new Unauthorized("this archive needs a token");
  return resp;
}

// A read the archive could not answer for now (503, a gateway timeout) is tried again twice,
// a second and then three seconds later, before the page says so.
async function api(path) {
  let resp = await send(path);
  for (const wait of [1000, 3000]) {
    if (![502, 503, 504].includes(resp.status)) break;
    await new Promise((done) => setTimeout(done, wait));
    resp = await send(path);
  }
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(resp.status === 403 ? t("forbidden") : (body.detail || body.title || resp.statusText));
  return body;
}

function signIn() {
  const input = el("input", { type: "password", name: "token", autocomplete: "off", "aria-label": t("token") });
  show(el("h1", {}, t("sign_in")),
    el("form", { class: "file-upload", onsubmit: (ev) => {
      ev.preventDefault();
      localStorage.setItem(TOKEN_KEY, input.value.trim());
      route();
    } }, el("label", {}, t("token") + " ", input), " ", el("button", { type: "submit" }, t("continue"))),
    el("p", { class: "muted" }, t("token_note")));
}

function show(...nodes) { view.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== "" && n != null)); window.scrollTo(0, 0); }
function fail(error) {
  if (error instanceof Unauthorized) return signIn();
  show(el("p", { class: "error" }, "⚠ " + error.message), link("/", t("all_entities")));
}

// A chart drawn by Chart.js (served with the viewer), with its numbers in a table beside it for
// screen readers and for copying. data: {labels, datasets:[{label, data, ...}]}
function chart(id, title, type, data, options = {}) {
  const canvas = el("canvas", { id, role: "img", "aria-label": title });
  const box = el("div", { class: "chart" }, canvas);
  const table = el("table", {},
    el("tr", {}, el("th", {}, type === "line" ? t("year") : t("what")), data.datasets.map((d) => el("th", {}, d.label))),
    data.labels.map((label, i) => el("tr", {}, el("td", {}, label),
      data.datasets.map((d) => el("td", {}, d.data[i] === null || d.data[i] === undefined ? "—" : number(d.data[i]))))));
  const section = el("figure", { class: "chart-figure", "data-chart": id },
    el("figcaption", {}, el("strong", {}, title)), box,
    el("details", { class: "chart-data" }, el("summary", {}, t("chart_table")), table));
  requestAnimationFrame(() => {
    if (!window.Chart) return; // the table still carries the numbers
    new window.Chart(canvas, { type, data, options: { responsive: true, maintainAspectRatio: false, animation: false,
      locale: locale(), ...options } });
  });
  return section;
}

async function home() {
  const input = el("input", { type: "search", placeholder: t("search_entities"), "aria-label": t("search_entities") });
  const list = el("ul", { class: "list", id: "entities" });
  async function load() {
    const q = input.value.trim();
    const page = await api("entities?limit=100" + (q ? "&q=" + enc(q) : ""));
    list.replaceChildren(...page.items.map((e) =>
      el("li", {}, link("/e/" + enc(e.entity), e.entity), " ", el("span", { class: "muted" }, e.region.join(" / ")))));
    if (!page.items.length) list.append(el("li", { class: "muted" }, t("no_entity")));
  }
  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load().catch(fail), 200); });
  const textQuery = el("input", { type: "search", id: "fulltext", placeholder: t("search_text_placeholder"), "aria-label": t("search_text") });
  const hits = el("ul", { class: "list", id: "hits" });
  const counted = el("p", { class: "muted", id: "hit-count" });
  let asked = 0;
  async function searchText() {
    const q = textQuery.value.trim();
    const mine = ++asked;
    if (!q) { hits.replaceChildren(); counted.replaceChildren(); return; }
    const page = await api("search?limit=20&q=" + enc(q));
    if (mine !== asked) return; // a newer query was typed meanwhile: its answer wins
    counted.replaceChildren(t("hit_count", { total: number(page.total), scanned: number(page.scanned), terms: page.terms.join(" + ") }),
      " ", csvLink("search?limit=100&q=" + enc(q)));
    hits.replaceChildren(...page.items.map((h) => el("li", { class: "hit" },
        link(`/e/${enc(h.entity)}/r/${h.review_year}`, `${h.entity} ${h.review_year}`), " ",
        el("span", { class: "muted" }, `${h.title || ""} · ${t("hits", { n: h.hits })}`),
        h.snippets.map((sn) => el("blockquote", {}, highlighted(sn))))));
  }
  let textTimer;
  textQuery.addEventListener("input", () => { clearTimeout(textTimer); textTimer = setTimeout(() => searchText().catch(fail), 250); });
  show(el("p", {}, link("/held", t("held_link"))),
    el("h1", {}, t("entities")), input, list, el("h2", {}, t("search_text")), textQuery, counted, hits);
  await load();
}

// A snippet with its matched terms in <mark>, built from text nodes only.
function highlighted(snippet) {
  const parts = [];
  let at = 0;
  for (const h of snippet.highlights) {
    parts.push(snippet.text.slice(at, h.start), el("mark", {}, snippet.text.slice(h.start, h.end)));
    at = h.end;
  }
  parts.push(snippet.text.slice(at));
  return parts;
}

function outcomesChart(timeline) {
  const years = timeline.commitments.map((y) => String(y.plan_year));
  return chart("outcomes", t("outcomes_chart"), "bar", {
    labels: years,
    datasets: STATUS_ORDER.map((s) => ({ label: word("status", s), data: timeline.commitments.map((y) => y.summary[s] || 0),
      backgroundColor: STATUS_COLOURS[s] })),
  }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
}

function targetsChart(timeline) {
  const checked = timeline.targets.filter((x) => x.reported_value !== null && x.planned_value);
  if (!checked.length) return "";
  return chart("targets", t("targets_chart"), "bar", {
    labels: checked.map((x) => `${x.plan_year} ${x.commitment.slice(0, 14)} ${x.planned}`),
    datasets: [{ label: t("target_share"), data: checked.map((x) => Math.round((x.reported_value / x.planned_value) * 1000) / 10),
      backgroundColor: checked.map((x) => (x.met ? STATUS_COLOURS.fulfilled : STATUS_COLOURS.missed)) }],
  }, { indexAxis: "y", scales: { x: { beginAtZero: true, suggestedMax: 120 } } });
}

function figureCharts(timeline) {
  return timeline.figures.filter((f) => Object.keys(f.values || {}).length >= 2).slice(0, 12).map((f, n) => {
    const years = Object.keys(f.values).sort();
    return chart(`figure-${n}`, `${f.context}（${f.unit}）`, "line", {
      labels: years, datasets: [{ label: `${f.context}（${f.unit}）`, data: years.map((y) => f.values[y]), borderColor: "#0b5cad", tension: 0 }],
    });
  });
}

async function entity(name) {
  const [detail, timeline] = await Promise.all([
    api("entities/" + enc(name)),
    api("entities/" + enc(name) + "/timeline").catch(() => null),
  ]);
  const cards = el("div", { class: "cards" }, detail.reports.map((r) =>
    el("div", { class: "card" },
      el("strong", {}, link(`/e/${enc(name)}/r/${r.review_year}`, t("year_report", { year: r.review_year }))),
      el("div", { class: "muted", title: r.doc_type }, word("doc_type", r.doc_type)), el("div", {}, r.title || ""),
      el("div", { class: "muted" }, t("versions_n", { n: r.versions }), r.versions > 1 ? " · " : "",
        r.versions > 1 ? link(`/e/${enc(name)}/r/${r.review_year}/diff/1/${r.latest_version}`, t("diff")) : ""),
      r.flags.map((f) => el("span", { class: "flag" }, f)))));
  const parts = [el("h1", {}, name), el("p", { class: "muted" }, detail.region.join(" / ")), el("h2", {}, t("reports_by_year")), cards];
  if (timeline) {
    parts.push(el("h2", {}, t("promises_by_year"), " ", csvLink(`entities/${enc(name)}/timeline`)));
    if (!timeline.commitments.length) parts.push(el("p", { class: "muted" }, t("needs_two_years")));
    for (const year of timeline.commitments) {
      parts.push(el("p", {}, link(`/e/${enc(name)}/yoy/${year.plan_year}`, t("commitments_for", { year: year.plan_year })), " ",
        STATUS_ORDER.map((s) => [badge(s), ` ${year.summary[s] || 0} `])));
    }
    if (timeline.commitments.length) parts.push(outcomesChart(timeline), targetsChart(timeline));
    if (timeline.problems.length) {
      parts.push(el("h2", {}, t("recurring_problems")),
        el("ul", {}, timeline.problems.map((p) => el("li", {}, p.heading, el("span", { class: "muted" }, "  " + t("listed_in", { years: p.years.join(", ") }))))));
    }
    if (timeline.figures.length) {
      const years = [...new Set(timeline.figures.flatMap((f) => Object.keys(f.points)))].sort();
      parts.push(el("h2", {}, t("figures_over_years")), el("div", { class: "chart-grid" }, figureCharts(timeline)), el("table", {},
        el("tr", {}, el("th", {}, t("what")), years.map((y) => el("th", {}, y))),
        timeline.figures.map((f) => el("tr", {}, el("td", {}, f.context), years.map((y) => el("td", {}, f.points[y] || "—"))))));
    }
  }
  show(...parts);
}

async function report(name, year) {
  const [r, versions, recycled] = await Promise.all([
    api(`entities/${enc(name)}/reports/${year}`),
    api(`entities/${enc(name)}/reports/${year}/versions`),
    api(`entities/${enc(name)}/reports/${year}/recycled`).catch(() => null),
  ]);
  const meta = [[t("review_year"), r.review_year], [t("plan_year"), r.plan_year], [t("type"), word("doc_type", r.doc_type)],
    [t("published"), r.published], [t("publisher"), r.publisher], [t("index_no"), r.index_no], [t("format"), r.source_format],
    [t("version"), t("version_of", { v: r.version, n: r.versions })]];
  const base = `entities/${enc(name)}/reports/${year}/export?version=${r.version}&lang=${lang}&format=`;
  show(
    link("/e/" + enc(name), "← " + name),
    el("h1", {}, r.title || `${name} ${year}`),
    el("p", {}, r.flags.map((f) => el("span", { class: "flag" }, f))),
    Object.keys(r.missing || {}).length ? el("ul", { class: "missing" }, Object.entries(r.missing).map(([part, why]) =>
      el("li", {}, el("strong", { "data-part": part }, t("missing_section", { part: word("section_kind", part) })), ": " + why))) : "",
    el("table", {}, meta.filter(([, v]) => v).map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v)))),
    el("p", { class: "exports" }, t("download"), ["json", "csv", "md"].map((f) => [el("a", { href: base + f, download: "" }, f), " "])),
    el("h2", {}, t("versions")),
    el("ul", {}, versions.items.map((v) => el("li", {}, `v${v.version} · ${date(v.uploaded_at)} · ${v.raw.key}`,
      v.withdrawn ? " · " + t("withdrawn") : "", v.technical ? " · " + t("technical") : "",
      v.version > 1 ? [" · ", link(`/e/${enc(name)}/r/${year}/diff/${v.version - 1}/${v.version}`, t("diff_versions", { a: v.version - 1, b: v.version }))] : ""))),
    recycled ? recycledPassages(recycled) : "",
    el("h2", {}, t("sections")),
    r.sections.map((s) => el("section", {},
      el("h3", {}, s.heading || t("preamble"), " ", el("span", { class: "flag", title: s.kind }, word("section_kind", s.kind))),
      el("ul", {}, s.items.map((i) => el("li", {}, el("strong", {}, i.heading), " ",
        i.figures.map((f) => el("span", { class: "flag" }, f.text)),
        el("div", { class: "muted item-text" }, i.text)))))),
  );
}

async function yoy(name, year) {
  const [r, shared] = await Promise.all([
    api(`entities/${enc(name)}/yoy?year=${year}`),
    api(`years/${year}/templates?entity=${enc(name)}`).catch(() => null),
  ]);
  const rows = r.commitments.map((c) => el("tr", { class: "commitment" },
    el("td", {}, el("strong", {}, c.heading), el("div", { class: "muted" }, c.text.length > c.heading.length + 2 ? c.text.slice(0, 160) : "")),
    el("td", {}, badge(c.status), el("span", { class: "muted" }, " " + t("confidence", { p: percent(c.confidence) })),
      c.figures.filter((f) => f.planned).map((f) => el("div", { class: "figure-check" },
        t("planned_reported", { planned: f.planned, reported: f.reported || "—" }))),
      c.evidence.map((e) => el("blockquote", { class: "evidence" }, e.text, el("div", { class: "muted" }, e.section,
        e.link ? [" · ", el("a", { href: e.link, class: "cite" }, t("cite", { v: e.version, start: e.start, end: e.end }))] : ""))),
      el("div", { class: "muted reason", title: c.reason }, reasonWords(c.reason)))));
  show(
    link("/e/" + enc(name), "← " + name),
    el("h1", {}, t("yoy_title", { name, year: r.plan_year })),
    el("p", { class: "muted" }, `${r.earlier_title || ""} → ${r.later_title || ""}`),
    el("p", {}, STATUS_ORDER.map((s) => [badge(s), ` ${r.summary[s] || 0}  `]), " ", csvLink(`entities/${enc(name)}/yoy?year=${year}`)),
    el("table", { class: "yoy" }, el("tr", {}, el("th", {}, t("promised")), el("th", {}, t("next_report_says"))), rows),
    el("h2", {}, t("problems")),
    el("table", {}, r.problems.map((p) => el("tr", {}, el("td", {}, p.heading), el("td", {}, badge(p.status, "problem_status"), el("span", { class: "muted" }, " " + t("confidence", { p: percent(p.confidence || 0) }))),
      el("td", {}, (p.evidence || []).map((e) => el("blockquote", { class: "evidence" }, e.text,
        e.link ? el("div", { class: "muted" }, el("a", { href: e.link, class: "cite" }, t("cite", { v: e.version, start: e.start, end: e.end }))) : "")),
        p.reason ? el("div", { class: "muted reason", title: p.reason }, reasonWords(p.reason)) : "")))),
    el("h2", {}, t("figures_then_now")),
    el("table", {}, el("tr", {}, el("th", {}, t("what")), el("th", {}, t("before")), el("th", {}, t("after"))),
      r.figures.map((f) => el("tr", {}, el("td", {}, f.context), el("td", {}, f.before), el("td", {}, f.after)))),
    el("h2", {}, t("recycled", { p: percent(r.reuse.share) })),
    el("div", {}, r.reuse.spans.slice(0, 20).map((s) => el("blockquote", {}, el("mark", {}, s.text)))),
    shared ? templates(shared, name, year) : "",
  );
}

function recycledPassages(rec) {
  return el("section", { id: "recycled" },
    el("h2", {}, t("recycled_heading")),
    el("p", { class: "muted" }, rec.shared.length ? t("recycled_note", { c: rec.candidates, k: rec.shared.length }) : t("recycled_none")),
    rec.shared.map((p) => el("details", {},
      el("summary", {}, link("/e/" + enc(p.entity), p.entity), t("shared_partner", { p: percent(p.share) })),
      p.spans.slice(0, 10).map((s) => el("blockquote", {}, el("mark", {}, s.text))))));
}

function templates(tpl, name, year) {
  const mine = tpl.shares.find((s) => s.entity === name);
  if (!mine) return "";
  return el("section", { id: "templates" },
    el("h2", {}, t("shared_with", { year, p: percent(mine.share) })),
    el("p", { class: "muted" }, t("shared_note", { n: tpl.reports, type: word("doc_type", tpl.doc_type), year })),
    tpl.shared.map((p) => el("details", {},
      el("summary", {}, link("/e/" + enc(p.entity), p.entity), t("shared_partner", { p: percent(p.share) })),
      p.spans.slice(0, 10).map((s) => el("blockquote", {}, el("mark", {}, s.text))))));
}

async function diff(name, year, from, to) {
  const d = await api(`entities/${enc(name)}/reports/${year}/diff?from=${from}&to=${to}`);
  const span = (op) => {
    const tag = op.op === "insert" ? "ins" : op.op === "delete" ? "del" : "span";
    return el(tag, op.moved !== null && op.moved !== undefined ? { class: "moved", title: t("moved") } : {}, op.text);
  };
  const inline = el("div", { class: "diff" }, d.ops.map(span));
  const sbs = el("div", { class: "sbs", hidden: "" },
    el("div", { class: "diff" }, d.ops.filter((o) => o.op !== "insert").map(span)),
    el("div", { class: "diff" }, d.ops.filter((o) => o.op !== "delete").map(span)));
  const tab = (label, target, other) => el("button", { "aria-pressed": target === inline ? "true" : "false",
    onclick: (ev) => { target.hidden = false; other.hidden = true;
      for (const b of ev.target.parentNode.children) b.setAttribute("aria-pressed", String(b === ev.target)); } }, label);
  const sig = d.significance;
  show(
    link(`/e/${enc(name)}/r/${year}`, t("back_report")),
    el("h1", {}, `${name} ${year}: v${from} → v${to}`),
    el("p", {}, t("diff_stats", { ins: number(d.stats.inserted_chars), del: number(d.stats.deleted_chars),
      share: percent(d.stats.changed_share), moved: number(d.stats.moved_chars), method: d.method })),
    el("h2", {}, t("sections_changed")),
    el("ul", {}, d.sections.filter((s) => s.inserted || s.deleted).map((s) => el("li", {}, s.heading, el("span", { class: "muted" }, `  +${s.inserted} −${s.deleted}`)))),
    (sig.figures_changed.length || sig.hedging.length || sig.commitments_reworded.length) ? el("div", { class: "significance" },
      el("h2", {}, t("what_matters")),
      el("ul", {},
        sig.figures_changed.map((f) => el("li", { "data-kind": "figure" }, t("figure_changed", { what: f.context, before: f.before || "—", after: f.after || "—" }))),
        sig.hedging.map((h) => el("li", { "data-kind": "hedging" }, t("hedging", { before: h.before || t("added"), after: h.after }))),
        sig.commitments_reworded.map((c) => el("li", {}, t("reworded", { before: c.before, after: c.after }))),
        sig.commitments_added.map((c) => el("li", {}, t("commitment_added", { c }))),
        sig.commitments_removed.map((c) => el("li", {}, t("commitment_removed", { c }))))) : "",
    el("div", { class: "tabs" }, tab(t("inline"), inline, sbs), " ", tab(t("side_by_side"), sbs, inline)),
    inline, sbs,
  );
}

// One version of a report opened at a quoted passage, marked: what a citation links to.
async function passage(name, year, version, span) {
  const [start, end] = span.split("-").map(Number);
  const r = await api(`entities/${enc(name)}/reports/${year}/versions/${enc(version)}`);
  const cited = el("mark", { id: "cited" }, r.text.slice(start, end));
  show(link(`/e/${enc(name)}/r/${year}`, "← " + (r.title || `${name} ${year}`)),
    el("h1", {}, `${r.title || name}`),
    el("p", { class: "muted" }, t("passage_meta", { v: r.version, n: r.versions, key: r.raw.key, start, end })),
    el("div", { class: "diff passage" }, r.text.slice(Math.max(0, start - 600), start), cited, r.text.slice(end, end + 600)));
  cited.scrollIntoView({ block: "center" });
}

// What became of a queued completion: polled until ingest has acted on the upload (its record
// changes: filed, refused, or held again with a new reason).
async function settled(statusUrl, upload) {
  for (let i = 0; i < 120; i++) {
    const page = await api(statusUrl.replace(/^\//, ""));
    const u = page.items.find((x) => x.upload_id === upload.upload_id);
    if (u && u.status !== "processing" && (u.updated_at !== upload.updated_at || u.status !== upload.status)) {
      if (u.status === "stored" && u.version) return t("stored_as", { v: u.version });
      return `${word("upload_status", u.status)}${u.reason ? ": " + u.reason : ""}`;
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  return t("still_queued");
}

// Uploads held for a person: why, what the text names, and a form that files them.
async function held() {
  const pages = await Promise.all(["identity_conflict", "needs_metadata"].map((s) => api("uploads?limit=100&status=" + s)));
  const items = pages.flatMap((p) => p.items);
  const row = (u) => {
    const entity = el("input", { name: "entity", required: "", minlength: "2", value: u.hints.entity || (u.identity_candidates[0] || {}).entity || "" });
    const year = el("input", { name: "year", type: "number", min: "1949", max: "2100", required: "", value: u.hints.year || "" });
    const confirm = el("input", { name: "confirm", type: "checkbox" });
    const said = el("p", { class: "muted", role: "status" });
    const form = el("form", { class: "file-upload", onsubmit: async (ev) => {
      ev.preventDefault();
      const resp = await send(`uploads/${enc(u.upload_id)}/metadata`, { method: "PUT", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ entity: entity.value.trim(), year: Number(year.value), confirm: confirm.checked }) });
      const body = await resp.json().catch(() => ({}));
      if (!resp.ok) { said.textContent = "⚠ " + (resp.status === 403 ? t("forbidden") : (body.detail || body.title || resp.statusText)); return; }
      said.textContent = t("queued");
      said.textContent = await settled(body.status_url, u);
    } },
      el("label", {}, t("entity") + " ", entity), " ", el("label", {}, t("year_in_title") + " ", year), " ",
      el("label", {}, confirm, " " + t("confirm_values")), " ",
      el("button", { type: "submit" }, t("file_it")), said);
    return el("li", { class: "held" }, badge(u.status, "upload_status"), " ", el("strong", {}, u.raw.key),
      el("div", {}, u.reason || ""),
      u.identity_candidates.length ? el("div", { class: "muted" }, t("may_be_from"),
        u.identity_candidates.map((c) => `${c.entity} (${c.signals.join(", ") || c.level})`).join("; ")) : "",
      form);
  };
  show(link("/", t("all_entities")), el("h1", {}, t("held_title")),
    el("p", { class: "muted" }, t("held_note")),
    items.length ? el("ul", { class: "list" }, items.map(row)) : el("p", { class: "muted" }, t("nothing_waiting")));
}

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.getElementById("tag").textContent = t("brand_tag");
  const button = document.getElementById("lang");
  button.textContent = t("switch_language");
  button.setAttribute("aria-label", lang === "zh" ? "Switch to English" : "切换到中文");
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    if (parts[0] === "e" && parts[2] === "yoy") return await yoy(parts[1], parts[3]);
    if (parts[0] === "e" && parts[2] === "r" && parts[4] === "v" && parts[6] === "at") return await passage(parts[1], parts[3], parts[5], parts[7]);
    if (parts[0] === "e" && parts[2] === "r" && parts[4] === "diff") return await diff(parts[1], parts[3], parts[5], parts[6]);
    if (parts[0] === "e" && parts[2] === "r") return await report(parts[1], parts[3]);
    if (parts[0] === "e" && parts[1]) return await entity(parts[1]);
    if (parts[0] === "held") return await held();
    return await home();
  } catch (error) { fail(error); }
}

async function start() {
  const resp = await fetch("static/labels.json");
  LABELS = await resp.json();
  lang = chooseLanguage();
  applyLanguage();
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
    route();
  });
  window.addEventListener("hashchange", route);
  await route();
}
start();
