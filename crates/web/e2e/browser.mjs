// Browser flows of the taizhang web workspace, as a user would click them, in headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser download).
//
//   node browser.mjs BASE_URL SCREENSHOT_DIR FIXTURE...
//
// BASE_URL is a taizhang server over an empty database; FIXTURE are the documents to upload
// (crates/web/tests/fixtures). crates/web/tests/browser.rs starts the server and runs this.
// Every check throws with a message saying what was expected; the process exits 1 on the
// first failure and 0 when every flow passed. Screenshots of each page go to
// SCREENSHOT_DIR, and so does the downloaded workbook (facts.xlsx).

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { inflateRawSync } from "node:zlib";

const [base, shots, ...given] = process.argv.slice(2);
// Fixtures named projects_* are the project library's: uploaded by its own flow, last, so
// that the counts the other flows check stay theirs.
const fixtures = given.filter((f) => !basename(f).startsWith("projects_"));
const projectFixtures = given.filter((f) => basename(f).startsWith("projects_"));
if (!base || !shots || fixtures.length < 2) {
  console.error("usage: node browser.mjs BASE_URL SCREENSHOT_DIR FIXTURE FIXTURE...");
  process.exit(2);
}
const origin = new URL(base).origin;
const executablePath = process.env.TAIZHANG_CHROMIUM || "/usr/bin/chromium";
mkdirSync(shots, { recursive: true });

function check(ok, message) {
  if (!ok) throw new Error(message);
}

function step(name) {
  console.log(`· ${name}`);
}

// Problems the page reports while a flow runs: console errors (Chromium logs every CSP
// violation there too), uncaught exceptions, CSP violation events, dialogs (a script that
// should never run, such as one written inside a document), requests to other origins.
const problems = [];

// The text of the one confirm dialog the flow under test opens on purpose; any other
// dialog is a problem.
let expectedConfirm = null;

// The one failed response the flow under test asks for on purpose (a wrong password's
// 401), which Chromium logs as a console error; any other is a problem.
let expectedFailure = null;

async function main() {
  // launch() gives Chromium a fresh, empty profile in a temporary directory of its own.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({
      baseURL: base,
      acceptDownloads: true,
      locale: "zh-CN",
      viewport: { width: 1360, height: 900 },
    });
    // Nothing may leave the server's origin: record and refuse anything that tries.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) {
        return route.continue();
      }
      problems.push(`request outside ${origin}: ${url}`);
      return route.abort();
    });
    await context.exposeBinding("__cspViolation", ({ page }, what) => {
      problems.push(`CSP violation on ${page.url()}: ${what}`);
    });
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("console", (m) => {
      if (expectedFailure && m.text().includes(expectedFailure)) {
        expectedFailure = null;
        return;
      }
      if (m.type() === "error" || m.type() === "warning") {
        problems.push(`console ${m.type()} on ${page.url()}: ${m.text()}`);
      }
    });
    page.on("pageerror", (e) => problems.push(`uncaught exception on ${page.url()}: ${e.message}`));
    page.on("dialog", (d) => {
      if (expectedConfirm && d.type() === "confirm" && d.message().includes(expectedConfirm)) {
        expectedConfirm = null;
        return d.accept();
      }
      problems.push(`a script opened a dialog on ${page.url()}: ${d.message()}`);
      return d.dismiss();
    });
    page.on("response", (r) => {
      if (r.status() >= 500) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });

    const flows = [
      ["登录: a page asks for login, the planner logs in", () => logIn(page, "planner")],
      ["文件库: upload", upload],
      ["a document: facts highlighted, tooltips, outline", documentPage],
      ["指标台账: filter and sort", ledger],
      ["指标台账: .xlsx export", exportXlsx],
      ["对标: chart and table", comparePage],
      ["区域: targets and results by year", regionPage],
      ["搜索: highlighted hits", searchPage],
      ["台账: a ledger from a document", makeLedger],
      ["台账: report progress, a warning lights up", reportProgress],
      ["填报人员: reports on their unit's task only", reporterFlow],
      ["台账: .xlsx export", exportLedger],
      ["督查通报: an assessment run, the preview and the .docx", bulletin],
      ["文件库: delete a document", deleteDocument],
      ["项目库: filter to a stage, a timeline, its source sentence, a stage set by hand", projects],
    ];
    for (const [name, flow] of flows) {
      step(name);
      const started = Date.now();
      try {
        await flow(page);
      } catch (e) {
        await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
        throw new Error(`${name}: ${e.message}\n  at ${page.url()} (screenshot failure.png)`);
      }
      check(problems.length === 0, `${name}:\n  ${problems.join("\n  ")}`);
      console.log(`  ok in ${Date.now() - started} ms`);
    }
  } finally {
    await browser.close();
  }
}

const PASSWORD = process.env.TAIZHANG_TEST_PASSWORD;

// Logs out whoever is in, then logs `username` in through the login page, arriving from a
// page that needed the login.
async function logIn(page, username, from = "/ledger") {
  const out = page.locator("form.logout button");
  if (await out.count()) await Promise.all([page.waitForURL(/\/login$/), out.click()]);
  await page.goto(from);
  await page.waitForURL(/\/login\?next=/);
  check((await page.title()).includes("登录"), `the login page: ${await page.title()}`);
  const form = page.locator("#login-form");
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill("not the password");
  expectedFailure = "status of 401";
  await Promise.all([page.waitForURL(/\/login$/), form.locator("button").click()]);
  check((await page.locator("#login-error").textContent()).includes("用户名或密码错误"), "a wrong password is refused");
  await form.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === from), form.locator("button").click()]);
  const me = await page.locator("#account .me").textContent();
  check(me.includes(username), `the header names ${username}: ${me}`);
}

async function reporterFlow(page) {
  await logIn(page, "reporter", new URL(reportedTask).pathname);
  // Their own unit's task: the report form is there, and the report lands.
  const form = page.locator("#report-form");
  await form.locator('input[name="percent"]').fill("15");
  await form.locator('textarea[name="note"]').fill("已建成45个");
  await Promise.all([page.waitForURL(/#reports$/), form.locator('button[type="submit"]').click()]);
  const latest = await page.locator("#report-history tbody tr").first().textContent();
  check(latest.includes("已建成45个") && latest.includes("市大数据局"), `the reporter's report is the latest: ${latest}`);
  check((await page.locator("#edit-task").count()) === 0, "a reporter cannot edit the task");
  await shot(page, "reporter.png");
  // Another unit's task: no form, and a note says who reports.
  await page.goto("/ledger");
  check((await page.locator("#add-task").count()) === 0, "a reporter cannot add tasks");
  const other = page.locator("#tasks tbody tr", { hasText: "市发展改革委" }).first().locator("td:nth-child(2) a");
  await Promise.all([page.waitForURL(/\/ledger\/\d+$/), other.click()]);
  check((await page.locator("#report-form").count()) === 0, "no report form on another unit's task");
  check((await page.locator("#report-refused").textContent()).includes("市发展改革委"), "the page says who reports");
  await logIn(page, "planner", "/documents");
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

// ---- 文件库 ----

async function upload(page) {
  await page.goto("/documents");
  check((await page.title()).includes("文件库"), `title ${await page.title()}`);
  await page.locator("#file-input").setInputFiles(fixtures);
  await page.locator('#upload-results[data-done="1"]').waitFor({ state: "attached" });
  const results = await page.locator("#upload-results li").allTextContents();
  check(results.length === fixtures.length, `${fixtures.length} results, got ${JSON.stringify(results)}`);
  for (const fixture of fixtures) {
    const line = results.find((r) => r.startsWith(basename(fixture)));
    check(line, `a result for ${basename(fixture)} in ${JSON.stringify(results)}`);
    check(line.includes("已入库"), `${basename(fixture)} stored (已入库): ${line}`);
    const facts = Number(/抽取指标 (\d+) 条/.exec(line)?.[1] ?? 0);
    check(facts > 0, `${basename(fixture)} reports a fact count: ${line}`);
  }
  // The listing below refreshes itself with the new documents.
  await page.waitForFunction(
    (n) => document.querySelectorAll("#documents tbody tr").length === n,
    fixtures.length,
  );
  const regions = await page.locator("#documents tbody tr td:nth-child(3)").allTextContents();
  check(regions.includes("遵义市") && regions.includes("安顺市"), `regions listed: ${regions}`);

  await shot(page, "documents.png");

  // The same bytes again are recognised, not stored twice; the results list is replaced,
  // and data-done marks the new results, not the last upload's. The upload is held back a
  // little so that the check cannot pass on the earlier upload's mark.
  await page.route("**/api/v1/documents", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.fallback();
  });
  await page.locator("#file-input").setInputFiles(fixtures[0]);
  await page.locator('#upload-results[data-done="1"]').waitFor({ state: "attached" });
  await page.unroute("**/api/v1/documents");
  const again = await page.locator("#upload-results li").allTextContents();
  check(again.length === 1 && again[0].includes("已存在"),
    `a second upload of the same file says 已存在: ${JSON.stringify(again)}`);
  const listed = await page.locator("#documents tbody tr").count();
  check(listed === fixtures.length, `still ${fixtures.length} documents listed, got ${listed}`);
}

// ---- a document ----

async function documentPage(page) {
  await page.goto("/documents");
  await page.locator("#documents a", { hasText: "遵义市2025年政府工作报告" }).first().click();
  await page.waitForURL(/\/documents\/\d+$/);
  check((await page.locator("h1").textContent()).includes("遵义市"), "the document's title");
  const targets = page.locator("#doctext mark.fact.target");
  const actuals = page.locator("#doctext mark.fact.actual");
  check((await targets.count()) > 0, "targets highlighted (mark.fact.target)");
  check((await actuals.count()) > 0, "actuals highlighted (mark.fact.actual)");
  check((await page.locator("#doctext mark.term").count()) > 0, "terms highlighted (mark.term)");

  // Every highlight carries its tooltip; hovering shows it (drawn from data-tip by CSS).
  const growth = targets.filter({ hasText: "6.5%" }).first();
  const tip = await growth.getAttribute("data-tip");
  for (const part of ["目标", "6.5%", "左右", "2025年", "gdp_growth"]) {
    check(tip.includes(part), `the tooltip of 6.5% says ${part}: ${tip}`);
  }
  await growth.hover();
  const shown = await growth.evaluate((el) => getComputedStyle(el, "::after").content);
  check(shown.includes("6.5%") && shown.includes("2025年"), `tooltip shown on hover: ${shown}`);
  // Every tooltip stays inside the window: showing one never makes the page scroll sideways.
  const overflowing = await page.evaluate(() => {
    const root = document.documentElement;
    const out = [];
    for (const mark of document.querySelectorAll("#doctext mark.fact")) {
      mark.focus();
      if (root.scrollWidth > root.clientWidth) out.push(`${mark.textContent} (${root.scrollWidth}px)`);
    }
    document.activeElement?.blur();
    return out;
  });
  check(overflowing.length === 0, `tooltips wider than the window at: ${overflowing.join(", ")}`);
  const actual = actuals.filter({ hasText: "4985.3亿元" }).first();
  await actual.focus();
  const focused = await actual.evaluate((el) => getComputedStyle(el, "::after").content);
  check(focused.includes("实际") && focused.includes("2024年") && focused.includes("gdp"),
    `tooltip shown on focus: ${focused}`);

  // The outline links to its sections.
  const link = page.locator(".outline a", { hasText: "2025年主要目标" });
  await link.click();
  const hash = await page.evaluate(() => location.hash);
  check(/^#s\d+$/.test(hash), `the outline link goes to a section: ${hash}`);
  const inView = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  }, hash.slice(1));
  check(inView, `section ${hash} scrolled into view`);
  const after = await page.evaluate((id) => document.getElementById(id).nextSibling?.textContent, hash.slice(1));
  check(after && after.includes("2025年主要目标"), `section ${hash} starts at its heading: ${after}`);

  // The glossary lists the definitions.
  const terms = await page.locator(".terms dt").allTextContents();
  check(terms.some((t) => t.includes("黔北酱酒")), `名词解释 lists 黔北酱酒: ${terms}`);

  // Markup written inside a document stays text (the HTML fixture contains a <script>).
  await page.goto("/documents");
  await page.locator("#documents a", { hasText: "播州区2025年" }).click();
  await page.waitForURL(/\/documents\/\d+$/);
  const text = await page.locator("#doctext").textContent();
  check(text.includes("<script>alert(1)</script>"), "the document's <script> shown as text");
  check((await page.locator("#doctext script").count()) === 0, "no script element in the text");

  // Back to 遵义市 for the screenshot, a tooltip showing.
  await page.goBack();
  await page.locator("#documents a", { hasText: "遵义市2025年政府工作报告" }).first().click();
  await page.waitForURL(/\/documents\/\d+$/);
  await targets.filter({ hasText: "6.5%" }).first().hover();
  await shot(page, "document.png");
}

// ---- 指标台账 ----

/** The ledger's rows as {region, key, kind, year, value}. */
function ledgerRows(page) {
  return page.locator("#ledger tbody tr").evaluateAll((rows) =>
    rows.map((tr) => {
      const td = tr.querySelectorAll("td");
      return {
        region: td[0].textContent.trim(),
        key: td[1].querySelector(".sub")?.textContent.trim() ?? "",
        kind: td[2].textContent.trim(),
        year: td[3].textContent.trim(),
        value: parseFloat(td[4].textContent),
      };
    }),
  );
}

let filtered = [];

async function ledger(page) {
  await page.goto("/facts");
  const all = await ledgerRows(page);
  check(all.length > 20, `the ledger lists every fact, got ${all.length}`);
  const form = page.locator("#fact-filters");
  await form.locator('select[name="indicator"]').selectOption("gdp_growth");
  await form.locator('select[name="kind"]').selectOption("actual");
  await Promise.all([page.waitForURL(/indicator=gdp_growth/), form.locator('button[type="submit"]').click()]);
  check(/kind=actual/.test(page.url()), `the form sends the kind: ${page.url()}`);
  let rows = await ledgerRows(page);
  check(rows.length === 3, `3 actual GDP growth figures, got ${JSON.stringify(rows)}`);
  for (const r of rows) {
    check(r.key === "gdp_growth" && r.kind === "实际" && r.year === "2024", `row matches: ${JSON.stringify(r)}`);
  }
  // The filter survives the reload.
  check(await form.locator('select[name="indicator"]').inputValue() === "gdp_growth", "indicator kept");

  await Promise.all([page.waitForURL(/sort=value/), page.locator("#ledger th a", { hasText: "数值" }).click()]);
  rows = await ledgerRows(page);
  const align = await page.locator("#ledger td.num").first().evaluate((el) => getComputedStyle(el).textAlign);
  check(align === "right", `numbers are right-aligned, not ${align}`);
  const values = rows.map((r) => r.value);
  check(values.length === 3, `still 3 rows after sorting: ${values}`);
  check(values.every((v, i) => i === 0 || values[i - 1] <= v), `ascending by 数值: ${values}`);
  check((await page.locator("#ledger th a", { hasText: "数值" }).textContent()).includes("▲"), "▲ on 数值");

  await Promise.all([page.waitForURL(/order=desc/), page.locator("#ledger th a", { hasText: "数值" }).click()]);
  rows = await ledgerRows(page);
  const down = rows.map((r) => r.value);
  check(down.every((v, i) => i === 0 || down[i - 1] >= v), `descending by 数值: ${down}`);
  check(JSON.stringify(down) === JSON.stringify([...values].reverse()), `${down} reverses ${values}`);
  filtered = rows;

  // Each row links to its sentence in the document, where the fact is focused.
  await Promise.all([page.waitForURL(/#f\d+$/), page.locator("#ledger td.sentence a").first().click()]);
  const id = new URL(page.url()).hash.slice(1);
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === id, `the linked fact ${id} is focused, not ${focused}`);
  await page.goBack();
  await page.waitForURL(/order=desc/);
  await shot(page, "facts.png");
}

// ---- the export ----

/** The entries of a zip archive, by name, inflated. */
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  check(eocd >= 0, "the .xlsx is a zip archive");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    check(buf.readUInt32LE(at) === 0x02014b50, "a zip central directory entry");
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescapeXml = (s) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The first sheet of a workbook as { "A1": value }, strings resolved. */
function readSheet(path) {
  const files = unzip(readFileSync(path));
  const shared = [...(files.get("xl/sharedStrings.xml")?.toString("utf8") ?? "")
    .matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unescapeXml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
  const sheet = files.get("xl/worksheets/sheet1.xml");
  check(sheet, "the workbook has xl/worksheets/sheet1.xml");
  const cells = {};
  for (const m of sheet.toString("utf8").matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const [, ref, attrs, body = ""] = m;
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    if (v === undefined) continue;
    cells[ref] = / t="s"/.test(attrs) ? shared[Number(v)] : / t="str"/.test(attrs) ? unescapeXml(v) : Number(v);
  }
  return cells;
}

async function exportXlsx(page) {
  check(/indicator=gdp_growth/.test(page.url()), "the ledger still shows the filtered view");
  const href = await page.locator("#export-xlsx").getAttribute("href");
  for (const p of ["indicator=gdp_growth", "kind=actual", "sort=value", "order=desc"]) {
    check(href.includes(p), `the export link keeps ${p}: ${href}`);
  }
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-xlsx").click()]);
  check(download.suggestedFilename().endsWith(".xlsx"), `an .xlsx file: ${download.suggestedFilename()}`);
  const path = join(shots, "facts.xlsx");
  await download.saveAs(path);
  const cells = readSheet(path);
  const expected = { A1: "地区", F1: "指标代码", H1: "类型", I1: "年份", J1: "数值", L1: "单位" };
  for (const [ref, name] of Object.entries(expected)) {
    check(cells[ref] === name, `header ${ref} is ${name}, got ${cells[ref]}`);
  }
  check(cells.A5 === undefined && cells.A4 !== undefined, `3 data rows: ${JSON.stringify(cells)}`);
  filtered.forEach((row, i) => {
    const r = i + 2;
    check(cells[`A${r}`] === row.region, `A${r} is ${row.region}, got ${cells[`A${r}`]}`);
    check(cells[`F${r}`] === "gdp_growth", `F${r} is gdp_growth, got ${cells[`F${r}`]}`);
    check(cells[`H${r}`] === "实际", `H${r} is 实际, got ${cells[`H${r}`]}`);
    check(cells[`I${r}`] === 2024, `I${r} is the number 2024, got ${cells[`I${r}`]}`);
    check(cells[`J${r}`] === row.value, `J${r} is the number ${row.value}, got ${cells[`J${r}`]}`);
    check(cells[`L${r}`] === "%", `L${r} is %, got ${cells[`L${r}`]}`);
  });
}

// ---- 对标 ----

async function comparePage(page) {
  await page.goto("/compare");
  const form = page.locator("form.filters");
  await form.locator('select[name="indicator"]').selectOption("gdp");
  await Promise.all([page.waitForURL(/indicator=gdp(&|$)/), form.locator('button[type="submit"]').click()]);
  await page.locator('#chart[data-ready="1"]').waitFor();
  check((await page.locator("#chart canvas").count()) > 0, "the chart draws on a canvas");
  const size = await page.locator("#chart canvas").first().boundingBox();
  check(size && size.width > 300 && size.height > 200, `the chart has a size: ${JSON.stringify(size)}`);
  // A region's results and targets are drawn in one colour, other regions in others.
  const series = await page.evaluate(() =>
    echarts.getInstanceByDom(document.getElementById("chart")).getOption().series
      .map((s) => ({ name: s.name, color: s.color, size: s.symbolSize })));
  const colour = (name) => series.find((s) => s.name === name)?.color;
  check(colour("遵义市·实际") && colour("遵义市·实际") === colour("遵义市·目标"),
    `遵义市's two lines share a colour: ${JSON.stringify(series)}`);
  check(colour("安顺市·实际") !== colour("遵义市·实际"), `regions differ: ${JSON.stringify(series)}`);
  check(series.every((s) => s.size >= 8), `points large enough to see: ${JSON.stringify(series)}`);
  const regions = await page.locator("#compare-table tbody td:first-child").allTextContents();
  for (const r of ["遵义市", "安顺市"]) check(regions.includes(r), `${r} in the table: ${regions}`);
  const years = await page.locator("#compare-table thead th").allTextContents();
  check(years.includes("2024") && years.includes("2025"), `2024 and 2025 columns: ${years}`);
  const zunyi = await page.locator("#compare-table tbody tr", { hasText: "遵义市" }).textContent();
  check(zunyi.includes("4985.3") && zunyi.includes("5300"), `遵义市's row: ${zunyi}`);
  await shot(page, "compare.png");
}

// ---- 区域 ----

async function regionPage(page) {
  await page.locator("#compare-table a", { hasText: "遵义市" }).click();
  await page.waitForURL(/\/regions\/520300$/);
  check((await page.locator("h1").textContent()).includes("遵义市"), "遵义市's page");
  const years = await page.locator("section.year h2").allTextContents();
  check(years[0]?.startsWith("2025") && years.some((y) => y.startsWith("2024")), `years: ${years}`);
  const y2025 = await page.locator("section.year").first().textContent();
  check(y2025.includes("5300亿元"), `2025's targets include 5300亿元: ${y2025.slice(0, 300)}`);
  const children = await page.locator("p.meta a").allTextContents();
  check(children.includes("播州区"), `the county below is listed: ${children}`);
  // Each indicator's targets and results: a row of the overview, and a chart when opened.
  const tracked = await page.locator("#tracks tbody td:first-child").allTextContents();
  check(tracked.includes("地区生产总值增长"), `indicators tracked: ${tracked}`);
  const growth = page.locator("details#t-gdp_growth");
  await growth.locator("summary").click();
  await page.waitForSelector('details#t-gdp_growth .track-chart[data-ready="1"]');
  const row = await growth.locator("tbody tr", { hasText: "2025" }).textContent();
  check(row.includes("6.5%左右") && row.includes("待报告"), `2025's target waits for its result: ${row}`);
  await shot(page, "region.png");
}

// ---- 搜索 ----

async function searchPage(page) {
  await page.goto("/search");
  await page.locator('main input[name="q"]').fill("黔北酱酒");
  await Promise.all([page.waitForURL(/q=/), page.locator('main input[name="q"]').press("Enter")]);
  const hits = page.locator("#hits li");
  check((await hits.count()) === 1, `one document mentions 黔北酱酒, got ${await hits.count()}`);
  check((await hits.first().locator("a").first().textContent()).includes("遵义市"), "the hit is 遵义市's report");
  const marks = await page.locator("#hits .snippet mark").allTextContents();
  check(marks.length > 0 && marks.every((m) => m === "黔北酱酒"), `hits highlighted: ${marks}`);

  // Two words must both occur; the region filter narrows by region.
  await page.locator('main input[name="q"]').fill("地区生产总值 增长");
  await Promise.all([page.waitForNavigation(), page.locator('main input[name="q"]').press("Enter")]);
  check((await hits.count()) === fixtures.length, `every document has both words, got ${await hits.count()}`);
  await page.locator('main select[name="region"]').selectOption("520300");
  await Promise.all([page.waitForURL(/region=520300/), page.locator('main button[type="submit"]').click()]);
  const titles = await page.locator("#hits li > a").allTextContents();
  // A region takes in the regions below it, as in the ledger and the library.
  check(
    titles.length === 2 && titles.some((t) => t.startsWith("遵义市2025")) && titles.some((t) => t.includes("播州区")),
    `遵义市's report and 播州区's: ${titles}`,
  );
  const words = new Set(await page.locator("#hits .snippet mark").allTextContents());
  check(words.has("地区生产总值") && words.has("增长"), `both words highlighted: ${[...words]}`);
  await shot(page, "search.png");
}

// ---- 台账 (the ledger of tasks) ----

const iso = (d) => d.toISOString().slice(0, 10);
const DAY = 24 * 3600 * 1000;

async function makeLedger(page) {
  await page.goto("/documents");
  await page.locator("#documents a", { hasText: "遵义市2025年政府工作报告" }).first().click();
  await page.waitForURL(/\/documents\/\d+$/);
  const form = page.locator("#make-ledger");
  await form.locator('input[name="lead_unit"]').fill("市发展改革委");
  await Promise.all([page.waitForURL(/\/ledger\?document=\d+&made=\d+/), form.locator("button").click()]);
  const made = Number(/made=(\d+)/.exec(page.url())[1]);
  check(made > 3, `tasks made from the report's targets: ${made}`);
  check((await page.locator("#notice").textContent()).includes(`已从文件生成 ${made} 项任务`), "the notice says how many");
  const rows = page.locator("#tasks tbody tr");
  check((await rows.count()) === made, `${made} rows listed, got ${await rows.count()}`);
  const lead = await page.locator("#tasks tbody tr td:nth-child(3)").allTextContents();
  check(lead.every((u) => u.trim() === "市发展改革委"), `every task led by 市发展改革委: ${lead}`);
  // Each task links back to its sentence in the document, where its fact is focused.
  await rows.first().locator("td:nth-child(2) a").click();
  await page.waitForURL(/\/ledger\/\d+$/);
  const sentence = await page.locator("#source-sentence").textContent();
  check(sentence.length > 5, `the source sentence is shown: ${sentence}`);
  await Promise.all([page.waitForURL(/\/documents\/\d+#f\d+$/), page.locator("#source-link").click()]);
  const id = new URL(page.url()).hash.slice(1);
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === id, `the task's fact ${id} is focused in the document, not ${focused}`);
  const mark = await page.locator(`#${id}`).textContent();
  check(sentence.includes(mark), `the focused fact ${mark} is in the task's sentence`);
  await page.goto("/ledger");
  await shot(page, "ledger.png");
}

let reportedTask = "";

async function reportProgress(page) {
  await page.goto("/ledger");
  // A task whose time is nearly over: started long ago, due in ten days.
  const add = page.locator("#add-task");
  await add.locator("summary").click();
  await add.locator('textarea[name="title"]').fill("建成5G基站300个");
  await add.locator('input[name="lead_unit"]').fill("市大数据局");
  await add.locator('input[name="assisting_units"]').fill("市通信发展办、各区县");
  await add.locator('input[name="start_date"]').fill("2020-01-01");
  await add.locator('input[name="deadline"]').fill(iso(new Date(Date.now() + 10 * DAY)));
  await Promise.all([page.waitForURL(/\/ledger\/\d+$/), add.locator("button").click()]);
  reportedTask = page.url();

  const report = async (percent, note, files) => {
    const form = page.locator("#report-form");
    await form.locator('input[name="percent"]').fill(String(percent));
    await form.locator('textarea[name="note"]').fill(note);
    if (files) await form.locator('input[name="file"]').setInputFiles(files);
    await Promise.all([page.waitForURL(/#reports$/), form.locator('button[type="submit"]').click()]);
  };
  // 98% done with almost all the time gone: on schedule, green.
  await report(98, "已建成294个", null);
  let light = page.locator("#task-light");
  check((await light.getAttribute("class")).includes("green"), `98% is green: ${await light.getAttribute("class")}`);
  // A correction to 10%: far behind schedule progress, red.
  await report(10, "核实后仅建成30个", [{ name: "核查报告.txt", mimeType: "text/plain", buffer: Buffer.from("仅建成30个") }]);
  light = page.locator("#task-light");
  check((await light.getAttribute("class")).includes("red") && (await light.textContent()).includes("红灯"),
    `10% lights red: ${await light.getAttribute("class")} ${await light.textContent()}`);
  check((await page.locator("#task-done").textContent()).trim() === "10%", "the share done is the latest report's");
  check((await page.locator("#task-lag").textContent()).includes("落后序时进度"), "the page says how far behind");
  const history = await page.locator("#report-history tbody tr").allTextContents();
  check(history.length === 2 && history[0].includes("核实后仅建成30个") && history[0].includes("核查报告.txt"),
    `both reports listed, latest first, with the evidence: ${history}`);
  await shot(page, "task.png");

  // The ledger's red filter and the warnings dashboard show it.
  await page.goto("/ledger");
  const filters = page.locator("#task-filters");
  await filters.locator('select[name="light"]').selectOption("red");
  await Promise.all([page.waitForURL(/light=red/), filters.locator('button[type="submit"]').click()]);
  const red = await page.locator("#tasks tbody tr td:nth-child(2) a").allTextContents();
  check(red.includes("建成5G基站300个"), `the task is among the red ones: ${red}`);
  await page.goto("/warnings");
  const row = page.locator("#warnings tbody tr", { hasText: "市大数据局" });
  const cells = await row.locator("td").allTextContents();
  check(cells[1].trim() === "1" && cells[5].trim() === "1", `市大数据局: 1 task, 1 red: ${cells}`);
  await shot(page, "warnings.png");
}

async function exportLedger(page) {
  await page.goto("/ledger");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-ledger").click()]);
  check(download.suggestedFilename().endsWith(".xlsx"), `an .xlsx file: ${download.suggestedFilename()}`);
  const path = join(shots, "ledger.xlsx");
  await download.saveAs(path);
  const cells = readSheet(path);
  const header = ["序号", "目标任务", "责任单位", "配合单位", "完成时限", "进展情况", "存在问题", "下步打算"];
  header.forEach((name, i) => {
    const ref = `${String.fromCharCode(65 + i)}1`;
    check(cells[ref] === name, `header ${ref} is ${name}, got ${cells[ref]}`);
  });
  const r = Object.keys(cells).find((k) => k.startsWith("B") && cells[k] === "建成5G基站300个")?.slice(1);
  check(r, `a row for 建成5G基站300个: ${JSON.stringify(cells)}`);
  check(cells[`C${r}`] === "市大数据局", `C${r} is 市大数据局, got ${cells[`C${r}`]}`);
  check(cells[`D${r}`] === "市通信发展办、各区县", `D${r} lists the assisting units, got ${cells[`D${r}`]}`);
  // The latest report is the reporter's of 市大数据局 (reporterFlow).
  check(cells[`F${r}`] === "已建成45个", `F${r} (进展情况) is the latest report, got ${cells[`F${r}`]}`);
  check(cells[`J${r}`] === 15, `J${r} (完成进度) is the number 15, got ${cells[`J${r}`]}`);
}

// ---- 督查通报 ----

async function bulletin(page) {
  // A planner imports a scheme that deducts for red tasks and saves a run of it.
  const scheme = {
    name: "部门督查考核",
    indicators: [{ key: "red", name: "红灯任务", weight: 10,
      method: { kind: "deduction", per_occurrence: 2, max: 10 }, source: { kind: "ledger", count: "red" } }],
    lists: { red: { top_n: 1 }, black: { bottom_n: 1 } },
  };
  await page.goto("/assess");
  await page.locator('#import textarea[name="json"]').fill(JSON.stringify(scheme));
  await Promise.all([page.waitForURL(/\/assess\/\d+$/), page.locator("#import button").click()]);
  const schemeId = /\/assess\/(\d+)$/.exec(page.url())[1];
  const save = page.locator("#save-run");
  await save.locator('input[name="label"]').fill("本季度");
  await Promise.all([page.waitForURL(/saved=/), save.locator("button").click()]);
  check((await page.locator("#scores tbody tr").count()) > 0, "the saved run has scores");

  // The bulletin of this quarter with that scheme's latest run.
  await page.goto("/bulletin");
  const form = page.locator("#bulletin-form");
  const period = await form.locator('input[name="period"]').inputValue();
  check(/^\d{4}年第[一二三四]季度$/.test(period), `the current quarter by default: ${period}`);
  await form.locator('select[name="scheme"]').selectOption(schemeId);
  await form.locator('input[name="office"]').fill("示例市人民政府督查室");
  await Promise.all([page.waitForURL(/scheme=\d+/), form.locator('button[type="submit"]').click()]);
  const preview = page.locator("#preview");
  const text = await preview.textContent();
  for (const want of [`示例市人民政府督查室关于${period}重点任务推进情况的督查通报`, "一、总体情况", "二、预警情况",
    "市大数据局", "建成5G基站300个", "三、考核得分与排名", "《部门督查考核》（本季度）", "四、红黑榜", "五、下步要求"]) {
    check(text.includes(want), `the preview says ${want}`);
  }
  const subjects = await page.locator("#scores tbody tr td:nth-child(2)").allTextContents();
  check(subjects.includes("市大数据局") && subjects.includes("市发展改革委"), `both units are ranked: ${subjects}`);
  const lists = await page.locator("#lists").textContent();
  check(lists.includes("红榜：市大数据局") && lists.includes("黑榜：市发展改革委"), `the lists: ${lists}`);
  await shot(page, "bulletin.png");

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#docx").click()]);
  const name = download.suggestedFilename();
  check(name.endsWith("督查通报.docx"), `a .docx named after the title: ${name}`);
  const path = join(shots, "bulletin.docx");
  await download.saveAs(path);
  const files = unzip(readFileSync(path));
  const xml = files.get("word/document.xml")?.toString("utf8");
  check(xml, "the .docx has word/document.xml");
  const words = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1])).join("");
  let at = 0;
  for (const want of ["示例市人民政府督查室", "一、总体情况", "二、预警情况", "建成5G基站300个", "三、考核得分与排名",
    "市大数据局", "四、红黑榜", "五、下步要求"]) {
    const i = words.indexOf(want, at);
    check(i >= 0, `the document says ${want} after position ${at}`);
    at = i;
  }

  // Data no document holds, entered by hand on the scheme: the next run takes it.
  await page.goto(`/assess/${schemeId}`);
  await Promise.all([page.waitForURL(/\/inputs$/), page.locator("#edit-inputs").click()]);
  const inputs = page.locator("#inputs-form");
  await inputs.locator('input[name="subject.0"]').fill("市统计局");
  await inputs.locator('input[name="count.0"]').fill("3");
  await inputs.locator('input[name="note.0"]').fill("督查发现台账三项未更新");
  await Promise.all([page.waitForURL(/inputs=saved/), inputs.locator('button[type="submit"]').click()]);
  check((await page.locator("#notice").textContent()).includes("已保存手工录入数据"), "a notice says the inputs are kept");
  const ranked = await page.locator("#scores tbody").textContent();
  check(ranked.includes("市统计局") && ranked.includes("督查发现台账三项未更新"), `the run takes the hand-entered count: ${ranked}`);
  await shot(page, "assess-inputs.png");
}

// ---- 文件库: delete ----

async function deleteDocument(page) {
  await page.goto("/documents");
  const rows = page.locator("#documents tbody tr");
  const before = await rows.count();
  await rows.filter({ hasText: "播州区" }).locator("td:nth-child(2) a").first().click();
  await page.waitForURL(/\/documents\/\d+$/);
  expectedConfirm = "删除";
  await Promise.all([page.waitForURL(/\/documents$/), page.locator("#delete-document").click()]);
  check(expectedConfirm === null, "the page asked before deleting");
  check((await rows.count()) === before - 1, `one document fewer: ${await rows.count()} of ${before}`);
  const regions = await page.locator("#documents tbody td:nth-child(3)").allTextContents();
  check(!regions.some((r) => r.includes("播州区")), `播州区's report is gone: ${regions}`);
}

// ---- 项目库 ----

async function projects(page) {
  check(projectFixtures.length === 2, `two project fixtures, got ${projectFixtures}`);
  await page.goto("/documents");
  await page.locator("#file-input").setInputFiles(projectFixtures);
  await page.locator('#upload-results[data-done="1"]').waitFor({ state: "attached" });
  const stored = await page.locator("#upload-results li").allTextContents();
  check(stored.length === 2 && stored.every((r) => r.includes("已入库")), `both stored: ${stored}`);

  // The nav link, then the stage filter (统计库: building or built).
  await page.locator("header nav a", { hasText: "项目库" }).click();
  await page.waitForURL(/\/projects$/);
  const form = page.locator("#project-filters");
  await form.locator('select[name="stage"]').selectOption("statistics");
  await form.locator('input[name="region"]').fill("汇川区");
  await Promise.all([page.waitForURL(/stage=statistics/), form.locator('button[type="submit"]').click()]);
  const names = await page.locator("#projects tbody td.name .pname").allTextContents();
  check(names.includes("金鼎大型水库") && !names.includes("云岭抽水蓄能电站"),
    `统计库 of 汇川区 holds 金鼎大型水库, not the power station: ${names}`);
  const row = page.locator("#projects tbody tr", { hasText: "金鼎大型水库" });
  const cells = await row.locator("td").allTextContents();
  check(cells[1].includes("汇川区") && cells[2].includes("水库水利") && cells[4].includes("总投资18亿元"),
    `region, type and investment: ${cells}`);
  check(cells[5].includes("统计库") && !cells[5].includes("手动"), `stage 统计库 from the documents: ${cells[5]}`);

  // The timeline: 2025 开工, 2026 建成投用, each year opening onto its sentences.
  const years = row.locator("ol.timeline > li");
  const summaries = (await years.locator("summary").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  check(summaries.length === 2 && summaries[0].startsWith("2025年 开工") && summaries[1].startsWith("2026年 建成投用"),
    `a timeline of two years: ${JSON.stringify(summaries)}`);
  await years.nth(1).locator("summary").click();
  const source = years.nth(1).locator("ul.sources li").first();
  check((await source.textContent()).includes("确保金鼎大型水库建成投用。"), `the 2026 sentence: ${await source.textContent()}`);
  await shot(page, "projects.png");

  // Following the source opens the 2026 report at the name.
  await Promise.all([page.waitForURL(/\/documents\/\d+#p\d+$/), source.locator("a").click()]);
  check((await page.locator("h1").textContent()).includes("汇川区2026年"), `the 2026 report: ${await page.locator("h1").textContent()}`);
  const target = page.locator(":target");
  check((await target.textContent()) === "金鼎大型水库", `the name is the link's target: ${await target.textContent()}`);
  check(await target.isVisible(), "the name is on screen");
  await shot(page, "project-source.png");
  // And back: the name in the document opens the project in the library.
  await Promise.all([page.waitForURL(/\/projects\/view\?/), target.locator("a").click()]);
  check((await page.locator("#project-name").textContent()).includes("金鼎大型水库"), "the name leads to its project");
  const onPage = (await page.locator("#project-timeline > li > b").allTextContents()).join(",");
  check(onPage === "2025年,2026年", `its timeline: ${onPage}`);

  // 在谈/谋划: the power station; moved by hand to 设计库, it is marked 手动 and stays on the list.
  await page.goto("/projects?region=汇川区");
  await Promise.all([page.waitForURL(/list=pipeline/), page.locator("#project-lists a", { hasText: "在谈/谋划项目" }).click()]);
  const pipeline = await page.locator("#projects tbody td.name .pname").allTextContents();
  check(JSON.stringify(pipeline) === JSON.stringify(["云岭抽水蓄能电站"]), `在谈/谋划: ${pipeline}`);
  const power = page.locator("#projects tbody tr", { hasText: "云岭抽水蓄能电站" });
  await power.locator("details.move summary").click();
  await power.locator('select[name="stage"]').selectOption("design");
  await power.locator('input[name="note"]').fill("初步设计已批复");
  await Promise.all([page.waitForURL(/moved=/), power.locator('.move-form button[type="submit"]').click()]);
  check((await page.locator("#notice").textContent()).includes("云岭抽水蓄能电站"), "a notice names the project");
  check(/list=pipeline/.test(page.url()), `back on the same list: ${page.url()}`);
  const moved = await page.locator("#projects tbody tr", { hasText: "云岭抽水蓄能电站" }).locator("td.stage").textContent();
  check(moved.includes("设计库") && moved.includes("手动") && moved.includes("文件所述：前期"), `设计库 by hand: ${moved}`);
  await shot(page, "projects-moved.png");

  // The project's own page: its timeline with every sentence, and the move in its history.
  await Promise.all([page.waitForURL(/\/projects\/view\?/),
    page.locator("#projects tbody tr", { hasText: "云岭抽水蓄能电站" }).locator("a.pname").click()]);
  check((await page.locator("#project-name").textContent()).includes("云岭抽水蓄能电站"), "the project's page");
  const history = await page.locator("#project-history").textContent();
  check(history.includes("修改项目库") && history.includes("阶段：（空） → 设计库") && history.includes("初步设计已批复"),
    `the move is in its history: ${history}`);
  await shot(page, "project.png");
  const first = page.locator("#project-timeline ul.sources a").first();
  await Promise.all([page.waitForURL(/\/documents\/\d+#p\d+$/), first.click()]);
  check((await page.locator(":target").textContent()) === "云岭抽水蓄能电站", "the sentence's document, at the name");

  // The office's own sheet: a company it courts enters the 拟招企业 list; the station moves to 理性库.
  const sheet = process.env.TAIZHANG_PROJECT_SHEET;
  check(sheet, "TAIZHANG_PROJECT_SHEET names the office's sheet");
  await page.goto("/projects");
  await page.locator("#project-import summary").click();
  await page.locator('#project-import input[type="file"]').setInputFiles(sheet);
  await Promise.all([page.waitForURL(/imported=/), page.locator('#project-import button[type="submit"]').click()]);
  const notice = await page.locator("#notice").textContent();
  check(notice.includes("新增1个") && notice.includes("调整阶段1个"), `the import's notice: ${notice}`);
  await Promise.all([page.waitForURL(/list=prospects/), page.locator("#project-lists a", { hasText: "拟招企业" }).click()]);
  const courted = page.locator("#projects tbody tr");
  check((await courted.count()) === 1, `one company on the list: ${await courted.count()}`);
  const company = await courted.locator("td").allTextContents();
  check(company[0].includes("黔北新材料有限公司") && company[0].includes("手工录入") && company[0].includes("已两次对接"),
    `the company, entered by hand, with its note: ${company[0]}`);
  check(company[4].includes("拟投资15亿元") && company[6].includes("文件中未提及"), `its investment, no documents: ${company}`);
  await shot(page, "projects-prospects.png");
  // Removed, after the page asks, it leaves the list.
  expectedConfirm = "从项目库删除“黔北新材料有限公司”";
  await Promise.all([page.waitForURL(/removed=/), courted.locator(".remove-entry button").click()]);
  check(expectedConfirm === null, "the page asked before removing");
  check((await page.locator("#projects tbody tr").count()) === 0 && /list=prospects/.test(page.url()),
    `the list is empty, still shown: ${page.url()}`);
  await page.goto("/projects?region=汇川区&list=pipeline");
  const station = await page.locator("#projects tbody tr", { hasText: "云岭抽水蓄能电站" }).locator("td.stage").textContent();
  check(station.includes("理性库") && station.includes("手动"), `理性库 by the sheet: ${station}`);

  // The stages page: a new 签约库 after 梦想库 shows in the sequence.
  await page.locator("#edit-stages").click();
  await page.waitForURL(/\/projects\/stages$/);
  await page.locator('input[name="label.5"]').fill("签约库");
  await page.locator('input[name="order.5"]').fill("1.5");
  await Promise.all([page.waitForURL(/stages=saved/), page.locator('#stages-form button[type="submit"]').click()]);
  const hint = await page.locator("p.hint").first().textContent();
  check(hint.includes("梦想库 → 签约库 → 理性库"), `the new sequence: ${hint}`);
}

try {
  await main();
  console.log(`all browser flows passed; screenshots in ${shots}`);
} catch (e) {
  console.error(`FAILED ${e.message}`);
  if (problems.length) console.error(`also:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
