//! Hand-written fast paths of the checks: string equality of short keys and
//! values ([`same`]), and the patterns every `date-time` and
//! `local-date-time` carries
//! ([`DATE_TIME_PATTERN`], [`LOCAL_DATE_TIME_PATTERN`]), matched by hand:
//! they are on most events, and a regex costs several times more. Each
//! function says exactly what its pattern says (the tests hold both to the
//! regex the reference engine runs).

use eventcat_codegen::emit::json_schema::{DATE_TIME_PATTERN, LOCAL_DATE_TIME_PATTERN};

/// A hand-written matcher for `pattern`, when there is one.
pub(super) fn matcher(pattern: &str) -> Option<fn(&str) -> bool> {
    if pattern == DATE_TIME_PATTERN {
        Some(date_time)
    } else if pattern == LOCAL_DATE_TIME_PATTERN {
        Some(local_date_time)
    } else {
        None
    }
}

fn digit(b: u8) -> bool {
    b.is_ascii_digit()
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(|&c| digit(c))
}

/// `(\.[0-9]{1,9})?` at the start of `b`: the bytes it takes.
fn fraction(b: &[u8]) -> usize {
    if b.first() != Some(&b'.') {
        return 0;
    }
    let n = b[1..].iter().take(9).take_while(|&&c| digit(c)).count();
    if n == 0 {
        0
    } else {
        n + 1
    }
}

/// `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?$`
fn local_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 19 {
        return false;
    }
    let month = match b[5] {
        b'0' => (b'1'..=b'9').contains(&b[6]),
        b'1' => (b'0'..=b'2').contains(&b[6]),
        _ => false,
    };
    let day = match b[8] {
        b'0' => (b'1'..=b'9').contains(&b[9]),
        b'1' | b'2' => digit(b[9]),
        b'3' => b[9] == b'0' || b[9] == b'1',
        _ => false,
    };
    let hour = match b[11] {
        b'0' | b'1' => digit(b[12]),
        b'2' => (b'0'..=b'3').contains(&b[12]),
        _ => false,
    };
    let second = match b[17] {
        b'0'..=b'5' => digit(b[18]),
        b'6' => b[18] == b'0',
        _ => false,
    };
    digits(&b[..4])
        && b[4] == b'-'
        && month
        && b[7] == b'-'
        && day
        && b[10] == b'T'
        && hour
        && b[13] == b':'
        && (b'0'..=b'5').contains(&b[14])
        && digit(b[15])
        && b[16] == b':'
        && second
        && fraction(&b[19..]) == b.len() - 19
}

/// `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$`
fn date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let head = digits(&b[..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..10])
        && (b[10] == b'T' || b[10] == b't')
        && digits(&b[11..13])
        && b[13] == b':'
        && digits(&b[14..16])
        && b[16] == b':'
        && digits(&b[17..19]);
    if !head {
        return false;
    }
    let offset = &b[19 + fraction(&b[19..])..];
    match offset {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    }
}

/// `a == b`, for the short strings of keys and enum values: compared as up
/// to four machine words where they fit, instead of calling `memcmp`.
#[inline]
pub(super) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let half = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().unwrap_or([0; 4]));
    match n {
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn regex(p: &str) -> fancy_regex::Regex {
        fancy_regex::Regex::new(&eventcat_codegen::pattern::to_rust_regex(p).unwrap()).unwrap()
    }

    /// Strings near both shapes: a valid one with one byte changed,
    /// removed or added, or a random one made of the bytes that matter.
    fn near() -> impl Strategy<Value = String> {
        let bases = prop::sample::select(vec![
            "2024-03-18T09:12:05",
            "2024-03-18T09:12:05.123456789",
            "2024-03-18T09:12:05Z",
            "2024-03-18t23:59:60.5+01:30",
            "1999-12-31T00:00:00-00:00",
            "0000-10-30T19:59:59.1z",
        ]);
        let alphabet = prop::sample::select(b"0123456789-:.TtZz+ 6x\xc3\xa9".to_vec());
        prop_oneof![
            (bases.clone(), 0usize..32, alphabet.clone(), 0..3).prop_map(|(s, i, c, op)| {
                let mut b = s.as_bytes().to_vec();
                let i = i.min(b.len());
                match op {
                    0 if i < b.len() => b[i] = c,
                    1 if i < b.len() => {
                        b.remove(i);
                    }
                    _ => b.insert(i, c),
                }
                String::from_utf8_lossy(&b).into_owned()
            }),
            prop::collection::vec(alphabet, 15..34)
                .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            // Every digit redrawn, half the time: the ranges of months,
            // days, hours, minutes and seconds.
            (
                bases.clone(),
                prop::collection::vec((any::<bool>(), 0u8..10), 32)
            )
                .prop_map(|(s, draws)| {
                    s.bytes()
                        .zip(draws)
                        .map(|(c, (redraw, d))| {
                            char::from(if c.is_ascii_digit() && redraw {
                                b'0' + d
                            } else {
                                c
                            })
                        })
                        .collect()
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn hand_written_matchers_agree_with_the_regex(s in near()) {
            for p in [DATE_TIME_PATTERN, LOCAL_DATE_TIME_PATTERN] {
                let want = regex(p).is_match(&s).unwrap();
                prop_assert_eq!(matcher(p).unwrap()(&s), want, "{:?} against {}", s, p);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn same_is_string_equality(a in "[ab_é]{0,40}", flip in any::<prop::sample::Index>()) {
            prop_assert!(same(&a, &a.clone()));
            // The same string with one character changed.
            let mut chars: Vec<char> = a.chars().collect();
            if !chars.is_empty() {
                let i = flip.index(chars.len());
                chars[i] = if chars[i] == 'a' { 'b' } else { 'a' };
            }
            let b: String = chars.into_iter().collect();
            prop_assert_eq!(same(&a, &b), a == b);
            let mut rest = b.chars();
            rest.next_back();
            let shorter = rest.as_str();
            prop_assert_eq!(same(&a, shorter), a == shorter);
        }
    }

    #[test]
    fn both_answers_are_reached() {
        assert!(local_date_time("2024-02-30T23:59:60.123456789"));
        assert!(!local_date_time("2024-02-30T24:00:00"));
        assert!(!local_date_time("2024-02-30T23:00:00.1234567890"));
        assert!(date_time("2024-02-30t23:59:60.1+09:30"));
        assert!(!date_time("2024-02-30T23:59:60+0930"));
        assert!(matcher("^a$").is_none());
    }
}
