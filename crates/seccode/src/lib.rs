#![doc = include_str!("../../../README.md")]
#![forbid(unsafe_code)]

pub mod audit;
pub mod clock;
pub mod code;
pub mod data;
pub mod engine;
pub mod error;
pub mod model;
pub mod permission;
pub mod request;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use code::normalize::Normalization;
pub use code::secret::SecurityCode;
pub use error::{Error, ErrorKind, Result};
