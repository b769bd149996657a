//! Validated values: once parsed, a value of these types is known to be well formed.

mod clock;
mod email;
mod italian_time;
mod lang;
mod meal_voucher;
mod money;
pub mod order;
mod payment_method;
mod payment_status;
mod person_name;
pub mod store_event;
mod store_user_id;

pub use clock::{Clock, SystemClock};
pub use email::Email;
pub use italian_time::in_italy;
pub use lang::Lang;
pub use meal_voucher::{food_share, is_meal_voucher};
pub use money::format_eur;
pub use payment_method::{MethodKind, SavedMethod, YearMonth, mask_iban, saved_methods};
pub use payment_status::LocalStatus;
pub use person_name::PersonName;
pub use store_user_id::StoreUserId;
