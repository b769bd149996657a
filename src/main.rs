use clap::Parser;
use secrecy::ExposeSecret;
use voucherly_account::settings::{Command, Settings};
use voucherly_account::startup::Application;
use voucherly_account::{storage, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    telemetry::init_stdout("info", settings.log_format);
    if let Some(Command::CopyToPostgres { from, to }) = &settings.command {
        let copied = storage::copy::sqlite_to_postgres(from, to.expose_secret()).await?;
        println!("copied, and counted on both sides:\n{copied}");
        return Ok(());
    }
    let application = Application::build(settings).await?;
    application.run_until_stopped().await?;
    Ok(())
}
