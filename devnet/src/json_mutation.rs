//! One value of a JSON document changed, the way a hostile peer or relay would: numbers pushed to
//! extremes or turned into strings, strings cut, emptied, repeated or with a hex digit flipped,
//! arrays emptied, grown, cut or reversed, fields dropped. The property tests that hold the node to
//! "bad bytes accuse nobody" walk every value of real answers with it (tests/hostile_peer.rs,
//! tests/da_relay.rs).

use serde_json::{json, Value};

/// JSON pointers of every value in `doc`, the document itself last.
pub fn pointers(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| walk(x, format!("{at}/{i}"), out)),
            Value::Object(fields) => fields.iter().for_each(|(k, x)| walk(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(doc, String::new(), &mut out);
    out
}

/// `doc` with its value number `at` (of [`pointers`], modulo their count) changed in way `how`.
pub fn mutate(doc: &Value, at: usize, how: usize) -> Value {
    let mut doc = doc.clone();
    let all = pointers(&doc);
    let node = doc.pointer_mut(&all[at % all.len()]).expect("a pointer of this document");
    *node = match &*node {
        Value::Number(_) => [json!(0), json!(u64::MAX), json!(-1), json!(1e300), json!(0.5), json!("7")][how % 6].clone(),
        Value::String(s) => match how % 5 {
            0 => Value::String(s.chars().take(s.chars().count() / 2).collect()),
            1 => Value::String(String::new()),
            2 => Value::String(s.repeat(64)),
            3 => Value::String(flip_hex_digit(s, how)),
            _ => Value::Null,
        },
        Value::Array(items) => match how % 4 {
            0 => json!([]),
            1 => Value::Array(items.iter().chain(items.first()).chain(items.first()).cloned().collect()),
            2 => Value::Array(items[..items.len().saturating_sub(1)].to_vec()),
            _ => Value::Array(items.iter().rev().cloned().collect()),
        },
        Value::Object(fields) if !fields.is_empty() && how % 3 != 0 => {
            let mut fields = fields.clone();
            let key = fields.keys().nth(how % fields.len()).cloned().expect("a field");
            fields.remove(&key);
            Value::Object(fields)
        }
        Value::Object(_) => json!([]),
        Value::Bool(b) => Value::Bool(!b),
        Value::Null => json!(0),
    };
    doc
}

/// `doc`'s text with its value number `at` (of [`pointers`], modulo their count) blown up to make
/// the text about `max_bytes` long, in way `how`: a list of copies of it (of its first element
/// when it is a list), a list of zeros, nesting as deep as the bytes allow, or a string of them.
/// Text, not a `Value`: a `Value` nested that deep could not even be dropped.
pub fn inflate(doc: &Value, at: usize, how: usize, max_bytes: usize) -> Vec<u8> {
    const MARK: &str = "\u{1}inflated here\u{1}";
    let mut doc = doc.clone();
    let all = pointers(&doc);
    let node = doc.pointer_mut(&all[at % all.len()]).expect("a pointer of this document");
    let item = match &*node {
        Value::Array(items) if !items.is_empty() => items[0].clone(),
        other => other.clone(),
    };
    *node = Value::String(MARK.into());
    let text = serde_json::to_string(&doc).expect("a JSON value serialises");
    let marked = serde_json::to_string(MARK).expect("a string serialises");
    let room = max_bytes.saturating_sub(text.len() - marked.len()).max(16);
    let repeated = |item: &str| {
        let n = (room.saturating_sub(2) / (item.len() + 1)).max(1);
        let mut list = String::with_capacity(n * (item.len() + 1) + 2);
        list.push('[');
        for i in 0..n {
            if i > 0 {
                list.push(',');
            }
            list.push_str(item);
        }
        list.push(']');
        list
    };
    let blown = match how % 4 {
        0 => repeated(&serde_json::to_string(&item).expect("a JSON value serialises")),
        1 => repeated("0"),
        2 => format!("{}{}", "[".repeat(room / 2), "]".repeat(room / 2)),
        _ => format!("\"{}\"", "a".repeat(room.saturating_sub(2))),
    };
    text.replacen(&marked, &blown, 1).into_bytes()
}

/// The string with one of its hex digits changed (or an `x` added when it has none).
pub fn flip_hex_digit(s: &str, how: usize) -> String {
    let digits: Vec<usize> = s.char_indices().filter(|(_, c)| c.is_ascii_hexdigit()).map(|(i, _)| i).collect();
    let Some(&i) = digits.get(how % digits.len().max(1)) else { return format!("{s}x") };
    let mut out = s.to_owned();
    let flipped = if &s[i..=i] == "0" { "1" } else { "0" };
    out.replace_range(i..=i, flipped);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of change really changes the document, so the properties that use it test
    /// hostile answers and not the honest ones again.
    #[test]
    fn every_change_changes_the_document() {
        let doc = json!({"type": "x", "body": {"n": 5, "s": "0xab", "a": [1, 2], "t": true, "z": null}});
        let all = pointers(&doc);
        for (at, pointer) in all.iter().enumerate() {
            for how in 0..=255 {
                assert_ne!(mutate(&doc, at, how), doc, "change {how} at {pointer} left the document as it was");
            }
        }
    }

    #[test]
    fn inflation_fills_the_bytes_asked() {
        let doc = json!({"type": "x", "body": {"a": [1, 2], "s": "0xab"}});
        for at in 0..pointers(&doc).len() {
            for how in 0..4 {
                let text = inflate(&doc, at, how, 100_000);
                assert!((90_000..=100_000).contains(&text.len()), "{how} at {at}: {} bytes", text.len());
                if how != 2 {
                    serde_json::from_slice::<Value>(&text).unwrap();
                }
            }
        }
    }
}
