//! Catalog names -> Rust identifiers.
//!
//! The loader uses these functions to reject catalogs where two names become
//! one identifier; the Rust emitter uses the same functions, so what the
//! loader accepted always compiles.

/// Names the generated crate declares itself; a catalog type may not take
/// them (nor shadow the std names generated code uses).
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // generated items
    "Event",
    "EventCode",
    "Family",
    "Status",
    "Selector",
    "SelectorError",
    "ParseEventCodeError",
    "UnknownEvent",
    "Envelope",
    "LocalDateTime",
    "Email",
    "Uri",
    "FormatError",
    // std / serde names the generated code refers to unqualified
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
    "BTreeMap",
    "Value",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "From",
    "AsRef",
    "Iterator",
    "Default",
];

/// Variant name of the catch-all of an extensible enum: `Other`, or
/// `Unrecognized` when a declared value already takes `Other`.
pub fn catch_all_variant<'a>(values: impl IntoIterator<Item = &'a str>) -> &'static str {
    if values.into_iter().any(|v| pascal_case(v) == "Other") {
        "Unrecognized"
    } else {
        "Other"
    }
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Whether `s` is a Rust keyword (strict, reserved or edition-2024).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits a name into words: at any character that is not an ASCII letter or
/// digit, and at lower->upper case changes (`phoneNumber`, `HTTPServer`).
/// A non-ASCII letter or digit becomes a word of its own, spelled `u{hex}`,
/// so distinct names stay distinct.
fn words(s: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_ascii_uppercase() => {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
                _ => false,
            };
            if boundary && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        } else {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            if c.is_alphanumeric() {
                words.push(format!("u{:x}", c as u32));
            }
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// `PascalCase` identifier for a type or enum variant.
/// `dir_sync.user.provision.success` -> `DirSyncUserProvisionSuccess`,
/// `Azure AD` -> `AzureAd`, `1password` -> `X1password`, `` -> `Empty`.
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        return "Empty".to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// `PascalCase` for a catalog type name: kept as written when it is already
/// a plain ASCII identifier starting with an upper-case letter
/// (`DirectorySyncEvent`, `HTTPHeader`), else [`pascal_case`].
pub fn type_ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if plain && !is_keyword(name) {
        name.to_string()
    } else {
        pascal_case(name)
    }
}

/// `snake_case` identifier for a field.
/// `__type__` -> `type_`, `phoneNumber` -> `phone_number`, `1st` -> `_1st`.
pub fn snake_case(s: &str) -> String {
    let mut out = words(s)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        return "empty".to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// Name of the type derived by `partial<T>`.
pub fn partial_name(of: &str) -> String {
    format!("Partial{of}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal() {
        assert_eq!(
            pascal_case("dir_sync.user.provision.success"),
            "DirSyncUserProvisionSuccess"
        );
        assert_eq!(pascal_case("Azure AD"), "AzureAd");
        assert_eq!(pascal_case("google-workspace"), "GoogleWorkspace");
        assert_eq!(pascal_case("1password"), "X1password");
        assert_eq!(pascal_case(""), "Empty");
        assert_eq!(pascal_case("self"), "Self_");
        assert_ne!(pascal_case("café"), pascal_case("cafè"));
    }

    #[test]
    fn snake() {
        assert_eq!(snake_case("__type__"), "type_");
        assert_eq!(snake_case("phoneNumber"), "phone_number");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("1st"), "_1st");
        assert_eq!(snake_case("type"), "type_");
        assert_eq!(snake_case("postal_code"), "postal_code");
        assert_eq!(snake_case("self"), "self_");
    }

    #[test]
    fn types_keep_their_spelling() {
        assert_eq!(type_ident("DirectorySyncEvent"), "DirectorySyncEvent");
        assert_eq!(type_ident("user_profile"), "UserProfile");
    }

    #[test]
    fn catch_all() {
        assert_eq!(catch_all_variant(["work", "home"]), "Other");
        assert_eq!(catch_all_variant(["work", "other"]), "Unrecognized");
    }
}
