//! The JSON Schema emitter: every schema is a valid draft 2020-12 schema,
//! output is deterministic, and the schemas say what the catalog says
//! (strictness, optional vs nullable, formats, dispatch on the code).

use std::path::Path;

use eventcat_codegen::emit::json_schema::{
    self, catalog_schema, event_schema, is_local_date_time, Options, LOCAL_DATE_TIME_FORMAT,
};
use eventcat_codegen::model::Catalog;
use serde_json::{json, Value};

fn default_catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    eventcat_codegen::load(dir).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format(LOCAL_DATE_TIME_FORMAT, is_local_date_time)
        .offline()
        .build(schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A small catalog exercising optional vs nullable, formats, constraints,
/// enums and a map.
fn small_catalog() -> Catalog {
    let text = r#"
[catalog]
name = "t"
version = "1.0.0"

[envelope]
discriminator = "code"
payload = "data"
[envelope.fields.id]
type = "uuid"
[envelope.fields.sent_at]
type = "date-time"
optional = true

[family]
id = "fam"
title = "Fam"

[[event]]
code = "fam.thing.created"
title = "Thing created"
payload = "Thing"

[[event]]
code = "fam.thing.gone"
title = "Thing gone"
payload = "Gone"
status = "deprecated"
deprecation = "use fam.thing.created"

[types.Thing.fields.name]
type = "string"
min_length = 2
max_length = 5
[types.Thing.fields.nick]
type = "string"
optional = true
[types.Thing.fields.note]
type = "string"
nullable = true
[types.Thing.fields.both]
type = "Color"
optional = true
nullable = true
[types.Thing.fields.when]
type = "local-date-time"
[types.Thing.fields.born]
type = "date"
optional = true
[types.Thing.fields.mail]
type = "email"
optional = true
[types.Thing.fields.home]
type = "uri"
optional = true
[types.Thing.fields.count]
type = "integer"
minimum = 1
maximum = 10
optional = true
[types.Thing.fields.tags]
type = "array<string>"
max_items = 2
optional = true
[types.Thing.fields.labels]
type = "map<integer>"
optional = true
[types.Thing.fields.shade]
type = "Shade"
optional = true
[types.Thing.fields.kind]
const = "Thing"
[types.Thing.fields.old]
type = "string"
optional = true
deprecated = "gone soon"

[types.Color]
values = ["red", "green"]

[types.Shade]
values = ["dark", "light"]
extensible = true

[types.Gone.fields.id]
type = "uuid"
"#;
    eventcat_codegen::load_sources(vec![eventcat_codegen::model::SourceFile {
        path: "t.toml".into(),
        text: text.into(),
    }])
    .unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn thing_event(data: Value) -> Value {
    json!({
        "id": "b6dab789-5741-4529-a640-c5a9c0962617",
        "code": "fam.thing.created",
        "data": data,
    })
}

#[test]
fn every_emitted_schema_is_valid_draft_2020_12() {
    // 29 files for the default catalog (28 codes + events.schema.json), plus
    // the small catalog's 3, strict and lenient.
    let mut checked = 0;
    for catalog in [default_catalog(), small_catalog()] {
        for file in json_schema::emit(&catalog) {
            let schema: Value = serde_json::from_str(&file.contents).unwrap();
            assert_eq!(schema["$schema"], json_schema::DRAFT, "{}", file.path);
            if let Err(e) = jsonschema::meta::validate(&schema) {
                panic!("{} is not a valid 2020-12 schema: {e}", file.path);
            }
            // The first key is the generated-file marker.
            assert_eq!(
                schema
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .map(String::as_str),
                Some("$comment"),
                "{}",
                file.path
            );
            validator(&schema);
            checked += 1;
        }
        let lenient = catalog_schema(
            &catalog,
            Options {
                allow_unknown_fields: true,
            },
        );
        jsonschema::meta::validate(&lenient).unwrap();
    }
    assert_eq!(checked, 29 + 3);
}

#[test]
fn output_is_deterministic_and_named_by_code() {
    let a = json_schema::emit(&default_catalog());
    let b = json_schema::emit(&default_catalog());
    assert_eq!(a, b);
    let paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"json-schema/events.schema.json"));
    assert!(paths.contains(&"json-schema/dir_sync.user.update.success.schema.json"));
    assert_eq!(paths.len(), 29);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // Registered with the other outputs.
    let all = eventcat_codegen::emit::all(&default_catalog());
    for f in &a {
        assert!(all.contains(f), "{} missing from emit::all", f.path);
    }
}

#[test]
fn every_example_of_the_default_catalog_is_valid_for_its_code_and_catalog_wide() {
    let catalog = default_catalog();
    let wide = validator(&catalog_schema(&catalog, Options::default()));
    let mut n = 0;
    for event in &catalog.events {
        let schema = event_schema(&catalog, event, Options::default());
        let v = validator(&schema);
        assert_eq!(
            schema["examples"].as_array().map(Vec::len).unwrap_or(0),
            event.examples.len()
        );
        for ex in &event.examples {
            assert_eq!(
                errors(&v, &ex.value),
                Vec::<String>::new(),
                "{}",
                event.code
            );
            assert_eq!(
                errors(&wide, &ex.value),
                Vec::<String>::new(),
                "{}",
                event.code
            );
            n += 1;
        }
    }
    assert!(n >= 28, "only {n} examples");
}

#[test]
fn the_reference_date_times_without_offset_validate() {
    // From the reference: `updated_at` is seen without a zone offset.
    let catalog = default_catalog();
    let event = catalog.event("dir_sync.user.update.success").unwrap();
    let v = validator(&event_schema(&catalog, event, Options::default()));
    let mut ex = event.examples[0].value.clone();
    let at = "/data/resource/changes/new_values/updated_at";
    assert_eq!(ex.pointer(at), Some(&json!("2024-03-22T17:14:27")));
    assert!(v.is_valid(&ex));
    for bad in [
        "2024-03-22T17:14:27Z",
        "2024-03-22 17:14:27",
        "2024-02-30T10:00:00",
    ] {
        *ex.pointer_mut(at).unwrap() = json!(bad);
        let errs = errors(&v, &ex);
        assert!(!errs.is_empty(), "{bad} accepted");
        // `new_values` is nullable (`anyOf: [$ref, null]`): a generic
        // validator reports the failure there (`eventcat validate` digs
        // into the branch that applies).
        let nullable = "/data/resource/changes/new_values";
        assert!(errs.iter().all(|e| e.starts_with(nullable)), "{errs:?}");
    }
    // A validator that does not know the custom format still enforces the
    // shape through the pattern.
    let generic = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&event_schema(&catalog, event, Options::default()))
        .unwrap();
    *ex.pointer_mut(at).unwrap() = json!("2024-03-22T17:14:27+01:00");
    assert!(!generic.is_valid(&ex));
}

#[test]
fn optional_and_nullable_are_different() {
    let catalog = small_catalog();
    let event = catalog.event("fam.thing.created").unwrap();
    let schema = event_schema(&catalog, event, Options::default());
    let thing = &schema["$defs"]["Thing"];
    let mut required: Vec<&str> = thing["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(required, ["kind", "name", "note", "when"]);
    assert_eq!(
        thing["properties"]["note"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(thing["properties"]["nick"]["type"], json!("string"));
    let v = validator(&schema);
    let base = json!({"name": "abc", "note": null, "when": "2024-03-22T17:14:27", "kind": "Thing"});
    assert_eq!(errors(&v, &thing_event(base.clone())), Vec::<String>::new());
    // nullable but not optional: absence is an error
    let mut absent = base.clone();
    absent.as_object_mut().unwrap().remove("note");
    assert_eq!(errors(&v, &thing_event(absent)).len(), 1);
    // optional but not nullable: null is an error
    let mut null_nick = base.clone();
    null_nick["nick"] = Value::Null;
    assert_eq!(errors(&v, &thing_event(null_nick)).len(), 1);
    // optional and nullable (a $ref): absent, null and a value are fine
    for both in [Value::Null, json!("red")] {
        let mut x = base.clone();
        x["both"] = both;
        assert!(v.is_valid(&thing_event(x)));
    }
    let mut x = base.clone();
    x["both"] = json!("blue");
    assert!(!v.is_valid(&thing_event(x)));
}

#[test]
fn producers_are_held_strictly_and_the_lenient_variant_is_open() {
    let catalog = small_catalog();
    let event = catalog.event("fam.thing.created").unwrap();
    let strict = validator(&event_schema(&catalog, event, Options::default()));
    let lenient = validator(&event_schema(
        &catalog,
        event,
        Options {
            allow_unknown_fields: true,
        },
    ));
    let base = json!({"name": "abc", "note": null, "when": "2024-03-22T17:14:27", "kind": "Thing"});
    let mut extra = thing_event(base.clone());
    extra["data"]["surprise"] = json!(1);
    extra["also"] = json!(2);
    assert_eq!(
        errors(&strict, &extra).len(),
        2,
        "{:?}",
        errors(&strict, &extra)
    );
    assert!(lenient.is_valid(&extra));
    // An extensible enum still lists only its declared values for producers.
    let mut shade = thing_event(base.clone());
    shade["data"]["shade"] = json!("medium");
    assert!(!strict.is_valid(&shade));
    assert!(!lenient.is_valid(&shade));
    let schema = event_schema(&catalog, event, Options::default());
    assert_eq!(schema["$defs"]["Shade"]["x-extensible"], json!(true));
    assert_eq!(schema["$defs"]["Color"].get("x-extensible"), None);
    // Maps accept any key, whatever the strictness.
    let mut labels = thing_event(base);
    labels["data"]["labels"] = json!({"anything": 1, "else": 2});
    assert!(strict.is_valid(&labels));
    labels["data"]["labels"]["bad"] = json!("x");
    assert!(!strict.is_valid(&labels));
}

#[test]
fn formats_constraints_and_constants_are_enforced() {
    let catalog = small_catalog();
    let event = catalog.event("fam.thing.created").unwrap();
    let v = validator(&event_schema(&catalog, event, Options::default()));
    let base = json!({"name": "abc", "note": null, "when": "2024-03-22T17:14:27", "kind": "Thing"});
    let cases = [
        ("/data/name", json!("a")),
        ("/data/name", json!("abcdef")),
        ("/data/count", json!(0)),
        ("/data/count", json!(11)),
        ("/data/count", json!(1.5)),
        ("/data/tags", json!(["a", "b", "c"])),
        ("/data/born", json!("2024-13-01")),
        ("/data/mail", json!("not-an-email")),
        ("/data/home", json!("not a uri")),
        ("/data/kind", json!("Other")),
        ("/data/when", json!("yesterday")),
        ("/id", json!("not-a-uuid")),
        ("/sent_at", json!("2024-03-22T17:14:27")),
        ("/code", json!("fam.thing.gone")),
    ];
    for (at, value) in cases {
        let mut x = thing_event(base.clone());
        match x.pointer_mut(at) {
            Some(slot) => *slot = value.clone(),
            None => {
                let (parent, key) = at.rsplit_once('/').unwrap();
                x.pointer_mut(parent).unwrap()[key] = value.clone();
            }
        }
        let errs = errors(&v, &x);
        assert!(!errs.is_empty(), "{at} = {value} accepted");
        assert!(errs.iter().all(|e| e.starts_with(at)), "{at}: {errs:?}");
    }
    let mut ok = thing_event(base);
    ok["sent_at"] = json!("2024-03-22T17:14:27Z");
    ok["data"]["born"] = json!("1990-01-31");
    ok["data"]["mail"] = json!("a@b.example");
    ok["data"]["home"] = json!("https://example.com/x");
    ok["data"]["count"] = json!(10);
    assert_eq!(errors(&v, &ok), Vec::<String>::new());
}

#[test]
fn the_catalog_wide_schema_dispatches_on_the_code() {
    let catalog = small_catalog();
    let schema = catalog_schema(&catalog, Options::default());
    let v = validator(&schema);
    let base = json!({"name": "abc", "note": null, "when": "2024-03-22T17:14:27", "kind": "Thing"});
    assert!(v.is_valid(&thing_event(base.clone())));
    // A Gone payload under the created code: errors are about Thing's fields,
    // reported under /data, not a oneOf wall.
    let wrong = thing_event(json!({"id": "b6dab789-5741-4529-a640-c5a9c0962617"}));
    let errs = errors(&v, &wrong);
    assert!(!errs.is_empty());
    assert!(errs.iter().all(|e| e.starts_with("/data")), "{errs:?}");
    assert!(errs.iter().any(|e| e.contains("\"name\"")), "{errs:?}");
    // The same payload under its own code is valid.
    let mut gone = wrong.clone();
    gone["code"] = json!("fam.thing.gone");
    assert!(v.is_valid(&gone));
    // Unknown code: rejected at /code.
    let mut unknown = thing_event(base);
    unknown["code"] = json!("fam.thing.created2");
    let errs = errors(&v, &unknown);
    assert!(errs.iter().all(|e| e.starts_with("/code")), "{errs:?}");
    assert_eq!(
        schema["properties"]["code"]["enum"],
        json!(["fam.thing.created", "fam.thing.gone"])
    );
}

#[test]
fn annotations_carry_over() {
    let catalog = small_catalog();
    let gone = catalog.event("fam.thing.gone").unwrap();
    let schema = event_schema(&catalog, gone, Options::default());
    assert_eq!(schema["deprecated"], json!(true));
    assert_eq!(schema["title"], json!("Thing gone"));
    assert_eq!(
        schema["properties"]["code"]["const"],
        json!("fam.thing.gone")
    );
    assert_eq!(
        schema["$id"],
        json!("urn:eventcat:t:fam.thing.gone.schema.json")
    );
    let created = catalog.event("fam.thing.created").unwrap();
    let schema = event_schema(&catalog, created, Options::default());
    assert_eq!(
        schema["$defs"]["Thing"]["properties"]["old"]["deprecated"],
        json!(true)
    );
    // Only the types the event uses are in its $defs.
    let defs: Vec<&String> = schema["$defs"].as_object().unwrap().keys().collect();
    assert_eq!(defs, ["Color", "Shade", "Thing"]);

    let catalog = default_catalog();
    let event = catalog.event("dir_sync.user.update.success").unwrap();
    let schema = event_schema(&catalog, event, Options::default());
    assert_eq!(schema["description"], json!(event.description.trim_end()));
    assert_eq!(schema["examples"][0], event.examples[0].value);
    let profile = &schema["$defs"]["UserProfile"];
    assert!(profile["description"]
        .as_str()
        .unwrap()
        .contains("OpenID Connect"));
}
