//! What every use case is given: where to write, who acts, and when.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::user::{Principal, Role};
use gongkai_store::{Actor, Db};

pub struct Ctx<'a> {
    pub db: &'a Db,
    /// Who is recorded in the audit log.
    pub actor: Actor,
    /// What they may do.
    pub principal: Principal,
    /// The moment of the operation: time is an input, never read deep inside a rule.
    pub now: DateTime<Utc>,
}

impl<'a> Ctx<'a> {
    /// A signed-in user acting now.
    pub fn new(db: &'a Db, actor: Actor, principal: Principal) -> Self {
        Ctx {
            db,
            actor,
            principal,
            now: gongkai_store::db::now(),
        }
    }

    /// A member of the public (a visitor, an applicant holding a tracking code and key):
    /// a principal that may act for no agency.
    pub fn public(db: &'a Db, actor: Actor) -> Self {
        Self::new(db, actor, Self::nobody())
    }

    /// Whoever runs the `gongkai` command on the server: with the database's own access, an
    /// administrator in effect; the audit log names the command (`system:<label>`).
    pub fn operator(db: &'a Db, label: &str) -> Self {
        let principal = Principal {
            user_id: 0,
            role: Role::Admin,
            agency_id: 0,
        };
        Self::new(db, Actor::system(label), principal)
    }

    /// The same context at another moment (tests, back-dated seeds).
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    /// The same context on another day (its first instant, UTC).
    pub fn on(self, day: NaiveDate) -> Self {
        let now = day.and_time(chrono::NaiveTime::MIN).and_utc();
        self.at(now)
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    fn nobody() -> Principal {
        Principal {
            user_id: 0,
            role: Role::Staff,
            agency_id: 0,
        }
    }
}
