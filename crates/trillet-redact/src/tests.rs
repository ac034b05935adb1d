use proptest::prelude::*;

use super::*;

fn check(input: &str, expected: &str) {
    assert_eq!(mask_phone_numbers(input), expected, "{input:?}");
}

#[test]
fn every_usual_spelling_of_a_phone_number_is_masked() {
    check("+14155551234", "+1*******234");
    check("+1234567890", "+1******890");
    check("+1 (415) 555-1234", "+1 (***) ***-*234");
    check("(415) 555-1234", "(4**) ***-*234");
    check("415-555-1234", "4**-***-*234");
    check("415.555.1234", "4**.***.*234");
    check("415 555 1234", "4** *** *234");
    check("+1.415.555.1234", "+1.***.***.*234");
    check("+1-415-555-1234", "+1-***-***-*234");
    check("(+1) 415 555 1234", "(+1) *** *** *234");
    check("415 - 555 - 1234", "4** - *** - *234");
    check("0044 20 7946 0958", "0*** ** **** *958");
    check("+44 20 7946 0958", "+4* ** **** *958");
    check("+44 (0)20 7946 0958", "+4* (*)** **** *958");
    check("00447946095812", "0**********812");
    check("555-1234", "5**-*234");
    check("5551234", "5***234");
    check(
        "+1\u{a0}415\u{a0}555\u{a0}1234",
        "+1\u{a0}***\u{a0}***\u{a0}*234",
    );
    check(
        "+1\u{2011}415\u{2011}555\u{2011}1234",
        "+1\u{2011}***\u{2011}***\u{2011}*234",
    );
    check("+123456789012345678", "+1**************678");
}

#[test]
fn numbers_are_found_wherever_they_stand_in_text() {
    check("to +447700900123 now", "to +4********123 now");
    check("call 415-555-1234.", "call 4**-***-*234.");
    check("555 1234 3rd floor", "5** *234 3rd floor");
    check("tel:+14155551234", "tel:+1*******234");
    check("/v1/calls/4155551234/status", "/v1/calls/4******234/status");
    check("x+14155551234", "x+1*******234");
    check("sip_+14155551234_1", "sip_+1*******234_1");
    check("+1 415 555 1234 3rd", "+1 *** *** *234 3rd");
    check("4155551234,4155559876", "4******234,4******876");
    check("+14155551234+14155559876", "+1*******234+1*******876");
    // Side by side: masked as one, hiding more rather than less.
    check("4155551234 4155559876", "4********* *******876");
    check("Number(14155551234)", "Number(1*******234)");
    check(
        "on 2025-01-15 call 415-555-1234",
        "on 2025-01-15 call 4**-***-*234",
    );
    check("415-555-1234 2025-01-15", "4**-***-*234 2025-01-15");
}

#[test]
fn numbers_in_json_and_escaped_text_are_masked() {
    check(r#"{"to":"+14155551234"}"#, r#"{"to":"+1*******234"}"#);
    check(r#"{"to":14155551234}"#, r#"{"to":1*******234}"#);
    check(r#"\"4155551234\""#, r#"\"4******234\""#);
    check(r"call\n+14155551234\tnow", r"call\n+1*******234\tnow");
    check(r"note\n4155551234", r"note\n4******234");
    check(
        r"+44\u00a020\u00a07946\u00a00958",
        r"+4*\u00a0**\u00a0****\u00a0*958",
    );
    check(
        r"+1\u{a0}415\u{a0}555\u{a0}1234",
        r"+1\u{a0}***\u{a0}***\u{a0}*234",
    );
    check(r"\u00414155551234", r"\u00414******234");
}

#[test]
fn numbers_in_urls_are_masked() {
    check("?to=%2B14155551234", "?to=%2B1*******234");
    check("?to=%2b14155551234&from=x", "?to=%2b1*******234&from=x");
    check("to=%2B1%20415%20555%201234", "to=%2B1%20***%20***%20*234");
    check("to=%2B1+415+555+1234", "to=%2B1+***+***+*234");
    check("to=415+555+1234", "to=4**+***+*234");
    check("to=%28415%29%20555-1234", "to=%284**%29%20***-*234");
}

#[test]
fn what_is_not_a_phone_number_is_left_alone() {
    check("", "");
    check("123456", "123456");
    check("id 123456 ok", "id 123456 ok");
    check("404 Not Found", "404 Not Found");
    check("gpt-4o", "gpt-4o");
    check("1234567890123456", "1234567890123456");
    check("2025-01-15", "2025-01-15");
    check("2025-01-15T15:00:00Z", "2025-01-15T15:00:00Z");
    check("2025-01-15 15:00:00", "2025-01-15 15:00:00");
    check(
        "2025-01-15T15:00:00.1234567+00:00",
        "2025-01-15T15:00:00.1234567+00:00",
    );
    check("20250115T150000Z", "20250115T150000Z");
    check("15.01.2025", "15.01.2025");
    check("01-15-2025", "01-15-2025");
    check("2025.01.15", "2025.01.15");
    check("batch_7891011121314", "batch_7891011121314");
    check("agent_1234567", "agent_1234567");
    check("676b8e123456789012345679", "676b8e123456789012345679");
    check("4155551234x", "4155551234x");
    check(
        "123e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-426614174000",
    );
    check("192.168.100.200", "192.168.100.200");
    check("http://10.0.0.1:8080/", "http://10.0.0.1:8080/");
    check("1.2.3", "1.2.3");
    check("v1.22.333-beta", "v1.22.333-beta");
    check("37.7749295,-122.4194155", "37.7749295,-122.4194155");
    check("0.1234567", "0.1234567");
    check("1,234,567", "1,234,567");
}

#[test]
fn unchanged_text_is_not_copied() {
    assert!(matches!(
        mask_phone_numbers("no number here, 2025-01-15"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        scrub_secret("no secret here", "sk-live-1"),
        Cow::Borrowed(_)
    ));
}

fn check_value(value: &str, expected: &str) {
    assert_eq!(mask_phone_number(value), expected, "{value:?}");
}

#[test]
fn a_whole_value_is_masked_as_text_masks_it_or_masked_whole() {
    check_value("+14155551234", "+1*******234");
    check_value("+1234567890", "+1******890");
    check_value("14155551234", "1*******234");
    check_value("4155551234", "4******234");
    check_value("+1 415 555 1234", "+1 *** *** *234");
    check_value("+1 (415) 555-1234", "+1 (***) ***-*234");
    check_value("0044 20 7946 0958", "0*** ** **** *958");
    check_value("+04155551234", "+0*******234");
    check_value("+1234567", "+1***567");
    check_value("1234567", "1***567");
    check_value(" +14155551234", " +1*******234");
    check_value("+14155551234\t", "+1*******234 ");
    check_value("+12345678901234567", "+1*************567");
    // Not one number: masked whole.
    check_value("", "");
    check_value("+", "*");
    check_value("12345", "*****");
    check_value("123456", "******");
    check_value("+1\n34567890", "***********");
    check_value("\u{7}x34567890", "**********");
    check_value("+1415555123４", "************");
    check_value("++14155551234", "*************");
    check_value("2025-01-15", "**********");
    check_value("call me", "*******");
    // Long values are shortened.
    check_value(&"9".repeat(40), "***********…***********");
    check_value("+1 2 3 4 5 6 7 8 9 0 1 2 3 4", "+1 * * * * …* * * 2 3 4");
}

#[test]
fn secrets_are_scrubbed_in_every_spelling() {
    let check_scrub = |text: &str, secret: &str, expected: &str| {
        assert_eq!(scrub_secret(text, secret), expected, "{text:?} {secret:?}");
    };
    check_scrub("Bearer sk-live-4242", "sk-live-4242", "Bearer <redacted>");
    check_scrub("a=sk1234 b=sk1234", "sk1234", "a=<redacted> b=<redacted>");
    check_scrub("?t=a%2Fb%2Bc%3D", "a/b+c=", "?t=<redacted>");
    check_scrub("?t=a%2fb%2bc%3d", "a/b+c=", "?t=<redacted>");
    check_scrub("tok ab", "ab", "tok ab");
    check_scrub("anything", "", "anything");
    check_scrub("no secret", "sk-live-4242", "no secret");
}

#[test]
fn masked_debug_masks_and_keeps_pretty_printing() {
    let value = vec![("phone", "+14155551234")];
    assert_eq!(
        format!("{:?}", MaskedDebug(&value)),
        r#"[("phone", "+1*******234")]"#
    );
    assert_eq!(
        format!("{:#?}", MaskedDebug(&value)),
        format!("{:#?}", value).replace("+14155551234", "+1*******234")
    );
}

/// The digits of `text` a reader can see: those of `%XX` and `\uXXXX` escapes aside.
fn visible_digits(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => {
                chars.nth(1);
            }
            '\\' if chars.next() == Some('u') => {
                chars.nth(3);
            }
            c if c.is_ascii_digit() => out.push(c),
            _ => {}
        }
    }
    out
}

/// How a number is written: its prefix and the separator between its groups.
#[derive(Clone, Copy, Debug)]
enum Spelling {
    /// `+1 415 555 1234`
    Plus,
    /// `0044 20 7946 0958`
    DoubleZero,
    /// `415 555 1234`
    National,
    /// `(415) 555-1234`
    AreaInParentheses,
    /// `%2B1%20415%20555%201234`, `%2B1+415+555+1234`
    UrlEncoded,
}

/// A phone number in one of the usual spellings: the text and its digits. Its groups
/// are those of real numbers (the last has four digits, the middle ones three or four),
/// which no date, IPv4 address or decimal number has.
fn spelled_number() -> impl Strategy<Value = (String, String)> {
    let spelling = prop_oneof![
        Just(Spelling::Plus),
        Just(Spelling::DoubleZero),
        Just(Spelling::National),
        Just(Spelling::AreaInParentheses),
        Just(Spelling::UrlEncoded),
    ];
    let separator = prop::sample::select(vec!["", " ", "-", ".", "\u{a0}", r"\u00a0", " - "]);
    let url_separator = prop::sample::select(vec!["", "%20", "+"]);
    (
        spelling,
        separator,
        url_separator,
        1usize..=4,
        prop::collection::vec(3usize..=4, 0..=2),
        prop::collection::vec(0u8..=9, 17),
    )
        .prop_filter_map(
            "7 to 15 digits, and a dot never alone between two groups",
            |(spelling, separator, url_separator, first, middle, digit_pool)| {
                let mut sizes = vec![first];
                sizes.extend(&middle);
                sizes.push(4);
                let total: usize = sizes.iter().sum();
                if !(7..=15).contains(&total) || (separator == "." && sizes.len() == 2) {
                    return None;
                }
                let separator = match spelling {
                    Spelling::UrlEncoded => url_separator,
                    _ => separator,
                };
                let mut digits: String = digit_pool[..total]
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect();
                let mut groups: Vec<String> = Vec::new();
                let mut at = 0;
                for size in &sizes {
                    groups.push(digits[at..at + size].to_owned());
                    at += size;
                }
                let text = match spelling {
                    Spelling::Plus => format!("+{}", groups.join(separator)),
                    Spelling::UrlEncoded => format!("%2B{}", groups.join(separator)),
                    Spelling::DoubleZero => {
                        digits.insert_str(0, "00");
                        format!("00{}", groups.join(separator))
                    }
                    Spelling::National => groups.join(separator),
                    Spelling::AreaInParentheses => {
                        let separator = if separator.is_empty() { "-" } else { separator };
                        format!("({}) {}", groups[0], groups[1..].join(separator))
                    }
                };
                Some((text, digits))
            },
        )
}

/// Text around a number: anything but digits, `%` and `\` (which could make the
/// number's first digits part of an escape).
fn surrounding_text() -> impl Strategy<Value = String> {
    "[a-zA-Zé _,;:!?'\"()\\[\\]{}<>=/*.\n-]{0,16}"
}

/// What may stand right next to a number: no letter, digit or `_`.
fn boundary() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "", " ", ",", ":", ";", "\"", "'", "(", ")", "[", "]", "{", "}", "\n", "=", "/", "<", ">",
        "!", "?", ".", "-", r"\n", r#"\""#,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    /// Wherever a number stands, the output shows exactly its first digit and its last
    /// three, and changes nothing but digits into `*`.
    #[test]
    fn a_number_in_any_spelling_shows_only_its_first_and_last_three_digits(
        (number, digits) in spelled_number(),
        before in surrounding_text(),
        left in boundary(),
        right in boundary(),
        after in surrounding_text(),
    ) {
        // A boundary of nothing next to text that ends in a letter would glue them.
        let left = if left.is_empty() && before.ends_with(|c: char| c.is_alphanumeric() || c == '_') { " " } else { left };
        let right = if right.is_empty() && after.starts_with(|c: char| c.is_alphanumeric() || c == '_') { " " } else { right };
        let text = format!("{before}{left}{number}{right}{after}");
        let masked = mask_phone_numbers(&text);
        let expected = format!("{}{}", &digits[..1], &digits[digits.len() - 3..]);
        prop_assert_eq!(visible_digits(&masked), expected, "{:?} -> {:?}", text, masked);
        prop_assert_eq!(masked.chars().count(), text.chars().count());
        for (was, is) in text.chars().zip(masked.chars()) {
            prop_assert!(was == is || (was.is_ascii_digit() && is == '*'), "{:?} -> {:?}", text, masked);
        }
    }

    /// A number alone is masked the same way as a value and in text.
    #[test]
    fn a_number_as_a_value_is_masked_as_in_text((number, _) in spelled_number()) {
        let in_text = mask_phone_numbers(&number).into_owned();
        let as_value = mask_phone_number(&number);
        if in_text.chars().count() <= MAX_MASKED_VALUE_CHARS {
            prop_assert_eq!(as_value, in_text);
        } else {
            prop_assert!(as_value.contains('…'), "{:?}", as_value);
        }
    }

    /// Whatever the text, masking only turns digits into `*`, and masking twice changes
    /// nothing more.
    #[test]
    fn masking_any_text_only_hides_digits_and_is_idempotent(
        text in prop_oneof!["[0-9 +().%2Bu{}a\\\\_\n-]{0,40}", any::<String>()],
    ) {
        let masked = mask_phone_numbers(&text);
        prop_assert_eq!(masked.chars().count(), text.chars().count());
        for (was, is) in text.chars().zip(masked.chars()) {
            prop_assert!(was == is || (was.is_ascii_digit() && is == '*'), "{:?} -> {:?}", text, masked);
        }
        prop_assert_eq!(mask_phone_numbers(&masked), masked.clone());
    }

    /// Whatever the value, its masked form is short, has no control character and, unless
    /// shortened, shows at most four digits.
    #[test]
    fn a_masked_value_is_short_and_clean(value in any::<String>()) {
        let masked = mask_phone_number(&value);
        prop_assert!(masked.chars().count() <= MAX_MASKED_VALUE_CHARS, "{:?}", masked);
        prop_assert!(!masked.chars().any(char::is_control), "{:?}", masked);
        prop_assert!(masked.contains('…') || visible_digits(&masked).len() <= 4, "{:?} -> {:?}", value, masked);
    }
}
