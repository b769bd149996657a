use clap::Parser;
use voucherly_account::settings::Settings;
use voucherly_account::startup::Application;
use voucherly_account::telemetry;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    telemetry::init_stdout("info", settings.log_format);
    let application = Application::build(settings).await?;
    application.run_until_stopped().await?;
    Ok(())
}
