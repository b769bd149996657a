//! Several instances on one PostgreSQL database, as behind a load balancer: any instance serves
//! any request, background work is shared without doing anything twice, and money is never
//! doubled. These tests always run on PostgreSQL, whatever engine the rest of the suite is on.

mod caching;
mod delivery;
mod money;
mod reconciling;
mod sessions;

use secrecy::SecretString;
use voucherly_account::settings::Settings;
use voucherly_account::startup::Application;
use wiremock::MockServer;

use crate::helpers::TestApp;

/// Starts another instance on `app`'s database (and its sandbox file), with `configure`d
/// settings; returns its address.
pub async fn another_instance(app: &TestApp, configure: impl FnOnce(&mut Settings)) -> String {
    let mut settings = app.settings_for_another();
    configure(&mut settings);
    let instance = Application::build(settings)
        .await
        .expect("another instance builds");
    let address = format!("http://127.0.0.1:{}", instance.port());
    tokio::spawn(instance.run_until_stopped());
    address
}

/// Settings for an instance talking to `voucherly` (wiremock) with an API key, demo sign-in on.
pub fn on_voucherly(voucherly: &MockServer) -> impl Fn(&mut Settings) + Clone {
    let base_url = voucherly.uri();
    move |settings: &mut Settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url.clone());
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
    }
}
