// mockopik control panel: everything it shows and changes goes through the admin API (/_mockopik).
"use strict";

const TOKEN_KEY = "mockopik-admin-token";
const HISTOGRAM_SIZE = 200; // the latest requests the histogram shows
const SHOWN_ROWS = 300; // the latest requests the table shows
const KEPT_ROWS = 1000; // the latest requests the page keeps (the filters choose among them)
const state = { entries: new Map(), live: true, selected: null, detail: null, clock: null, faults: [] };

// -- the admin API -------------------------------------------------------------------------------

async function api(method, path, body) {
  if (method === "POST" && body === undefined) body = {}; // admin POSTs are JSON, even when empty
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  if (response.status === 401 && (await askForToken(token))) return api(method, path, body);
  const text = await response.text();
  const answer = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problems = answer && (answer.errors || [answer.message]);
    throw new Error(`${method} ${path}: ${response.status} ${(problems || []).join("; ")}`);
  }
  return answer;
}

let tokenAsked = null; // one question for every request that met a 401 meanwhile

function askForToken(refused) {
  if (sessionStorage.getItem(TOKEN_KEY) !== refused) return Promise.resolve(true); // answered meanwhile
  if (!tokenAsked) {
    tokenAsked = new Promise((resolve) => {
      const token = window.prompt("This mockopik has an admin token (--admin-token). Token:");
      if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
      resolve(Boolean(token));
    }).finally(() => {
      tokenAsked = null;
    });
  }
  return tokenAsked;
}

function say(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

async function act(action, done) {
  try {
    await action();
    if (done) say(done);
  } catch (error) {
    say(error.message, true);
  }
}

// -- helpers -------------------------------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

function pretty(value) {
  if (value === null || value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function statusClass(entry) {
  if (entry.state === "dropped") return "dropped";
  return entry.status ? `s${String(entry.status)[0]}` : "";
}

// -- requests ------------------------------------------------------------------------------------

async function pollRequests() {
  if (!state.live) return;
  const known = [...state.entries.values()];
  const pending = known.filter((entry) => entry.state === "in flight").map((entry) => entry.id);
  const newest = known.reduce((top, entry) => Math.max(top, entry.id), 0);
  const after = pending.length ? Math.min(...pending) - 1 : newest;
  // The newest rows the table can show, without bodies: a row's bodies are read when it is opened.
  const page = `limit=${SHOWN_ROWS}&bodies=false`;
  let answer = await api("GET", `requests?after=${after}&${page}`);
  if (answer.latest < newest) {
    state.entries.clear(); // the journal was cleared (a reset, say): read it again from the start
    answer = await api("GET", `requests?after=0&${page}`);
  }
  for (const entry of answer.requests) state.entries.set(entry.id, entry);
  // Requests still in flight behind a page of newer ones are read one by one (a few per poll).
  const oldestRead = answer.requests.length ? answer.requests[0].id : Infinity;
  for (const id of pending.filter((id) => id < oldestRead).slice(0, 5)) {
    try {
      state.entries.set(id, await api("GET", `requests/${id}`));
    } catch {
      state.entries.delete(id); // no longer in the journal
    }
  }
  const stale = state.entries.size - KEPT_ROWS;
  if (stale > 0) [...state.entries.keys()].sort((a, b) => a - b).slice(0, stale).forEach((id) => state.entries.delete(id));
  renderRequests();
}

function visibleEntries() {
  const operation = document.getElementById("filter-operation").value;
  const status = document.getElementById("filter-status").value;
  const workspace = document.getElementById("filter-workspace").value.trim();
  return [...state.entries.values()]
    .filter((entry) => !operation || (operation === "-" ? !entry.operation : entry.operation === operation))
    .filter((entry) => !workspace || entry.workspace === workspace)
    .filter((entry) => {
      if (!status) return true;
      if (status === "faulted") return entry.faults.length > 0;
      if (status === "dropped" || status === "in flight") return entry.state === status;
      return entry.status !== null && String(entry.status)[0] === status;
    })
    .sort((a, b) => b.id - a.id);
}

function renderRequests() {
  const entries = visibleEntries();
  const body = document.querySelector("#journal tbody");
  body.replaceChildren(
    ...entries.slice(0, SHOWN_ROWS).map((entry) => {
      const row = element(
        "tr",
        {
          tabindex: "0",
          "data-id": entry.id,
          "aria-selected": String(entry.id === state.selected),
          onclick: () => openRequest(entry.id),
          onkeydown: (event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              openRequest(entry.id);
            }
          },
        },
        element("td", {}, entry.id),
        element("td", {}, entry.received_at.slice(11, 23)),
        element("td", {}, entry.method),
        element("td", { class: "path", title: entry.path }, entry.path),
        element("td", {}, entry.operation || "—"),
        element("td", {}, entry.workspace),
        element("td", { class: statusClass(entry) }, entry.status ?? entry.state),
        element("td", {}, entry.duration_ms === null ? "…" : entry.duration_ms.toFixed(1)),
        element("td", { class: "fault" }, entry.faults.join(", ")),
      );
      return row;
    }),
  );
  document.getElementById("journal-empty").hidden = entries.length > 0;
  drawHistogram(entries.filter((entry) => entry.duration_ms !== null).slice(0, HISTOGRAM_SIZE));
  const selected = state.entries.get(state.selected);
  if (selected && state.detail && state.detail.id === selected.id && state.detail.state !== selected.state) {
    loadDetail(selected.id).catch((error) => say(error.message, true)); // it has been answered since
  }
}

async function loadDetail(id) {
  const entry = await api("GET", `requests/${id}`);
  if (state.selected !== id) return;
  state.detail = entry;
  renderDetail(entry);
}

function openRequest(id) {
  showRequest(id).catch((error) => say(error.message, true));
}

async function showRequest(id) {
  state.selected = id;
  state.detail = null;
  renderRequests();
  await loadDetail(id);
  document.getElementById("request-detail").focus();
}

function renderDetail(entry) {
  const detail = document.getElementById("request-detail");
  const fault = entry.faults.length ? `; faults: ${entry.faults.join(", ")}` : "";
  const response = "response" in entry ? entry.response : undefined;
  detail.replaceChildren(
    element("h3", {}, `#${entry.id} ${entry.method} ${entry.path}`),
    element(
      "p",
      { class: "muted" },
      `${entry.received_at} · ${entry.operation || "no operation"} · workspace ${entry.workspace} · ` +
        `${entry.state}${entry.status ? ` ${entry.status}` : ""} · ${entry.duration_ms ?? "…"} ms${fault}`,
    ),
    element(
      "div",
      { class: "columns" },
      element("div", {}, element("h4", {}, "Request"), element("pre", {}, pretty({ query: entry.query, headers: entry.headers })), element("pre", { "data-part": "request-body" }, pretty(entry.body))),
      element("div", {}, element("h4", {}, "Response"), element("pre", { "data-part": "response-body" }, response === undefined ? "(not kept)" : pretty(response))),
    ),
  );
  detail.hidden = false;
}

function drawHistogram(entries) {
  const canvas = document.getElementById("histogram");
  const context = canvas.getContext("2d");
  const width = canvas.width;
  const height = canvas.height;
  context.clearRect(0, 0, width, height);
  const caption = document.getElementById("histogram-caption");
  if (!entries.length) {
    caption.textContent = "Durations of the latest requests (none yet)";
    return;
  }
  const durations = entries.map((entry) => entry.duration_ms).sort((a, b) => a - b);
  const top = Math.max(durations[durations.length - 1], 1);
  const bins = 30;
  const counts = new Array(bins).fill(0);
  for (const value of durations) counts[Math.min(bins - 1, Math.floor((value / top) * bins))] += 1;
  const most = Math.max(...counts);
  const margin = 18;
  const barWidth = (width - 2 * margin) / bins;
  context.fillStyle = "#0a58ca";
  counts.forEach((count, index) => {
    const barHeight = (count / most) * (height - 2 * margin);
    context.fillRect(margin + index * barWidth + 1, height - margin - barHeight, barWidth - 2, barHeight);
  });
  context.fillStyle = "#57606a";
  context.font = "11px system-ui, sans-serif";
  context.fillText("0 ms", margin, height - 4);
  const label = `${top.toFixed(1)} ms`;
  context.fillText(label, width - margin - context.measureText(label).width, height - 4);
  const quantile = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
  caption.textContent =
    `Durations of the latest ${durations.length} requests: median ${quantile(0.5).toFixed(1)} ms, ` +
    `p95 ${quantile(0.95).toFixed(1)} ms, slowest ${top.toFixed(1)} ms`;
  canvas.setAttribute("aria-label", caption.textContent);
}

// -- faults --------------------------------------------------------------------------------------

async function loadFaults() {
  state.faults = await api("GET", "faults").then((answer) => answer.rules);
  const body = document.querySelector("#rules tbody");
  body.replaceChildren(
    ...state.faults.map((rule) =>
      element(
        "tr",
        {},
        element("td", {}, rule.id),
        element("td", {}, describeMatch(rule.match)),
        element("td", {}, describeEffect(rule)),
        element("td", {}, rule.probability ?? 1),
        element("td", {}, rule.times ?? "always"),
        element("td", {}, rule.matched),
        element("td", {}, rule.fired),
        element("td", {}, rule.active ? "yes" : "no"),
        element(
          "td",
          {},
          element("button", { type: "button", "aria-label": `Remove rule ${rule.id}`, onclick: () => act(async () => { await api("DELETE", `faults/${encodeURIComponent(rule.id)}`); await loadFaults(); }, `Removed ${rule.id}`) }, "Remove"),
        ),
      ),
    ),
  );
  document.getElementById("rules-empty").hidden = state.faults.length > 0;
}

function describeMatch(match) {
  if (!match || !Object.keys(match).length) return "every request";
  return Object.entries(match).map(([name, value]) => `${name} ${[].concat(value).join(" | ")}`).join(", ");
}

function describeEffect(rule) {
  const effects = [];
  if (rule.status) effects.push(`status ${rule.status}`);
  if (rule.latency) effects.push(`latency ${rule.latency}`);
  if (rule.connection) effects.push(`connection ${rule.connection}`);
  if (rule.vanish) effects.push(`vanish ${rule.vanish.length} id(s)`);
  return effects.join(" + ");
}

async function addFault(rule, done) {
  await act(async () => {
    await api("POST", "faults", rule);
    await loadFaults();
  }, done);
}

function faultFromForm(form) {
  const data = new FormData(form);
  const rule = {};
  if (data.get("operation")) rule.match = { operation: data.get("operation") };
  const effect = data.get("effect");
  if (effect === "status") rule.status = Number(data.get("status"));
  if (effect === "latency") rule.latency = data.get("latency");
  if (effect === "connection") rule.connection = data.get("connection");
  const probability = Number(data.get("probability"));
  if (probability !== 1) rule.probability = probability;
  if (data.get("times")) rule.times = Number(data.get("times"));
  return rule;
}

// -- data, clock and settings ----------------------------------------------------------------------

async function loadData() {
  const data = await api("GET", "data");
  document.getElementById("data-source").textContent = data.source;
  const scenario = /^scenario (\S+),/.exec(data.source);
  const choice = document.querySelector("#scenario-form select");
  if (scenario && document.activeElement !== choice) choice.value = scenario[1];
  const counts = Object.entries(data.workspaces).map(
    ([name, space]) => `${name}: ${space.optimizations} optimizations, ${space.datasets} datasets, ${space.projects} projects`,
  );
  document.getElementById("data-counts").textContent = counts.join("; ") || "no data";
  const moving = document.getElementById("moving");
  moving.replaceChildren(
    ...data.in_progress.map((run) =>
      element(
        "li",
        {},
        element("strong", {}, run.name),
        ` ${run.status}, ${run.num_trials} trial(s)${run.planned_trials ? ` of ${run.planned_trials}` : ""} `,
        run.planned_trials
          ? element("progress", { max: run.planned_trials, value: run.num_trials, "aria-label": `${run.name}: ${run.num_trials} of ${run.planned_trials} trials` })
          : "",
        element("span", { class: "muted" }, ` ${run.workspace}`),
      ),
    ),
  );
  if (!data.in_progress.length) moving.replaceChildren(element("li", { class: "muted" }, "None: nothing is running."));
}

async function loadClock() {
  const clock = await api("GET", "clock");
  state.clock = { ...clock, at: performance.now(), start: Date.parse(clock.now) };
  document.getElementById("clock-pace").textContent = clock.pace;
  tickClock();
}

function tickClock() {
  if (!state.clock) return;
  const elapsed = ((performance.now() - state.clock.at) / 1000) * state.clock.pace;
  const now = new Date(state.clock.start + elapsed * 1000);
  const shown = document.getElementById("clock-now");
  shown.textContent = now.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  shown.setAttribute("datetime", now.toISOString());
}

async function changeClock(change, done) {
  await act(async () => {
    await api("POST", "clock", change);
    await loadClock();
    await loadData();
  }, done);
}

async function loadSettings() {
  const config = await api("GET", "config");
  document.querySelector("#config tbody").replaceChildren(
    ...Object.entries(config).map(([name, value]) =>
      element("tr", {}, element("th", { scope: "row" }, name), element("td", {}, value === null ? "—" : JSON.stringify(value))),
    ),
  );
  const base = window.location.origin;
  document.getElementById("sdk-url").textContent = `${base}/api`;
  document.getElementById("sdk-env").textContent = `export OPIK_URL_OVERRIDE=${base}/api OPIK_WORKSPACE=default`;
}

async function copy(id) {
  const text = document.getElementById(id).textContent;
  try {
    await navigator.clipboard.writeText(text);
    say(`Copied: ${text}`);
  } catch {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById(id));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    say("Selected: copy it with Ctrl+C");
  }
}

async function afterDataChange(message) {
  state.entries.clear();
  state.selected = null;
  state.detail = null;
  document.getElementById("request-detail").hidden = true;
  await Promise.all([loadData(), loadFaults(), loadClock(), pollRequests()]);
  say(message);
}

// -- wiring --------------------------------------------------------------------------------------

function wire() {
  for (const id of ["filter-operation", "filter-status", "filter-workspace"]) {
    document.getElementById(id).addEventListener("input", renderRequests);
  }
  document.getElementById("live-toggle").addEventListener("click", (event) => {
    state.live = !state.live;
    event.target.textContent = state.live ? "Pause" : "Resume";
    event.target.setAttribute("aria-pressed", String(state.live));
    say(state.live ? "Live" : "Paused: the table stays as it is");
  });
  document.getElementById("journal-clear").addEventListener("click", () =>
    act(async () => {
      await api("DELETE", "requests");
      state.entries.clear();
      renderRequests();
    }, "Journal cleared"),
  );
  document.getElementById("faults-clear").addEventListener("click", () =>
    act(async () => {
      await api("DELETE", "faults");
      await loadFaults();
    }, "Every fault rule removed"),
  );
  document.querySelectorAll("[data-quick]").forEach((button) =>
    button.addEventListener("click", () => {
      const operation = document.getElementById("quick-operation").value;
      const rules = {
        "next-500": [{ match: { operation }, status: 500, times: 1 }, `The next ${operation} fails with 500`],
        slow: [{ id: "slower", latency: "2s" }, "Everything is 2 s slower (rule slower)"],
        "half-404": [{ match: { operation: "get*" }, status: 404, probability: 0.5 }, "Half the gets answer 404"],
      };
      const [rule, done] = rules[button.dataset.quick];
      addFault(rule, done);
    }),
  );
  const form = document.getElementById("fault-form");
  form.elements.effect.addEventListener("change", () => {
    for (const label of form.querySelectorAll("[data-effect]")) label.hidden = label.dataset.effect !== form.elements.effect.value;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    addFault(faultFromForm(form), "Rule added");
  });
  document.getElementById("scenario-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const scenario = event.target.elements.scenario.value;
    act(async () => {
      await api("POST", "seed", { scenario });
      await afterDataChange(`Serving the ${scenario} scenario`);
    });
  });
  document.getElementById("reseed-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const seed = Number(event.target.elements.seed.value);
    const count = Number(event.target.elements.count.value);
    act(async () => {
      await api("POST", "seed", { seed, count });
      await afterDataChange(`Serving ${count} runs from seed ${seed}`);
    });
  });
  document.getElementById("reset").addEventListener("click", () =>
    act(async () => {
      await api("POST", "reset");
      await afterDataChange("Back to the boot state");
    }),
  );
  document.getElementById("load-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (!file) return;
    act(async () => {
      await api("POST", "fixtures", file);
      await afterDataChange(`Loaded ${file.name}`);
    });
    event.target.value = "";
  });
  document.getElementById("export").addEventListener("click", async (event) => {
    if (!sessionStorage.getItem(TOKEN_KEY)) return; // a plain download works without a token
    event.preventDefault();
    await act(async () => {
      const document_ = await api("GET", "fixtures");
      const link = element("a", { href: URL.createObjectURL(new Blob([JSON.stringify(document_, null, 1)], { type: "application/json" })), download: "mockopik-fixtures.json" });
      link.click();
    }, "Exported");
  });
  document.getElementById("clock-pause").addEventListener("click", () => changeClock({ pace: 0 }, "Clock paused"));
  document.getElementById("clock-play").addEventListener("click", () => changeClock({ pace: 1 }, "Clock in real time"));
  document.querySelectorAll("[data-advance]").forEach((button) =>
    button.addEventListener("click", () => changeClock({ advance: button.dataset.advance }, `Clock moved on ${button.dataset.advance}`)),
  );
  document.getElementById("pace-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pace = Number(event.target.elements.pace.value);
    changeClock({ pace }, `Clock at pace ${pace}`);
  });
  document.querySelectorAll("[data-copy]").forEach((button) => button.addEventListener("click", () => copy(button.dataset.copy)));
}

function every(milliseconds, task) {
  const run = () => task().catch((error) => say(error.message, true));
  run();
  return setInterval(run, milliseconds);
}

wire();
loadSettings().catch((error) => say(error.message, true));
every(1000, pollRequests);
every(2000, loadFaults);
every(3000, loadData);
every(5000, loadClock);
setInterval(tickClock, 250);
