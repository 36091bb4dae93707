//! Statements prepared once per connection and kept there, each named by its SQL text, so
//! that running one is a single round trip and the server plans it once (planning the account
//! read costs more than running it). A verification's two short transactions are made of these.

use std::collections::HashMap;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{GenericClient, Row, Statement};

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

/// A parameter as the driver sees it: sent as the value it wraps, but shown as `…` in `Debug`.
/// The PostgreSQL client logs a statement's parameters at its `debug` level; hashes, sealed
/// copies and token digests must never reach a log, whatever level an application sets.
#[derive(Clone, Copy)]
struct Redacted<'a>(&'a (dyn ToSql + Sync));

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("…")
    }
}

impl ToSql for Redacted<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.to_sql_checked(ty, out)
    }

    fn accepts(_: &Type) -> bool {
        // The wrapped value checks its own type in `to_sql_checked`.
        true
    }

    fn to_sql_checked(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.0.to_sql_checked(ty, out)
    }
}

fn redacted<'a>(values: &'a [&'a dyn SqlValue]) -> Vec<Redacted<'a>> {
    values.iter().map(|v| Redacted(v.as_sql())).collect()
}

/// The statements prepared on one connection, by SQL text. They live and die with it.
pub(crate) type Statements = HashMap<&'static str, Statement>;

/// A client (a connection, or a transaction on it) with its connection's prepared statements.
pub(crate) struct Session<'a, C: GenericClient> {
    /// The client, for the statements that run once (schema checks, listings).
    pub(crate) client: &'a mut C,
    statements: &'a mut Statements,
}

impl<'a, C: GenericClient> Session<'a, C> {
    pub(crate) fn new(client: &'a mut C, statements: &'a mut Statements) -> Session<'a, C> {
        Session { client, statements }
    }

    /// The statement for `sql`, prepared with the parameters' types on first use.
    fn statement(&mut self, sql: &'static str, values: &[&dyn SqlValue]) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let types: Vec<Type> = values.iter().map(|v| v.sql_type()).collect();
        let statement = self.client.prepare_typed(sql, &types).map_err(pg)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    /// Run a statement; how many rows it changed.
    pub(crate) fn execute(&mut self, sql: &'static str, values: &[&dyn SqlValue]) -> Result<u64> {
        let statement = self.statement(sql, values)?;
        let values = redacted(values);
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        self.client.execute(&statement, &params).map_err(pg)
    }

    /// Run a query that answers at most one row.
    pub(crate) fn query_opt(
        &mut self,
        sql: &'static str,
        values: &[&dyn SqlValue],
    ) -> Result<Option<Row>> {
        let statement = self.statement(sql, values)?;
        let values = redacted(values);
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        self.client.query_opt(&statement, &params).map_err(pg)
    }
}
