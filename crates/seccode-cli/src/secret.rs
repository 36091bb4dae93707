//! Reading a security code or a portal password: from a prompt that does not echo when standard input is a
//! terminal, otherwise one line from standard input. The code only ever lives in zeroizing
//! buffers, sized up front so that no reallocation leaves a copy behind.

use std::io::{IsTerminal, Read};

use seccode::{Password, SecurityCode};
use zeroize::Zeroizing;

use crate::error::CliError;

/// Read a code. `confirm`: on a terminal, ask twice and require the same answer.
pub(crate) fn read_code(prompt: &str, confirm: bool) -> Result<SecurityCode, CliError> {
    read_secret(prompt, confirm, "code", SecurityCode::from_utf8)
}

/// Read a portal password, as a code is read.
pub(crate) fn read_password(prompt: &str, confirm: bool) -> Result<Password, CliError> {
    read_secret(prompt, confirm, "password", Password::from_utf8)
}

fn read_secret<T>(
    prompt: &str,
    confirm: bool,
    what: &str,
    make: fn(&[u8]) -> seccode::Result<T>,
) -> Result<T, CliError> {
    if std::io::stdin().is_terminal() {
        let reading = format!("reading the {what}");
        let first = Zeroizing::new(
            rpassword::prompt_password(prompt).map_err(|e| CliError::io(&reading, &e))?,
        );
        if confirm {
            let again = Zeroizing::new(
                rpassword::prompt_password("Type it again: ")
                    .map_err(|e| CliError::io(&reading, &e))?,
            );
            if *again != *first {
                return Err(CliError::bad_input(
                    if what == "code" {
                        "codes_differ"
                    } else {
                        "passwords_differ"
                    },
                    "the two entries differ; nothing was changed",
                ));
            }
        }
        Ok(make(first.as_bytes())?)
    } else {
        read_bytes(std::io::stdin().lock(), what, make)
    }
}

/// One code from a reader: everything up to the end, one final `\n` or `\r\n` dropped.
#[cfg(test)]
pub(crate) fn read_from(reader: impl Read) -> Result<SecurityCode, CliError> {
    read_bytes(reader, "code", SecurityCode::from_utf8)
}

fn read_bytes<T>(
    reader: impl Read,
    what: &str,
    make: fn(&[u8]) -> seccode::Result<T>,
) -> Result<T, CliError> {
    let limit = SecurityCode::MAX_INPUT_BYTES + 2;
    let mut buf = Zeroizing::new(Vec::with_capacity(limit + 1));
    let cap = u64::try_from(limit + 1).unwrap_or(u64::MAX);
    reader
        .take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::io(&format!("reading the {what} from standard input"), &e))?;
    let mut len = buf.len();
    if buf.ends_with(b"\r\n") {
        len = len.saturating_sub(2);
    } else if buf.ends_with(b"\n") {
        len = len.saturating_sub(1);
    }
    Ok(make(buf.get(..len).unwrap_or_default())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_one_final_newline_only() {
        assert_eq!(read_from(&b"purple monkey\n"[..]).unwrap().len(), 13);
        assert_eq!(read_from(&b"purple monkey\r\n"[..]).unwrap().len(), 13);
        assert_eq!(read_from(&b"purple monkey"[..]).unwrap().len(), 13);
        assert_eq!(read_from(&b"purple monkey \n\n"[..]).unwrap().len(), 15);
    }

    #[test]
    fn refuses_empty_invalid_and_huge_input() {
        assert!(read_from(&b""[..]).is_err());
        assert!(read_from(&b"\n"[..]).is_err());
        assert!(read_from(&[0x66, 0xff, 0x0a][..]).is_err());
        assert!(read_from(&vec![b'x'; 5000][..]).is_err());
    }
}
