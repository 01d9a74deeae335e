// Drives mockopik's control panel (/_mockopik/) with the system's Chromium as a frontend developer
// would: gives the admin token once, adds a fault through the form and sees the next API call fail
// with it in the live table, opens that request, switches the scenario and sees the counts change,
// advances the clock and sees a run move. Keeps a screenshot of each step, wide and narrow.
//
//   node panel.mjs --mock http://127.0.0.1:5173 --token TOKEN --out DIR
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
const { mock, token, out } = args;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;
const problems = [];

const textOf = (page, selector) => page.$eval(selector, (node) => node.textContent.trim());
const waitText = (page, selector, wanted, what) =>
  page
    .waitForFunction(
      (s, w) => [...document.querySelectorAll(s)].some((node) => node.textContent.includes(w)),
      { timeout: TIMEOUT },
      selector,
      wanted,
    )
    .catch(() => problems.push(`${what}: "${wanted}" never appeared in ${selector}`));
const shot = async (page, name) => {
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header stays on top of a full-page shot
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
};

async function admin(method, where, body) {
  const response = await fetch(`${mock}/_mockopik/${where}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), "mockopik-panel-")),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    let asked = 0;
    page.on("dialog", async (dialog) => {
      asked += 1;
      await dialog.accept(token);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));

    // The page, its settings and the token asked for once.
    await page.goto(`${mock}/_mockopik/`, { waitUntil: "domcontentloaded" });
    await waitText(page, "#config th", "journal_size", "settings");
    await waitText(page, "#data-source", "scenario running", "data source");
    if (asked !== 1) problems.push(`the page asked for the admin token ${asked} times, not once`);
    await shot(page, "panel");

    // A fault from the form, then the next call to that operation fails with it, live.
    await page.select("#fault-form select[name=operation]", "getOptimizationById");
    await page.select("#fault-form select[name=effect]", "status");
    await page.$eval("#fault-form input[name=status]", (input) => { input.value = "503"; });
    await page.type("#fault-form input[name=times]", "1");
    await page.click("#fault-form button[type=submit]");
    await waitText(page, "#rules tbody td", "status 503", "fault rules");
    const run = (await (await fetch(`${mock}/v1/private/optimizations?size=1`)).json()).content[0];
    const status = await page.evaluate(async (id) => (await fetch(`/api/v1/private/optimizations/${id}`)).status, run.id);
    if (status !== 503) problems.push(`the call after the fault answered ${status}, not 503`);
    await waitText(page, "#journal tbody tr", "rule-1", "live requests");
    await page.click("#journal tbody tr"); // the newest request: the faulted one
    await waitText(page, "#request-detail pre", '"code": 503', "request detail");
    await shot(page, "panel-fault");

    // Another scenario: the counts change.
    const before = await textOf(page, "#data-counts");
    await page.select("#scenario-form select", "failures");
    await page.click("#scenario-form button[type=submit]");
    await waitText(page, "#data-counts", "16 optimizations", "counts after the switch");
    if ((await textOf(page, "#data-counts")) === before) problems.push("the counts did not change");
    await shot(page, "panel-scenario");

    // The clock: advance it, and a run in progress moves.
    await page.select("#scenario-form select", "running");
    await page.click("#scenario-form button[type=submit]");
    await waitText(page, "#data-source", "scenario running", "back to running");
    const moving = await admin("GET", "data");
    const first = moving.in_progress.find((item) => item.planned_trials);
    const clockBefore = await textOf(page, "#clock-now");
    await page.click('button[data-advance="1m"]');
    await page.waitForFunction((was) => document.querySelector("#clock-now").textContent !== was,
      { timeout: TIMEOUT }, clockBefore).catch(() => problems.push("the clock did not move"));
    if (first) {
      const after = (await admin("GET", "data")).in_progress.find((item) => item.id === first.id);
      if (after && after.num_trials <= first.num_trials) {
        problems.push(`run ${first.name} did not move: ${first.num_trials} trial(s) before, ${after.num_trials} after`);
      }
      // The panel shows the run's progress, or no longer lists it once it ended.
      await page
        .waitForFunction(
          (name, shown) => {
            const item = [...document.querySelectorAll("#moving li")].find((li) => li.textContent.includes(name));
            return shown === null ? !item : Boolean(item && item.textContent.includes(`${shown} trial(s)`));
          },
          { timeout: TIMEOUT }, first.name, after ? after.num_trials : null,
        )
        .catch(() => problems.push(`the panel does not show where run ${first.name} is`));
    } else {
      problems.push("no run in progress has planned trials to show");
    }
    await shot(page, "panel-clock");

    // Accessible basics: every control has a name; the page works in a narrow window.
    const unnamed = await page.$$eval("input, select, button", (controls) =>
      controls.filter((control) => !control.closest("label") && !control.getAttribute("aria-label") &&
        !(control.tagName === "BUTTON" && control.textContent.trim())).map((control) => control.outerHTML));
    for (const control of unnamed) problems.push(`a control without a label: ${control}`);
    await page.setViewport({ width: 420, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 4) problems.push(`a narrow window scrolls sideways by ${overflow}px`);
    await shot(page, "panel-narrow");
  } finally {
    await browser.close();
  }
  if (problems.length) {
    for (const problem of problems) console.error(`!! ${problem}`);
    process.exit(1);
  }
  console.log(`  control panel: every check passed; screenshots in ${out}`);
}

await main();
