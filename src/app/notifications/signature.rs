//! The `Voucherly-Account-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
//! keyed with the webhook secret over `"<t>.<raw body>"`. A receiver recomputes it from the raw
//! bytes it got (never from re-serialised JSON) and refuses an old `t`, so a captured request
//! cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A receiver's usual tolerance between `t` and its own clock, in seconds.
pub const DEFAULT_TOLERANCE: i64 = 5 * 60;

/// The header value for `body` sent at `timestamp`: `t=<timestamp>,v1=<lowercase hex>`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mac = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(mac))
}

/// Whether `header_value` is a valid signature of `body` with `secret`, made at most
/// `tolerance_seconds` away from `now`. Any `v1` entry may match (several are allowed while a
/// secret is rotated); the comparison is in constant time.
pub fn verify(
    secret: &[u8],
    header_value: &str,
    body: &[u8],
    now: i64,
    tolerance_seconds: i64,
) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header_value.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    if now.abs_diff(timestamp) > tolerance_seconds.unsigned_abs() {
        return false;
    }
    signatures
        .iter()
        .any(|signature| mac(secret, timestamp, body).verify_slice(signature).is_ok())
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length: this never fails.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";
    const BODY: &[u8] = br#"{"id":"e1","type":"order.paid"}"#;

    #[test]
    fn a_signature_verifies_with_the_same_secret_body_and_a_recent_time() {
        let header = sign(SECRET, 1_700_000_000, BODY);
        assert!(verify(SECRET, &header, BODY, 1_700_000_000, 300));
        assert!(verify(SECRET, &header, BODY, 1_700_000_299, 300));
        assert!(verify(SECRET, &header, BODY, 1_699_999_800, 300));
    }

    #[test]
    fn the_signature_is_the_documented_hmac() {
        // From `printf '1700000000.{"id":"e1","type":"order.paid"}' |
        // openssl dgst -sha256 -hmac whsec_test`.
        let expected = "a447c9369b5dc9bf2abd6207b9a8680b879b30ce33d8e976fb6cddeed2995871";
        assert_eq!(
            sign(SECRET, 1_700_000_000, BODY),
            format!("t=1700000000,v1={expected}")
        );
    }

    #[test]
    fn a_tampered_body_does_not_verify() {
        let header = sign(SECRET, 1_700_000_000, BODY);
        let tampered = br#"{"id":"e1","type":"order.refunded"}"#;
        assert!(!verify(SECRET, &header, tampered, 1_700_000_000, 300));
    }

    #[test]
    fn a_wrong_secret_does_not_verify() {
        let header = sign(b"whsec_other", 1_700_000_000, BODY);
        assert!(!verify(SECRET, &header, BODY, 1_700_000_000, 300));
    }

    #[test]
    fn an_old_or_future_timestamp_does_not_verify() {
        let header = sign(SECRET, 1_700_000_000, BODY);
        assert!(!verify(SECRET, &header, BODY, 1_700_000_301, 300));
        assert!(!verify(SECRET, &header, BODY, 1_699_999_699, 300));
    }

    #[test]
    fn a_changed_timestamp_does_not_verify() {
        let header = sign(SECRET, 1_700_000_000, BODY).replace("t=1700000000", "t=1700000100");
        assert!(!verify(SECRET, &header, BODY, 1_700_000_100, 300));
    }

    #[test]
    fn malformed_headers_do_not_verify() {
        let good = sign(SECRET, 1_700_000_000, BODY);
        let v1 = good.split_once(",v1=").unwrap().1.to_owned();
        for header in [
            "",
            "t=1700000000",
            &format!("v1={v1}"),
            &format!("t=abc,v1={v1}"),
            "t=1700000000,v1=zz",
            "t=1700000000,v1=",
            &format!("t=1700000000,v1={}", &v1[..10]),
        ] {
            assert!(
                !verify(SECRET, header, BODY, 1_700_000_000, 300),
                "{header:?}"
            );
        }
    }

    #[test]
    fn any_of_several_v1_entries_may_match() {
        let good = sign(SECRET, 1_700_000_000, BODY);
        let v1 = good.split_once(",v1=").unwrap().1;
        let header = format!("t=1700000000,v1={},v1={v1}", "0".repeat(64));
        assert!(verify(SECRET, &header, BODY, 1_700_000_000, 300));
    }
}
