//! Broken catalogs, one per error class: each must be rejected with the
//! right error kind at the right line:column, and never panic.
//!
//! Every test starts from a small valid catalog, breaks one thing, and says
//! where the error must point by naming the text it must point at (the
//! `at` needle), so positions are computed, not hard-coded.

use std::path::PathBuf;

use eventcat_codegen::model::SourceFile;
use eventcat_codegen::{load_sources, Diagnostics, ErrorKind};

const CATALOG: &str = r#"[catalog]
name = "test-hooks"
version = "1.0.0"
description = "A small catalog for tests."

[envelope]
discriminator = "code"
payload = "data"

[envelope.fields.__type__]
const = "Event"
description = "Always `Event`."

[envelope.fields.code]
description = "The event code."

[envelope.fields.data]
description = "The payload."
"#;

const TYPES: &str = r#"[types.UserEvent]
description = "A user changed."
fields.__type__ = { const = "UserEvent" }
fields.user = { type = "User", description = "The user." }
fields.previous = { type = "partial<User>", optional = true, nullable = true }

[types.User]
description = "A user."
fields.id = { type = "uuid" }
fields.email = { type = "email", optional = true }
fields.kind = { type = "UserKind" }
fields.tags = { type = "array<string>" }

[types.UserKind]
values = ["person", "robot"]
extensible = true
"#;

const FAMILY: &str = r#"[family]
id = "users"
title = "Users"
description = "User lifecycle."

[[event]]
code = "users.created"
title = "User created"
payload = "UserEvent"

[[event.example]]
json = '''
{"__type__": "Event", "code": "users.created",
 "data": {"__type__": "UserEvent", "user": {"id": "6f1c3c2e-8a57-4d5e-9d0a-5f4b1c2d3e4f", "kind": "person", "tags": []}}}
'''

[[event]]
code = "users.deleted"
title = "User deleted"
payload = "UserEvent"
"#;

fn files(catalog: &str, types: &str, family: &str) -> Vec<SourceFile> {
    vec![
        SourceFile {
            path: PathBuf::from("t/catalog.toml"),
            text: catalog.into(),
        },
        SourceFile {
            path: PathBuf::from("t/types.toml"),
            text: types.into(),
        },
        SourceFile {
            path: PathBuf::from("t/users.toml"),
            text: family.into(),
        },
    ]
}

fn load(
    catalog: &str,
    types: &str,
    family: &str,
) -> Result<eventcat_codegen::Catalog, Diagnostics> {
    load_sources(files(catalog, types, family))
}

/// `path:line:col` of the first occurrence of `needle` in `text`.
fn at(path: &str, text: &str, needle: &str) -> String {
    let off = text
        .find(needle)
        .unwrap_or_else(|| panic!("test bug: `{needle}` not in the text"));
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{path}:{line}:{col}")
}

/// Loads, expects failure, and asserts one error of `kind` at `location`.
#[track_caller]
fn expect(
    result: Result<eventcat_codegen::Catalog, Diagnostics>,
    kind: ErrorKind,
    location: &str,
) -> Diagnostics {
    let diags = match result {
        Ok(_) => panic!("the catalog loaded, expected a {kind:?} error at {location}"),
        Err(d) => d,
    };
    let found: Vec<String> = diags
        .0
        .iter()
        .map(|d| format!("{:?} at {}: {}", d.kind, d.location(), d.message))
        .collect();
    assert!(
        diags
            .0
            .iter()
            .any(|d| d.kind == kind && d.location() == location),
        "expected {kind:?} at {location}, got:\n{}",
        found.join("\n")
    );
    // Every diagnostic renders without panicking and names its code.
    let rendered = diags.render(false);
    assert!(
        rendered.contains(&format!("eventcat::{}", kind.name())),
        "{rendered}"
    );
    diags
}

#[test]
fn the_base_catalog_is_valid() {
    let c = load(CATALOG, TYPES, FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(c.events.len(), 2);
    assert!(
        c.types.contains_key("PartialUser"),
        "partial<User> derives PartialUser"
    );
    let partial = c.object("PartialUser").unwrap();
    assert!(partial.fields.iter().all(|f| f.optional));
}

#[test]
fn toml_syntax_error() {
    let t = TYPES.replace("[types.User]\n", "[types.User\n");
    let d = load(CATALOG, &t, FAMILY).unwrap_err();
    let syntax =
        d.0.iter()
            .find(|d| d.kind == ErrorKind::Syntax)
            .expect("a syntax error");
    // On the line of the unclosed header (the column is the parser's choice).
    let header_line = at("t/types.toml", &t, "[types.User\n");
    let line_prefix = header_line.rsplit_once(':').unwrap().0;
    assert!(
        syntax.location().starts_with(&format!("{line_prefix}:")),
        "{}",
        syntax.location()
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let t = TYPES.replace(
        "fields.email = { type = \"email\", optional = true }",
        "fields.email = { type = \"email\", optinal = true }",
    );
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::UnknownKey,
        &at("t/types.toml", &t, "optinal"),
    );
    assert!(
        d.0[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `optional`?"),
        "{:?}",
        d.0[0].help
    );
}

#[test]
fn missing_key() {
    let f = FAMILY.replace("title = \"User deleted\"\n", "");
    // Points at the table that lacks the key.
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::MissingKey,
        &at("t/users.toml", &f, "[[event]]\ncode = \"users.deleted\""),
    );
}

#[test]
fn invalid_status_value_suggests() {
    let f = FAMILY.replace(
        "title = \"User deleted\"\n",
        "title = \"User deleted\"\nstatus = \"plannd\"\n",
    );
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::InvalidValue,
        &at("t/users.toml", &f, "\"plannd\""),
    );
    assert!(d.0[0].help.as_deref().unwrap().contains("planned"));
}

#[test]
fn unknown_type_reference_with_suggestion() {
    let t = TYPES.replace("type = \"UserKind\"", "type = \"UserKnd\"");
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::UnknownType,
        &at("t/types.toml", &t, "UserKnd"),
    );
    assert!(d.0[0].help.as_deref().unwrap().contains("`UserKind`"));
}

#[test]
fn unknown_type_inside_a_generic_points_inside_the_string() {
    let t = TYPES.replace("array<string>", "array<strng>");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::UnknownType,
        &at("t/types.toml", &t, "strng"),
    );
}

#[test]
fn unknown_payload_type() {
    let f = FAMILY.replacen("payload = \"UserEvent\"", "payload = \"UsrEvent\"", 1);
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::UnknownType,
        &at("t/users.toml", &f, "\"UsrEvent\""),
    );
}

#[test]
fn bad_type_expression() {
    let t = TYPES.replace("array<string>", "array<string");
    let d = expect(load(CATALOG, &t, FAMILY), ErrorKind::BadTypeExpr, &{
        let loc = at("t/types.toml", &t, "array<string\"");
        // Points at the end of the expression, where `>` is missing.
        let col: usize = loc.rsplit(':').next().unwrap().parse().unwrap();
        format!(
            "{}:{}",
            loc.rsplit_once(':').unwrap().0,
            col + "array<string".len()
        )
    });
    assert!(d.0[0].label.contains("`>`"));
}

#[test]
fn generic_without_argument() {
    let t = TYPES.replace("array<string>", "array");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::BadTypeExpr,
        &at("t/types.toml", &t, "array\""),
    );
}

#[test]
fn duplicate_code_points_at_both() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.created\"");
    let second = f.rfind("\"users.created\"").unwrap();
    let (line, col) = {
        let before = &f[..second];
        (
            before.matches('\n').count() + 1,
            before[before.rfind('\n').unwrap() + 1..].chars().count() + 1,
        )
    };
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::DuplicateCode,
        &format!("t/users.toml:{line}:{col}"),
    );
    let dup =
        d.0.iter()
            .find(|d| d.kind == ErrorKind::DuplicateCode)
            .unwrap();
    assert_eq!(dup.notes.len(), 1, "the first declaration is shown too");
}

#[test]
fn duplicate_type_across_files() {
    let extra = "[types.User]\nfields.id = { type = \"uuid\" }\n";
    let mut fs = files(CATALOG, TYPES, FAMILY);
    fs.push(SourceFile {
        path: PathBuf::from("t/z_more.toml"),
        text: extra.into(),
    });
    let d = expect(
        load_sources(fs),
        ErrorKind::DuplicateType,
        &at("t/z_more.toml", extra, "User"),
    );
    assert_eq!(d.0[0].notes[0].source.path, PathBuf::from("t/types.toml"));
}

#[test]
fn code_that_does_not_start_with_its_family() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"accounts.deleted\"");
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::CodeFamilyMismatch,
        &at("t/users.toml", &f, "\"accounts.deleted\""),
    );
}

#[test]
fn code_grammar_upper_case() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.Deleted\"");
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::CodeGrammar,
        &at("t/users.toml", &f, "\"users.Deleted\""),
    );
    assert!(d.0[0].help.as_deref().unwrap().contains("users.deleted"));
}

#[test]
fn code_grammar_single_segment() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users\"");
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::CodeGrammar,
        &at("t/users.toml", &f, "\"users\"\ntitle = \"User deleted\""),
    );
}

#[test]
fn code_segment_all_is_reserved() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.all\"");
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::ReservedName,
        &at("t/users.toml", &f, "\"users.all\""),
    );
}

#[test]
fn family_named_all_is_reserved() {
    let f = FAMILY.replace("id = \"users\"", "id = \"all\"");
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::ReservedName,
        &at("t/users.toml", &f, "\"all\""),
    );
}

#[test]
fn codes_colliding_as_rust_variants() {
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.created_\"");
    // `users.created` and `users.created_` are both `UsersCreated`.
    let second = "\"users.created_\"";
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::NameCollision,
        &at("t/users.toml", &f, second),
    );
}

#[test]
fn fields_colliding_as_rust_fields() {
    let t = TYPES.replace("fields.tags = {", "fields.emailAddress = { type = \"string\" }\nfields.email_address = { type = \"string\" }\nfields.tags = {");
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::NameCollision,
        &at("t/types.toml", &t, "email_address"),
    );
    assert_eq!(d.0[0].notes.len(), 1, "points at both fields");
}

#[test]
fn enum_values_colliding_as_rust_variants() {
    let t = TYPES.replace(
        "values = [\"person\", \"robot\"]",
        "values = [\"person\", \"robot\", \"Robot\"]",
    );
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::NameCollision,
        &at("t/types.toml", &t, "\"Robot\""),
    );
}

#[test]
fn types_colliding_as_rust_types() {
    let t = format!("{TYPES}\n[types.user_kind]\nvalues = [\"a\"]\n");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::NameCollision,
        &at("t/types.toml", &t, "user_kind"),
    );
}

#[test]
fn reserved_generated_type_name() {
    let t = format!("{TYPES}\n[types.EventCode]\nvalues = [\"a\"]\n");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::DuplicateType,
        &at("t/types.toml", &t, "EventCode"),
    );
}

#[test]
fn infinite_type() {
    let t = TYPES.replace(
        "fields.tags = {",
        "fields.manager = { type = \"User\" }\nfields.tags = {",
    );
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::InfiniteType,
        &at("t/types.toml", &t, "manager"),
    );
    assert!(
        d.0[0].message.contains("User -> User"),
        "{}",
        d.0[0].message
    );
}

#[test]
fn infinite_type_through_two_types() {
    let t = format!("{TYPES}\n[types.A]\nfields.b = {{ type = \"B\" }}\n[types.B]\nfields.a = {{ type = \"A\" }}\n");
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::InfiniteType,
        &at("t/types.toml", &t, "b = {"),
    );
    assert_eq!(
        d.0.iter()
            .filter(|d| d.kind == ErrorKind::InfiniteType)
            .count(),
        1,
        "one report per cycle"
    );
}

#[test]
fn recursion_through_optional_array_or_nullable_is_fine() {
    let t = TYPES.replace(
        "fields.tags = {",
        "fields.manager = { type = \"User\", optional = true }\nfields.reports = { type = \"array<User>\" }\nfields.mentor = { type = \"User\", nullable = true }\nfields.tags = {",
    );
    load(CATALOG, &t, FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
}

#[test]
fn example_that_is_not_json_points_inside_the_string() {
    let f = FAMILY.replace("\"kind\": \"person\",", "\"kind\": \"person\",,");
    let d = expect(load(CATALOG, TYPES, &f), ErrorKind::ExampleJson, &{
        let loc = at("t/users.toml", &f, ",,");
        let col: usize = loc.rsplit(':').next().unwrap().parse().unwrap();
        format!("{}:{}", loc.rsplit_once(':').unwrap().0, col + 1)
    });
    assert!(d.0[0].message.contains("not valid JSON"));
}

#[test]
fn example_with_the_wrong_code() {
    let f = FAMILY.replace("\"code\": \"users.created\"", "\"code\": \"users.deleted\"");
    // Points at the discriminator key inside the JSON.
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::ExampleCode,
        &at("t/users.toml", &f, "\"code\": \"users.deleted\""),
    );
}

#[test]
fn since_later_than_the_catalog_version() {
    let f = FAMILY.replace(
        "title = \"User deleted\"\n",
        "title = \"User deleted\"\nsince = \"1.2.0\"\n",
    );
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::InvalidValue,
        &at("t/users.toml", &f, "\"1.2.0\""),
    );
    assert_eq!(d.0.len(), 1, "{d:?}");
    assert!(d.0[0]
        .message
        .contains("later than the catalog's version `1.0.0`"));
    assert_eq!(d.0[0].notes.len(), 1, "points at the catalog's version too");
    // Earlier, equal and pre-release-of-equal versions are fine; so is any
    // `since` when the catalog does not use semantic versions.
    for ok in ["0.9.0", "1.0.0", "1.0.0-rc.1"] {
        let f = FAMILY.replace(
            "title = \"User deleted\"\n",
            &format!("title = \"User deleted\"\nsince = \"{ok}\"\n"),
        );
        assert!(load(CATALOG, TYPES, &f).is_ok(), "since = {ok}");
    }
    let c = CATALOG.replace("version = \"1.0.0\"", "version = \"2026-11\"");
    assert!(load(&c, TYPES, &f).is_ok());
}

#[test]
fn since_not_a_semantic_version() {
    let f = FAMILY.replace(
        "title = \"User deleted\"\n",
        "title = \"User deleted\"\nsince = \"v1\"\n",
    );
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::InvalidValue,
        &at("t/users.toml", &f, "\"v1\""),
    );
    assert!(d.0[0].message.contains("is not a semantic version"));
    assert!(d.0[0]
        .help
        .as_deref()
        .unwrap()
        .contains("since = \"1.0.0\""));
}

#[test]
fn deprecated_without_message() {
    let f = FAMILY.replace(
        "title = \"User deleted\"\n",
        "title = \"User deleted\"\nstatus = \"deprecated\"\n",
    );
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::BadStatus,
        &at("t/users.toml", &f, "\"deprecated\""),
    );
}

#[test]
fn payload_that_is_not_an_object() {
    let f = FAMILY.replacen("payload = \"UserEvent\"", "payload = \"UserKind\"", 1);
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::NotAnObject,
        &at("t/users.toml", &f, "\"UserKind\""),
    );
}

#[test]
fn partial_of_an_enum() {
    let t = TYPES.replace("partial<User>", "partial<UserKind>");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::NotAnObject,
        &at("t/types.toml", &t, "UserKind>"),
    );
}

#[test]
fn type_with_two_shapes() {
    let t = TYPES.replace("extensible = true", "extensible = true\ntype = \"string\"");
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::TypeShape,
        &at("t/types.toml", &t, "UserKind]"),
    );
}

#[test]
fn enum_value_listed_twice() {
    let t = TYPES.replace(
        "values = [\"person\", \"robot\"]",
        "values = [\"person\", \"robot\", \"person\"]",
    );
    let second = t.rfind("\"person\"").unwrap();
    let before = &t[..second];
    let loc = format!(
        "t/types.toml:{}:{}",
        before.matches('\n').count() + 1,
        before[before.rfind('\n').unwrap() + 1..].chars().count() + 1
    );
    expect(load(CATALOG, &t, FAMILY), ErrorKind::BadEnum, &loc);
}

#[test]
fn field_with_type_and_const() {
    let t = TYPES.replace(
        "fields.__type__ = { const = \"UserEvent\" }",
        "fields.__type__ = { type = \"string\", const = \"UserEvent\" }",
    );
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::BadField,
        &at("t/types.toml", &t, "\"UserEvent\" }"),
    );
}

#[test]
fn constraint_that_does_not_fit_the_type() {
    let t = TYPES.replace(
        "fields.id = { type = \"uuid\" }",
        "fields.id = { type = \"uuid\", minimum = 3 }",
    );
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::BadField,
        &at("t/types.toml", &t, "id = {"),
    );
}

#[test]
fn event_without_family() {
    let f = FAMILY.replace(
        "[family]\nid = \"users\"\ntitle = \"Users\"\ndescription = \"User lifecycle.\"\n",
        "",
    );
    expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::EventWithoutFamily,
        &at("t/users.toml", &f, "\"users.created\""),
    );
}

#[test]
fn missing_catalog_section() {
    let c = CATALOG.replace("[catalog]\nname = \"test-hooks\"\nversion = \"1.0.0\"\ndescription = \"A small catalog for tests.\"\n", "");
    expect(
        load(&c, TYPES, FAMILY),
        ErrorKind::MissingSection,
        "t/catalog.toml:1:1",
    );
}

#[test]
fn duplicate_catalog_section() {
    let extra = "[catalog]\nname = \"again\"\nversion = \"2\"\n";
    let mut fs = files(CATALOG, TYPES, FAMILY);
    fs.push(SourceFile {
        path: PathBuf::from("t/z.toml"),
        text: extra.into(),
    });
    expect(
        load_sources(fs),
        ErrorKind::DuplicateSection,
        "t/z.toml:1:1",
    );
}

#[test]
fn envelope_discriminator_with_a_type() {
    let c = CATALOG.replace(
        "[envelope.fields.code]\n",
        "[envelope.fields.code]\ntype = \"string\"\n",
    );
    expect(
        load(&c, TYPES, FAMILY),
        ErrorKind::BadEnvelope,
        &at("t/catalog.toml", &c, "code]"),
    );
}

#[test]
fn every_error_of_a_load_is_reported() {
    // Three independent mistakes in three files: all three are reported.
    let c = CATALOG.replace(
        "[envelope.fields.code]\n",
        "[envelope.fields.code]\ntype = \"string\"\n",
    );
    let t = TYPES.replace("type = \"UserKind\"", "type = \"UserKnd\"");
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.all\"");
    let d = load(&c, &t, &f).unwrap_err();
    let kinds: Vec<ErrorKind> = d.0.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&ErrorKind::BadEnvelope), "{kinds:?}");
    assert!(kinds.contains(&ErrorKind::UnknownType), "{kinds:?}");
    assert!(kinds.contains(&ErrorKind::ReservedName), "{kinds:?}");
    // Sorted by file, then position.
    let files: Vec<String> =
        d.0.iter()
            .map(|d| d.source.path.display().to_string())
            .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn a_syntax_error_in_one_file_does_not_hide_errors_in_others() {
    let t = TYPES.replace("[types.User]\n", "[types.User\n");
    let f = FAMILY.replace("code = \"users.deleted\"", "code = \"users.all\"");
    let d = load(CATALOG, &t, &f).unwrap_err();
    let kinds: Vec<ErrorKind> = d.0.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&ErrorKind::Syntax), "{kinds:?}");
    assert!(kinds.contains(&ErrorKind::ReservedName), "{kinds:?}");
}

#[test]
fn a_missing_folder_is_an_io_error_not_a_panic() {
    let d = eventcat_codegen::load("/nonexistent/catalog/folder").unwrap_err();
    assert_eq!(d.0[0].kind, ErrorKind::Io);
    assert!(!d.render(false).is_empty());
}

#[test]
fn the_default_catalog_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let c = eventcat_codegen::load(dir).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(c.families.len(), 2);
    assert_eq!(c.events.len(), 28);
    let planned: Vec<&str> = c
        .events
        .iter()
        .filter(|e| e.status == eventcat_codegen::model::Status::Planned)
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(
        planned,
        [
            "dir_sync.user.activate.success",
            "dir_sync.user.deactivate.success"
        ]
    );
    assert!(
        c.events.iter().all(|e| !e.examples.is_empty()),
        "every event has an example"
    );
}

#[test]
fn file_order_does_not_change_the_model() {
    let mut a = files(CATALOG, TYPES, FAMILY);
    let b: Vec<SourceFile> = a.drain(..).rev().collect();
    let ca = load(CATALOG, TYPES, FAMILY).unwrap();
    let cb = load_sources(b).unwrap();
    assert_eq!(format!("{:?}", ca.types), format!("{:?}", cb.types));
    let codes =
        |c: &eventcat_codegen::Catalog| c.events.iter().map(|e| e.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&ca), codes(&cb));
}

/// The envelope's slots are typed and keep wire order: a declared slot
/// where it is declared, an undeclared one after every declared field.
#[test]
fn envelope_slots_are_typed_in_wire_order() {
    use eventcat_codegen::model::EnvelopeField;
    let catalog = CATALOG.replace(
        "[envelope.fields.data]\ndescription = \"The payload.\"\n",
        "[envelope.fields.tenant]\ntype = \"string\"\noptional = true\n",
    );
    let c = load(&catalog, TYPES, FAMILY).unwrap();
    let kinds: Vec<(&str, &str)> = c
        .envelope
        .fields
        .iter()
        .map(|f| {
            let kind = match f {
                EnvelopeField::Discriminator(_) => "discriminator",
                EnvelopeField::Payload(_) => "payload",
                EnvelopeField::Plain(_) => "plain",
            };
            (f.name(), kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("__type__", "plain"),
            ("code", "discriminator"),
            ("tenant", "plain"),
            ("data", "payload"),
        ]
    );
    let plain: Vec<&str> = c.envelope.plain_fields().map(|f| f.name.as_str()).collect();
    assert_eq!(plain, ["__type__", "tenant"]);
    let code = c.envelope.discriminator_slot().unwrap();
    assert_eq!(code.description, "The event code.");
    let data = c.envelope.payload_slot().unwrap();
    assert_eq!(
        data.description,
        "The payload; its type depends on the event code."
    );
    assert!(c.envelope.fields[3].as_plain().is_none());
}

#[test]
fn fields_keep_their_declared_order() {
    let c = load(CATALOG, TYPES, FAMILY).unwrap();
    let names: Vec<&str> = c.envelope.fields.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["__type__", "code", "data"]);
    let user: Vec<&str> = c
        .object("User")
        .unwrap()
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(user, ["id", "email", "kind", "tags"]);
}

/// `n` levels of `array<...>` around `string`.
fn nested(n: usize) -> String {
    format!("{}string{}", "array<".repeat(n), ">".repeat(n))
}

#[test]
fn type_expression_nested_too_deep_is_located_not_a_stack_overflow() {
    // 3,000 and 10,000 levels overflowed the stack of the recursive parser
    // and of the walks after it (rc 134).
    for n in [65, 3_000, 10_000] {
        let t = TYPES.replace(
            "fields.tags = {",
            &format!(
                "fields.deep = {{ type = \"{}\" }}\nfields.tags = {{",
                nested(n)
            ),
        );
        // The 65th `<`.
        let needle = format!("{}array<", "array<".repeat(64));
        let loc = at("t/types.toml", &t, &needle);
        let (path_line, col) = loc.rsplit_once(':').unwrap();
        let col: usize = col.parse().unwrap();
        let d = expect(
            load(CATALOG, &t, FAMILY),
            ErrorKind::BadTypeExpr,
            &format!("{path_line}:{}", col + needle.len() - 1),
        );
        let help = d.0[0].help.clone().unwrap_or_default();
        assert!(help.contains("at most 64 levels"), "{help}");
    }
    // 64 levels are fine.
    let t = TYPES.replace(
        "fields.tags = {",
        &format!(
            "fields.deep = {{ type = \"{}\" }}\nfields.tags = {{",
            nested(64)
        ),
    );
    load(CATALOG, &t, FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
}

/// `[types.A0]` ... `[types.A<n>]`, each an alias of `wrap(next)`, the last
/// a `string`; `User.chain` uses `A0`.
fn alias_chain(n: usize, wrap: &str) -> String {
    let mut t = TYPES.replace(
        "fields.tags = {",
        "fields.chain = { type = \"A0\" }\nfields.tags = {",
    );
    for i in 0..n {
        let next = wrap.replace('T', &format!("A{}", i + 1));
        t.push_str(&format!("\n[types.A{i}]\ntype = \"{next}\"\n"));
    }
    t.push_str(&format!("\n[types.A{n}]\ntype = \"string\"\n"));
    t
}

#[test]
fn long_alias_chains_load_in_linear_time_or_get_a_located_error() {
    // 200 links are fine (and the alias check is not quadratic).
    load(CATALOG, &alias_chain(200, "T"), FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
    // 4,000 links (lint took 27 s in a debug build, quadratic) and arrays of
    // aliases of arrays (generate overflowed the stack at 3,000): a limit.
    // The error is at the alias where the limit is passed: 256 levels
    // below it (each alias a level, each `array` one more).
    for (n, wrap, over) in [(4_000, "T", 4_000 - 256), (3_000, "array<T>", 3_000 - 128)] {
        let t = alias_chain(n, wrap);
        let started = std::time::Instant::now();
        let d = expect(
            load(CATALOG, &t, FAMILY),
            ErrorKind::BadTypeExpr,
            &at("t/types.toml", &t, &format!("A{over}]")),
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(d.0.len(), 1, "one report per chain: {}", d.render(false));
        assert!(
            d.0[0].message.contains("more than 256 levels"),
            "{}",
            d.0[0].message
        );
    }
}

#[test]
fn binary_tree_of_required_types_loads_in_linear_time() {
    // X0 { a: X1, b: X1 }, X1 { a: X2, b: X2 }, ...: the cycle search
    // walked every path (2^depth; depth 23 took 66 s in a debug build).
    let depth = 40;
    let mut t = TYPES.replace(
        "fields.tags = {",
        "fields.tree = { type = \"X0\" }\nfields.tags = {",
    );
    for i in 0..depth {
        t.push_str(&format!(
            "\n[types.X{i}]\nfields.a = {{ type = \"X{n}\" }}\nfields.b = {{ type = \"X{n}\" }}\n",
            n = i + 1
        ));
    }
    t.push_str(&format!(
        "\n[types.X{depth}]\nfields.s = {{ type = \"string\" }}\n"
    ));
    load(CATALOG, &t, FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
}

#[test]
fn infinite_type_through_a_required_non_empty_array() {
    let t = TYPES.replace(
        "fields.tags = {",
        "fields.reports = { type = \"array<User>\", min_items = 1 }\nfields.tags = {",
    );
    expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::InfiniteType,
        &at("t/types.toml", &t, "reports"),
    );
}

#[test]
fn mutual_recursion_through_aliases_and_required_fields_is_infinite() {
    let t = format!(
        "{TYPES}\n[types.A]\nfields.b = {{ type = \"BAlias\" }}\n[types.BAlias]\ntype = \"B\"\n[types.B]\nfields.a = {{ type = \"A\" }}\n"
    );
    let d = expect(
        load(CATALOG, &t, FAMILY),
        ErrorKind::InfiniteType,
        &at("t/types.toml", &t, "b = {"),
    );
    assert!(
        d.0[0].message.contains("A -> BAlias -> B -> A"),
        "{}",
        d.0[0].message
    );
}

/// Kinds and locations of every error, for exact comparisons.
fn all_errors(d: &Diagnostics) -> Vec<String> {
    let mut v: Vec<String> =
        d.0.iter()
            .map(|d| format!("{:?} at {}", d.kind, d.location()))
            .collect();
    v.sort();
    v
}

#[test]
fn unknown_key_in_catalog_gives_no_false_missing_sections() {
    // Before: also "no file of the catalog declares `[catalog]`" and
    // "... `[envelope]`", though catalog.toml declares both.
    let c = CATALOG.replace("version = \"1.0.0\"", "version = \"1.0.0\"\nowner = \"me\"");
    let d = load(&c, TYPES, FAMILY).unwrap_err();
    assert_eq!(
        all_errors(&d),
        vec![format!(
            "UnknownKey at {}",
            at("t/catalog.toml", &c, "owner")
        )],
        "{}",
        d.render(false)
    );
    // A broken file without `[envelope]` does not hide that none has it.
    let c = CATALOG
        .split("[envelope]")
        .next()
        .unwrap()
        .replace("version = \"1.0.0\"", "version = \"1.0.0\"\nowner = \"me\"");
    let d = load(&c, TYPES, FAMILY).unwrap_err();
    assert!(
        d.0.iter()
            .any(|d| d.kind == ErrorKind::MissingSection && d.message.contains("[envelope]")),
        "{}",
        d.render(false)
    );
    assert!(
        !d.0.iter().any(|d| d.message.contains("[catalog]")),
        "{}",
        d.render(false)
    );
}

#[test]
fn unknown_payload_is_reported_while_another_file_is_broken() {
    // types.toml is broken (an unknown key); the family names a payload no
    // file declares. Before: only the unknown key was reported.
    let t = TYPES.replace("optional = true }", "optinal = true }");
    let f = FAMILY.replace(
        "payload = \"UserEvent\"\n\n[[event.example]]",
        "payload = \"Nope\"\n\n[[event.example]]",
    );
    let d = load(CATALOG, &t, &f).unwrap_err();
    assert_eq!(
        all_errors(&d),
        vec![
            format!("UnknownKey at {}", at("t/types.toml", &t, "optinal")),
            format!("UnknownType at {}", at("t/users.toml", &f, "\"Nope\"")),
        ],
        "{}",
        d.render(false)
    );
}

#[test]
fn non_finite_bounds_are_located() {
    // Before: `the schema of `users.created` does not compile: null is not
    // of type "number"` (NaN and infinities become JSON null), no location.
    for bound in ["minimum = nan", "maximum = inf", "minimum = -inf"] {
        let t = TYPES.replace(
            "fields.tags = {",
            &format!("fields.score = {{ type = \"number\", {bound} }}\nfields.tags = {{"),
        );
        let d = expect(
            load(CATALOG, &t, FAMILY),
            ErrorKind::BadField,
            &at("t/types.toml", &t, "score"),
        );
        assert!(d.0[0].label.contains("finite"), "{}", d.0[0].label);
    }
}

#[test]
fn payload_nested_deeper_than_json_readers_allow_is_located() {
    // C0 { n: C1 }, C1 { n: C2 }, ... all required: every event is nested
    // thousands of levels deep. Before: loaded; `fixtures` aborted with a
    // stack overflow at 3,000, and at 150 wrote events `validate` rejects as
    // malformed ("recursion limit exceeded").
    for n in [150, 3_000] {
        let mut t = TYPES.replace(
            "fields.tags = {",
            "fields.chain = { type = \"C0\" }\nfields.tags = {",
        );
        for i in 0..n {
            t.push_str(&format!(
                "\n[types.C{i}]\nfields.n = {{ type = \"C{}\" }}\n",
                i + 1
            ));
        }
        t.push_str(&format!(
            "\n[types.C{n}]\nfields.s = {{ type = \"string\" }}\n"
        ));
        let d = expect(
            load(CATALOG, &t, FAMILY),
            ErrorKind::TooDeep,
            &at("t/types.toml", &t, "UserEvent"),
        );
        assert!(
            d.0[0].message.contains("more than 100"),
            "{}",
            d.0[0].message
        );
    }
    // 90 levels are fine.
    let mut t = TYPES.replace(
        "fields.tags = {",
        "fields.chain = { type = \"C0\" }\nfields.tags = {",
    );
    for i in 0..90 {
        t.push_str(&format!(
            "\n[types.C{i}]\nfields.n = {{ type = \"C{}\" }}\n",
            i + 1
        ));
    }
    t.push_str("\n[types.C90]\nfields.s = { type = \"string\" }\n");
    load(CATALOG, &t, FAMILY).unwrap_or_else(|d| panic!("{}", d.render(false)));
}

#[test]
fn overlong_code_is_a_located_error_at_load() {
    let long = format!("users.{}", "a".repeat(10_000));
    let f = FAMILY.replace("code = \"users.deleted\"", &format!("code = \"{long}\""));
    let d = expect(
        load(CATALOG, TYPES, &f),
        ErrorKind::CodeGrammar,
        &at("t/users.toml", &f, &format!("\"{long}\"")),
    );
    let msg = &d.0[0].message;
    assert!(
        msg.contains("10006 characters") && msg.contains("limit of 200"),
        "{msg}"
    );
    assert!(
        msg.len() < 200,
        "the message does not repeat the code: {msg}"
    );
    // 200 is still fine.
    let ok = format!("users.{}", "a".repeat(194));
    let f = FAMILY.replace("code = \"users.deleted\"", &format!("code = \"{ok}\""));
    load(CATALOG, TYPES, &f).unwrap_or_else(|d| panic!("{}", d.render(false)));
}
