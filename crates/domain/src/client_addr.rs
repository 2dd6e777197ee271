//! The client's address behind proxies. `X-Forwarded-For` is a list each proxy appends to, so
//! only its right end is trustworthy: the client's own entries come first and can say
//! anything. The address is read from the right, skipping the proxies the operator
//! configured, and the first address that is not one of them is the client.

use std::net::IpAddr;

use crate::error::{DomainError, Field};

/// The setting that lists them.
pub const FIELD: Field = Field::new("trusted_proxies", "受信任代理");

/// An address or a CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    addr: IpAddr,
    prefix: u32,
}

impl Block {
    fn parse(s: &str) -> Option<Block> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.trim().parse().ok().filter(|n| *n <= max)?,
            None => max,
        };
        Some(Block { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> (u128, u32) {
            match ip {
                IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
                IpAddr::V6(v) => (u128::from(v), 128),
            }
        };
        let ip = match ip {
            // An IPv4 client seen through an IPv6 socket.
            IpAddr::V6(v) if self.addr.is_ipv4() => match v.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            other => other,
        };
        let ((a, width), (b, width_b)) = (bits(self.addr), bits(ip));
        if width != width_b {
            return false;
        }
        if self.prefix == 0 {
            return true;
        }
        let shift = width - self.prefix;
        (a >> shift) == (b >> shift)
    }
}

/// The proxies whose `X-Forwarded-For` entries are believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    blocks: Vec<Block>,
    /// Believe the connecting peer whatever its address (the older `trust_forwarded_for`
    /// setting: one proxy of one's own in front).
    pub peer: bool,
}

impl TrustedProxies {
    /// Addresses and CIDR blocks separated by commas or spaces.
    pub fn parse(list: &str) -> Result<TrustedProxies, DomainError> {
        let mut blocks = Vec::new();
        for item in list
            .split([',', ' ', '\n'])
            .filter(|s| !s.trim().is_empty())
        {
            blocks.push(Block::parse(item.trim()).ok_or_else(|| {
                DomainError::invalid(FIELD, format!("受信任代理“{item}”不是 IP 地址或 CIDR 网段"))
            })?);
        }
        Ok(TrustedProxies {
            blocks,
            peer: false,
        })
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.blocks.iter().any(|b| b.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && !self.peer
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the rightmost
/// `X-Forwarded-For` entry that is not a trusted proxy.
pub fn client(peer: Option<IpAddr>, forwarded: &[&str], trusted: &TrustedProxies) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !(trusted.peer || trusted.trusts(peer)) {
        return peer.to_string();
    }
    let mut client = peer;
    // Every header line, every comma-separated entry, read from the right.
    let entries = forwarded
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect::<Vec<_>>();
    for entry in entries.into_iter().rev() {
        let Some(ip) = parse_entry(entry) else {
            // Garbage where an address should be: the hop that wrote it is as far as we trust.
            break;
        };
        client = ip;
        if !trusted.trusts(ip) {
            break;
        }
    }
    client.to_string()
}

/// An entry as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:80`.
fn parse_entry(e: &str) -> Option<IpAddr> {
    if let Ok(ip) = e.parse() {
        return Some(ip);
    }
    if let Some(rest) = e.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    e.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            client(ip("203.0.113.7"), &["1.1.1.1"], &none),
            "203.0.113.7"
        );
    }

    #[test]
    fn spoofed_entries_on_the_left_are_skipped() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").unwrap();
        // nginx appends the real client to what the client sent.
        assert_eq!(
            client(ip("10.0.0.2"), &["6.6.6.6, 7.7.7.7, 203.0.113.7"], &t),
            "203.0.113.7"
        );
        // Two proxies of our own in a chain.
        assert_eq!(
            client(ip("10.0.0.2"), &["6.6.6.6, 203.0.113.7, 192.168.1.5"], &t),
            "203.0.113.7"
        );
        // Several header lines are one list.
        assert_eq!(
            client(ip("10.0.0.2"), &["6.6.6.6", "203.0.113.7:5123"], &t),
            "203.0.113.7"
        );
        // A peer that is not a trusted proxy is the client, whatever it claims.
        assert_eq!(
            client(ip("198.51.100.1"), &["10.0.0.1"], &t),
            "198.51.100.1"
        );
        // Garbage stops the walk at the last hop we trust.
        assert_eq!(
            client(ip("10.0.0.2"), &["203.0.113.7, junk"], &t),
            "10.0.0.2"
        );
        // Everything trusted: the leftmost.
        assert_eq!(client(ip("10.0.0.2"), &["10.1.1.1"], &t), "10.1.1.1");
    }

    #[test]
    fn the_older_setting_trusts_only_the_peer() {
        let t = TrustedProxies {
            peer: true,
            ..TrustedProxies::default()
        };
        assert_eq!(
            client(ip("127.0.0.1"), &["6.6.6.6, 203.0.113.7"], &t),
            "203.0.113.7"
        );
    }

    proptest::proptest! {
        /// Whatever the headers say, the answer is the peer or an address that some entry
        /// right of every untrusted one named: never the client's own leftmost claim when a
        /// trusted proxy appended the real address after it.
        #[test]
        fn any_header_gives_an_address(
            junk in "(?s).{0,40}",
            claims in proptest::collection::vec((0u8..=255, 0u8..=255), 0..4),
        ) {
            let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
            let spoofed: Vec<String> = claims.iter().map(|(a, b)| format!("6.6.{a}.{b}")).collect();
            let header = format!("{junk}, {}, 203.0.113.7", spoofed.join(", "));
            let got = client(ip("10.0.0.2"), &[header.as_str()], &t);
            proptest::prop_assert_eq!(got, "203.0.113.7");
            let any = client(ip("10.0.0.2"), &[junk.as_str()], &t);
            proptest::prop_assert!(any.parse::<IpAddr>().is_ok(), "{}", any);
        }
    }

    #[test]
    fn blocks_parse_and_match() {
        let t = TrustedProxies::parse("2001:db8::/32 127.0.0.1").unwrap();
        assert!(t.trusts("2001:db8:1::5".parse().unwrap()));
        assert!(!t.trusts("2001:db9::5".parse().unwrap()));
        assert!(t.trusts("::ffff:127.0.0.1".parse().unwrap()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("nginx").is_err());
        assert_eq!(
            client(
                ip("2001:db8::9"),
                &["[2001:db8:ffff::1]:443, 198.51.100.2"],
                &t
            ),
            "198.51.100.2"
        );
    }
}
