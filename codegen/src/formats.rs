//! What the string formats of a catalog accept: the one definition.
//!
//! `eventcat validate` registers these checks with jsonschema for the
//! formats of the emitted schemas (overriding its built-in ones), and the
//! generated Rust crate holds this very file as its `formats` module (the
//! emitter embeds it, see `emit::rust`), so the types accept exactly what
//! `validate` accepts. It uses `std` only. Every check is on the whole
//! string (no trimming; a trailing `\n` is rejected) and ASCII only.
//!
//! - `uuid` (RFC 4122 string form): `8-4-4-4-12` hexadecimal digits, either
//!   case, any version; no braces, no `urn:uuid:`, no missing hyphens.
//! - `date` (RFC 3339 `full-date`): `YYYY-MM-DD`, a real calendar day
//!   (leap years included), years `0000`-`9999`, no sign.
//! - `date-time` (RFC 3339 `date-time`): `full-date`, `T` (or `t`),
//!   `HH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` (or `z`)
//!   or `+HH:MM`/`-HH:MM` (offset hours 00-23, minutes 00-59). Second `60`
//!   (a leap second) only where the time in UTC is `23:59:60`, as JSON
//!   Schema's test suite has it: `23:59:60Z` and `15:59:60-08:00` are
//!   valid, `17:14:60Z` is not.
//! - `local-date-time` (eventcat's own): `YYYY-MM-DDTHH:MM:SS` with an
//!   optional fraction of 1 to 9 digits, no offset; second `60` allowed
//!   (without an offset it cannot be placed in UTC).
//! - `email` (RFC 5321 `Mailbox`): a dot-atom local part (`atext` of RFC
//!   5322, no leading, trailing or doubled dot) or a quoted one (`"joe
//!   bloggs"`, printable ASCII and space, `\` escapes), at most 64
//!   characters; `@`; a domain of LDH labels (1-63 characters, no leading
//!   or trailing hyphen, at most 255 characters) or an address literal
//!   `[IPv4]` / `[IPv6:...]`. No internationalized addresses.
//! - `uri` (RFC 3986 `URI`): a scheme, `:`, a hierarchical part (with an
//!   authority after `//`: user info, a host (`[IPv6]`, IPv4 or reg-name)
//!   and a numeric port), an optional `?query` and `#fragment`; only the
//!   characters RFC 3986 allows there, `%` always followed by two hex
//!   digits. No spaces, backslashes or non-ASCII (that is `iri`).
//!
//! At most 9 fraction digits: the Rust types hold nanoseconds, and the
//! emitted schemas also carry a `pattern` with this limit, so a validator
//! that knows only the standard formats enforces it too.

/// Whether `s` is a UUID: `8-4-4-4-12` hex digits, either case.
pub fn is_uuid(s: &str) -> bool {
    let Ok(b) = <&[u8; 36]>::try_from(s.as_bytes()) else {
        return false;
    };
    // Checked with `&` (no early exit): the compiler keeps it branch-free.
    let mut ok = b[8] == b'-' && b[13] == b'-' && b[18] == b'-' && b[23] == b'-';
    for (i, &c) in b.iter().enumerate() {
        if !matches!(i, 8 | 13 | 18 | 23) {
            ok &= HEX[usize::from(c)];
        }
    }
    ok
}

/// Whether a byte is an ASCII hex digit.
static HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_hexdigit();
        c += 1;
    }
    t
};

/// The value of `b` as decimal digits (all ASCII digits), or `None`.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD` at the start of `b` (exactly 10 bytes): (year, month, day)
/// of a real calendar day.
fn full_date(b: &[u8]) -> Option<(u32, u32, u32)> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// `HH:MM:SS` plus an optional `.` and 1 to 9 digits (all of `b`):
/// (hour, minute, second).
fn partial_time(b: &[u8]) -> Option<(u32, u32, u32)> {
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (hour, minute, second) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    let frac = &b[8..];
    let frac_ok = frac.is_empty()
        || (frac[0] == b'.'
            && (2..=10).contains(&frac.len())
            && frac[1..].iter().all(u8::is_ascii_digit));
    (frac_ok && hour < 24 && minute < 60 && second <= 60).then_some((hour, minute, second))
}

/// Whether `s` is a date: `YYYY-MM-DD`, a real calendar day.
pub fn is_date(s: &str) -> bool {
    full_date(s.as_bytes()).is_some()
}

/// Whether `s` is an RFC 3339 date-time (see the module docs).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || full_date(&b[..10]).is_none() {
        return false;
    }
    let rest = &b[11..];
    let (time, offset_minutes) = match rest.last() {
        Some(b'Z' | b'z') => (&rest[..rest.len() - 1], 0i64),
        _ if rest.len() >= 6 => {
            let (time, off) = rest.split_at(rest.len() - 6);
            let sign = match off[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return false,
            };
            if off[3] != b':' {
                return false;
            }
            let (Some(h), Some(m)) = (digits(&off[1..3]), digits(&off[4..6])) else {
                return false;
            };
            if h > 23 || m > 59 {
                return false;
            }
            (time, sign * i64::from(h * 60 + m))
        }
        _ => return false,
    };
    let Some((hour, minute, second)) = partial_time(time) else {
        return false;
    };
    if second == 60 {
        // A leap second is the last second of a UTC day.
        let utc = (i64::from(hour * 60 + minute) - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// Whether `s` is a date-time without offset (see the module docs).
pub fn is_local_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 19
        && b[10] == b'T'
        && full_date(&b[..10]).is_some()
        && partial_time(&b[11..]).is_some()
}

/// A table of the bytes that are ASCII letters or digits, or in `extra`.
const fn table(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

static ATEXT: [bool; 256] = table(b"!#$%&'*+-/=?^_`{|}~");
static UNRESERVED_OR_SUB_DELIM: [bool; 256] = table(b"-._~!$&'()*+,;=");
static LDH: [bool; 256] = table(b"-");

/// RFC 5322 `atext`.
fn is_atext(c: u8) -> bool {
    ATEXT[usize::from(c)]
}

/// Whether `s` is an e-mail address (RFC 5321 `Mailbox`, see the module
/// docs).
pub fn is_email(s: &str) -> bool {
    let b = s.as_bytes();
    let local_end = if b.first() == Some(&b'"') {
        // Quoted-string: qtextSMTP or a quoted-pair, up to the closing quote.
        let mut i = 1;
        loop {
            match b.get(i) {
                Some(b'"') => break i + 1,
                Some(b'\\') if b.get(i + 1).is_some_and(|c| (32..=126).contains(c)) => i += 2,
                Some(&c)
                    if c == 32 || c == 33 || (35..=91).contains(&c) || (93..=126).contains(&c) =>
                {
                    i += 1
                }
                _ => return false,
            }
        }
    } else {
        match b.iter().position(|&c| c == b'@') {
            Some(at) => {
                let local = &b[..at];
                if local.is_empty()
                    || !local
                        .split(|&c| c == b'.')
                        .all(|atom| !atom.is_empty() && atom.iter().all(|&c| is_atext(c)))
                {
                    return false;
                }
                at
            }
            None => return false,
        }
    };
    if local_end > 64 || b.get(local_end) != Some(&b'@') {
        return false;
    }
    let domain = &s[local_end + 1..];
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => literal.parse::<std::net::Ipv4Addr>().is_ok(),
        };
    }
    domain.len() <= 255 && domain.as_bytes().split(|&c| c == b'.').all(is_ldh_label)
}

/// A domain label: 1-63 letters, digits and hyphens, no hyphen at either end.
fn is_ldh_label(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|&c| LDH[usize::from(c)])
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// RFC 3986 `unreserved` or `sub-delims`.
fn is_unreserved_or_sub_delim(c: u8) -> bool {
    UNRESERVED_OR_SUB_DELIM[usize::from(c)]
}

/// Whether every byte of `b` is allowed by `ok` or starts a `%XX` escape.
fn all_chars(b: &[u8], ok: impl Fn(u8) -> bool) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else if ok(b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// RFC 3986 `pchar` (without `%`, handled by [`all_chars`]).
fn is_pchar(c: u8) -> bool {
    is_unreserved_or_sub_delim(c) || c == b':' || c == b'@'
}

/// `s` split at the first `c` (`str::split_once(char)` searches with
/// memchr, slow on short strings).
fn split_once(s: &str, c: u8) -> Option<(&str, &str)> {
    s.bytes()
        .position(|b| b == c)
        .map(|i| (&s[..i], &s[i + 1..]))
}

/// Whether `s` is an absolute URI with optional fragment (RFC 3986 `URI`,
/// see the module docs).
pub fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = split_once(s, b':') else {
        return false;
    };
    let sb = scheme.as_bytes();
    if sb.is_empty()
        || !sb[0].is_ascii_alphabetic()
        || !sb
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return false;
    }
    let (rest, fragment) = match split_once(rest, b'#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (hier, query) = match split_once(rest, b'?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    let query_ok = |q: &str| all_chars(q.as_bytes(), |c| is_pchar(c) || c == b'/' || c == b'?');
    if !query.is_none_or(query_ok) || !fragment.is_none_or(query_ok) {
        return false;
    }
    let path = match hier.strip_prefix("//") {
        Some(after) => {
            let end = after.bytes().position(|b| b == b'/').unwrap_or(after.len());
            if !is_authority(&after[..end]) {
                return false;
            }
            &after[end..]
        }
        None => hier,
    };
    all_chars(path.as_bytes(), |c| is_pchar(c) || c == b'/')
}

/// RFC 3986 `authority`: `[userinfo@]host[:port]`.
fn is_authority(a: &str) -> bool {
    let (userinfo, hostport) = match a.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, a),
    };
    if let Some(u) = userinfo {
        if !all_chars(u.as_bytes(), |c| is_unreserved_or_sub_delim(c) || c == b':') {
            return false;
        }
    }
    let (host, port) = if hostport.starts_with('[') {
        let Some(close) = hostport.find(']') else {
            return false;
        };
        let (host, after) = hostport.split_at(close + 1);
        let port = match after.strip_prefix(':') {
            Some(p) => p,
            None if after.is_empty() => "",
            None => return false,
        };
        let inner = &host[1..host.len() - 1];
        let literal_ok = inner.parse::<std::net::Ipv6Addr>().is_ok() || is_ipv_future(inner);
        if !literal_ok {
            return false;
        }
        (None, port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (Some(h), p),
            None => (Some(hostport), ""),
        }
    };
    if let Some(h) = host {
        // reg-name (IPv4 addresses are reg-names too, syntactically).
        if !all_chars(h.as_bytes(), is_unreserved_or_sub_delim) {
            return false;
        }
    }
    port.bytes().all(|c| c.is_ascii_digit())
}

/// RFC 3986 `IPvFuture`: `v` hex digits `.` then unreserved, sub-delims or `:`.
fn is_ipv_future(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some((version, addr)) = rest.split_once('.') else {
        return false;
    };
    !version.is_empty()
        && version.bytes().all(|c| c.is_ascii_hexdigit())
        && !addr.is_empty()
        && addr
            .bytes()
            .all(|c| is_unreserved_or_sub_delim(c) || c == b':')
}
