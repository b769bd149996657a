//! Italian local time (Europe/Rome), without a time-zone database: Italy follows the EU rule,
//! summer time (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
//! Sunday of October, and UTC+1 the rest of the year.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// `at` as a clock in Italy shows it.
pub fn in_italy(at: OffsetDateTime) -> OffsetDateTime {
    let utc = at.to_offset(UtcOffset::UTC);
    let summer = switch(utc.year(), Month::March)..switch(utc.year(), Month::October);
    let hours = if summer.contains(&utc) { 2 } else { 1 };
    utc.to_offset(UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// The day in Italy at `at`, as `YYYY-MM-DD`, written digit by digit (the `time` crate's
/// formatting cost more than the rest of a profile's data, on every page). A year before 0
/// comes out as `time` writes it.
pub fn italian_day(at: OffsetDateTime) -> String {
    let date = in_italy(at).date();
    let Ok(year) = u32::try_from(date.year()) else {
        return date
            .format(time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap_or_default();
    };
    let mut day = String::with_capacity(10);
    push_digits(&mut day, year, 4);
    day.push('-');
    push_digits(&mut day, u32::from(u8::from(date.month())), 2);
    day.push('-');
    push_digits(&mut day, u32::from(date.day()), 2);
    day
}

/// The last `count` decimal digits of `number`, zeros first where it has fewer.
pub(super) fn push_digits(out: &mut String, number: u32, count: u32) {
    for place in (0..count).rev() {
        out.extend(char::from_digit(number / 10u32.pow(place) % 10, 10));
    }
}

/// 01:00 UTC on the last Sunday of `month` (March or October, both 31 days long).
fn switch(year: i32, month: Month) -> OffsetDateTime {
    let last_day = Date::from_calendar_date(year, month, 31).unwrap_or(Date::MIN);
    let back = last_day.weekday().number_days_from_sunday();
    let sunday = last_day - time::Duration::days(i64::from(back));
    debug_assert_eq!(sunday.weekday(), Weekday::Sunday);
    PrimitiveDateTime::new(sunday, Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    proptest::proptest! {
        #[test]
        fn the_italian_day_is_written_as_time_writes_it(seconds in -300_000_000_000i64..253_402_200_000) {
            let at = OffsetDateTime::from_unix_timestamp(seconds).unwrap();
            let written = in_italy(at)
                .format(time::macros::format_description!("[year]-[month]-[day]"))
                .unwrap();
            proptest::prop_assert_eq!(italian_day(at), written);
        }
    }

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        assert_eq!(in_italy(datetime!(2026-01-15 12:00 UTC)).hour(), 13);
        assert_eq!(in_italy(datetime!(2026-07-15 12:00 UTC)).hour(), 14);
    }

    #[test]
    fn the_clocks_change_at_one_in_the_morning_utc_on_the_last_sundays() {
        // 2026: 29 March and 25 October.
        assert_eq!(in_italy(datetime!(2026-03-29 00:59 UTC)).hour(), 1);
        assert_eq!(in_italy(datetime!(2026-03-29 01:00 UTC)).hour(), 3);
        assert_eq!(in_italy(datetime!(2026-10-25 00:59 UTC)).hour(), 2);
        assert_eq!(in_italy(datetime!(2026-10-25 01:00 UTC)).hour(), 2);
        assert_eq!(
            in_italy(datetime!(2026-10-25 01:00 UTC))
                .offset()
                .whole_hours(),
            1
        );
    }

    #[test]
    fn the_last_sundays_are_found_in_any_year() {
        assert_eq!(
            switch(2027, Month::March).date(),
            time::macros::date!(2027 - 03 - 28)
        );
        assert_eq!(
            switch(2027, Month::October).date(),
            time::macros::date!(2027 - 10 - 31)
        );
    }
}
