//! YAML text straight into a `serde_json::Value`, without the `serde_norway::Value` tree
//! in between: the way a document that loads is read. It gives up (`None`) at anything
//! the careful reader in `load.rs` would turn into an error or spell its own way (a tag,
//! a float key, a non-finite number, a key given twice), and that reader then decides;
//! so it returns either what the careful reader returns, or nothing.
//!
//! Self-contained (serde, serde_json, serde_norway), so that `build.rs` uses it too.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The JSON form of the YAML `text`, or `None` to let the careful reader decide.
pub(crate) fn json_from_yaml(text: &str) -> Option<Value> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    ValueSeed.deserialize(deserializer).ok()
}

struct ValueSeed;

/// Why the fast reader gave up; never shown.
#[derive(Debug)]
struct GaveUp;

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the careful reader")
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value OpenAPI can use")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom(GaveUp))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValueSeed)?;
            if object.insert(key, value).is_some() {
                return Err(de::Error::custom(GaveUp));
            }
        }
        Ok(Value::Object(object))
    }
}

/// A mapping key: a string, or an integer or boolean spelled as the careful reader does.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::json_from_yaml;
    use crate::load::careful_yaml_to_json;

    /// The fast reader gives what the careful one gives, or gives up where that one fails
    /// (`None` for `fast` says it must give up).
    fn check(text: &str, fast: Option<()>) {
        let careful = careful_yaml_to_json(text);
        match json_from_yaml(text) {
            Some(value) => {
                assert!(
                    fast.is_some(),
                    "{text:?} should be left to the careful reader"
                );
                assert_eq!(careful.as_ref().ok(), Some(&value), "{text:?}");
            }
            None => assert!(fast.is_none(), "{text:?}: {careful:?}"),
        }
    }

    #[test]
    fn documents_read_the_same_both_ways() {
        for text in [
            crate::EMBEDDED_DOCUMENT,
            include_str!("../tests/fixtures/petstore.yaml"),
            include_str!("../tests/fixtures/lint.yaml"),
        ] {
            check(text, Some(()));
        }
    }

    #[test]
    fn scalars_and_keys_read_the_same_both_ways() {
        let same = [
            "",
            "a: 1\nb: -2\nc: 1.5\nd: 18446744073709551615\ne: -9223372036854775808\n",
            "200: ok\n-1: minus\ntrue: yes\nfalse: no\n0x1F: hex\n",
            "a: ~\nb: null\nc: 'null'\nd: \"x\\ty\"\ne: |\n  block\n  text\n",
            "a: [1, 'two', {b: c}]\nb:\n  - x\n  - y: z\nc: 1e400\n",
            "a: 2025-01-15\nb: 2025-01-15T15:00:00Z\nc: 1_000\nd: 0o17\ne: +5\n",
        ];
        for text in same {
            check(text, Some(()));
        }
        let left = [
            "a: .nan\n",
            "a: 18446744073709551616\n",
            "a: .inf\n",
            "a: !tag x\n",
            "a: 1\na: 2\n",
            "1.5: float key\n",
            "~: null key\n",
            "? [a]\n: sequence key\n",
            "a: [\n",
            "a: 1\n---\nb: 2\n",
        ];
        for text in left {
            check(text, None);
        }
    }
}
