//! YAML text straight into a `serde_json::Value`, without the `serde_norway::Value` tree
//! in between: the way a document that loads is read. It gives up (`None`) at anything
//! the careful reader in `load.rs` would turn into an error or spell its own way (a tag,
//! a float key, a non-finite number, a key given twice), and that reader then decides;
//! so it returns either what the careful reader returns, or nothing.
//!
//! Each half of a document is tried with the subset reader of `plain_yaml.rs` first, and
//! libyaml reads what that reader gives up on.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The JSON form of the YAML `text`, or `None` to let the careful reader decide.
///
/// With more than one core, a large document whose root is a block mapping is read in two
/// halves at once, cut before a top-level key (see [`halves`]).
pub(crate) fn json_from_yaml(text: &str) -> Option<Value> {
    in_halves(text, one_document)
}

/// The JSON form of `text` if the subset reader of `plain_yaml.rs` reads all of it (in
/// halves, as [`json_from_yaml`] does), else `None`. That reader refuses every anchor,
/// alias and nesting deeper than the prescan allows, so a text it reads needs no prescan.
pub(crate) fn json_from_plain_yaml(text: &str) -> Option<Value> {
    in_halves(text, crate::plain_yaml::read)
}

/// `read` applied to the halves of `text` on two cores and the two mappings joined, or to
/// the whole text when it has no halves or the machine one core.
fn in_halves(text: &str, read: fn(&str) -> Option<Value>) -> Option<Value> {
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    match halves(text).filter(|_| parallel) {
        Some((first, second)) => {
            let (first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| read(second));
                (read(first), second.join().ok().flatten())
            });
            let (Value::Object(mut first), Value::Object(second)) = (first?, second?) else {
                return None;
            };
            for (key, value) in second {
                // A key of both halves: the careful reader says what to do.
                if first.insert(key, value).is_some() {
                    return None;
                }
            }
            Some(Value::Object(first))
        }
        None => read(text),
    }
}

/// `text` read by the subset reader of `plain_yaml.rs`, or else by libyaml.
fn one_document(text: &str) -> Option<Value> {
    crate::plain_yaml::read(text).or_else(|| libyaml_document(text))
}

fn libyaml_document(text: &str) -> Option<Value> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    ValueSeed.deserialize(deserializer).ok()
}

/// Below this size, a second thread costs more than it saves.
const HALVES_FROM_BYTES: usize = 64 * 1024;

/// `text` cut in two at the line nearest its middle that starts with a letter in column 0:
/// in a block mapping at the root, such a line starts a top-level key, and nothing before
/// it goes on after it (a plain or block scalar ends at a line less indented than its key;
/// a quoted scalar or flow collection that goes on leaves the first half unfinished, which
/// then fails). `None` for a small text, or one holding a document marker (`---`, `...`) or
/// a directive (`%`) at the start of a line, after which the halves could read as more or
/// other documents than the whole.
fn halves(text: &str) -> Option<(&str, &str)> {
    if text.len() < HALVES_FROM_BYTES
        || text.starts_with(['%', '.'])
        || ["\n---", "\n...", "\n%", "\r---", "\r...", "\r%"]
            .iter()
            .any(|marker| text.contains(marker))
    {
        return None;
    }
    let middle = text.len() / 2;
    let starts = |from: usize| {
        text[from..]
            .match_indices('\n')
            .map(move |(at, _)| from + at + 1)
            .find(|&start| {
                text.as_bytes()
                    .get(start)
                    .is_some_and(u8::is_ascii_alphabetic)
            })
    };
    let cut = starts(middle)?;
    Some(text.split_at(cut))
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
    fn large_documents_are_cut_before_a_top_level_key() {
        let (first, second) = super::halves(crate::EMBEDDED_DOCUMENT).expect("cut");
        assert!(
            second.starts_with(|c: char| c.is_ascii_alphabetic()),
            "{second:.40}"
        );
        assert!(first.ends_with('\n'));
        let padding = "#".repeat(super::HALVES_FROM_BYTES);
        for (unsafe_to_cut, loads) in [
            (format!("{padding}\na: 1\n...\nb: 2\n"), None),
            (format!("{padding}\na: 1\n---\nb: 2\n"), None),
            (format!("%YAML 1.2\n---\n{padding}\na: 1\nb: 2\n"), Some(())),
        ] {
            assert_eq!(super::halves(&unsafe_to_cut), None);
            check(&unsafe_to_cut, loads);
        }
        // A quoted scalar or a flow collection that goes on past the cut: the first half
        // fails, and the whole is read in one piece (or fails the careful way).
        let quoted = format!("{padding}\na: \"x\n{}\nb: 2\"\nc: 3\n", "y ".repeat(40_000));
        let flow = format!("{padding}\na: [x,\n{}\nb: 2]\nc: 3\n", "y, ".repeat(30_000));
        for text in [quoted, flow] {
            let (_, second) = super::halves(&text).expect("cut");
            assert!(second.starts_with("b: 2"));
            let careful = careful_yaml_to_json(&text).ok();
            assert!(json_from_yaml(&text).is_none_or(|fast| Some(fast) == careful));
        }
        let twice = format!("{padding}\na: {}\nb: 2\nz: 3\na: 4\n", "y ".repeat(40_000));
        check(&twice, None);
    }

    #[test]
    fn the_json_copy_of_build_rs_is_the_yaml_read_at_run_time() {
        let copy = crate::validator::embedded_json().expect("build.rs wrote a JSON copy");
        assert_eq!(Ok(copy), careful_yaml_to_json(crate::EMBEDDED_DOCUMENT));
    }

    #[test]
    fn the_embedded_text_loads_from_its_json_copy_as_from_its_yaml() {
        use crate::SpecValidator;
        let text = crate::EMBEDDED_DOCUMENT;
        let from_copy = SpecValidator::from_yaml_str(text).expect("loads");
        let from_yaml = SpecValidator::from_yaml_str(&format!("{text}# not the embedded text\n"))
            .expect("loads");
        assert_eq!(from_copy.document, from_yaml.document);
        assert_eq!(from_copy.examples().len(), from_yaml.examples().len());
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
