//! The commands. Each takes the [`Desk`] and plain arguments (codes already read), and returns
//! a [`Report`]; the demo calls the same functions.

pub(crate) mod account;
pub(crate) mod call;
pub(crate) mod code;
pub(crate) mod contact;
pub(crate) mod log;
pub(crate) mod perm;
pub(crate) mod serve;
pub(crate) mod setup;

use seccode::Account;
use seccode::ContactId;
use seccode::{Clock, SystemClock};
use seccode::{Normalization, RequestKind};
use seccode::{SecurityCode, Timestamp};
use seccode_store::Store;

use crate::cli::{AccountCommand, Cli, CodeCommand, Command};
use crate::desk::Desk;
use crate::error::CliError;
use crate::output::Report;
use crate::secret::read_code;
use crate::suggest;

/// Run a parsed command line.
pub(crate) fn run(cli: Cli) -> Result<Report, CliError> {
    let Cli { global, command } = cli;
    match command {
        Command::Demo(args) => crate::demo::run(&args),
        Command::Init(args) => setup::init(&global, &args),
        Command::Serve(args) => serve::serve(&global, &args),
        Command::Key(c) => serve::key(&global, c),
        Command::Completions { shell } => crate::shell::completions(shell),
        Command::Man => crate::shell::man(),
        command => {
            let mut desk = Desk::open(&global)?;
            dispatch(&mut desk, command)
        }
    }
}

fn dispatch(desk: &mut Desk, command: Command) -> Result<Report, CliError> {
    match command {
        Command::Config(args) => setup::config(desk, &args),
        Command::Check => setup::check(desk),
        Command::Account(c) => {
            if let AccountCommand::Matching { matching, .. } = &c {
                let names = Normalization::ALL.map(Normalization::as_str);
                suggest::parse_or_suggest(
                    "matching",
                    matching,
                    &names,
                    str::parse::<Normalization>,
                )?;
            }
            account::run(desk, c)
        }
        Command::Contact(c) => contact::run(desk, c),
        Command::Code(c) => run_code(desk, c),
        Command::Perm(c) => perm::run(desk, c),
        Command::Verify(args) => {
            let request = args.request.as_deref().map(request_kind).transpose()?;
            let account = seccode::AccountId(args.account);
            // Fail on an unknown account before asking for the code.
            if desk.store.account(account)?.is_none() {
                return Err(seccode_store::StoreError::UnknownAccount(account).into());
            }
            let code = read_code("Security code given by the caller: ", false)?;
            call::verify(desk, account, ContactId(args.contact), &code, request)
        }
        Command::Unlock(args) => {
            let account = desk.account_id()?;
            call::unlock(desk, account, ContactId(args.contact), args.actor)
        }
        Command::Authorize(args) => {
            let kind = request_kind(&args.kind)?;
            call::authorize(desk, &args.verification, kind)
        }
        Command::Audit(args) => log::audit(desk, &args),
        Command::Hashes => log::hashes(desk),
        Command::Import(args) => crate::import::run(desk, &args),
        Command::Init(_)
        | Command::Demo(_)
        | Command::Serve(_)
        | Command::Key(_)
        | Command::Completions { .. }
        | Command::Man => Err(CliError::internal(
            "internal",
            "this command does not run on an open store",
        )),
    }
}

/// A request kind (`routine`, `billable`, ...), by the core's rule.
fn request_kind(text: &str) -> Result<RequestKind, CliError> {
    let names = RequestKind::ALL.map(RequestKind::as_str);
    suggest::parse_or_suggest("request kind", text, &names, str::parse::<RequestKind>)
}

fn run_code(desk: &mut Desk, command: CodeCommand) -> Result<Report, CliError> {
    let account = desk.account_id()?;
    // Fail on an unknown account before asking for the code.
    desk.load(account)?;
    match command {
        CodeCommand::SetAccount { actor } => {
            let code = read_code("New account-wide security code: ", true)?;
            code::set_account(desk, account, actor, &code)
        }
        CodeCommand::SetContact(args) => {
            let contact = ContactId(args.contact);
            desk.load(account)?.contact(contact)?;
            let code = read_code(&format!("New security code for contact {contact}: "), true)?;
            code::set_contact(desk, account, contact, args.actor, &code)
        }
        CodeCommand::ClearAccount { actor } => code::clear_account(desk, account, actor),
        CodeCommand::ClearContact(args) => {
            code::clear_contact(desk, account, ContactId(args.contact), args.actor)
        }
        CodeCommand::Check { contact } => {
            let contact = contact.map(ContactId);
            if let Some(c) = contact {
                desk.load(account)?.contact(c)?;
            }
            let code = read_code("Candidate security code: ", false)?;
            code::check(desk, account, contact, &code)
        }
    }
}

/// The current time.
pub(crate) fn now() -> Timestamp {
    SystemClock.now()
}

/// `3522 (Joe Example)`, or just the id when the account has no such contact.
pub(crate) fn who(account: &Account, id: ContactId) -> String {
    match account.contact(id) {
        Ok(c) => format!("{id} ({})", c.name()),
        Err(_) => id.to_string(),
    }
}

/// A code for the demo and tests, from text the program holds anyway.
pub(crate) fn code_of(text: &str) -> Result<SecurityCode, CliError> {
    Ok(SecurityCode::from_str_copy(text)?)
}
