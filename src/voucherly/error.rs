//! What can go wrong when calling Voucherly, sorted by what the caller should do about it: fix
//! the configuration, treat the thing as gone, retry later, or log it as a surprise.

use reqwest::StatusCode;

/// How much of an error body to keep: enough to diagnose, not enough to flood a log line.
const BODY_SNIPPET_CHARS: usize = 300;

#[derive(Debug, Clone, thiserror::Error)]
pub enum VoucherlyError {
    /// Voucherly refused the API key (401 or 403): a configuration problem, not a passing one.
    #[error("Voucherly refused the API key")]
    Unauthorized,
    /// The customer, payment method or payment does not exist (404).
    #[error("Voucherly does not know this object")]
    NotFound,
    /// Voucherly is down or slow: connection failure, timeout, 408, 429 or 5xx. Worth retrying.
    #[error("Voucherly is unavailable: {0}")]
    Unavailable(String),
    /// Voucherly understood the request and refused it (400, 409, 415, 422): `code` is the
    /// problem details' `code` (`RESOURCE_MISSING`, `INVALID_STATUS`, …) when there is one.
    #[error("Voucherly refused the request: {text}")]
    Refused {
        status: u16,
        code: Option<String>,
        text: String,
    },
    /// Voucherly did part of the operation and a payment gateway failed the rest: a 424
    /// `FAILED_DEPENDENCY`, or a 422 listing the `operations` already done. Sending the same
    /// request again settles what is left.
    #[error("Voucherly did only part of the operation: {text}")]
    Interrupted {
        status: u16,
        code: Option<String>,
        text: String,
    },
    /// Any other status (3xx included), a body that does not follow the contract, or (never seen
    /// in practice) a request that could not be built. The text is for logs only.
    #[error("Voucherly answered unexpectedly: {0}")]
    UnexpectedAnswer(String),
}

impl VoucherlyError {
    /// A short name of the kind of error, for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::NotFound => "not_found",
            Self::Unavailable(_) => "unavailable",
            Self::Refused { .. } => "refused",
            Self::Interrupted { .. } => "interrupted",
            Self::UnexpectedAnswer(_) => "unexpected",
        }
    }

    /// True when retrying cannot help and an operator has to fix the settings.
    pub fn is_configuration_problem(&self) -> bool {
        matches!(self, Self::Unauthorized)
    }

    /// A 400 whose problem `code` says an id we sent (a customer, say) does not exist.
    pub fn is_resource_missing(&self) -> bool {
        matches!(self, Self::Refused { code: Some(code), .. } if code == "RESOURCE_MISSING")
    }

    /// A 409: the payment is not in a status that allows the operation.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Refused { status: 409, .. })
    }

    /// Sorts a non-2xx answer. The body is kept (shortened) only to describe the error in logs.
    pub(crate) fn from_status(status: StatusCode, body: &[u8]) -> Self {
        let description = || format!("HTTP {}: {}", status.as_u16(), snippet(body));
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Self::Unauthorized,
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS => {
                Self::Unavailable(description())
            }
            _ if status.is_server_error() => Self::Unavailable(description()),
            StatusCode::FAILED_DEPENDENCY => Self::Interrupted {
                status: status.as_u16(),
                code: problem(body).code,
                text: description(),
            },
            StatusCode::UNPROCESSABLE_ENTITY if problem(body).has_operations() => {
                Self::Interrupted {
                    status: status.as_u16(),
                    code: problem(body).code,
                    text: description(),
                }
            }
            StatusCode::BAD_REQUEST
            | StatusCode::CONFLICT
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY => Self::Refused {
                status: status.as_u16(),
                code: problem(body).code,
                text: description(),
            },
            _ => Self::UnexpectedAnswer(description()),
        }
    }

    /// A call that did not complete: no connection, a timeout, or a body cut off mid-way.
    pub(crate) fn from_transport(error: &reqwest::Error) -> Self {
        if error.is_builder() {
            // Our own request could not be built (never seen in practice): retrying won't help.
            return Self::UnexpectedAnswer(error_chain(error));
        }
        Self::Unavailable(error_chain(error))
    }

    /// A 2xx answer whose body does not have the shape the contract promises.
    pub(crate) fn from_parse(error: &serde_json::Error) -> Self {
        Self::UnexpectedAnswer(format!("the body does not parse: {error}"))
    }
}

/// What the caller acts on in a problem-details body (`application/json` or
/// `application/problem+json` alike: only the body is read). There is no `errors` map.
#[derive(Default, serde::Deserialize)]
struct Problem {
    code: Option<String>,
    /// Confirm's 422/424: what was already done, "resend as is".
    operations: Option<Vec<serde_json::Value>>,
}

impl Problem {
    fn has_operations(&self) -> bool {
        self.operations
            .as_ref()
            .is_some_and(|done| !done.is_empty())
    }
}

fn problem(body: &[u8]) -> Problem {
    serde_json::from_slice(body).unwrap_or_default()
}

/// The start of a body as text, on one line.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut short: String = text
        .chars()
        .take(BODY_SNIPPET_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > BODY_SNIPPET_CHARS {
        short.push('…');
    }
    short
}

/// reqwest's own message says only "error sending request"; the reason (refused, timed out,
/// reset) is further down the source chain.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_sorted_by_what_the_caller_should_do() {
        let sort =
            |code: u16| VoucherlyError::from_status(StatusCode::from_u16(code).unwrap(), b"");
        assert!(matches!(sort(401), VoucherlyError::Unauthorized));
        assert!(matches!(sort(403), VoucherlyError::Unauthorized));
        assert!(matches!(sort(404), VoucherlyError::NotFound));
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(sort(code), VoucherlyError::Unavailable(_)),
                "{code}"
            );
        }
        assert!(matches!(sort(302), VoucherlyError::UnexpectedAnswer(_)));
        for code in [400, 409, 415, 422] {
            assert!(
                matches!(sort(code), VoucherlyError::Refused { .. }),
                "{code}"
            );
        }
        let missing = VoucherlyError::from_status(
            StatusCode::BAD_REQUEST,
            br#"{"status":400,"code":"RESOURCE_MISSING","parameter":"customerId"}"#,
        );
        assert!(missing.is_resource_missing());
        assert!(!sort(400).is_resource_missing());
        assert!(sort(409).is_conflict());
        assert!(matches!(sort(424), VoucherlyError::Interrupted { .. }));
        let half_done = VoucherlyError::from_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            br#"{"status":422,"code":"IMPOSSIBLE_REFUND","operations":[{"amount":3000}]}"#,
        );
        assert!(matches!(
            half_done,
            VoucherlyError::Interrupted { status: 422, code: Some(ref c), .. } if c == "IMPOSSIBLE_REFUND"
        ));
        let no_operations = br#"{"status":422,"code":"CANNOT_ALLOCATE","operations":[]}"#;
        assert!(matches!(
            VoucherlyError::from_status(StatusCode::UNPROCESSABLE_ENTITY, no_operations),
            VoucherlyError::Refused { status: 422, .. }
        ));
        assert!(sort(401).is_configuration_problem());
        assert!(!sort(503).is_configuration_problem());
    }

    #[test]
    fn long_error_bodies_are_shortened_to_one_line() {
        let body = format!("line one\nline two {}", "x".repeat(1000));
        let short = snippet(body.as_bytes());
        assert!(short.starts_with("line one line two"));
        assert_eq!(short.chars().count(), BODY_SNIPPET_CHARS + 1);
    }
}
