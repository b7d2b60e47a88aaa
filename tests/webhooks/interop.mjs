// Interop of eventcat's Standard Webhooks signatures with the npm
// `standardwebhooks` package (an independent implementation). Run by
// tests/webhooks.rs:
//   node interop.mjs vectors                  sign the published v1 vectors, print one per line
//   node interop.mjs serve SECRET MAX         a consumer on 127.0.0.1 (port printed on stderr) that
//                                             verifies each delivery: 204, or 401; stops after MAX
//   node interop.mjs send URL SECRET FILE     sign each NDJSON line of FILE and POST it to URL
import http from "node:http";
import fs from "node:fs";
import { Webhook } from "standardwebhooks";

const [, , mode, ...args] = process.argv;
// Every mode ends on its own.
setTimeout(() => {
  console.error("interop.mjs: timed out");
  process.exit(3);
}, 120_000).unref();

if (mode === "vectors") {
  const vectors = [
    ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'],
    ["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553, '{"email":"test@example.com","username":"test_user"}'],
  ];
  for (const [secret, id, ts, body] of vectors) {
    console.log(new Webhook(secret).sign(id, new Date(ts * 1000), body));
  }
} else if (mode === "serve") {
  const [secret, max] = args;
  const wh = new Webhook(secret);
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let status = 204;
      let why = "";
      try {
        wh.verify(body, req.headers);
      } catch (e) {
        status = 401;
        why = String(e.message);
      }
      res.writeHead(status, { connection: "close" });
      res.end(why);
      n += 1;
      console.log(`${status} ${req.headers["webhook-id"]} ${why}`);
      if (n >= Number(max)) {
        server.close();
        server.closeAllConnections();
      }
    });
  });
  server.listen(0, "127.0.0.1", () => console.error(`listening on ${server.address().port}`));
} else if (mode === "send") {
  const [url, secret, file] = args;
  const wh = new Webhook(secret);
  const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
  let i = 0;
  for (const body of lines) {
    const id = `msg_npm_${i++}`;
    const ts = new Date();
    const headers = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(ts.getTime() / 1000)),
      "webhook-signature": wh.sign(id, ts, body),
    };
    const r = await fetch(url, { method: "POST", headers, body });
    console.log(`${r.status} ${id}`);
  }
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
