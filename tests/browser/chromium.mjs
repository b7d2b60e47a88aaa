// The flags every browser test starts Chromium with: headless as root, and
// no connection of Chromium's own (this machine's network is closed).
export const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Records into `problems` everything a page does wrong, whatever page:
// console errors, uncaught exceptions, dialogs (alert() from injected
// markup), requests that leave the file.
export function watch(page, name, problems) {
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${name}: uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`${name}: dialog ${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("file:") && !u.startsWith("data:")) problems.push(`${name}: request to ${u}`);
  });
}
