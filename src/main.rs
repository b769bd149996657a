mod memory;

use clap::Parser;
use secrecy::ExposeSecret;
use voucherly_account::settings::{Command, Settings};
use voucherly_account::startup::Application;
use voucherly_account::{storage, telemetry};

fn main() -> anyhow::Result<()> {
    memory::tune_allocator();
    memory::give_back_free_pages();
    let settings = Settings::parse();
    let blocking_threads = usize::try_from(settings.blocking_threads).unwrap_or(16);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads)
        .build()?
        .block_on(serve(settings))
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
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
