//! Names: type names, and the Rust identifiers they become.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    pub(in crate::load) fn check_type_names(&mut self, declared: &BTreeMap<String, Declared>) {
        for (name, d) in declared {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let suggestion = naming::pascal_case(name);
                self.located(
                    ErrorKind::InvalidValue,
                    d.file,
                    d.name.span(),
                    format!("`{name}` is not a valid type name"),
                    "type names are ASCII letters, digits and `_`, starting with a letter",
                    format!("call it `{suggestion}`"),
                );
            } else if is_builtin(name) {
                let diag = Diagnostic::new(ErrorKind::DuplicateType, &self.texts[d.file], d.name.span(), format!("`{name}` is a built-in type"))
                    .help("pick another name; built-ins are string, integer, number, boolean, json, the string formats, array, map and partial");
                self.diags.push(diag);
            } else if naming::RESERVED_TYPE_NAMES.contains(&naming::type_ident(name).as_str()) {
                let diag = Diagnostic::new(
                    ErrorKind::DuplicateType,
                    &self.texts[d.file],
                    d.name.span(),
                    format!("`{name}` is a name the generated Rust code uses itself"),
                )
                .help(format!(
                    "pick another name (reserved: {})",
                    naming::RESERVED_TYPE_NAMES.join(", ")
                ));
                self.diags.push(diag);
            }
        }
    }

    pub(in crate::load) fn check_type_idents(&mut self, types: &BTreeMap<String, TypeDef>) {
        let mut seen: BTreeMap<String, &TypeDef> = BTreeMap::new();
        for t in types.values() {
            let ident = naming::type_ident(&t.name);
            if let Some(prev) = seen.get(&ident) {
                // Derived types collide by name and were reported already.
                if prev.derived_from.is_some() || t.derived_from.is_some() {
                    continue;
                }
                let d = self
                    .collision(
                        &t.origin,
                        &prev.name,
                        &prev.origin,
                        format!(
                            "types `{}` and `{}` both become the Rust type `{ident}`",
                            prev.name, t.name
                        ),
                    )
                    .help("rename one of them");
                self.diags.push(d);
            } else {
                seen.insert(ident, t);
            }
        }
    }
}
