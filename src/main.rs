use clap::Parser;
use voucherly_account::settings::Settings;
use voucherly_account::startup::Application;
use voucherly_account::telemetry;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init("info", std::io::stdout);
    let settings = Settings::parse();
    let application = Application::build(settings).await?;
    application.run_until_stopped().await?;
    Ok(())
}
