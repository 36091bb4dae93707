//! Statements sent with their parameter types named, so that each one is a single round trip
//! to the server (a plain `query` first asks the server to prepare the statement, then runs it).
//! A verification's two short transactions are made of these.

use postgres::GenericClient;
use postgres::Row;
use postgres::types::{ToSql, Type};

use super::pg;
use crate::error::Result;

/// A value that knows its PostgreSQL type: the column types this store uses.
pub(crate) trait SqlValue {
    /// The value as a statement parameter.
    fn as_sql(&self) -> &(dyn ToSql + Sync);
    /// Its PostgreSQL type.
    fn sql_type(&self) -> Type;
}

macro_rules! sql_value {
    ($($rust:ty => $sql:expr),* $(,)?) => {$(
        impl SqlValue for $rust {
            fn as_sql(&self) -> &(dyn ToSql + Sync) {
                self
            }
            fn sql_type(&self) -> Type {
                $sql
            }
        }
    )*};
}

sql_value! {
    i64 => Type::INT8,
    Option<i64> => Type::INT8,
    bool => Type::BOOL,
    String => Type::TEXT,
    Option<String> => Type::TEXT,
    &str => Type::TEXT,
    Option<&str> => Type::TEXT,
}

fn typed<'a>(values: &'a [&'a dyn SqlValue]) -> Vec<(&'a (dyn ToSql + Sync), Type)> {
    values.iter().map(|v| (v.as_sql(), v.sql_type())).collect()
}

/// Run a statement; how many rows it changed.
pub(crate) fn execute<C: GenericClient>(
    client: &mut C,
    sql: &str,
    values: &[&dyn SqlValue],
) -> Result<u64> {
    client.execute_typed(sql, &typed(values)).map_err(pg)
}

/// Run a query that answers at most one row.
pub(crate) fn query_opt<C: GenericClient>(
    client: &mut C,
    sql: &str,
    values: &[&dyn SqlValue],
) -> Result<Option<Row>> {
    client.query_typed_opt(sql, &typed(values)).map_err(pg)
}
