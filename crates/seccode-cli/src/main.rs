//! The `seccode` command: see the `seccode_cli` crate documentation or `seccode --help`.

fn main() -> std::process::ExitCode {
    seccode_cli::run()
}
