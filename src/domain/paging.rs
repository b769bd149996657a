//! Lists shown a page at a time.

/// The number of the last page of `total` rows, `per_page` to a page (1 when there are none).
pub fn last_page(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    u32::try_from((total.max(1) + per_page - 1) / per_page).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_page_holds_the_rest_and_an_empty_list_has_one() {
        assert_eq!(last_page(0, 10), 1);
        assert_eq!(last_page(10, 10), 1);
        assert_eq!(last_page(11, 10), 2);
        assert_eq!(last_page(5, 0), 5);
    }
}
