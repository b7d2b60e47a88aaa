"""Where the peers' contracts differ from eventcat's: runs eventcat and every
peer on a small NDJSON file of edge-case values (formats, patterns, numbers)
and prints which events each one rejects, marking disagreements. The
benchmark file never exercises these (its values are well-formed or broken
structurally), so the invalid counts of run.sh agree; see PEERS.md.

    bench/validate/.venv/bin/python bench/validate/python/probe.py \\
        --eventcat target/release/eventcat [--catalog schema]

Needs what run.sh installs (bench/validate/ajv/node_modules, the virtualenv
it runs in). Writes its files to a temporary folder.
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(BENCH))

U = "82973b4d-5e18-4579-be12-324bd14ca0a7"
# (label, example of, path in the event, values)
PROBES = [
    ("uuid", "sso_saml.tokens_generated", ["data", "sso_connection_id"],
     ["urn:uuid:" + U, "{" + U + "}", U.upper(), U.replace("-", ""), U + "\n", U[:-1] + "g"]),
    ("email", "sso_saml.tokens_generated", ["data", "user", "profile", "email"],
     ["nobody", "a@b", "a..b@c.example", "a@-b.example", "a b@c.example", '"q"@c.example',
      "a@[127.0.0.1]", "jeanne@acme", "\u00e9@x.example", "a@b.example\n"]),
    ("uri", "sso_saml.tokens_generated", ["data", "user", "profile", "picture"],
     ["no scheme", "https://ex ample.com/", "mailto:x@y", "a:b", "http://[::1]/",
      "https://\u00e9.example/", "http://x/%zz", "//host/path", "https://x.example/\n",
      "http://a.example/<>"]),
    ("date", "sso_saml.tokens_generated", ["data", "user", "profile", "birthdate"],
     ["2023-02-29", "2024-02-29", "2024-1-01", "2024-01-01\n", "2024-04-31", "20240101"]),
    ("date-time", "sso_saml.tokens_generated", ["data", "tokens", 0, "expires_at"],
     ["2024-03-22T17:14:27", "2024-03-22 17:14:27Z", "2024-03-22t17:14:27z",
      "2024-03-22T17:14:27+0100", "2024-02-30T00:00:00Z", "2024-06-30T23:59:60Z",
      "2024-03-22T12:00:60Z", "2024-03-22T17:14:27.5Z", "2024-03-22T24:00:00Z",
      "2024-03-22T17:14:27Z\n", "2024-03-22T17:14:27+24:00"]),
    ("local-date-time", "dir_sync.user.update.success",
     ["data", "resource", "changes", "new_values", "updated_at"],
     ["2024-03-22T17:14:27Z", "2024-02-30T00:00:00", "2024-03-22T17:14:27.",
      "2024-03-22t17:14:27", "2024-03-22T17:14:60", "2024-03-22T17:14:27.123456789",
      "2024-03-22T17:14:27\n", "2023-02-29T00:00:00"]),
    ("pattern (domain)", "sso_saml.tokens_generated", ["__domain__"],
     ["acme-corp\n", "Acme", "acme--corp"]),
    ("pattern (phone)", "dir_sync.user.update.success",
     ["data", "resource", "changes", "new_values", "phone_numbers", 0, "value"],
     ["+33612345678\n", "+0612"]),
    ("integer", "dir_sync.user.update.success",
     ["data", "resource", "changes", "new_values", "phone_numbers", 0, "phone_country_code"],
     [33.0, 33.5, True]),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--eventcat", required=True, help="the eventcat binary")
    p.add_argument("--catalog", default=os.path.join(ROOT, "schema"))
    a = p.parse_args()

    with tempfile.TemporaryDirectory() as work:
        subprocess.run([a.eventcat, "generate", "--catalog", a.catalog, "--out", work],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        schemas = os.path.join(work, "json-schema")
        examples = {}
        names, lines = [], []
        for label, code, path, values in PROBES:
            if code not in examples:
                with open(os.path.join(schemas, code + ".schema.json")) as f:
                    examples[code] = json.load(f)["examples"][0]
                names.append(f"{code} example, as is")
                lines.append(examples[code])
            for v in values:
                e = copy.deepcopy(examples[code])
                o = e
                for k in path[:-1]:
                    o = o[k]
                o[path[-1]] = v
                names.append(f"{label} {json.dumps(v, ensure_ascii=False)}")
                lines.append(e)
        probe = os.path.join(work, "probe.ndjson")
        with open(probe, "w", encoding="utf-8") as f:
            for e in lines:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")

        def rejected(cmd, parse):
            r = subprocess.run(cmd, capture_output=True, text=True)
            return parse(r)

        def first_numbers(text):
            out = set()
            for line in text.splitlines():
                head = line.split(" ", 1)[0]
                if head.isdigit():
                    out.add(int(head))
            return out

        def eventcat_lines(r):
            # human output: `FILE:LINE: code: pointer: message`
            out = set()
            for line in r.stdout.splitlines():
                if line.startswith(probe + ":"):
                    out.add(int(line[len(probe) + 1:].split(":", 1)[0]))
            return out

        py = sys.executable
        results = {
            "eventcat": rejected([a.eventcat, "validate", "--catalog", a.catalog, probe], eventcat_lines),
            "ajv": rejected(["node", os.path.join(BENCH, "ajv", "validate.mjs"), schemas, probe,
                             "--report"], lambda r: first_numbers(r.stderr)),
        }
        for lib in ("jsonschema", "fastjsonschema"):
            results[lib] = rejected([py, os.path.join(HERE, "validate.py"), "--lib", lib, "--report",
                                     schemas, probe], lambda r: first_numbers(r.stderr))

    cols = list(results)
    print(f"{'value (INV: rejected)':52} " + " ".join(f"{c:>14}" for c in cols))
    differ = 0
    for i, name in enumerate(names, 1):
        row = ["INV" if i in results[c] else "ok" for c in cols]
        mark = ""
        if len(set(row)) > 1:
            differ += 1
            mark = "  <- differs"
        print(f"{name[:52]:52} " + " ".join(f"{r:>14}" for r in row) + mark)
    print(f"{len(names)} events, {differ} with verdicts that differ")


if __name__ == "__main__":
    main()
