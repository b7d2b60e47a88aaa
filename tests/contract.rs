//! Contract properties: the generated Rust types (`generated/rust`) and the
//! generated JSON Schemas (`generated/json-schema`, through the validators
//! `eventcat validate` uses) describe the same wire format.
//!
//! - producer: any value of the generated `Envelope` serializes to JSON the
//!   strict schema accepts, and deserializes back to an equal value;
//! - consumer: JSON generated from the catalog *model* (independently of the
//!   Rust types), with unknown fields and unknown extensible-enum values, is
//!   accepted by the consumer reading of the schema and deserializes into
//!   the typed variant of its code;
//! - negative: contract-breaking mutations of valid events are rejected by
//!   the strict schema and (except undeclared fields, which consumers must
//!   ignore) by the typed deserializer;
//! - schemars: the schema schemars derives from the generated types agrees
//!   with the emitted (lenient) schema on all those samples.
//!
//! Case counts: [`CASES`] per property (each property covers every code),
//! or `EVENTCAT_PROPTEST_CASES` for a longer, nightly-style run.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use eventcat::fixtures::{mutate, strategy, Mode};
use eventcat::validate::schema::{validator_options, Validators};
use eventcat_codegen::model::Catalog;
use identity_webhooks_events::Envelope;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

mod common;

/// Cases per property and per code (consumer, negative) or in all
/// (producer, which draws codes at random and checks each was reached).
const CASES: u32 = 64;

fn cases() -> u32 {
    std::env::var("EVENTCAT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        eventcat_codegen::load(concat!(env!("CARGO_MANIFEST_DIR"), "/schema"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
    })
}

fn strict() -> &'static Validators {
    static V: OnceLock<Validators> = OnceLock::new();
    V.get_or_init(|| Validators::new(catalog(), false).expect("schemas compile"))
}

fn lenient() -> &'static Validators {
    static V: OnceLock<Validators> = OnceLock::new();
    V.get_or_init(|| Validators::new(catalog(), true).expect("schemas compile"))
}

/// The consumer reading of the contract: objects open (unknown fields
/// allowed) and extensible enums open (any string), from the catalog-wide
/// lenient schema.
fn consumer_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let options = eventcat_codegen::emit::json_schema::Options {
            allow_unknown_fields: true,
        };
        let mut schema = eventcat_codegen::emit::json_schema::catalog_schema(catalog(), options);
        common::open_extensible_enums(&mut schema);
        validator_options()
            .build(&schema)
            .expect("consumer schema compiles")
    })
}

fn schemars_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Envelope)).unwrap();
        validator_options()
            .build(&schema)
            .expect("schemars schema compiles")
    })
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn code_of(v: &Value) -> String {
    v["code"].as_str().unwrap_or("<none>").to_string()
}

#[test]
fn producer_values_are_schema_valid_and_round_trip() {
    // Enough cases to reach every code with random code selection.
    let total = cases() * 8;
    let seen: RefCell<BTreeMap<String, u32>> = RefCell::default();
    let mut r = runner(total);
    let result = r.run(&any::<Envelope>(), |env| {
        let json = serde_json::to_value(&env).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let code = code_of(&json);
        *seen.borrow_mut().entry(code.clone()).or_default() += 1;
        let (_, violations) = strict().check(&json);
        prop_assert!(
            violations.is_empty(),
            "{code}: the strict schema rejects a generated value: {violations:#?}\n{json:#}"
        );
        let back: Envelope = serde_json::from_value(json.clone()).map_err(|e| {
            TestCaseError::fail(format!("{code}: does not deserialize back: {e}\n{json:#}"))
        })?;
        prop_assert_eq!(&back, &env, "{}: round trip changed the value", code);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    eprintln!(
        "producer property: {total} cases, {} codes reached: {seen:?}",
        seen.len()
    );
    assert_eq!(
        seen.len(),
        catalog().events.len(),
        "every code reached: {seen:?}"
    );
}

#[test]
fn consumer_json_from_the_model_is_accepted_and_typed() {
    let mut total = 0;
    for ev in &catalog().events {
        let s = strategy::event(catalog(), ev, Mode::Consumer).unwrap();
        let mut r = runner(cases());
        let result = r.run(&s, |json| {
            let errors: Vec<String> = consumer_validator()
                .iter_errors(&json)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            prop_assert!(
                errors.is_empty(),
                "{}: consumer schema rejects: {errors:#?}\n{json:#}",
                ev.code
            );
            let env: Envelope = serde_json::from_value(json.clone()).map_err(|e| {
                TestCaseError::fail(format!(
                    "{}: typed deserialize fails: {e}\n{json:#}",
                    ev.code
                ))
            })?;
            prop_assert_eq!(env.data.code_str(), ev.code.as_str());
            prop_assert!(env.code().is_some(), "{}: landed in Unknown", ev.code);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        total += cases();
    }
    eprintln!(
        "consumer property: {total} cases over {} codes",
        catalog().events.len()
    );
}

#[test]
fn mutations_are_rejected_by_schema_and_types_alike() {
    let by_kind: RefCell<BTreeMap<String, u32>> = RefCell::default();
    for ev in &catalog().events {
        let base = strategy::event(catalog(), ev, Mode::Producer).unwrap();
        let s = (base, any::<prop::sample::Index>());
        let mut r = runner(cases());
        let result = r.run(&s, |(json, pick)| {
            let muts = mutate::mutations(catalog(), ev, &json);
            prop_assume!(!muts.is_empty());
            let m = pick.get(&muts);
            let bad = m.apply(&json);
            *by_kind
                .borrow_mut()
                .entry(format!("{:?}", m.kind))
                .or_default() += 1;
            let (_, violations) = strict().check(&bad);
            prop_assert!(
                !violations.is_empty(),
                "{}: schema accepts a broken event ({}): {bad:#}",
                ev.code,
                m.description
            );
            let typed = serde_json::from_value::<Envelope>(bad.clone());
            if m.kind.consumers_reject() {
                prop_assert!(
                    typed.is_err(),
                    "{}: schema rejects but the Rust types accept ({} at {}): {bad:#}",
                    ev.code,
                    m.description,
                    m.pointer
                );
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }
    let by_kind = by_kind.into_inner();
    eprintln!(
        "negative property: {} cases per code; mutations by kind: {by_kind:?}",
        cases()
    );
    assert!(
        by_kind.len() >= 5,
        "most mutation kinds exercised: {by_kind:?}"
    );
}

#[test]
fn schemars_schema_agrees_with_the_emitted_one() {
    let mut compared = 0;
    for ev in &catalog().events {
        let base = strategy::event(catalog(), ev, Mode::Producer).unwrap();
        let s = (base, any::<prop::sample::Index>(), any::<bool>());
        let mut r = runner(cases() / 2);
        let result = r.run(&s, |(json, pick, mutate_it)| {
            let sample = if mutate_it {
                let muts = mutate::mutations(catalog(), ev, &json);
                if muts.is_empty() {
                    json
                } else {
                    pick.get(&muts).apply(&json)
                }
            } else {
                json
            };
            let emitted = lenient().check(&sample).1.is_empty();
            let derived = schemars_validator().is_valid(&sample);
            let why: Vec<String> = schemars_validator()
                .iter_errors(&sample)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .chain(
                    lenient()
                        .check(&sample)
                        .1
                        .into_iter()
                        .map(|v| format!("{}: {}", v.pointer, v.message)),
                )
                .collect();
            prop_assert_eq!(
                emitted,
                derived,
                "{}: emitted schema says {}, schemars says {}: {:#?}\n{:#}",
                ev.code,
                emitted,
                derived,
                why,
                sample
            );
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        compared += cases() / 2;
    }
    eprintln!("schemars cross-check: {compared} samples");
}
