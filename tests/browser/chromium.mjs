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
