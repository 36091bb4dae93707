//! The pool's connections: a PostgreSQL client together with the statements prepared on it
//! (see [`super::typed`]), made and checked by r2d2.

use postgres::{Client, NoTls};

use super::typed::{Session, Statements};

/// One connection of the pool and its prepared statements.
pub(crate) struct PgConn {
    pub(crate) client: Client,
    statements: Statements,
    /// The SQL-level prepared statements of [`super::rows::begin_and_lock`] exist on it.
    pub(crate) lock_and_read_prepared: bool,
}

impl PgConn {
    /// The connection with its prepared statements.
    pub(crate) fn session(&mut self) -> Session<'_, Client> {
        Session::new(&mut self.client, &mut self.statements)
    }

    /// The client and the statements apart, to open a transaction on the one and still use
    /// the other.
    pub(crate) fn split(&mut self) -> (&mut Client, &mut Statements) {
        (&mut self.client, &mut self.statements)
    }
}

/// Makes and checks the pool's connections (what `r2d2_postgres` does, plus the statements).
pub(crate) struct Manager {
    pub(crate) config: postgres::Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        let mut client = self.config.connect(NoTls)?;
        // Deferred writes carry their text values as literals (`rows::sql_text`): a backslash
        // must be an ordinary character whatever the server's configuration says.
        client.batch_execute("SET standard_conforming_strings = on")?;
        Ok(PgConn {
            client,
            statements: Statements::new(),
            lock_and_read_prepared: false,
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.is_closed()
    }
}
