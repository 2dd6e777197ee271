//! Enums with a stable code (for storage and the API) and a Chinese label (for people), both
//! accepted when parsing.

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident, $field:expr, $what:literal, { $($(#[$vm:meta])* $variant:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),* }

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
