//! Word lists (families, resources, actions, enum values, names), the string
//! patterns and the name helpers.

/// Family ids (a round number is appended once they are used up).
pub const FAMILY_WORDS: &[&str] = &[
    "billing",
    "inventory",
    "shipping",
    "payments",
    "access_control",
    "support",
    "identity",
    "audit",
    "messaging",
    "analytics",
    "scheduling",
    "payroll",
    "storage",
    "compliance",
    "marketing",
    "crm",
    "lending",
    "insurance",
    "logistics",
    "learning",
    "booking",
    "streaming",
    "telemetry",
    "security",
    "procurement",
    "recruiting",
    "ticketing",
    "wallet",
    "forum",
    "gaming",
    "fleet",
    "energy",
    "farming",
    "clinic",
    "pharmacy",
    "library",
    "parking",
    "travel",
    "retail",
    "hosting",
    "data_export",
    "dir_sync",
    "sso_saml",
    "notifications",
];

/// Resource names (a round number is appended once they are used up). None
/// of these ends with a suffix the generator appends to type names (Event,
/// Resource, Changes, Attempt, Status, Kind, Details, Settings, Tags, Labels,
/// Snapshot, Node, Change, Provider, Error, ErrorCode).
pub const RESOURCE_WORDS: &[&str] = &[
    "user",
    "group",
    "invoice",
    "order",
    "account",
    "device",
    "project",
    "document",
    "ticket",
    "payment",
    "refund",
    "subscription",
    "member",
    "team",
    "role",
    "policy",
    "token",
    "session",
    "report",
    "folder",
    "file",
    "comment",
    "review",
    "coupon",
    "product",
    "shipment",
    "vendor",
    "contract",
    "lead",
    "campaign",
    "asset",
    "license",
    "workspace",
    "channel",
    "message",
    "webhook",
    "schedule",
    "shift",
    "course",
    "badge",
    "vehicle",
    "sensor",
    "meter",
    "patient",
    "reservation",
    "room",
    "seat",
    "plan",
    "quote",
    "budget",
    "ledger",
    "batch",
    "job",
    "pipeline",
    "release",
    "domain",
    "certificate",
    "invite",
    "api_key",
    "connection",
];

/// (verb, past participle, `Change` value).
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("provision", "provisioned", "create"),
    ("update", "updated", "update"),
    ("deprovision", "deprovisioned", "delete"),
    ("activate", "activated", "activate"),
    ("deactivate", "deactivated", "deactivate"),
    ("suspend", "suspended", "suspend"),
    ("restore", "restored", "restore"),
    ("transfer", "transferred", "transfer"),
    ("archive", "archived", "archive"),
    ("merge", "merged", "merge"),
];

/// Values of a family's `Provider` enum (a few of them per family).
pub const PROVIDERS: &[&str] = &[
    "okta",
    "azure_ad",
    "google_workspace",
    "onelogin",
    "jumpcloud",
    "ping_identity",
    "rippling",
    "generic_scim",
    "salesforce",
    "hubspot",
    "stripe",
    "shopify",
    "zendesk",
    "workday",
];

/// Values of a family's `ErrorCode` enum (the first 4 or more).
pub const ERROR_CODES: &[&str] = &[
    "invalid_attributes",
    "conflict",
    "not_found",
    "limit_reached",
    "internal_error",
    "forbidden",
    "timeout",
    "rate_limited",
];

/// Values of a resource's `Status` enum (3 to 6 of them).
pub const STATUS_VALUES: &[&str] = &[
    "draft", "pending", "active", "paused", "closed", "failed", "expired", "blocked", "open",
    "resolved",
];

/// Values of a resource's `Kind` enum (3 to 7 of them).
pub const KIND_VALUES: &[&str] = &[
    "standard", "premium", "internal", "external", "trial", "legacy", "partner", "system", "other",
];

/// Given names, for e-mail addresses.
pub const FIRST: &[&str] = &[
    "jeanne", "chloe", "amir", "kenji", "lucia", "omar", "sofia", "tomas",
];
/// Family names, for e-mail addresses.
pub const LAST: &[&str] = &[
    "martin", "nguyen", "haddad", "sato", "rossi", "diallo", "costa", "novak",
];
/// Words for strings, URLs and map keys.
pub const NOUNS: &[&str] = &[
    "north", "blue", "rapid", "delta", "summit", "harbor", "cedar", "orbit",
];

/// A `pattern` with a string that matches it (examples use it).
#[derive(Clone, Copy)]
pub struct Pattern {
    pub regex: &'static str,
    pub sample: &'static str,
}

/// A slug (`acme-corp`).
pub const SLUG: Pattern = Pattern {
    regex: "^[a-z0-9]+(?:[-_][a-z0-9]+)*$",
    sample: "acme-corp",
};
/// Digits only.
pub const DIGITS: Pattern = Pattern {
    regex: "^[0-9]+$",
    sample: "5550142",
};
/// A phone number in E.164 form.
pub const E164: Pattern = Pattern {
    regex: "^\\+[1-9][0-9]{1,14}$",
    sample: "+33612345678",
};
/// An ISO 4217 currency code.
pub const CURRENCY: Pattern = Pattern {
    regex: "^[A-Z]{3}$",
    sample: "EUR",
};
/// An ISO 3166-1 alpha-2 country code.
pub const COUNTRY: Pattern = Pattern {
    regex: "^[A-Z]{2}$",
    sample: "FR",
};
/// A BCP 47 locale (`fr-FR`).
pub const LOCALE: Pattern = Pattern {
    regex: "^[a-z]{2}(-[A-Z]{2})?$",
    sample: "fr-FR",
};

/// `billing_2` -> `Billing2`, `api_key` -> `ApiKey`.
pub fn pascal(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `access_control` -> `Access control`.
pub fn human(s: &str) -> String {
    let t = s.replace('_', " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The `i`-th name of a word list, with a round number once the list is used
/// up: `billing`, ..., `billing2`, ...
pub fn nth_word(words: &[&str], i: usize) -> String {
    let round = i / words.len();
    let w = words[i % words.len()];
    if round == 0 {
        w.to_string()
    } else {
        format!("{w}{}", round + 1)
    }
}
