//! `[delivery]`: the signing scheme, headers, durations and what a
//! `410 Gone` stops.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    /// `[delivery]`: every value checked, errors at the value.
    pub(in crate::load) fn resolve_delivery(
        &mut self,
        file: usize,
        spec: &format::DeliverySpec,
    ) -> Delivery {
        let mut out = Delivery::default();
        if let Some(scheme) = &spec.scheme {
            if let Some(s) = self.signing_scheme(file, scheme) {
                out.scheme = s;
            }
        }
        for (value, slot) in [
            (&spec.id_header, &mut out.id_header),
            (&spec.timestamp_header, &mut out.timestamp_header),
            (&spec.signature_header, &mut out.signature_header),
        ] {
            let Some(v) = value else { continue };
            if let Some(name) = self.header_name(file, v) {
                *slot = name;
            }
        }
        if let Some(v) = &spec.tolerance {
            if let Some(ms) = self.duration(file, v, 1000) {
                out.tolerance_ms = ms;
            }
        }
        if let Some(v) = &spec.timeout {
            if let Some(ms) = self.duration(file, v, 1) {
                out.timeout_ms = ms;
            }
        }
        if let Some(list) = &spec.retry {
            out.retry_ms = list
                .iter()
                .filter_map(|v| self.duration(file, v, 0))
                .collect();
        }
        if let Some(v) = &spec.gone {
            if let Some(gone) = self.gone_rule(file, v) {
                out.gone = gone;
            }
        }
        out
    }

    /// The signing scheme, if it is one eventcat knows (else reported).
    fn signing_scheme(&mut self, file: usize, scheme: &SpannedString) -> Option<String> {
        if scheme.get_ref() == "standard-webhooks" {
            return Some(scheme.get_ref().clone());
        }
        self.located(
            ErrorKind::InvalidValue,
            file,
            scheme.span(),
            format!("unknown signing scheme `{}`", scheme.get_ref()),
            "not a known scheme",
            "the scheme eventcat signs and verifies is `standard-webhooks`",
        );
        None
    }

    /// An HTTP header name, lower-cased, if it is one (else reported).
    fn header_name(&mut self, file: usize, v: &SpannedString) -> Option<String> {
        let name = v.get_ref();
        // RFC 9110 token characters.
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if token {
            return Some(name.to_ascii_lowercase());
        }
        self.located(
            ErrorKind::InvalidValue,
            file,
            v.span(),
            format!("`{name}` is not an HTTP header name"),
            "not a header name",
            "header names are letters, digits and `-` (e.g. `webhook-signature`)",
        );
        None
    }

    /// A duration in milliseconds, if it parses and is at least `min`
    /// (else reported).
    fn duration(&mut self, file: usize, v: &SpannedString, min: u64) -> Option<u64> {
        match crate::model::parse_duration(v.get_ref()) {
            Ok(ms) if ms >= min => Some(ms),
            Ok(_) => {
                self.located(
                    ErrorKind::InvalidValue,
                    file,
                    v.span(),
                    format!("`{}` is too short here", v.get_ref()),
                    format!("must be at least {}", format_duration(min.max(1))),
                    "use a longer duration, e.g. `\"5m\"`",
                );
                None
            }
            Err(msg) => {
                self.located(
                    ErrorKind::InvalidValue,
                    file,
                    v.span(),
                    msg,
                    "not a duration",
                    "write durations as `\"500ms\"`, `\"5s\"`, `\"30m\"`, `\"2h\"` or `\"1d\"`",
                );
                None
            }
        }
    }

    /// What a `410 Gone` answer stops, if `v` names it (else reported).
    fn gone_rule(&mut self, file: usize, v: &SpannedString) -> Option<crate::model::Gone> {
        match v.get_ref().as_str() {
            "event" => Some(crate::model::Gone::Event),
            "endpoint" => Some(crate::model::Gone::Endpoint),
            other => {
                self.located(
                    ErrorKind::InvalidValue,
                    file,
                    v.span(),
                    format!("`{other}` is not what a `410 Gone` stops"),
                    "expected `event` or `endpoint`",
                    "`event`: no further attempt of that event; `endpoint`: no further delivery to the endpoint",
                );
                None
            }
        }
    }
}
