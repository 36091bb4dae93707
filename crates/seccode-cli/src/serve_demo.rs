//! `seccode serve --demo`: the service on a new store in a temporary directory, holding the
//! seed's account exactly as `seccode demo` makes it ([`crate::demo::seed`]), with portal
//! passwords for two of its contacts and an agent and an admin key made for the occasion, all
//! printed once at start. Demo only: the store, the key file and the printed secrets go away
//! with the temporary directory when the server stops.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use seccode::{Account, ContactId, Password, SecurityCode};
use seccode_server::{ApiKey, KeyRing, Role, ServiceOptions, Tls};
use serde_json::json;
use zeroize::Zeroizing;

use crate::cli::{Global, ServeArgs};
use crate::commands::serve::{key_error, server_error, tune};
use crate::commands::who;
use crate::demo::{ACCOUNT, ACCOUNT_CODE, CONTACT, CONTACT2, CONTACT2_CODE, JOE, Stage, seed};
use crate::desk::Desk;
use crate::error::CliError;
use crate::output::Report;

/// The contacts that get a portal password, set by the primary contact (Joe).
const WITH_PASSWORD: [ContactId; 2] = [JOE, CONTACT];

/// Candidates drawn before giving up on the policy (one is almost always enough: the words
/// are unrelated to the seed's names, email and phone).
const ATTEMPTS: usize = 32;

/// Words of the generated passwords: 256 of them, so that one random byte picks one.
const WORDS: [&str; 256] = [
    "acorn", "alder", "almond", "amber", "anchor", "anvil", "apple", "apron", "arbor", "arrow",
    "aspen", "atlas", "attic", "autumn", "avocado", "bacon", "badge", "bagel", "bamboo", "banjo",
    "barley", "basil", "basket", "beacon", "beaver", "bench", "birch", "biscuit", "bison",
    "blanket", "blossom", "bonnet", "border", "bottle", "boulder", "bracket", "branch", "bridge",
    "brook", "bucket", "buffalo", "bugle", "butter", "button", "cabin", "cactus", "camel", "canal",
    "candle", "canoe", "canyon", "carbon", "carpet", "carrot", "castle", "cedar", "cello",
    "cement", "cherry", "chimney", "cider", "cinder", "circus", "citrus", "clover", "cobalt",
    "cocoa", "comet", "copper", "coral", "cotton", "cougar", "crane", "crater", "crayon",
    "cricket", "crystal", "cushion", "daisy", "dancer", "delta", "desert", "dolphin", "donkey",
    "dragon", "drum", "eagle", "easel", "ember", "engine", "falcon", "fennel", "ferry", "fiddle",
    "finch", "flannel", "flute", "forest", "fossil", "fountain", "fox", "garden", "garlic",
    "gazebo", "geyser", "ginger", "glacier", "globe", "goblet", "gopher", "granite", "grape",
    "gravel", "griffin", "guitar", "hammock", "harbor", "harvest", "hazel", "helmet", "heron",
    "hickory", "honey", "hornet", "husky", "igloo", "indigo", "iris", "island", "ivory", "jacket",
    "jasmine", "jelly", "jigsaw", "jungle", "juniper", "kayak", "kernel", "kettle", "kitten",
    "koala", "ladder", "lagoon", "lantern", "lemon", "lentil", "lilac", "linen", "lizard",
    "lobster", "locket", "lotus", "lumber", "magnet", "mango", "maple", "marble", "meadow",
    "melon", "mitten", "mosaic", "muffin", "mural", "mustard", "napkin", "nectar", "nickel",
    "noodle", "nutmeg", "oasis", "oatmeal", "ocean", "olive", "onion", "orbit", "orchid", "osprey",
    "otter", "oyster", "paddle", "pebble", "pelican", "pepper", "pigeon", "pillow", "pine",
    "planet", "plaster", "plum", "pocket", "pond", "poppy", "potato", "prairie", "pretzel",
    "puffin", "pumpkin", "quail", "quartz", "quill", "rabbit", "radish", "raven", "reef", "ribbon",
    "river", "robin", "rocket", "saddle", "saffron", "salmon", "sandal", "satchel", "scarf",
    "sequoia", "shovel", "silver", "sketch", "sparrow", "spindle", "spruce", "squash", "starling",
    "stone", "summit", "swan", "tablet", "tamarind", "teapot", "thimble", "thistle", "tiger",
    "timber", "toast", "tomato", "topaz", "tractor", "trellis", "trumpet", "tulip", "tundra",
    "turnip", "velvet", "violet", "walnut", "walrus", "wagon", "willow", "window", "yarrow",
    "zebra", "zephyr", "zinnia", "sailor", "mirror", "pirate",
];

/// The demo, ready to serve: the temporary directory and what was made in it.
struct Demo {
    dir: tempfile::TempDir,
    db: PathBuf,
    keys: PathBuf,
    account: Account,
    passwords: Vec<(ContactId, Zeroizing<String>)>,
    agent: ApiKey,
    admin: ApiKey,
}

/// `serve --demo` (`tls` already loaded from `--tls-cert/--tls-key`, if given).
pub(crate) fn serve(
    global: &Global,
    args: &ServeArgs,
    tls: Option<Tls>,
) -> Result<Report, CliError> {
    if global.db.is_some()
        || args.keys.is_some()
        || global.pepper.is_some()
        || !global.retired_peppers.is_empty()
    {
        eprintln!(
            "note: --demo serves a new temporary store; the store, key file and peppers given \
             (--db, --keys, --pepper, or SECCODE_DB, SECCODE_KEYS, SECCODE_PEPPER) are not used"
        );
    }
    let demo = prepare()?;
    let mut options = ServiceOptions::new(demo.db.display().to_string(), demo.keys.clone());
    tune(&mut options, args);
    let served = seccode_server::run_announcing(options, args.listen, tls, |addr, scheme| {
        print_text(&demo.banner(addr, scheme));
    });
    let Demo { dir, .. } = demo;
    let place = dir.path().display().to_string();
    let removed = dir.close();
    served.map_err(server_error)?;
    removed.map_err(|e| CliError::io("removing the demo's temporary directory", &e))?;
    Ok(Report::new(
        format!("seccode serve: stopped; the demo's temporary directory {place} is removed\n"),
        json!({ "stopped": true, "removed": place }),
    ))
}

fn print_text(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Make the temporary directory, the seeded store, the passwords and the keys.
fn prepare() -> Result<Demo, CliError> {
    let dir = tempfile::Builder::new()
        .prefix("seccode-serve-demo-")
        .tempdir()
        .map_err(|e| CliError::io("creating a temporary directory", &e))?;
    let db = dir.path().join("seccode.db");
    let keys = dir.path().join("seccode.keys.json");
    let mut stage = Stage::quiet();
    let mut desk = seed(&mut stage, &db, false)?;
    stage.outcome()?;
    let mut passwords = Vec::new();
    for contact in WITH_PASSWORD {
        passwords.push((contact, set_password(&mut desk, contact)?));
    }
    // The walkthrough's codes, so that the console has something to verify at once.
    let account_code = SecurityCode::from_str_copy(ACCOUNT_CODE)?;
    let contact2_code = SecurityCode::from_str_copy(CONTACT2_CODE)?;
    desk.update(ACCOUNT, |a, engine| {
        a.set_account_code(engine, JOE, &account_code)?;
        a.set_contact_code(engine, JOE, CONTACT2, &contact2_code)
    })?;
    let account = desk.load(ACCOUNT)?;
    drop(desk);
    let ring = KeyRing::new(keys.clone());
    let (_, agent) = ring.create(Role::Agent, "demo agent").map_err(key_error)?;
    let (_, admin) = ring.create(Role::Admin, "demo admin").map_err(key_error)?;
    Ok(Demo {
        dir,
        db,
        keys,
        account,
        passwords,
        agent,
        admin,
    })
}

/// A new random password that the policy accepts for `contact`, set by the primary contact.
fn set_password(desk: &mut Desk, contact: ContactId) -> Result<Zeroizing<String>, CliError> {
    let account = desk.load(ACCOUNT)?;
    for _ in 0..ATTEMPTS {
        let text = candidate()?;
        let reasons = account.check_code(
            desk.engine()?,
            Some(contact),
            &SecurityCode::from_str_copy(&text)?,
        )?;
        if reasons.is_empty() {
            let password = Password::from_str_copy(&text)?;
            desk.update(ACCOUNT, |a, engine| {
                a.set_password(engine, JOE, contact, &password)
            })?;
            return Ok(text);
        }
    }
    Err(CliError::internal(
        "demo",
        format!("no generated password passed the policy for contact {contact}"),
    ))
}

/// Four random words and two random digits, `word-word-word-word-42`: 32 bits from the words
/// and about 6.6 from the digits.
fn candidate() -> Result<Zeroizing<String>, CliError> {
    let mut text = Zeroizing::new(String::new());
    let mut bytes = Zeroizing::new([0u8; 4]);
    random(bytes.as_mut_slice())?;
    for b in bytes.iter() {
        let word = WORDS
            .get(usize::from(*b))
            .ok_or_else(|| CliError::internal("demo", "the word list is short"))?;
        text.push_str(word);
        text.push('-');
    }
    for _ in 0..2 {
        text.push(digit()?);
    }
    Ok(text)
}

/// A uniformly random decimal digit (bytes of 250 and above are drawn again).
fn digit() -> Result<char, CliError> {
    loop {
        let mut byte = [0u8; 1];
        random(&mut byte)?;
        let [b] = byte;
        if b < 250 {
            return char::from_digit(u32::from(b % 10), 10)
                .ok_or_else(|| CliError::internal("demo", "not a digit"));
        }
    }
}

fn random(bytes: &mut [u8]) -> Result<(), CliError> {
    getrandom::fill(bytes).map_err(|e| {
        CliError::internal("random", format!("the random number generator failed: {e}"))
    })
}

/// `http://ADDR`, with a loopback address instead of an unspecified one (`0.0.0.0`), which
/// a browser cannot open.
fn base_url(addr: SocketAddr, scheme: &str) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("{scheme}://{}", SocketAddr::new(ip, addr.port()))
}

impl Demo {
    /// What `serve --demo` prints once at start: where to go and with what.
    fn banner(&self, addr: SocketAddr, scheme: &str) -> String {
        let base = base_url(addr, scheme);
        let account = &self.account;
        let mut text = String::new();
        text.push_str(
            "\n\
             ==================== seccode serve --demo: DEMO ONLY ====================\n\
             A new temporary store with the seed's account, as `seccode demo` makes it.\n\
             The passwords and keys below were made for this run and are printed so that\n\
             you can try the pages: demo only, never use them for anything real.\n\n",
        );
        let _ = writeln!(text, "Portal sign-in:   {base}/signin");
        let _ = writeln!(
            text,
            "  Client ID:      {} ({})",
            account.id(),
            account.name()
        );
        for (contact, password) in &self.passwords {
            let _ = writeln!(
                text,
                "  Contact ID:     {:<24}  password: {}",
                who(account, *contact),
                password.as_str()
            );
        }
        let _ = writeln!(
            text,
            "  Contact ID:     {:<24}  no password yet: the primary contact sets one\n\
             {:<44}(View Contacts, then Login & Password)",
            who(account, CONTACT2),
            ""
        );
        let _ = writeln!(text, "\nAgent console:    {base}/console/signin");
        let _ = writeln!(text, "  Agent key:      {}", self.agent.expose_secret());
        let _ = writeln!(
            text,
            "  Codes to try:   \"{ACCOUNT_CODE}\" (account-wide: {})\n\
             {:<18}\"{CONTACT2_CODE}\" (individual: {})",
            who(account, JOE),
            "",
            who(account, CONTACT2)
        );
        let _ = writeln!(
            text,
            "\nJSON API:         {base}/v1 (Authorization: Bearer KEY; {base}/openapi.json)"
        );
        let _ = writeln!(text, "  Admin key:      {}", self.admin.expose_secret());
        let _ = writeln!(
            text,
            "\nStore:            {} (temporary)",
            self.db.display()
        );
        let _ = writeln!(
            text,
            "Key file:         {} (temporary)",
            self.keys.display()
        );
        text.push_str(
            "\nStop with ctrl-c (or SIGTERM): the temporary directory is removed.\n\
             =========================================================================\n",
        );
        text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn the_words_are_distinct_lowercase_letters() {
        let mut sorted = WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), WORDS.len());
        assert!(
            WORDS
                .iter()
                .all(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()))
        );
    }

    #[test]
    fn a_candidate_is_four_listed_words_and_two_digits() {
        let c = candidate().unwrap();
        let parts: Vec<&str> = c.split('-').collect();
        assert_eq!(parts.len(), 5, "{}", c.as_str());
        assert!(parts[..4].iter().all(|w| WORDS.contains(w)));
        assert_eq!(parts[4].len(), 2);
        assert!(parts[4].chars().all(|c| c.is_ascii_digit()));
        // Random: two candidates in a row are the same once in about 2^38.
        assert_ne!(c.as_str(), candidate().unwrap().as_str());
    }

    #[test]
    fn an_unspecified_address_is_shown_as_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(base_url(any, "http"), "http://127.0.0.1:8080");
        let any6: SocketAddr = "[::]:8443".parse().unwrap();
        assert_eq!(base_url(any6, "https"), "https://[::1]:8443");
        let given: SocketAddr = "192.0.2.7:80".parse().unwrap();
        assert_eq!(base_url(given, "http"), "http://192.0.2.7:80");
    }
}
