//! The types of one resource: the optional extras (status and kind enums,
//! tags and labels aliases, details and settings objects), the entity, its
//! snapshot, changes and resource objects, and the success and failure
//! payloads.

use crate::model::{Catalog, Field, Kind, Ty};
use crate::rng::Rng;
use crate::words::{human, pascal, CURRENCY, KIND_VALUES, LOCALE, SLUG, STATUS_VALUES};

/// Optional per-resource types, added while the catalog has fewer than 1.4
/// types per code.
#[derive(Clone, Copy, PartialEq)]
pub enum Extra {
    Status,
    Kind,
    Details,
    Settings,
    Tags,
    Labels,
    Snapshot,
}

/// The names of one resource's types and the extras it gets.
struct Res<'a> {
    /// The family id.
    fam: &'a str,
    /// The resource name.
    res: &'a str,
    /// The types file, `types/<family>.toml`.
    file: String,
    /// The family's type name prefix (`DirSync`).
    fp: String,
    /// The resource's type name (`User`).
    rp: String,
    /// The prefix of the resource's types (`DirSyncUser`).
    p: String,
    /// The family, for prose (`Dir sync`).
    ftitle: String,
    /// The resource, for prose (`api key`).
    rtitle: String,
    /// The optional types it gets.
    extras: &'a [Extra],
}

impl Res<'_> {
    /// Whether the resource gets extra `e`.
    fn has(&self, e: Extra) -> bool {
        self.extras.contains(&e)
    }
}

/// Adds the types of resource `res` of family `fam`: the `extras`, the
/// entity, its changes and resource objects, the success payload and, with
/// `has_fail`, the attempt object and the failure payload. `node` is the
/// family's hierarchy node type, if it has one.
pub fn resource_types(
    c: &mut Catalog,
    fam: &str,
    res: &str,
    has_fail: bool,
    extras: &[Extra],
    node: Option<&str>,
    rng: &mut Rng,
) {
    let fp = pascal(fam);
    let rp = pascal(res);
    let r = Res {
        fam,
        res,
        file: format!("types/{fam}.toml"),
        p: format!("{fp}{rp}"),
        fp,
        rp,
        ftitle: human(fam),
        rtitle: human(res).to_lowercase(),
        extras,
    };
    extra_enums_and_aliases(c, &r, rng);
    extra_objects(c, &r);
    entity(c, &r, node, rng);
    let snapshot = snapshot(c, &r);
    changes_and_resource(c, &r, &snapshot);
    payloads(c, &r, has_fail, snapshot);
}

/// The extras `Status` and `Kind` (enums), `Tags` and `Labels` (aliases).
fn extra_enums_and_aliases(c: &mut Catalog, r: &Res, rng: &mut Rng) {
    let Res {
        file, p, rtitle, ..
    } = r;
    if r.has(Extra::Status) {
        let mut v: Vec<String> = STATUS_VALUES.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut v);
        v.truncate(rng.range(3, 6) as usize);
        c.add(
            file,
            &format!("{p}Status"),
            format!("Lifecycle state of a {rtitle}. **Closed**: a value not listed is an error."),
            Kind::Enum {
                value_descriptions: v
                    .iter()
                    .take(2)
                    .map(|x| (x.clone(), format!("The {rtitle} is {x}.")))
                    .collect(),
                values: v,
                extensible: false,
            },
        );
    }
    if r.has(Extra::Kind) {
        let mut v: Vec<String> = KIND_VALUES.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut v);
        v.truncate(rng.range(3, 7) as usize);
        c.add(
            file,
            &format!("{p}Kind"),
            format!("Kind of {rtitle}.\n\n**Extensible**: keep a value you do not know."),
            Kind::Enum {
                values: v,
                extensible: true,
                value_descriptions: vec![],
            },
        );
    }
    if r.has(Extra::Tags) {
        c.add(
            file,
            &format!("{p}Tags"),
            format!("Tags of a {rtitle}, in the order they were added."),
            Kind::Alias(Ty::Array(Box::new(Ty::Str))),
        );
    }
    if r.has(Extra::Labels) {
        c.add(
            file,
            &format!("{p}Labels"),
            format!("Labels of a {rtitle}: each key lists its values."),
            Kind::Alias(Ty::Map(Box::new(Ty::Array(Box::new(Ty::Str))))),
        );
    }
}

/// The extras `Settings` and `Details` (objects; `Details` may hold the
/// `Settings`).
fn extra_objects(c: &mut Catalog, r: &Res) {
    let Res {
        file, p, rtitle, ..
    } = r;
    if r.has(Extra::Settings) {
        let mut fields = vec![
            Field::new("enabled", Ty::Bool, "Whether the setting is on."),
            Field::new(
                "threshold",
                Ty::Num,
                "Trigger threshold, between 0 and 1; `null` when unset.",
            )
            .null()
            .range(0.0, 1.0),
            Field::new("window_minutes", Ty::Int, "Evaluation window, in minutes.")
                .opt()
                .range(1.0, 1440.0),
        ];
        if r.has(Extra::Kind) {
            fields.push(
                Field::new(
                    "applies_to",
                    Ty::Array(Box::new(Ty::Named(format!("{p}Kind")))),
                    "Kinds the setting applies to.",
                )
                .items(Some(1), Some(5)),
            );
        }
        c.add(
            file,
            &format!("{p}Settings"),
            format!("Settings of a {rtitle}."),
            Kind::Object(fields),
        );
    }
    if r.has(Extra::Details) {
        let mut fields = vec![
            Field::new("note", Ty::Str, "Free-text note; `null` when none.")
                .null()
                .len(None, Some(500)),
            Field::new("priority", Ty::Int, "Priority, 1 (highest) to 5.").range(1.0, 5.0),
            Field::new(
                "reviewed_at",
                Ty::DateTime,
                "When the details were last reviewed.",
            )
            .opt(),
        ];
        if r.has(Extra::Settings) {
            fields.push(
                Field::new(
                    "settings",
                    Ty::Named(format!("{p}Settings")),
                    "Its settings, when configured.",
                )
                .opt()
                .null(),
            );
        }
        c.add(
            file,
            &format!("{p}Details"),
            format!("Details of a {rtitle}, nested in its attributes."),
            Kind::Object(fields),
        );
    }
}

/// The attributes a resource may have, each kept with a 45 % chance.
fn entity_pool() -> Vec<Field> {
    vec![
        Field::new("display_name", Ty::Str, "Name shown in lists.").len(Some(1), Some(200)),
        Field::new("email", Ty::Email, "Contact e-mail address."),
        Field::new("homepage", Ty::Uri, "Web page, when there is one.")
            .opt()
            .null(),
        Field::new("start_date", Ty::Date, "First day it applies.")
            .opt()
            .null(),
        Field::new(
            "created_at",
            Ty::DateTime,
            "When it was created, with an offset.",
        ),
        Field::new(
            "address",
            Ty::named("Address"),
            "Postal address; `null` when unknown.",
        )
        .null(),
        Field::new(
            "phone_numbers",
            Ty::Array(Box::new(Ty::named("PhoneNumber"))),
            "Phone numbers, the primary one first.",
        )
        .items(None, Some(10)),
        Field::new("owner", Ty::named("Profile"), "The person who owns it.").opt(),
        Field::new("quantity", Ty::Int, "How many units.").range(0.0, 100000.0),
        Field::new("ratio", Ty::Num, "Share between 0 and 1.").range(0.0, 1.0),
        Field::new("currency", Ty::Str, "ISO 4217 currency code.").pattern(CURRENCY),
        Field::new("locale", Ty::Str, "BCP 47 locale.")
            .null()
            .pattern(LOCALE),
        Field::new(
            "attributes",
            Ty::Map(Box::new(Ty::Array(Box::new(Ty::Str)))),
            "Custom attributes, as sent.",
        )
        .opt(),
        Field::new("raw", Ty::Json, "The upstream record, as sent.").opt(),
        Field::new("legacy_ref", Ty::Str, "Former reference.")
            .opt()
            .deprecated("Use `external_id`."),
        Field::new("metadata", Ty::named("Metadata"), "Customer metadata.").opt(),
        Field::new("slug", Ty::Str, "URL-safe handle.").pattern(SLUG),
        Field::new("aliases", Ty::Array(Box::new(Ty::Str)), "Other names.")
            .opt()
            .items(Some(1), None),
    ]
}

/// The entity: what `new_values` / `previous_values` snapshot.
fn entity(c: &mut Catalog, r: &Res, node: Option<&str>, rng: &mut Rng) {
    let Res {
        file,
        p,
        ftitle,
        rtitle,
        ..
    } = r;
    let mut fields = vec![
        Field::new(
            "external_id",
            Ty::Str,
            format!("Id of the {rtitle} in the upstream system; `null` when it has none."),
        )
        .null(),
        Field::new(
            "active",
            Ty::Bool,
            format!("Whether the {rtitle} is active."),
        ),
    ];
    for f in entity_pool() {
        if rng.chance(45) {
            fields.push(f);
        }
    }
    entity_extra_fields(r, &mut fields, node, rng);
    fields.push(Field::new(
        "updated_at",
        Ty::LocalDateTime,
        "When it last changed, without a zone offset, e.g. `2024-03-22T17:14:27`.",
    ));
    c.add(
        file,
        p,
        format!("The attributes of a {rtitle} of {ftitle}, as they appear in snapshots\n(`new_values` / `previous_values`, as `Partial{p}`: only the attributes that\nchanged are present)."),
        Kind::Object(fields),
    );
}

/// The entity's fields of its extras, its tags and its place in the family's
/// hierarchy (`node`).
fn entity_extra_fields(r: &Res, fields: &mut Vec<Field>, node: Option<&str>, rng: &mut Rng) {
    let p = &r.p;
    if r.has(Extra::Status) {
        fields.push(Field::new(
            "status",
            Ty::Named(format!("{p}Status")),
            "Lifecycle state.",
        ));
    }
    if r.has(Extra::Kind) {
        fields.push(
            Field::new("kind", Ty::Named(format!("{p}Kind")), "Kind.")
                .opt()
                .null(),
        );
    }
    if r.has(Extra::Details) {
        fields.push(
            Field::new("details", Ty::Named(format!("{p}Details")), "Details.")
                .opt()
                .null(),
        );
    }
    if r.has(Extra::Tags) {
        fields.push(Field::new("tags", Ty::Named(format!("{p}Tags")), "Tags."));
    } else if rng.chance(50) {
        fields
            .push(Field::new("tags", Ty::Array(Box::new(Ty::Str)), "Tags.").items(None, Some(20)));
    }
    if r.has(Extra::Labels) {
        fields.push(Field::new("labels", Ty::Named(format!("{p}Labels")), "Labels.").opt());
    }
    if let Some(node) = node {
        if rng.chance(60) {
            fields
                .push(Field::new("tree", Ty::named(node), "Where it sits in the hierarchy.").opt());
        }
    }
}

/// The `Snapshot` extra, if the resource has it; returns the type of a
/// snapshot (`<P>Snapshot` or `partial<P>`).
fn snapshot(c: &mut Catalog, r: &Res) -> Ty {
    let Res {
        file, p, rtitle, ..
    } = r;
    if r.has(Extra::Snapshot) {
        c.add(
            file,
            &format!("{p}Snapshot"),
            format!("A partial {rtitle}: only the attributes that were sent."),
            Kind::Alias(Ty::Partial(p.clone())),
        );
    }
    let snapshot = if r.has(Extra::Snapshot) {
        Ty::Named(format!("{p}Snapshot"))
    } else {
        Ty::Partial(p.clone())
    };
    snapshot
}

/// The `Changes` object (two snapshots) and the `Resource` object that holds
/// it.
fn changes_and_resource(c: &mut Catalog, r: &Res, snapshot: &Ty) {
    let Res {
        file,
        rp,
        p,
        ftitle,
        rtitle,
        ..
    } = r;
    c.add(
        file,
        &format!("{p}Changes"),
        format!("What changed on a {rtitle}: `new_values` after the change, `previous_values`\nbefore it. Both keys are always present; a side that does not exist is `null`."),
        Kind::Object(vec![
            Field::new("new_values", snapshot.clone(), "Changed attributes after the change; `null` on delete.").null(),
            Field::new("previous_values", snapshot.clone(), "The same attributes before the change; `null` on create.").null(),
        ]),
    );
    c.add(
        file,
        &format!("{p}Resource"),
        format!("A {rtitle} as the `resource` of a {ftitle} event."),
        Kind::Object(vec![
            Field::konst(
                "__type__",
                rp,
                format!("Resource type name, always `{rp}`."),
            ),
            Field::new("id", Ty::Uuid, format!("Id of the {rtitle}.")),
            Field::new("changes", Ty::Named(format!("{p}Changes")), "What changed."),
        ]),
    );
}

/// The fields every payload of the family starts with, `resource` (of type
/// `resource`, described by `rdesc`) last.
fn payload_head(fp: &str, resource: Ty, rdesc: &str) -> Vec<Field> {
    vec![
        Field::konst(
            "__type__",
            &format!("{fp}Event"),
            format!("Payload type name, always `{fp}Event` in this family."),
        ),
        Field::new(
            "change",
            Ty::Named(format!("{fp}Change")),
            "What happened (see the event code).",
        ),
        Field::new(
            "connection_id",
            Ty::Uuid,
            "Id of the connection the change came through.",
        ),
        Field::new(
            "provider",
            Ty::Named(format!("{fp}Provider")),
            "Upstream system, e.g. `okta`.",
        ),
        Field::new("resource", resource, rdesc),
    ]
}

/// The success payload `<P>Event` and, with `has_fail`, the `<P>Attempt`
/// object and the failure payload `<P>FailureEvent`.
fn payloads(c: &mut Catalog, r: &Res, has_fail: bool, snapshot: Ty) {
    let Res {
        fam,
        res,
        file,
        fp,
        rp,
        p,
        rtitle,
        ..
    } = r;
    let mut ev = payload_head(
        fp,
        Ty::Named(format!("{p}Resource")),
        &format!("The {rtitle} concerned, with what changed."),
    );
    ev.push(
        Field::new(
            "occurred_at",
            Ty::DateTime,
            "When the change happened upstream.",
        )
        .opt(),
    );
    ev.push(
        Field::new(
            "metadata",
            Ty::named("Metadata"),
            "Metadata of the connection.",
        )
        .opt(),
    );
    c.add(
        file,
        &format!("{p}Event"),
        format!("Payload of the successful `{fam}.{res}.*` codes."),
        Kind::Object(ev),
    );
    if has_fail {
        c.add(
            file,
            &format!("{p}Attempt"),
            format!("The {rtitle} of a failed change. It may not exist on the producer's side, so\n`id` can be `null`."),
            Kind::Object(vec![
                Field::konst("__type__", rp, format!("Resource type name, always `{rp}`.")),
                Field::new("id", Ty::Uuid, "Its id; `null` when it was never created.").null(),
                Field::new("attributes", snapshot, "The attributes the change tried to set.").opt(),
            ]),
        );
        let mut fe = payload_head(
            fp,
            Ty::Named(format!("{p}Attempt")),
            &format!("The {rtitle} the change was attempted on."),
        );
        fe.push(Field::new(
            "error",
            Ty::Named(format!("{fp}Error")),
            "Why it failed.",
        ));
        c.add(
            file,
            &format!("{p}FailureEvent"),
            format!("Payload of the failed `{fam}.{res}.*.fail` codes."),
            Kind::Object(fe),
        );
    }
}
