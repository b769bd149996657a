//! Times in the store API's queries: RFC 3339 instants (`2026-12-03T10:00:00Z`) or UTC dates
//! (`2026-12-03`), as Unix seconds.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use crate::routes::api::ApiError;

const DAY: i64 = 24 * 60 * 60;

/// The start of the UTC day `text` (`YYYY-MM-DD`) names.
pub fn day_start(name: &str, text: &str) -> Result<i64, ApiError> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map(|date| date.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp())
        .map_err(|_| {
            ApiError::invalid(format!(
                "{name} must be a date as YYYY-MM-DD (a UTC day), not {text:?}"
            ))
        })
}

/// The instant `text` names; a date stands for its day's start, or with `end_of_day` for the
/// next day's start (so `to=2026-12-03` includes the whole of that day).
pub fn instant(name: &str, text: &str, end_of_day: bool) -> Result<i64, ApiError> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at.unix_timestamp());
    }
    let start = day_start(name, text).map_err(|_| {
        ApiError::invalid(format!(
            "{name} must be an RFC 3339 instant such as 2026-12-03T10:00:00Z, or a UTC date \
             such as 2026-12-03, not {text:?}"
        ))
    })?;
    Ok(if end_of_day { start + DAY } else { start })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_dates_are_read_in_utc() {
        assert_eq!(day_start("date", "2026-12-03").unwrap(), 1_796_256_000);
        assert_eq!(
            instant("from", "2026-12-03T11:00:00+01:00", false).unwrap(),
            1_796_292_000
        );
        assert_eq!(
            instant("to", "2026-12-03", true).unwrap(),
            1_796_256_000 + DAY
        );
        for wrong in ["2026-13-01", "yesterday", "2026-12-03T10:00", ""] {
            assert!(instant("from", wrong, false).is_err(), "{wrong}");
        }
    }
}
