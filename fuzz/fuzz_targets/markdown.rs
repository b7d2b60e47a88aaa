//! Text -> description renderer: HTML of its own tags only, never a panic.
#![no_main]

use eventcat::codegen::emit::docs::{html, markup};
use libfuzzer_sys::fuzz_target;

const TAGS: &[&str] = &[
    "p", "ul", "ol", "li", "code", "pre", "em", "strong", "a", "h1", "h2", "h3", "h4", "h5", "h6",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let out = html::blocks(&markup::parse(text), 3);
    let mut rest = out.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> from {text:?}");
    }
});
