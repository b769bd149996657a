//! Validated values: once parsed, a value of these types is known to be well formed.

mod clock;
mod email;
mod handover;
mod italian_time;
mod lang;
pub mod ledger;
mod meal_voucher;
mod money;
pub mod order;
mod paging;
pub mod payment;
mod payment_method;
mod payment_status;
pub mod payment_work;
mod person_name;
pub mod reconciliation;
pub mod refund;
mod shopper;
pub mod store_event;
mod store_user_id;

pub use clock::{Clock, ShiftedClock, SystemClock};
pub use email::Email;
pub use handover::{HandoverToken, NewHandover, Redeemed};
pub use italian_time::{in_italy, italian_day};
pub use lang::Lang;
pub use meal_voucher::{food_share, is_meal_voucher};
pub use money::format_eur;
pub use paging::last_page;
pub use payment_method::{
    Choice, MethodKind, NotTheirs, OwnedMethods, SavedMethod, YearMonth, mask_iban,
};
pub use payment_status::LocalStatus;
pub use person_name::PersonName;
pub use shopper::{FirstPayment, Shopper, ShopperDetails};
pub use store_user_id::StoreUserId;
