#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod contact_import;
mod demo;
mod desk;
mod error;
mod import;
mod output;
mod secret;
mod serve_demo;
mod shell;
mod suggest;
mod when;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

pub use error::Exit;

/// Run `seccode` with the process's arguments; the status is documented on [`Exit`].
pub fn run() -> ExitCode {
    run_with(std::env::args_os())
}

/// Run `seccode` with these arguments (the first is the program name).
pub fn run_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let json = args.iter().any(|a| a == "--json");
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, json),
    };
    let json = cli.global.json;
    match commands::run(cli) {
        Ok(report) => {
            if json {
                print_json(&report.to_json());
            } else {
                print_text(&report.text);
            }
            ExitCode::from(report.exit.code())
        }
        Err(err) => {
            if json {
                print_json(&err.to_json());
            } else {
                let mut text = format!("error: {}\n", err.message);
                for line in &err.details {
                    text.push_str(&format!("  - {line}\n"));
                }
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
            ExitCode::from(err.exit.code())
        }
    }
}

/// The command line, and whether `--agent` came from it rather than from `SECCODE_AGENT`.
fn parse(args: &[OsString]) -> Result<cli::Cli, clap::Error> {
    let matches = cli::Cli::command().try_get_matches_from(args)?;
    let mut cli = cli::Cli::from_arg_matches(&matches)?;
    let mut level = Some(&matches);
    while let Some(m) = level {
        if m.value_source("agent") == Some(clap::parser::ValueSource::CommandLine) {
            cli.global.agent_on_command_line = true;
        }
        level = m.subcommand().map(|(_, sub)| sub);
    }
    Ok(cli)
}

/// clap's errors: help and version are successes; a usage error is bad input (3), not clap's
/// usual 2, which `seccode` keeps for *locked*.
fn usage_error(e: &clap::Error, json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    if json {
        let rendered = e.render().to_string();
        // The first paragraph, on one line: "the following required arguments were not
        // provided: <CONTACT>".
        let first = rendered.split("\n\n").next().unwrap_or_default();
        let message = first
            .trim_start_matches("error: ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let error = error::CliError::bad_input("usage", message);
        print_json(&error.to_json());
    } else {
        let _ = e.print();
    }
    ExitCode::from(Exit::BadInput.code())
}

/// Write to standard output; a closed pipe (`| head`) is not an error.
fn print_text(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| String::from("{}"));
    print_text(&format!("{text}\n"));
}
