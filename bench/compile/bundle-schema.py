#!/usr/bin/env python3
"""Bundles the JSON Schemas `eventcat generate` wrote into one schema typify
accepts (used by bench/compile/run.sh).

    bundle-schema.py OUT/json-schema bundled.json

Why not feed typify `events.schema.json` as is: it dispatches `data` on
`code` with `allOf` + `if`/`then`, which typify does not turn into types (it
would see `data` as an untyped object). The per-code schemas
(`<code>.schema.json`) are the faithful form: each is one envelope whose
`code` is a `const` and whose `data` is a `$ref` to the payload type. So the
bundle is:

- `definitions`: every type of `events.schema.json`'s `$defs` (the same
  definitions the per-code schemas embed), plus one `<Code>Envelope` per
  code: the per-code schema without its `$defs`, metadata and `examples`;
- the root: `oneOf` over the per-code envelopes, titled `Envelope` (what
  eventcat's `Envelope` + `Event` types express).

`$defs` / `#/$defs/` are renamed `definitions` / `#/definitions/`, the
draft-07 spelling typify (schemars 0.8) reads; nothing else changes.
"""

import json
import os
import re
import sys


def pascal(code: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[._]", code) if w)


def const_to_enum(node) -> None:
    """`{"const": "X"}` -> `{"type": "string", "enum": ["X"]}`, everywhere."""
    if isinstance(node, dict):
        if isinstance(node.get("const"), str):
            node["enum"] = [node.pop("const")]
            node.setdefault("type", "string")
        for v in node.values():
            const_to_enum(v)
    elif isinstance(node, list):
        for v in node:
            const_to_enum(v)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--const-as-enum"]
    const_as_enum = "--const-as-enum" in sys.argv[1:]
    src, dst = args[0], args[1]
    with open(os.path.join(src, "events.schema.json")) as f:
        events = json.load(f)
    defs = dict(events.get("$defs", {}))
    variants = []
    shared = {}
    # The discriminator is the envelope field whose values are the codes; the
    # payload is the one the per-code schemas `$ref` a payload type from.
    discriminator = next(k for k, v in events["properties"].items() if "enum" in v)
    payload = next(k for k, v in events["properties"].items() if v.get("type") == "object" and k != discriminator)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".schema.json") or name == "events.schema.json":
            continue
        with open(os.path.join(src, name)) as f:
            schema = json.load(f)
        code = name[: -len(".schema.json")]
        envelope = {
            k: v
            for k, v in schema.items()
            if k not in ("$comment", "$schema", "$id", "$defs", "examples", "x-status")
        }
        # Envelope fields other than the code and the payload are the same in
        # every per-code schema: define each once (`Envelope<Field>`) instead
        # of once per code, as a schema written for typify would.
        for field, fschema in list(envelope.get("properties", {}).items()):
            if field in (discriminator, payload):
                continue
            fkey = "Envelope" + pascal(field)
            if fkey not in shared:
                shared[fkey] = fschema
            assert shared[fkey] == fschema, f"envelope field {field} differs between codes"
            envelope["properties"][field] = {"$ref": f"#/$defs/{fkey}"}
        key = pascal(code) + "Envelope"
        assert key not in defs, f"{key} is already a type name"
        defs[key] = envelope
        variants.append({"$ref": f"#/$defs/{key}"})
    bundle = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Envelope",
        "description": events.get("description", ""),
        "oneOf": variants,
        "$defs": {**defs, **shared},
    }
    if const_as_enum:
        const_to_enum(bundle)
    text = json.dumps(bundle, indent=2, ensure_ascii=False)
    text = text.replace('"#/$defs/', '"#/definitions/').replace('"$defs":', '"definitions":')
    with open(dst, "w") as f:
        f.write(text + "\n")
    print(f"{len(variants)} envelopes, {len(defs) - len(variants)} types", file=sys.stderr)


if __name__ == "__main__":
    main()
