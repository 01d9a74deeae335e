// Drives the real Opik web UI (Vite dev server, its proxy pointing at mockopik) with the system's
// Chromium: visits the optimization pages of one generation (v2 or v1), fails on an error answer from
// the backend or an empty panel, and keeps a screenshot of every page. The `live` phase (a mock serving
// the running scenario, its clock standing still) opens the run in progress with the most trials to
// come, lets the clock run at LIVE_PACE and keeps a screenshot of its Overview and Trials tab every
// few seconds until it has ended.
//
//   node check.mjs --phase v2|v1|live --ui http://localhost:5174 --mock http://127.0.0.1:5173 --out DIR
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, index, all) => {
    if (word.startsWith("--")) pairs.push([word.slice(2), all[index + 1]]);
    return pairs;
  }, []),
);
const { phase, ui, mock, out } = args;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const EMPTY_PANELS = ["No data to show", "There are no projects yet", "No optimizations yet"];
// Answers the real backend gives too: no configuration in a fresh workspace.
const BACKEND_ERRORS = [/^GET \/v1\/private\/workspaces\/configurations\/?$/];
// The project Logs page the v2 home lands on asks for traces, which mockopik does not serve.
const TRACE_PAGES = /^(GET|POST) \/v1\/private\/(traces|spans|environments|projects\/[^/]+\/kpi-cards)/;
const PAGE_TIMEOUT = 60_000;
const LIVE_PACE = 30; // simulated seconds per real second while the series is taken
const FRAME_EVERY = 5_000; // the UI polls a run in progress every 5 s
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const json = async (url) => {
  const response = await fetch(mock + url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
};
const quote = (value) => encodeURIComponent(JSON.stringify(value));

// Ids from the seeded data: the project the UI opens first, a finished run with many trials in it (on a
// dataset that still exists), one of its later trials, and a Studio run (for its logs).
async function pickData() {
  const sorting = quote([{ field: "last_updated_at", direction: "DESC" }]);
  const project = (await json(`/v1/private/projects?size=1&sorting=${sorting}`)).content[0];
  const runs = (await json(`/v1/private/projects/${project.id}/optimizations?size=100`)).content;
  const run = runs
    .filter((r) => r.status === "completed" && !r.studio_config && r.dataset_name)
    .sort((a, b) => b.num_trials - a.num_trials)[0];
  const trials = (await json(
    `/v1/private/experiments?optimization_id=${run.id}&types=${quote(["trial"])}&size=100` +
      `&sorting=${quote([{ field: "created_at", direction: "ASC" }])}`,
  )).content;
  const trial = trials[Math.min(2, trials.length - 1)];
  const studio = (await json("/v1/private/optimizations?size=100")).content.find(
    (r) => r.studio_config && r.status === "completed" && r.num_trials > 0,
  );
  return { project, run, trial, trialNumber: trials.indexOf(trial) + 1, studio };
}

function v2Pages({ project, run, trial, trialNumber }) {
  const base = `/default/projects/${project.id}/optimizations`;
  return [
    { name: "v2-projects", url: "/default/projects", expect: [project.name] },
    { name: "v2-home", url: "/default/home", redirect: `/default/projects/${project.id}/` },
    { name: "v2-optimizations", url: base, expect: [run.name, "Optimization runs"] },
    { name: "v2-overview", url: `${base}/${run.id}`, expect: ["Optimization progress", "Best trial configuration"],
      chart: true },
    { name: "v2-trials", tab: "Trials", expect: ["Trial #", "Baseline", "Best"] },
    { name: "v2-trial", url: `${base}/${run.id}/trials?trials=${quote([trial.id])}&trialNumber=${trialNumber}`,
      expect: ["Evaluation results", "llm_output"] },
    { name: "v2-trial-configuration", tab: "Configuration", expect: ["Prompt", "System"] },
  ];
}

function v1Pages({ run, trial, trialNumber, studio }) {
  return [
    { name: "v1-optimizations", url: "/default/optimizations", expect: ["Optimization runs", run.dataset_name] },
    { name: "v1-overview", url: `/default/optimizations/${run.id}`, expect: ["Optimization progress"], chart: true },
    { name: "v1-trial", url: `/default/optimizations/${run.id}/trials?trials=${quote([trial.id])}` +
      `&trialNumber=${trialNumber}`, expect: ["Evaluation results", "llm_output"] },
    { name: "v1-studio-run", url: `/default/optimizations/${studio.id}`, expect: ["Optimization progress"],
      logs: studio.id },
  ];
}

async function visit(page, step, answers, problems) {
  answers.length = 0;
  if (step.url) await page.goto(ui + step.url, { waitUntil: "domcontentloaded", timeout: PAGE_TIMEOUT });
  if (step.tab) await clickText(page, '[role="tab"]', step.tab);
  if (step.redirect) {
    await page.waitForFunction((part) => location.pathname.startsWith(part), { timeout: PAGE_TIMEOUT },
      step.redirect);
    await page.goto("about:blank");
    return;
  }
  for (const text of step.expect) {
    await page
      .waitForFunction((t) => document.body.innerText.includes(t), { timeout: PAGE_TIMEOUT }, text)
      .catch(() => problems.push(`${step.name}: "${text}" never appeared`));
  }
  if (step.chart) {
    await page
      .waitForSelector(".recharts-line-dots circle, .recharts-dot", { timeout: PAGE_TIMEOUT })
      .catch(() => problems.push(`${step.name}: the progress chart drew no points`));
  }
  if (step.logs) await checkStudioLogs(page, step, problems);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // late requests, fonts, animations
  const text = await page.evaluate(() => document.body.innerText);
  for (const empty of EMPTY_PANELS) {
    if (text.includes(empty)) problems.push(`${step.name}: the page shows "${empty}"`);
  }
  await page.screenshot({ path: path.join(out, `${step.name}.png`) });
}

// The Studio logs link, as the UI uses it: asked for through the page's proxy, then fetched by the
// browser and gunzipped. It must open from the page's origin, whatever port the mock listens on.
async function checkStudioLogs(page, step, problems) {
  const { url, text } = await page.evaluate(async (id) => {
    const link = await (await fetch(`/api/v1/private/optimizations/studio/${id}/logs`)).json();
    const file = await fetch(link.url);
    const unzipped = file.body.pipeThrough(new DecompressionStream("gzip"));
    return { url: link.url, text: await new Response(unzipped).text() };
  }, step.logs);
  console.log(`  ${step.name}: Studio logs at ${url} (${text.split("\n").length} lines)`);
  if (!url.startsWith(`${ui}/api/_mockopik/`) || !text.includes("Opik Optimization Studio")) {
    problems.push(`${step.name}: the Studio logs link ${url} did not open through the page's origin`);
  }
}

// The live series: of the running runs that will complete, the one with the most trials to come (their
// schedules are in the fixture export), from where it is to its end. The page loads with the clock
// standing still (Vite's first compile takes a while), then the clock runs.
async function liveSeries(page, problems) {
  const { optimizations } = (await json("/_mockopik/fixtures")).workspaces.default;
  const chosen = optimizations
    .filter((run) => run.status === "running" && run.schedule?.statuses?.at(-1)?.status === "completed")
    .sort((a, b) => (b.schedule.trials?.length ?? 0) - (a.schedule.trials?.length ?? 0))[0];
  const run = await json(`/v1/private/optimizations/${chosen.id}`);
  const base = `/default/projects/${run.project_id}/optimizations/${run.id}`;
  await page.goto(ui + base, { waitUntil: "domcontentloaded", timeout: PAGE_TIMEOUT });
  await page.waitForFunction(() => document.body.innerText.includes("Optimization progress"),
    { timeout: PAGE_TIMEOUT });
  const frames = [];
  for (let frame = 0; frame <= 30; frame += 1) {
    if (frame === 1) await setPace(LIVE_PACE);
    await sleep(frame ? FRAME_EVERY : 1_500);
    const { status, num_trials: trials } = await json(`/v1/private/optimizations/${run.id}`);
    if (status !== "running") await sleep(FRAME_EVERY + 1_000); // the UI's next poll sees the end
    await page.screenshot({ path: path.join(out, `live-${frame}-overview.png`) });
    await clickText(page, '[role="tab"]', "Trials");
    await sleep(800);
    await page.screenshot({ path: path.join(out, `live-${frame}-trials.png`) });
    await clickText(page, '[role="tab"]', "Overview");
    frames.push({ frame, status, trials });
    console.log(`  live-${frame}: ${status}, ${trials} trial(s)`);
    if (status !== "running") break;
  }
  const [first, last] = [frames[0], frames[frames.length - 1]];
  if (last.status !== "completed") problems.push(`live: ${run.name} did not complete (${last.status})`);
  if (!(last.trials > first.trials)) problems.push(`live: ${run.name} gained no trials (${first.trials})`);
  const text = await page.evaluate(() => document.body.innerText);
  if (!/completed/i.test(text)) problems.push(`live: the page does not show that ${run.name} completed`);
  fs.writeFileSync(path.join(out, "live.json"), JSON.stringify({ run: run.id, name: run.name, frames }, null, 1));
}

async function setPace(pace) {
  const reply = await fetch(`${mock}/_mockopik/clock`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pace }),
  });
  if (!reply.ok) throw new Error(`setting the pace: ${reply.status}`);
}

// A real mouse click (Radix tabs and toggles react to pointer events, not to element.click()).
async function clickText(page, selector, wanted) {
  await page.waitForFunction(
    (s, w) => [...document.querySelectorAll(s)].some((e) => e.textContent.trim() === w),
    { timeout: PAGE_TIMEOUT }, selector, wanted,
  );
  for (const handle of await page.$$(selector)) {
    if ((await handle.evaluate((e) => e.textContent.trim())) === wanted) {
      await handle.click();
      return;
    }
  }
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const data = phase === "live" ? null : await pickData();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--user-data-dir=${fs.mkdtempSync(path.join(os.tmpdir(), "opik-ui-chromium-"))}`,
    ],
    defaultViewport: { width: 1440, height: 900 },
  });
  const problems = [];
  const answers = [];
  const report = [];
  try {
    const page = await browser.newPage();
    let current = "";
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith("/api/v1/private")) return;
      const call = `${response.request().method()} ${url.pathname.replace(/^\/api/, "")}`;
      answers.push(call);
      report.push({ page: current, status: response.status(), call: `${call}${url.search}` });
      const allowed = BACKEND_ERRORS.some((pattern) => pattern.test(call)) ||
        (current === "v2-home" && TRACE_PAGES.test(call));
      if (response.status() >= 400 && !allowed) problems.push(`${current}: ${response.status()} ${call}${url.search}`);
    });
    page.on("pageerror", (error) => problems.push(`${current}: page error ${error.message}`));
    if (phase === "live") {
      current = "live";
      await liveSeries(page, problems);
    }
    for (const step of phase === "live" ? [] : phase === "v1" ? v1Pages(data) : v2Pages(data)) {
      current = step.name;
      const started = Date.now();
      await visit(page, step, answers, problems);
      console.log(`  ${step.name}: ${answers.length} API answers, ${Date.now() - started} ms`);
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(out, `requests-${phase}.json`), JSON.stringify(report, null, 1));
  if (problems.length) {
    console.error(`!! ${problems.length} problem(s):\n${problems.map((p) => `   ${p}`).join("\n")}`);
    process.exit(1);
  }
}

await main();
