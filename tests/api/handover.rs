//! Hand-overs: the store's server asks for a one-time link (`POST /api/v1/handovers`), and the
//! link signs its shopper in once, never after expiry, never into someone else's session.

mod creating;
mod session_expiry;
mod using;
mod voucherly_customer;
