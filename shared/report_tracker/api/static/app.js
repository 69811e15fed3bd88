// report-tracker viewer: hash routes over the JSON API. Report text only ever reaches the
// page through textContent, never innerHTML, so a report containing <script> shows as text.
"use strict";

const view = document.getElementById("view");
const STATUS_ORDER = ["fulfilled", "partial", "missed", "not_reported"];

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
const badge = (status) => el("span", { class: "badge " + status, "data-status": status }, status);

// Deployed behind an authorizer, the page and its assets are public and every data call carries
// the reader's token (a JWT, or the local server's token), kept in this browser only.
const TOKEN_KEY = "report-tracker-token";
class Unauthorized extends Error {}

async function send(path, options = {}) {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers = { Accept: "application/json", ...(token ? { Authorization: "Bearer " + token } : {}), ...(options.headers || {}) };
  const resp = await fetch(path, { ...options, headers });
  if (resp.status === 401) throw new Unauthorized("this archive needs a token");
  return resp;
}

async function api(path) {
  const resp = await send(path);
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(body.detail || body.title || resp.statusText);
  return body;
}

function signIn() {
  const input = el("input", { type: "password", name: "token", autocomplete: "off", "aria-label": "token" });
  show(el("h1", {}, "Sign in"),
    el("form", { class: "file-upload", onsubmit: (ev) => {
      ev.preventDefault();
      localStorage.setItem(TOKEN_KEY, input.value.trim());
      route();
    } }, el("label", {}, "Token or JWT ", input), " ", el("button", { type: "submit" }, "continue")),
    el("p", { class: "muted" }, "Kept in this browser only and sent as Authorization: Bearer with each request."));
}

function show(...nodes) { view.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== "" && n != null)); window.scrollTo(0, 0); }
function fail(error) {
  if (error instanceof Unauthorized) return signIn();
  show(el("p", { class: "error" }, "⚠ " + error.message), link("/", "← all entities"));
}

async function home() {
  const input = el("input", { type: "search", placeholder: "搜索乡镇、区县… (name or region)", "aria-label": "search" });
  const list = el("ul", { class: "list", id: "entities" });
  async function load() {
    const q = input.value.trim();
    const page = await api("entities?limit=100" + (q ? "&q=" + enc(q) : ""));
    list.replaceChildren(...page.items.map((e) =>
      el("li", {}, link("/e/" + enc(e.entity), e.entity), " ", el("span", { class: "muted" }, e.region.join(" / ")))));
    if (!page.items.length) list.append(el("li", { class: "muted" }, "No entity matches."));
  }
  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load().catch(fail), 200); });
  const textQuery = el("input", { type: "search", id: "fulltext", placeholder: "全文检索：在报告正文中搜索 (full text; spaces separate terms)",
    "aria-label": "search report text" });
  const hits = el("ul", { class: "list", id: "hits" });
  const counted = el("p", { class: "muted", id: "hit-count" });
  let asked = 0;
  async function searchText() {
    const q = textQuery.value.trim();
    const mine = ++asked;
    if (!q) { hits.replaceChildren(); counted.textContent = ""; return; }
    const page = await api("search?limit=20&q=" + enc(q));
    if (mine !== asked) return; // a newer query was typed meanwhile: its answer wins
    counted.textContent = `${page.total} of ${page.scanned} report(s) contain ${page.terms.join(" + ")}`;
    hits.replaceChildren(...page.items.map((h) => el("li", { class: "hit" },
        link(`/e/${enc(h.entity)}/r/${h.review_year}`, `${h.entity} ${h.review_year}`), " ",
        el("span", { class: "muted" }, `${h.title || ""} · ${h.hits} hit(s)`),
        h.snippets.map((sn) => el("blockquote", {}, highlighted(sn))))));
  }
  let textTimer;
  textQuery.addEventListener("input", () => { clearTimeout(textTimer); textTimer = setTimeout(() => searchText().catch(fail), 250); });
  show(el("p", {}, link("/held", "Uploads waiting for a person (needs metadata, identity conflict) →")),
    el("h1", {}, "Entities"), input, list, el("h2", {}, "Search report text"), textQuery, counted, hits);
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

async function entity(name) {
  const [detail, timeline] = await Promise.all([
    api("entities/" + enc(name)),
    api("entities/" + enc(name) + "/timeline").catch(() => null),
  ]);
  const cards = el("div", { class: "cards" }, detail.reports.map((r) =>
    el("div", { class: "card" },
      el("strong", {}, link(`/e/${enc(name)}/r/${r.review_year}`, `${r.review_year} 年度`)),
      el("div", { class: "muted" }, r.doc_type), el("div", {}, r.title || ""),
      el("div", { class: "muted" }, `${r.versions} version(s)`, r.versions > 1 ? " · " : "",
        r.versions > 1 ? link(`/e/${enc(name)}/r/${r.review_year}/diff/1/${r.latest_version}`, "diff") : ""),
      r.flags.map((f) => el("span", { class: "flag" }, f)))));
  const parts = [el("h1", {}, name), el("p", { class: "muted" }, detail.region.join(" / ")), el("h2", {}, "Reports by year"), cards];
  if (timeline) {
    parts.push(el("h2", {}, "Promises, year by year"));
    if (!timeline.commitments.length) parts.push(el("p", { class: "muted" }, "Needs two consecutive years to compare."));
    for (const year of timeline.commitments) {
      parts.push(el("p", {}, link(`/e/${enc(name)}/yoy/${year.plan_year}`, `Commitments for ${year.plan_year}`), " ",
        STATUS_ORDER.map((s) => [badge(s), ` ${year.summary[s] || 0} `])));
    }
    if (timeline.problems.length) {
      parts.push(el("h2", {}, "Recurring problems"),
        el("ul", {}, timeline.problems.map((p) => el("li", {}, p.heading, el("span", { class: "muted" }, "  listed " + p.years.join(", "))))));
    }
    if (timeline.figures.length) {
      const years = [...new Set(timeline.figures.flatMap((f) => Object.keys(f.points)))].sort();
      parts.push(el("h2", {}, "Figures over the years"), el("table", {},
        el("tr", {}, el("th", {}, "what"), years.map((y) => el("th", {}, y))),
        timeline.figures.map((f) => el("tr", {}, el("td", {}, f.context), years.map((y) => el("td", {}, f.points[y] || "—"))))));
    }
  }
  show(...parts);
}

async function report(name, year) {
  const [r, versions] = await Promise.all([
    api(`entities/${enc(name)}/reports/${year}`),
    api(`entities/${enc(name)}/reports/${year}/versions`),
  ]);
  const meta = [["review year", r.review_year], ["plan year", r.plan_year], ["type", r.doc_type], ["published", r.published],
    ["publisher", r.publisher], ["index no.", r.index_no], ["format", r.source_format], ["version", `${r.version} of ${r.versions}`]];
  show(
    link("/e/" + enc(name), "← " + name),
    el("h1", {}, r.title || `${name} ${year}`),
    el("p", {}, r.flags.map((f) => el("span", { class: "flag" }, f))),
    Object.keys(r.missing || {}).length ? el("ul", { class: "missing" }, Object.entries(r.missing).map(([part, why]) =>
      el("li", {}, el("strong", {}, `No ${part} section found`), ": " + why))) : "",
    el("table", {}, meta.filter(([, v]) => v).map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v)))),
    el("p", { class: "exports" }, "Download: ", ["json", "csv", "md"].map((f) =>
      [el("a", { href: `entities/${enc(name)}/reports/${year}/export?format=${f}&version=${r.version}`, download: "" }, f), " "])),
    el("h2", {}, "Versions"),
    el("ul", {}, versions.items.map((v) => el("li", {}, `v${v.version} · ${v.uploaded_at} · ${v.raw.key}`,
      v.withdrawn ? " · withdrawn" : "", v.technical ? " · re-extraction" : "",
      v.version > 1 ? [" · ", link(`/e/${enc(name)}/r/${year}/diff/${v.version - 1}/${v.version}`, `diff v${v.version - 1}→v${v.version}`)] : ""))),
    el("h2", {}, "Sections"),
    r.sections.map((s) => el("section", {},
      el("h3", {}, s.heading || "(preamble / closing)", " ", el("span", { class: "flag" }, s.kind)),
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
    el("td", {}, badge(c.status), el("span", { class: "muted" }, ` ${Math.round(c.confidence * 100)}%`),
      c.figures.filter((f) => f.planned).map((f) => el("div", {}, "planned ", el("strong", {}, f.planned), " → reported ",
        el("strong", {}, f.reported || "—"))),
      c.evidence.map((e) => el("blockquote", { class: "evidence" }, e.text, el("div", { class: "muted" }, e.section,
        e.link ? [" · ", el("a", { href: e.link, class: "cite" }, `v${e.version}, characters ${e.start}–${e.end}`)] : ""))),
      el("div", { class: "muted" }, c.reason))));
  show(
    link("/e/" + enc(name), "← " + name),
    el("h1", {}, `${name}: commitments for ${r.plan_year}`),
    el("p", { class: "muted" }, `${r.earlier_title || ""} → ${r.later_title || ""}`),
    el("p", {}, STATUS_ORDER.map((s) => [badge(s), ` ${r.summary[s] || 0}  `])),
    el("table", { class: "yoy" }, el("tr", {}, el("th", {}, "promised"), el("th", {}, "what the next report says")), rows),
    el("h2", {}, "Problems"),
    el("table", {}, r.problems.map((p) => el("tr", {}, el("td", {}, p.heading), el("td", {}, badge(p.status)),
      el("td", {}, p.later ? el("blockquote", {}, p.later.text) : "")))),
    el("h2", {}, "Figures, then and now"),
    el("table", {}, el("tr", {}, el("th", {}, "what"), el("th", {}, "before"), el("th", {}, "after")),
      r.figures.map((f) => el("tr", {}, el("td", {}, f.context), el("td", {}, f.before), el("td", {}, f.after)))),
    el("h2", {}, `Recycled text: ${Math.round(r.reuse.share * 100)}% of the later report`),
    el("div", {}, r.reuse.spans.slice(0, 20).map((s) => el("blockquote", {}, el("mark", {}, s.text)))),
    shared ? templates(shared, name, year) : "",
  );
}

function templates(t, name, year) {
  const mine = t.shares.find((s) => s.entity === name);
  if (!mine) return "";
  return el("section", { id: "templates" },
    el("h2", {}, `Shared with other entities' ${year} reports: ${Math.round(mine.share * 100)}%`),
    el("p", { class: "muted" }, `${t.reports} ${t.doc_type} reports of ${year} compared (sampled 8-character shingles); ` +
      "a high share usually means a county template."),
    t.shared.map((p) => el("details", {},
      el("summary", {}, link("/e/" + enc(p.entity), p.entity), ` ${Math.round(p.share * 100)}% of this report's characters also in its report`),
      p.spans.slice(0, 10).map((s) => el("blockquote", {}, el("mark", {}, s.text))))));
}

async function diff(name, year, from, to) {
  const d = await api(`entities/${enc(name)}/reports/${year}/diff?from=${from}&to=${to}`);
  const span = (op) => {
    const tag = op.op === "insert" ? "ins" : op.op === "delete" ? "del" : "span";
    return el(tag, op.moved !== null && op.moved !== undefined ? { class: "moved", title: "moved" } : {}, op.text);
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
    link(`/e/${enc(name)}/r/${year}`, "← report"),
    el("h1", {}, `${name} ${year}: v${from} → v${to}`),
    el("p", {}, `+${d.stats.inserted_chars} / −${d.stats.deleted_chars} characters, ${Math.round(d.stats.changed_share * 1000) / 10}% changed,`,
      ` ${d.stats.moved_chars} moved · method ${d.method}`),
    el("h2", {}, "Sections that changed"),
    el("ul", {}, d.sections.filter((s) => s.inserted || s.deleted).map((s) => el("li", {}, s.heading, el("span", { class: "muted" }, `  +${s.inserted} −${s.deleted}`)))),
    (sig.figures_changed.length || sig.hedging.length || sig.commitments_reworded.length) ? el("div", {},
      el("h2", {}, "What matters"),
      el("ul", {},
        sig.figures_changed.map((f) => el("li", {}, `figure ${f.context}: ${f.before || "—"} → ${f.after || "—"}`)),
        sig.hedging.map((h) => el("li", {}, `hedging: ${h.before || "(added)"} → ${h.after}`)),
        sig.commitments_reworded.map((c) => el("li", {}, `commitment reworded: ${c.before} → ${c.after}`)),
        sig.commitments_added.map((c) => el("li", {}, `commitment added: ${c}`)),
        sig.commitments_removed.map((c) => el("li", {}, `commitment removed: ${c}`)))) : "",
    el("div", { class: "tabs" }, tab("inline", inline, sbs), " ", tab("side by side", sbs, inline)),
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
    el("p", { class: "muted" }, `version ${r.version} of ${r.versions} · ${r.raw.key} · characters ${start}–${end} of the clean text`),
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
      return `${u.status}${u.version ? " as version " + u.version : ""}${u.reason ? ": " + u.reason : ""}`;
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  return "still queued: look again in a minute";
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
      if (!resp.ok) { said.textContent = "⚠ " + (body.detail || body.title || resp.statusText); return; }
      said.textContent = "queued: being read…";
      said.textContent = await settled(body.status_url, u);
    } },
      el("label", {}, "entity ", entity), " ", el("label", {}, "year in the title ", year), " ",
      el("label", {}, confirm, " the text names another government or year, and these values are right"), " ",
      el("button", { type: "submit" }, "file it"), said);
    return el("li", { class: "held" }, badge(u.status), " ", el("strong", {}, u.raw.key),
      el("div", {}, u.reason || ""),
      u.identity_candidates.length ? el("div", { class: "muted" }, "The text may be from: ",
        u.identity_candidates.map((c) => `${c.entity} (${c.signals.join(", ") || c.level})`).join("; ")) : "",
      form);
  };
  show(link("/", "← all entities"), el("h1", {}, "Uploads waiting for a person"),
    el("p", { class: "muted" }, "The year is the one in the report's title (2025年政府工作报告 → 2025)."),
    items.length ? el("ul", { class: "list" }, items.map(row)) : el("p", { class: "muted" }, "Nothing is waiting."));
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
window.addEventListener("hashchange", route);
route();
