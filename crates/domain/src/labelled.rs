//! Enums with a stable code (for storage and the API) and a Chinese label (for people), both
//! accepted when parsing.

/// A value kept in the database as a stable code. Reading a row converts the column through
/// this, once, at the row boundary; only the code is accepted there (labels are what people
/// type, never what was stored), and anything else is a broken invariant, not bad input.
pub trait Code: Sized {
    fn from_code(code: &str) -> Option<Self>;
}

/// `Code` for an enum with `ALL` and `as_str`.
macro_rules! code_by_all {
    ($($name:ty),* $(,)?) => {$(
        impl $crate::Code for $name {
            fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == code)
            }
        }
    )*};
}

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident, $field:expr, $what:literal, { $($(#[$vm:meta])* $variant:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),* }

        // JSON carries the stored code: one spelling for the database, forms, URLs and the
        // API, so a code can never differ from its serde name.
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == code)
                    .ok_or_else(|| {
                        <D::Error as ::serde::de::Error>::unknown_variant(
                            &code,
                            &[$($code),*],
                        )
                    })
            }
        }

        code_by_all!($name);

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub const FIELD: $crate::error::Field = $field;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            /// Accepts the code or the Chinese label.
            pub fn parse(input: &str) -> Result<Self, $crate::error::DomainError> {
                let s = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s || v.label() == s)
                    .ok_or_else(|| $crate::error::DomainError::invalid($field, format!(concat!("未知的", $what, "“{}”"), s)))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::lists::ListKind;
    use crate::request::Outcome;
    use crate::request::applicant::IdType;
    use crate::request::workflow::EventKind;

    /// A stored code reads back as its value; a label, a padded code or another case does not
    /// (they are what people type, and the store never writes them).
    #[test]
    fn stored_codes_read_back_and_nothing_else_does() {
        for k in ListKind::ALL {
            assert_eq!(ListKind::from_code(k.as_str()), Some(*k));
            assert_eq!(ListKind::from_code(k.label()), None);
            assert_eq!(ListKind::from_code(&format!(" {}", k.as_str())), None);
            assert_eq!(ListKind::from_code(&k.as_str().to_uppercase()), None);
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::from_code(e.as_str()), Some(*e));
        }
        for o in Outcome::all() {
            assert_eq!(Outcome::from_code(&o.code()), Some(o));
        }
        assert_eq!(Outcome::from_code("granted.all "), None);
    }

    /// Every labelled enum's JSON is its stored code, both ways; here the two whose variant
    /// names differ from their codes.
    #[test]
    fn json_is_the_stored_code() {
        for k in ListKind::ALL {
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<ListKind>(&json).unwrap(), *k);
        }
        assert_eq!(
            serde_json::to_string(&IdType::UnifiedCreditCode).unwrap(),
            "\"credit_code\""
        );
        assert!(serde_json::from_str::<IdType>("\"unified_credit_code\"").is_err());
    }
}
