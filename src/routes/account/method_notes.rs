//! What the app adds to Voucherly's list of saved methods: which one the shopper prefers (shown
//! first, preselected to pay), which cards expire this month or next (in words, with a
//! suggestion), and when each last paid an order here.

use std::collections::HashMap;

use time::OffsetDateTime;
use time::macros::format_description;

use super::methods::{MethodView, MethodsView};
use crate::domain::{Choice, YearMonth, in_italy};
use crate::i18n::Texts;

/// The shopper's preference and usage, read once per page.
pub struct MethodNotes {
    preferred: Option<String>,
    last_used: HashMap<String, i64>,
    today: YearMonth,
}

impl MethodNotes {
    /// From what the page read, `today` being the month the expiry was worked out against.
    pub fn new(
        preferred: Option<String>,
        last_used: HashMap<String, i64>,
        today: YearMonth,
    ) -> Self {
        Self {
            preferred,
            last_used,
            today,
        }
    }

    /// Marks the views and puts the preferred method first, in the list and in the pay choices
    /// (the first choice is the one preselected).
    pub fn apply(&self, views: &mut [MethodView], choices: &mut [Choice], t: &'static Texts) {
        for view in views.iter_mut() {
            view.preferred = self.preferred.as_deref() == Some(view.id.as_str());
            view.expiring = match view.expiry.as_deref().and_then(parse_expiry) {
                Some(expiry) if !view.expired => expiring_words(expiry, self.today, t),
                _ => None,
            };
            view.last_used = self.last_used.get(&view.id).map(|at| day(*at));
        }
        if let Some(preferred) = &self.preferred {
            // Stable sorts: the others keep Voucherly's order.
            views.sort_by_key(|view| view.id != *preferred);
            choices.sort_by_key(|choice| choice.id != *preferred);
        }
    }
}

impl MethodsView {
    /// Whether a listed card expires this month or next, so the page suggests a new one.
    pub fn expiring_soon(&self) -> bool {
        matches!(self, Self::Listed(list) if list.iter().any(|m| m.expiring.is_some()))
    }
}

/// Reads the `MM/YYYY` the views show.
fn parse_expiry(text: &str) -> Option<YearMonth> {
    let (month, year) = text.split_once('/')?;
    Some(YearMonth {
        year: year.parse().ok()?,
        month: month.parse().ok()?,
    })
}

/// "Expires this month" or "Expires next month"; `None` for any later month.
fn expiring_words(expiry: YearMonth, today: YearMonth, t: &'static Texts) -> Option<&'static str> {
    let next = if today.month == 12 {
        YearMonth {
            year: today.year + 1,
            month: 1,
        }
    } else {
        YearMonth {
            month: today.month + 1,
            ..today
        }
    };
    if expiry == today {
        Some(t.expires_this_month)
    } else if expiry == next {
        Some(t.expires_next_month)
    } else {
        None
    }
}

/// `dd/mm/yyyy`, Italian time.
fn day(at: i64) -> String {
    in_italy(OffsetDateTime::from_unix_timestamp(at).unwrap_or(OffsetDateTime::UNIX_EPOCH))
        .format(format_description!("[day]/[month]/[year]"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn ym(year: i32, month: u8) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn a_card_expiring_this_month_or_next_is_told_in_words_and_later_ones_are_not() {
        let t = Lang::En.texts();
        assert_eq!(
            expiring_words(ym(2026, 11), ym(2026, 11), t),
            Some(t.expires_this_month)
        );
        assert_eq!(
            expiring_words(ym(2026, 12), ym(2026, 11), t),
            Some(t.expires_next_month)
        );
        assert_eq!(
            expiring_words(ym(2027, 1), ym(2026, 12), t),
            Some(t.expires_next_month)
        );
        assert_eq!(expiring_words(ym(2027, 1), ym(2026, 11), t), None);
        assert_eq!(expiring_words(ym(2027, 11), ym(2026, 11), t), None);
        assert_eq!(parse_expiry("03/2027"), Some(ym(2027, 3)));
    }
}
