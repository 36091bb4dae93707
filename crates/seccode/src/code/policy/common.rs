//! The common-password rule: a built-in list of the passwords and phrases people pick most,
//! compared on the spoken form.

use std::sync::OnceLock;

use zeroize::Zeroizing;

use crate::Normalization;

/// The list as shipped: one password or phrase per line, `#` starts a comment line.
const COMMON_CODES: &str = include_str!("../common_codes.txt");

/// The shortest core (what is left once digits and symbols around it are stripped) that is
/// looked up; shorter cores would turn "x1234567" into a match for a two-letter entry.
const MIN_CORE_CHARS: usize = 4;

/// The list in spoken form, sorted and deduplicated, built once.
fn list() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<String> = COMMON_CODES
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| Normalization::Spoken.apply_str(line).to_string())
            .filter(|entry| !entry.is_empty())
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    })
}

fn listed(candidate: &str) -> bool {
    list()
        .binary_search_by(|entry| entry.as_str().cmp(candidate))
        .is_ok()
}

/// Whether the spoken form of a code is a common password or phrase.
///
/// It is when the spoken form is on the list (`Password` is `password`, `Correct horse battery
/// staple!` is `correcthorsebatterystaple`), or when its core is: the spoken form with the
/// digits and symbols before and after the letters stripped (`password123!`, `2024 dragon`,
/// `$$monkey$$`), provided the core has at least four characters. The core is also looked up
/// with common digit-for-letter substitutions undone (`p4ssw0rd`, `l3tm31n`).
pub(super) fn is_common(spoken: &str) -> bool {
    if spoken.is_empty() {
        return false;
    }
    if listed(spoken) {
        return true;
    }
    let core = spoken.trim_matches(|c: char| !c.is_alphabetic());
    if core.chars().count() < MIN_CORE_CHARS {
        return false;
    }
    if core.len() != spoken.len() && listed(core) {
        return true;
    }
    if !core.chars().any(is_leet) {
        return false;
    }
    [Substitution::OneIsI, Substitution::OneIsL]
        .into_iter()
        .any(|sub| listed(&unleet(core, sub)))
}

#[derive(Clone, Copy)]
enum Substitution {
    OneIsI,
    OneIsL,
}

fn is_leet(c: char) -> bool {
    matches!(
        c,
        '0' | '1' | '3' | '4' | '5' | '7' | '8' | '9' | '$' | '|' | '+'
    )
}

/// `core` with digits and symbols that stand for letters replaced by those letters.
fn unleet(core: &str, sub: Substitution) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(core.len()));
    for c in core.chars() {
        out.push(match c {
            '0' => 'o',
            '1' => match sub {
                Substitution::OneIsI => 'i',
                Substitution::OneIsL => 'l',
            },
            '3' => 'e',
            '4' => 'a',
            '5' | '$' => 's',
            '7' | '+' => 't',
            '8' => 'b',
            '9' => 'g',
            '|' => 'l',
            other => other,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(code: &str) -> bool {
        is_common(&Normalization::Spoken.apply_str(code))
    }

    #[test]
    fn the_list_is_large_sorted_and_normalized() {
        let list = list();
        assert!(list.len() >= 400, "{}", list.len());
        assert!(list.windows(2).all(|w| w[0] < w[1]));
        for entry in list {
            assert_eq!(Normalization::Spoken.apply_str(entry).as_str(), entry);
        }
    }

    #[test]
    fn common_passwords_and_phrases() {
        for code in [
            "password",
            "Password",
            "PASSWORD",
            "letmein",
            "Let me in!",
            "iloveyou",
            "I love you",
            "qwerty123",
            "correct horse battery staple",
            "Correct-Horse-Battery-Staple",
            "trustno1",
            "security code",
            "Security Code!",
            "changeme",
            "password123!",
            "2024password",
            "!!password!!",
            "$$monkey$$",
            "Dragon2024",
            "p@ssw0rd",
            "p4ssw0rd",
            "P4$$w0rd",
            "l3tm31n",
            "12345678",
            "123456789",
            "qwertyuiop",
            "1qaz2wsx",
            "football1",
            "sunshine",
            "ｐａｓｓｗｏｒｄ",
        ] {
            assert!(common(code), "{code}");
        }
    }

    #[test]
    fn not_common() {
        for code in [
            "purple monkey dishwasher lantern",
            "Xk9#mQ2$vL7@",
            "monkey business meeting",
            "password manager for the win",
            "ab123456",
            "12345678901234x",
            "",
            "!!!!",
        ] {
            assert!(!common(code), "{code}");
        }
    }
}
