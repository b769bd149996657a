//! The demo shoppers that exist when the app runs on its embedded sandbox, matching the
//! sandbox's demo customers, so a newcomer has someone to sign in as.

mod orders;
mod sign_in;
mod start_page;

use actix_web::web;

use crate::domain::{Email, PersonName, StoreUserId};
use crate::domain::{Shopper, ShopperDetails};
use crate::i18n::Lang;
use crate::sandbox;
use crate::settings::EMBEDDED_ENVIRONMENT;
use crate::storage::{ShopperStore, Storage};

/// Store user ids of demo shoppers start with this; only they can use the demo sign-in.
pub const STORE_USER_ID_PREFIX: &str = "demo-";

struct DemoShopper {
    store_user_id: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    email: &'static str,
    customer_id: Option<&'static str>,
}

const SHOPPERS: &[DemoShopper] = &[
    DemoShopper {
        store_user_id: "demo-mario",
        first_name: "Mario",
        last_name: "Rossi",
        email: "mario.rossi@example.com",
        customer_id: Some(sandbox::demo::MARIO_CUSTOMER_ID),
    },
    DemoShopper {
        store_user_id: "demo-luca",
        first_name: "Luca",
        last_name: "Verdi",
        email: "luca.verdi@example.com",
        customer_id: Some(sandbox::demo::LUCA_CUSTOMER_ID),
    },
    DemoShopper {
        store_user_id: "demo-giulia",
        first_name: "Giulia",
        last_name: "Bianchi",
        email: "giulia.bianchi@example.com",
        customer_id: None,
    },
];

/// The demo's pages: its start page (registered before the core's `/`, so it answers there) and
/// its sign-in.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").get(start_page::show))
        .service(web::resource("/demo/sign-in").post(sign_in::sign_in));
}

/// Creates the demo shoppers and their orders if missing. On the embedded sandbox, those it knows
/// as customers are linked to them; elsewhere every demo shopper starts without a customer id. A
/// demo shopper who has since become a customer keeps the customer id they were given.
pub async fn seed(db: &dyn Storage, environment: &'static str) -> anyhow::Result<()> {
    for demo in SHOPPERS {
        if db
            .shopper_by_store_user_id(demo.store_user_id)
            .await?
            .is_some()
        {
            continue;
        }
        let details = ShopperDetails {
            store_user_id: StoreUserId::parse(demo.store_user_id).map_err(anyhow::Error::msg)?,
            email: Email::parse(demo.email).map_err(anyhow::Error::msg)?,
            first_name: PersonName::parse(demo.first_name).map_err(anyhow::Error::msg)?,
            last_name: PersonName::parse(demo.last_name).map_err(anyhow::Error::msg)?,
            language: Lang::It.code(),
        };
        let id = db.upsert_shopper(details).await?;
        if let (Some(customer_id), EMBEDDED_ENVIRONMENT) = (demo.customer_id, environment) {
            db.save_customer_id(id, environment, customer_id.to_owned())
                .await?;
        }
    }
    orders::seed(db).await
}

/// The demo shoppers, for the sign-in page, with whether they are Voucherly customers.
pub async fn list(
    db: &dyn ShopperStore,
    environment: &'static str,
) -> anyhow::Result<Vec<(Shopper, bool)>> {
    let store_user_ids = SHOPPERS.iter().map(|demo| demo.store_user_id.to_owned());
    let listed = db
        .listed_shoppers(store_user_ids.collect(), environment)
        .await?;
    Ok(listed
        .into_iter()
        .map(|(shopper, customer_id)| (shopper, customer_id.is_some()))
        .collect())
}
