"""Validates OpenAPI documents with openapi-spec-validator, and parses every
given YAML document back with PyYAML (a YAML parser independent of eventcat).
Prints one JSON line per file. Run by tests/export.rs.

openapi-spec-validator 0.9 checks the document's structure and resolves its
references, but does not check schema objects against their dialect (a
`type: 123` passes), so every schema object (components and request bodies)
is also checked against the JSON Schema 2020-12 meta-schema with
python-jsonschema (which openapi-spec-validator depends on), and every local
`$ref` is resolved with `referencing` (python-jsonschema's resolver), since the
validator does not report a dangling one either.

usage: openapi.py (--openapi FILE | --yaml FILE)...
"""
import json
import sys

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from openapi_spec_validator.readers import read_from_filename

def refs(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "$ref" and isinstance(x, str):
                out.append(x)
            else:
                refs(x, out)
    elif isinstance(v, list):
        for x in v:
            refs(x, out)
    return out


args = sys.argv[1:]
for mode, path in zip(args[0::2], args[1::2]):
    out = {"file": path}
    with open(path, encoding="utf-8") as f:
        out["document"] = yaml.safe_load(f)
    if mode == "--openapi":
        try:
            spec, _ = read_from_filename(path)
            validate(spec)
            out["errors"] = []
            schemas = list(spec.get("components", {}).get("schemas", {}).items())
            for code, item in spec.get("webhooks", {}).items():
                for media in item["post"]["requestBody"]["content"].values():
                    schemas.append((code, media["schema"]))
            for name, schema in schemas:
                for e in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema):
                    out["errors"].append(f"schema {name}: {e.message}"[:500])
            resolver = Registry().with_resource(
                "urn:doc", DRAFT202012.create_resource(spec)
            ).resolver(base_uri="urn:doc")
            for ref in sorted(set(refs(spec, []))):
                try:
                    resolver.lookup(ref)
                except Exception as e:
                    out["errors"].append(f"$ref {ref} does not resolve: {type(e).__name__}")
        except Exception as e:  # every validation error is reported
            out["errors"] = [f"{type(e).__name__}: {e}"[:2000]]
    print(json.dumps(out))
