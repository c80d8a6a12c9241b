//! JSON from peers read within a memory bound set by the reader, not by the peer: a list keeps at
//! most N elements however many the answer holds ([`AtMost`], the rest skipped without being
//! built, their count kept), and a document parsed into `serde_json::Value` has its number of
//! values counted first ([`values_within`]). Without them a 1 MiB answer of `[0,0,0,...]`
//! (half a million elements) became 16 MB or more in memory.

use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The first `N` elements of a JSON array, and how many it had (`total`): the elements after the
/// `N`th are read and dropped without being built (`IgnoredAny`), so a long array costs no memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtMost<T, const N: usize> {
    pub items: Vec<T>,
    pub total: usize,
}

impl<T, const N: usize> AtMost<T, N> {
    /// The elements, or `Err(total)` when the array had more than `N`.
    pub fn within(self) -> Result<Vec<T>, usize> {
        if self.total > N {
            Err(self.total)
        } else {
            Ok(self.items)
        }
    }
}

impl<T, const N: usize> Default for AtMost<T, N> {
    fn default() -> Self {
        AtMost { items: Vec::new(), total: 0 }
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for AtMost<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for Seq<T, N> {
            type Value = AtMost<T, N>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // Never the peer's size hint: it is a claim.
                let mut items = Vec::new();
                let mut total = 0;
                while total < N {
                    match seq.next_element()? {
                        Some(item) => items.push(item),
                        None => return Ok(AtMost { items, total }),
                    }
                    total += 1;
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    total += 1;
                }
                Ok(AtMost { items, total })
            }
        }
        d.deserialize_seq(Seq::<T, N>(PhantomData))
    }
}

/// For `#[serde(deserialize_with = "bounded_json::at_most::<_, _, N>")]`: the array, or an error
/// once it has more than `N` elements (nothing past them is built).
pub fn at_most<'de, D: Deserializer<'de>, T: Deserialize<'de>, const N: usize>(d: D) -> Result<Vec<T>, D::Error> {
    AtMost::<T, N>::deserialize(d)?.within().map_err(|total| serde::de::Error::custom(format!("an array of {total} elements, over the {N} read")))
}

/// JSON from bytes, through the parser JSON from text goes through: serde_json compiles its parser,
/// and every type's decoder, once per kind of input, so reading some answers from `&[u8]` and
/// others from `&str` put two of each in the wasm module. Bytes that are not UTF-8 are refused
/// as `serde_json::from_slice` refuses them (outside a string they are not JSON, inside one they
/// are an invalid string).
pub fn from_bytes<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> serde_json::Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|e| serde::de::Error::custom(format!("not UTF-8: {e}")))?;
    serde_json::from_str(text)
}

/// A parser's error in at most 300 characters: serde's message quotes the offending value, which
/// may be a peer's megabyte-long string, and the message goes into verdicts the page keeps.
pub fn short_error(e: &serde_json::Error) -> String {
    let mut message = e.to_string();
    if let Some((cut, _)) = message.char_indices().nth(300) {
        message.truncate(cut);
        message.push('…');
    }
    message
}

/// For `#[serde(deserialize_with = "bounded_json::few_values::<_, _, N>")]` on a small value whose
/// type serde would buffer as generic values first (an internally tagged enum whose tag may come
/// last): read as text, its values counted, then parsed. At most `N` values are ever built.
pub fn few_values<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned, const N: usize>(d: D) -> Result<T, D::Error> {
    let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
    if !values_within(raw.get().as_bytes(), N) {
        return Err(serde::de::Error::custom(format!("more than {N} JSON values")));
    }
    serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)
}

/// Whether the JSON text `bytes` holds at most `max` values (scalars, arrays and objects, an
/// object's keys counted as values too), counted without allocating: a `serde_json::Value` costs
/// some 50 to 80 bytes a value, whatever the text's own size. Malformed text is counted as it
/// comes (the parser that follows refuses it).
pub fn values_within(bytes: &[u8], max: usize) -> bool {
    let (mut values, mut in_string, mut escaped) = (1usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            // Each separator starts another value (a key and its value in an object), each
            // bracket the first value inside it.
            b',' | b':' | b'[' | b'{' => {
                values += 1;
                if values > max {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Accepts and refuses what `serde_json::from_slice` does, bytes that are not UTF-8 included.
    #[test]
    fn from_bytes_reads_what_from_slice_reads() {
        let inputs: [&[u8]; 8] = [b"{\"a\":\"x\"}", b"{\"a\":\"\xc3\xa9\"}", b"{\"a\":\"\xff\"}", b"{\"a\":1}\xff", b"\xef\xbb\xbf{}", b"", b"[1,2", b"{\"a\":\"\\u00e9\"}"];
        for bytes in inputs {
            let ours = from_bytes::<serde_json::Value>(bytes);
            let theirs = serde_json::from_slice::<serde_json::Value>(bytes);
            assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{}", String::from_utf8_lossy(bytes));
        }
        assert!(from_bytes::<serde_json::Value>(b"\"\xff\"").unwrap_err().to_string().contains("not UTF-8"));
    }

    #[test]
    fn at_most_keeps_the_first_and_counts_the_rest() {
        let parse = |s: &str| serde_json::from_str::<AtMost<u32, 3>>(s);
        assert_eq!(parse("[]").unwrap(), AtMost { items: vec![], total: 0 });
        assert_eq!(parse("[1,2,3]").unwrap().within(), Ok(vec![1, 2, 3]));
        let long = parse("[1,2,3,4,[5,6],{\"a\":7}]").unwrap();
        assert_eq!((long.items.clone(), long.total), (vec![1, 2, 3], 6));
        assert_eq!(long.within(), Err(6));
        assert!(parse("[1,\"x\"]").is_err());
        assert!(parse("{}").is_err());
        #[derive(serde::Deserialize, Debug)]
        struct Capped {
            #[serde(deserialize_with = "at_most::<_, _, 2>")]
            list: Vec<u8>,
        }
        assert_eq!(serde_json::from_str::<Capped>(r#"{"list":[1,2]}"#).unwrap().list, vec![1, 2]);
        assert!(serde_json::from_str::<Capped>(r#"{"list":[1,2,3]}"#).is_err());
    }

    #[test]
    fn values_are_counted_outside_strings() {
        assert!(values_within(b"1", 1));
        assert!(values_within(br#"{"a":[1,2],"b":"x,y:[{"}"#, 7));
        assert!(!values_within(br#"{"a":[1,2],"b":"x,y:[{"}"#, 6));
        assert!(values_within(br#"["a\"," , "b"]"#, 3));
        let many = format!("[{}0]", "0,".repeat(10_000));
        assert!(!values_within(many.as_bytes(), 10_000));
        assert!(values_within(many.as_bytes(), 10_002));
    }
}
