// The docs page of a large catalog (3,000 codes, made by tests/docs_browser.rs)
// in headless Chromium: it loads, the search finds one event among all,
// an event's link leads to its type's table, and nothing goes wrong.
//
//   node tests/browser/large.mjs CONFIG.json
//
// CONFIG: { "chromium": path, "page": html file, "count": number of codes,
//           "search": { "query": words, "code": the one code it finds },
//           "follow": { "code": an event, "type": the anchor of its payload type } }
// Prints the load time; exits 0 when every check passed, 1 otherwise.
import assert from "node:assert/strict";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { FLAGS, watch } from "./chromium.mjs";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];
let checks = 0;
async function check(what, fn) {
  await fn();
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: cfg.chromium,
    args: FLAGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch(page, "large page", problems);
    const url = pathToFileURL(cfg.page).href;
    const t0 = Date.now();
    await page.goto(url, { waitUntil: "load", timeout: 120000 });
    const loaded = (Date.now() - t0) / 1000;
    console.log(`# ${cfg.count} codes, ${(fs.statSync(cfg.page).size / 1e6).toFixed(1)} MB: loaded in ${loaded.toFixed(2)} s`);

    await check(`every one of the ${cfg.count} events is on the page`, async () => {
      assert.equal(await page.locator("section.event").count(), cfg.count);
    });
    await check(`searching "${cfg.search.query}" shows exactly ${cfg.search.code}`, async () => {
      await page.locator("#search").fill(cfg.search.query);
      await page.waitForFunction(
        (n) => document.querySelector("#search-count")?.innerText === `1 of ${n} events`,
        cfg.count,
        { timeout: 60000 },
      );
      const shown = await page.$$eval("section.event", (ss) =>
        ss.filter((s) => s.offsetParent !== null).map((s) => s.id),
      );
      assert.deepEqual(shown, [cfg.search.code]);
      await page.locator("#search").press("Escape");
    });
    await check(`${cfg.follow.code} links to its payload type, whose table is shown`, async () => {
      const link = page.locator(`section.event[id="${cfg.follow.code}"] h4 a[href="#${cfg.follow.type}"]`);
      assert.equal(await link.count(), 1, "the event's payload links to its type");
      await link.click();
      await page.waitForFunction((h) => location.hash === h, `#${cfg.follow.type}`);
      const target = page.locator(`[id="${cfg.follow.type}"]`);
      assert.ok(await target.isVisible(), "the type's section is visible");
      assert.ok((await target.locator("table.fields tr").count()) > 1, "with its field table");
      const box = await target.boundingBox();
      assert.ok(box && box.y >= 0 && box.y < 900, `scrolled into view (y = ${box && box.y})`);
    });
    await check("no console errors, uncaught exceptions, dialogs or network requests", () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await browser.close();
  }
  console.log(`large docs page: ${checks} passed, 0 failed`);
}

main().catch((e) => {
  console.error(`not ok ${checks + 1} - ${e && e.stack ? e.stack : e}`);
  if (problems.length) console.error(`also seen:\n${problems.join("\n")}`);
  process.exit(1);
});
