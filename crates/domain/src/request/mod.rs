//! Information requests (依申请公开, 条例第二十七至四十五条): applicants, outcomes and the
//! statutory clock.

pub mod appeal;
pub mod applicant;
pub mod clock;
pub mod intake;
pub mod letter;
pub mod notice;
pub mod outcome;
pub mod queue;
pub mod transfer;
pub mod workflow;

pub use applicant::{Applicant, ApplicantKind, IdType};
pub use clock::{Channel, Clock, ClockEvent, ClockState};
pub use outcome::Outcome;
