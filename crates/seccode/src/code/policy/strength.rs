//! The strength rule: the `zxcvbn` estimator, fed with the contact's own details.

/// How many characters of the normalized code the estimator sees (see [`score`]).
pub(super) const ESTIMATED_CHARS: usize = 24;

/// Words of this domain, known to the estimator as cheap guesses besides the contact's details.
const SITE_WORDS: [&str; 6] = [
    "security",
    "code",
    "securitycode",
    "phone",
    "chat",
    "phonechatcode",
];

/// The estimator's score (0..=4) for a normalized code, told the contact's details.
///
/// zxcvbn's cost grows faster than linearly with the length (measured in release on the
/// development machine: about 0.1 to 0.3 ms for 16 characters, 0.2 to 0.7 ms for 24, 0.3 to
/// 1.1 ms for 32, 5 to 11 ms for the 100 where it stops by itself; digits cost the most), so
/// it sees only the first [`ESTIMATED_CHARS`] characters of the code and a check stays under
/// a millisecond. Guessing a code means guessing its first characters too, so they must be
/// hard to guess on their own: a code that starts with 24 easy characters is too weak whatever
/// follows. On realistic passphrases the score of the first 24 characters and of the whole
/// code agree about the threshold; what a longer window would add (a contact detail or a
/// phrase longer than 24 characters) the personal-data and common-password rules already
/// catch on the whole code. The whole code is never cut into pieces scored separately: the
/// estimator knows "marketingviviotechnet" as a contact detail, not its halves.
///
/// A panic inside the estimator (none is known, but it is third-party code run on untrusted
/// input) is caught and scores 0: the code is refused, never the process.
pub(super) fn score(normalized: &str, user_inputs: &[String]) -> u8 {
    let inputs: Vec<&str> = user_inputs
        .iter()
        .map(String::as_str)
        .chain(SITE_WORDS)
        .collect();
    estimate(prefix_chars(normalized, ESTIMATED_CHARS), &inputs)
}

fn estimate(password: &str, inputs: &[&str]) -> u8 {
    if password.is_empty() {
        return 0;
    }
    std::panic::catch_unwind(|| u8::from(zxcvbn::zxcvbn(password, inputs).score())).unwrap_or(0)
}

/// The first `n` characters of `s`.
fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_respect_char_boundaries() {
        assert_eq!(prefix_chars("héllo", 2), "hé");
        assert_eq!(prefix_chars("héllo", 5), "héllo");
        assert_eq!(prefix_chars("héllo", 50), "héllo");
        assert_eq!(prefix_chars("", 3), "");
    }

    #[test]
    fn scores_follow_the_estimator() {
        assert_eq!(score("", &[]), 0);
        assert!(score("password", &[]) < 3);
        assert!(score("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &[]) < 3);
        assert!(score("purplemonkeydishwasherlantern", &[]) >= 3);
        assert!(score("xk9mq2vl7pr4tz", &[]) >= 3);
    }

    #[test]
    fn a_detail_is_recognized_whole() {
        let email = vec!["marketingviviotechnet".to_owned()];
        assert!(score("marketingviviotechnet", &email) < 3);
        assert!(score("marketingviviotechnet", &[]) >= 3);
    }

    #[test]
    fn contact_details_weaken_a_code() {
        let details: Vec<String> = ["joe", "example", "joeexample", "1707"]
            .into_iter()
            .map(String::from)
            .collect();
        let plain = score("joeexample1707", &[]);
        let known = score("joeexample1707", &details);
        assert!(known < plain, "{known} vs {plain}");
        assert!(known < 3, "{known}");
    }
}
