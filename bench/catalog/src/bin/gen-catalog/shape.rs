//! The types every catalog has: the shared ones (`types/common.toml`), each
//! family's own and its hierarchy node.

use crate::model::{Catalog, Field, Kind, Ty};
use crate::rng::Rng;
use crate::words::{human, pascal, ACTIONS, COUNTRY, DIGITS, E164, ERROR_CODES, LOCALE, PROVIDERS};

/// The types shared by every family (`types/common.toml`).
pub fn shared_types(c: &mut Catalog) {
    let f = "types/common.toml";
    c.add(
        f,
        "Environment",
        "The environment of the organization an event happened in. Every organization has\nboth; sandbox events are never about production data.",
        Kind::Enum {
            values: vec!["sandbox".into(), "production".into()],
            extensible: false,
            value_descriptions: vec![
                ("sandbox".into(), "The organization's test environment.".into()),
                ("production".into(), "The organization's live environment.".into()),
            ],
        },
    );
    c.add(
        f,
        "Profile",
        "The identity attributes of a person, named after the OpenID Connect standard\nclaims. Every attribute is always sent: one the source does not hold is `null`.",
        Kind::Object(vec![
            Field::new("email", Ty::Email, "The person's e-mail address."),
            Field::new("given_name", Ty::Str, "Given (first) name; `null` when unknown.").null(),
            Field::new("family_name", Ty::Str, "Family (last) name; `null` when unknown.").null(),
            Field::new("picture", Ty::Uri, "URL of a profile picture; `null` when unknown.").null(),
            Field::new("locale", Ty::Str, "Preferred locale as a BCP 47 tag, e.g. `fr-FR`.")
                .null()
                .pattern(LOCALE),
            Field::new("birthdate", Ty::Date, "Date of birth (`YYYY-MM-DD`), when the source holds it.")
                .opt()
                .null(),
        ]),
    );
    c.add(
        f,
        "Address",
        "A postal address. Each component is `null` when the source does not hold it.",
        Kind::Object(vec![
            Field::new("country", Ty::Str, "ISO 3166-1 alpha-2 country code.")
                .null()
                .pattern(COUNTRY),
            Field::new(
                "formatted",
                Ty::Str,
                "The whole address, formatted for display.",
            )
            .null(),
            Field::new("locality", Ty::Str, "City or locality.").null(),
            Field::new("postal_code", Ty::Str, "Postal code.")
                .null()
                .len(None, Some(16)),
            Field::new("street_address", Ty::Str, "Street, number, building.").null(),
        ]),
    );
    phone_and_metadata_types(c, f);
}

/// The shared `PhoneNumber`, `PhoneNumberType` and `Metadata` types, added to
/// file `f`.
fn phone_and_metadata_types(c: &mut Catalog, f: &str) {
    c.add(
        f,
        "PhoneNumber",
        "A phone number.",
        Kind::Object(vec![
            Field::new(
                "value",
                Ty::Str,
                "The number in E.164 form, e.g. `+33612345678`.",
            )
            .pattern(E164),
            Field::new("type", Ty::named("PhoneNumberType"), "Kind of number."),
            Field::new("primary", Ty::Bool, "Whether it is the preferred number.").opt(),
            Field::new("country_code", Ty::Int, "Country calling code.").range(1.0, 999.0),
            Field::new("extension", Ty::Str, "Extension digits, if any.")
                .opt()
                .null()
                .pattern(DIGITS),
        ]),
    );
    c.add(
        f,
        "PhoneNumberType",
        "Kind of a phone number.\n\n**Extensible**: other kinds may be sent; keep an unknown value as is.",
        Kind::Enum {
            values: ["mobile", "work", "home", "fax", "other"].map(String::from).to_vec(),
            extensible: true,
            value_descriptions: vec![],
        },
    );
    c.add(
        f,
        "Metadata",
        "Free-form string metadata attached by the producer's customer.",
        Kind::Alias(Ty::Map(Box::new(Ty::Str))),
    );
}

/// A family's own types: its `Change`, `Provider` and `ErrorCode` enums and
/// its `Error` object.
pub fn family_types(c: &mut Catalog, fam: &str, rng: &mut Rng) {
    let file = format!("types/{fam}.toml");
    let p = pascal(fam);
    let title = human(fam);
    let mut changes: Vec<String> = ACTIONS.iter().map(|a| a.2.to_string()).collect();
    changes.dedup();
    c.add(
        &file,
        &format!("{p}Change"),
        format!("The verb of what changed, sent as `change` in every {title} payload. It follows\nfrom the event code.\n\n**Extensible**: dispatch on the envelope's `code`, not on `change`."),
        Kind::Enum {
            value_descriptions: changes
                .iter()
                .take(3)
                .map(|v| (v.clone(), format!("The resource was subject to a `{v}`.")))
                .collect(),
            values: changes,
            extensible: true,
        },
    );
    let mut providers: Vec<String> = PROVIDERS.iter().map(|s| s.to_string()).collect();
    rng.shuffle(&mut providers);
    providers.truncate(rng.range(3, 8) as usize);
    providers.sort();
    c.add(
        &file,
        &format!("{p}Provider"),
        format!("The upstream system a {title} change came from.\n\n**Extensible**: new providers are supported over time."),
        Kind::Enum { values: providers, extensible: true, value_descriptions: vec![] },
    );
    let mut codes: Vec<String> = ERROR_CODES.iter().map(|s| s.to_string()).collect();
    codes.truncate(rng.range(4, ERROR_CODES.len() as i64) as usize);
    c.add(
        &file,
        &format!("{p}ErrorCode"),
        "Kind of a failure.\n\n**Extensible**: treat an unknown kind like `internal_error`.",
        Kind::Enum {
            values: codes,
            extensible: true,
            value_descriptions: vec![],
        },
    );
    c.add(
        &file,
        &format!("{p}Error"),
        format!("Why a {title} change failed (`*.fail` codes)."),
        Kind::Object(vec![
            Field::new(
                "code",
                Ty::Named(format!("{p}ErrorCode")),
                "Machine-readable kind of failure.",
            ),
            Field::new(
                "message",
                Ty::Str,
                "Human-readable explanation, for logs; do not parse it.",
            )
            .len(Some(1), Some(2000)),
            Field::new(
                "status",
                Ty::Int,
                "HTTP status of the upstream request that failed.",
            )
            .range(400.0, 599.0),
            Field::new(
                "retryable",
                Ty::Bool,
                "Whether the upstream system will retry.",
            )
            .opt(),
            Field::new(
                "detail",
                Ty::Json,
                "Provider-specific error detail, as sent.",
            )
            .opt()
            .null(),
        ]),
    );
}

/// The family's hierarchy node type (a recursive object); returns its name.
pub fn node_type(c: &mut Catalog, fam: &str) -> String {
    let name = format!("{}Node", pascal(fam));
    c.add(
        &format!("types/{fam}.toml"),
        &name,
        "A node of a hierarchy (a tree: `children` may nest to any depth).",
        Kind::Object(vec![
            Field::new("id", Ty::Uuid, "Id of the node."),
            Field::new("name", Ty::Str, "Name of the node.").len(Some(1), Some(100)),
            Field::new(
                "children",
                Ty::Array(Box::new(Ty::named(&name))),
                "Child nodes.",
            )
            .opt()
            .items(None, Some(50)),
        ]),
    );
    name
}
