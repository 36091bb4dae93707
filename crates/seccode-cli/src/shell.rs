//! `completions SHELL` and `man`: generated from the command tree itself, so they always match
//! the binary that prints them.

use clap::CommandFactory;
use clap_complete::Shell;
use serde_json::json;

use crate::cli::Cli;
use crate::error::CliError;
use crate::output::Report;

/// The program's name in scripts and on the manual page.
const NAME: &str = "seccode";

fn text(bytes: Vec<u8>, what: &str) -> Result<String, CliError> {
    String::from_utf8(bytes)
        .map_err(|_| CliError::internal("internal", format!("{what} is not UTF-8")))
}

/// `completions SHELL`: the completion script of `shell` on standard output.
pub(crate) fn completions(shell: Shell) -> Result<Report, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, NAME, &mut script);
    let script = text(script, "the completion script")?;
    Ok(Report::new(
        script.clone(),
        json!({ "shell": shell.to_string(), "script": script }),
    ))
}

/// `man`: the manual page, in roff, on standard output.
pub(crate) fn man() -> Result<Report, CliError> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut roff = Vec::new();
    page.render(&mut roff)
        .map_err(|e| CliError::io("rendering the manual page", &e))?;
    let roff = text(roff, "the manual page")?;
    Ok(Report::new(roff.clone(), json!({ "roff": roff })))
}
