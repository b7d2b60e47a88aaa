// Loads the generated docs page in headless Chromium and checks what a
// reader sees. Run by tests/docs_browser.rs:
//
//   node tests/browser/docs.mjs CONFIG.json
//
// CONFIG: { "chromium": path, "page": html file, "title": catalog title,
//           "codes": [every event code, in page order],
//           "special_page": html file, "special_title": its title,
//           "searches": { query: [codes it must find] },
//           "screenshots": { "top", "search", "dark", "wide", "phone" }: png paths }
// Exits 0 when every check passed, 1 (with the failed check) otherwise.
import assert from "node:assert/strict";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { FLAGS, watch as watchPage } from "./chromium.mjs";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const VIEWPORT = { width: 1280, height: 900 };
let checks = 0;
const started = Date.now();
function check(what, fn) {
  return Promise.resolve(fn()).then(() => {
    checks++;
    console.log(`ok ${checks} - ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
}

// Everything the pages do wrong (see `watch`).
const problems = [];
function watch(page, name) {
  watchPage(page, name, problems);
}

/** Ids of the event sections a reader can see. */
async function visibleEvents(page) {
  return page.$$eval("section.event", (els) =>
    els.filter((e) => e.offsetParent !== null && e.getClientRects().length > 0).map((e) => e.id),
  );
}

async function typeQuery(page, q) {
  const box = page.locator("#search");
  await box.fill("");
  await box.pressSequentially(q, { delay: 5 });
}

/** A search must show every code containing all words, hide table rows
 * of hidden events, and only show sections whose text has every word. */
async function checkSearch(page, query, codes) {
  await typeQuery(page, query);
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const visible = await visibleEvents(page);
  const mustShow = codes.filter((c) => words.every((w) => c.includes(w)));
  assert.ok(mustShow.length > 0, `query ${query} matches some code`);
  for (const c of mustShow) assert.ok(visible.includes(c), `"${query}": ${c} is shown`);
  assert.ok(visible.length < codes.length, `"${query}" hides some events`);
  const texts = await page.$$eval("section.event", (els) =>
    Object.fromEntries(els.map((e) => [e.id, e.textContent.toLowerCase()])),
  );
  for (const id of visible) {
    for (const w of words) {
      const reached = (cfg.reach[id] || []).some((x) => x.includes(w));
      assert.ok(texts[id].includes(w) || reached, `"${query}": shown ${id} has ${w} in its text or its types`);
    }
  }
  const rows = await page.$$eval("li[data-toc]", (els) =>
    els.map((r) => [r.getAttribute("data-toc"), r.offsetParent !== null]),
  );
  assert.equal(rows.length, codes.length, "one contents entry per event");
  for (const [code, shown] of rows) {
    assert.equal(shown, visible.includes(code), `contents entry of ${code} follows its section`);
  }
  const count = await page.locator("#search-count").innerText();
  assert.equal(count, `${visible.length} of ${codes.length} events`);
  assert.equal(await page.locator("#no-match").isVisible(), false, "no 'no match' message");
  return visible;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: cfg.chromium,
    headless: true,
    args: FLAGS,
  });
  try {
    const url = pathToFileURL(cfg.page).href;
    const codes = cfg.codes;
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: "light" });
    const page = await context.newPage();
    watch(page, "page");
    await page.goto(url);

    await check("title and heading", async () => {
      assert.equal(await page.title(), `${cfg.title}: events`);
      assert.equal(await page.locator("h1").innerText(), cfg.title);
    });

    await check(`every one of the ${codes.length} codes has a visible section showing it`, async () => {
      const ids = await page.$$eval("section.event", (els) => els.map((e) => e.id));
      assert.deepEqual(ids, codes, "one section per code, in catalog order");
      const visible = await visibleEvents(page);
      assert.equal(visible.length, codes.length);
      for (const c of codes) {
        // Sections off screen are not rendered (content-visibility): scroll
        // to each as a reader would.
        const shown = page.locator(`section.event[id="${c}"] .meta .code`);
        await shown.scrollIntoViewIfNeeded();
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const text = await shown.innerText();
        assert.equal(text, c);
        assert.ok(await page.locator(`li[data-toc="${c}"] a[href="#${c}"]`).isVisible(), `${c} in the contents`);
      }
    });

    await page.screenshot({ path: cfg.screenshots.top });

    const picks = [codes[0], codes[Math.floor(codes.length / 2)], codes[codes.length - 1]];
    for (const code of picks) {
      await check(`clicking the contents entry of ${code} targets and scrolls to its section`, async () => {
        await page.locator(`li[data-toc="${code}"] a`).click();
        await page.waitForFunction((c) => location.hash === `#${c}`, code);
        const state = await page.evaluate(() => {
          const t = document.querySelector(":target");
          return { id: t && t.id, top: t && t.getBoundingClientRect().top, h: innerHeight };
        });
        assert.equal(state.id, code, ":target is the section");
        assert.ok(state.top >= 0 && state.top < state.h / 2, `section at the top (${state.top}px)`);
      });
    }
    await check("opening the page at #<code> targets that section", async () => {
      const code = codes[1];
      await page.goto(`${url}#${code}`);
      const state = await page.evaluate(() => {
        const t = document.querySelector(":target");
        return { id: t && t.id, top: t && t.getBoundingClientRect().top, h: innerHeight };
      });
      assert.equal(state.id, code);
      assert.ok(state.top >= 0 && state.top < state.h / 2, `section at the top (${state.top}px)`);
    });

    await page.goto(url);
    await check("the search box, theme toggle and copy buttons show with JavaScript", async () => {
      assert.ok(await page.locator("#search").isVisible());
      assert.equal(await page.getByLabel("Filter events").count(), 1, "search box is labelled");
      assert.ok(await page.locator("#theme-toggle").isVisible());
      assert.ok(await page.locator("button.copy").first().isVisible());
    });

    const deep = (n) => codes.find((c) => c.split(".").length >= n);
    const segs = (deep(4) || deep(3)).split(".");
    const q1 = `${segs[1]}.${segs[2]}`;
    await check(`typing "${q1}" hides the events that do not match`, async () => {
      await checkSearch(page, q1, codes);
      assert.equal(await page.locator("section.intro").isVisible(), false, "intro out of the way");
    });
    await page.screenshot({ path: cfg.screenshots.search });

    const q2 = `${segs[segs.length - 1]} ${segs[1]}`;
    await check(`typing the words "${q2}" keeps only events with both`, async () => {
      await checkSearch(page, q2, codes);
    });

    await check("a query matching nothing says so", async () => {
      await typeQuery(page, "zzq no-such-event");
      assert.equal((await visibleEvents(page)).length, 0);
      assert.ok(await page.locator("#no-match").isVisible());
      assert.match(await page.locator("#no-match").innerText(), /^No event matches .?zzq no-such-event.?\.$/);
    });

    await check("Escape clears the search and shows every event again", async () => {
      await page.locator("#search").press("Escape");
      assert.equal((await visibleEvents(page)).length, codes.length);
      assert.ok(await page.locator("section.intro").isVisible());
    });

    await check("following a link to an event hidden by the search clears the search", async () => {
      await typeQuery(page, q1);
      const hidden = codes.find((c) => !c.includes(q1));
      const visible = await visibleEvents(page);
      assert.ok(!visible.includes(hidden));
      await page.evaluate((c) => { location.hash = c; }, hidden);
      await page.waitForFunction((c) => {
        const el = document.getElementById(c);
        return el && el.offsetParent !== null;
      }, hidden);
      assert.equal(await page.locator("#search").inputValue(), "");
      await page.locator("#search").press("Escape");
    });

    await check("the copy button copies an example", async () => {
      const button = page.locator("button.copy").first();
      const target = await button.getAttribute("data-copy");
      const json = await page.evaluate((id) => document.getElementById(id).textContent, target);
      JSON.parse(json); // the example shown is valid JSON
      await button.click();
      await page.waitForFunction(
        (id) => /Copied|Press Ctrl\+C/.test(document.querySelector(`button[data-copy="${id}"]`).textContent),
        target,
      );
    });

    await check("the theme toggle switches to dark and back", async () => {
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await bg();
      assert.equal(light, "rgb(255, 255, 255)");
      await page.locator("#theme-toggle").click();
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), "dark");
      assert.notEqual(await bg(), light);
      assert.equal(await page.locator("#theme-toggle").getAttribute("aria-pressed"), "true");
      await page.evaluate((c) => document.getElementById(c).scrollIntoView(), codes[2]);
      await page.screenshot({ path: cfg.screenshots.dark });
      await page.locator("#theme-toggle").click();
      assert.equal(await bg(), light);
    });

    await check("a dark system theme gives a dark page", async () => {
      const dark = await browser.newContext({ viewport: VIEWPORT, colorScheme: "dark" });
      const p = await dark.newPage();
      watch(p, "dark page");
      await p.goto(url);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      assert.ok(r + g + b < 150, `dark background, got ${bg}`);
      await dark.close();
    });

    await check("without JavaScript every event is visible and the JS controls are hidden", async () => {
      const nojs = await browser.newContext({ viewport: VIEWPORT, javaScriptEnabled: false });
      const p = await nojs.newPage();
      watch(p, "no-JS page");
      await p.goto(url);
      assert.equal((await visibleEvents(p)).length, codes.length);
      assert.equal(await p.locator("form.search").isVisible(), false);
      assert.equal(await p.locator("button.copy").first().isVisible(), false);
      assert.ok(await p.locator("pre code").first().isVisible(), "examples visible");
      await nojs.close();
    });

    for (const [query, expected] of Object.entries(cfg.searches)) {
      await check(`searching "${query}" finds the ${expected.length} events concerned`, async () => {
        assert.ok(expected.length > 0, `${query}: some event concerned`);
        await page.goto(url);
        await typeQuery(page, query);
        const visible = await visibleEvents(page);
        for (const c of expected) assert.ok(visible.includes(c), `"${query}" finds ${c}`);
        const texts = await page.$$eval("section.event", (els) =>
          Object.fromEntries(els.map((e) => [e.id, e.textContent.toLowerCase()])),
        );
        for (const c of visible) {
          assert.ok(expected.includes(c) || texts[c].includes(query), `"${query}": ${c} shown for a reason`);
        }
        assert.equal(await page.locator("#search-count").innerText(), `${visible.length} of ${codes.length} events`);
      });
    }

    for (const [name, viewport] of [["wide", { width: 1400, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
      const ctx = await browser.newContext({ viewport, colorScheme: "light" });
      const p = await ctx.newPage();
      watch(p, `${name} page`);
      await p.goto(url);
      const headerBottom = () => p.evaluate(() => document.querySelector(".topbar").getBoundingClientRect().bottom);
      const noSideScroll = async (where) => {
        const w = await p.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]);
        assert.ok(w[0] <= w[2] && w[1] <= w[2], `${name} ${where}: page ${w[0]}/${w[1]} px wide in a ${w[2]} px window`);
      };
      await check(`${viewport.width} px: the page does not scroll sideways, the header is one line`, async () => {
        await noSideScroll("top");
        const h = await p.evaluate(() => document.querySelector(".topbar").getBoundingClientRect().height);
        assert.ok(h < 64, `header ${h} px tall`);
        assert.ok(await p.locator("#search").isVisible(), "search box in the header");
      });
      await check(`${viewport.width} px: every contents link resolves, the contents is ${name === "phone" ? "folded" : "beside the page"}`, async () => {
        const dangling = await p.$$eval("#toc a[href^='#']", (as) =>
          as.map((a) => a.getAttribute("href").slice(1)).filter((id) => !document.getElementById(id)),
        );
        assert.deepEqual(dangling, []);
        assert.equal(await p.locator("#toc a[href^='#']").count(), codes.length + 3 + new Set(codes.map((c) => c.split(".")[0])).size);
        const open = await p.evaluate(() => document.getElementById("toc").open);
        if (name === "phone") {
          assert.equal(open, false, "folded on a phone");
          await p.locator("#toc > summary").click();
        } else {
          const box = await p.locator("#toc").boundingBox();
          const main = await p.locator("main").boundingBox();
          assert.ok(box.x + box.width <= main.x + 1, "sidebar left of the content");
        }
      });
      const code = codes[Math.floor(codes.length / 2)];
      await check(`${viewport.width} px: following a contents link shows the event title below the sticky header`, async () => {
        await p.locator(`li[data-toc="${code}"] a`).click();
        await p.waitForFunction((c) => location.hash === `#${c}`, code);
        await p.waitForTimeout(50);
        const top = await p.evaluate((c) => document.getElementById(c).querySelector("h3").getBoundingClientRect().top, code);
        const hb = await headerBottom();
        assert.ok(top >= hb && top < viewport.height / 2, `title at ${top} px, header ends at ${hb} px`);
        await noSideScroll(code);
        if (name === "phone") {
          assert.equal(await p.evaluate(() => document.getElementById("toc").open), false, "contents folded again");
        }
      });
      await check(`${viewport.width} px: an event's link to its payload type lands on that type`, async () => {
        const link = p.locator(`section.event[id="${code}"] h4 a[href^="#type-"]`);
        const href = await link.getAttribute("href");
        await link.click();
        await p.waitForFunction((h) => location.hash === h, href);
        await p.waitForTimeout(50);
        const st = await p.evaluate(() => {
          const t = document.querySelector(":target");
          return { id: t && t.id, cls: t && t.className, top: t && t.querySelector("h3").getBoundingClientRect().top };
        });
        assert.equal(`#${st.id}`, href);
        assert.equal(st.cls, "type");
        const hb = await headerBottom();
        assert.ok(st.top >= hb && st.top < viewport.height / 2, `type title at ${st.top} px, header ends at ${hb} px`);
        await noSideScroll(href);
        // Field tables: on a phone each row's cells stack, nothing is cut off.
        const cut = await p.$$eval(`${href} table.fields td`, (tds) =>
          tds.filter((td) => td.getBoundingClientRect().right > innerWidth + 1).length,
        );
        assert.equal(cut, 0, "no field cell past the right edge");
        await p.screenshot({ path: cfg.screenshots[name] });
      });
      await ctx.close();
    }

    await check("catalog text full of markup shows as text and runs nothing", async () => {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const p = await ctx.newPage();
      watch(p, "special page");
      await p.goto(pathToFileURL(cfg.special_page).href);
      assert.equal(await p.locator("h1").innerText(), cfg.special_title);
      assert.equal(await p.evaluate(() => document.scripts.length), 2, "only the page's own scripts");
      assert.equal(await p.locator("img").count(), 0, "no injected <img>");
      const text = await p.locator("main").innerText();
      assert.ok(text.includes("<script>alert(1)</script>"), "the script tag text is shown");
      await typeQuery(p, "<script>");
      assert.ok((await visibleEvents(p)).length >= 1, "searching for markup text works");
      await ctx.close();
    });

    await context.close();
  } finally {
    await browser.close();
  }
  await check("no console errors, uncaught exceptions, dialogs or network requests", () => {
    assert.deepEqual(problems, []);
  });
  console.log(`docs browser test: ${checks} passed, 0 failed`);
}

main().catch((e) => {
  console.error(`not ok ${checks + 1} - ${e && e.stack ? e.stack : e}`);
  if (problems.length) console.error(`also seen:\n${problems.join("\n")}`);
  process.exit(1);
});
