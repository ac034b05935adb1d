//! Tests of `prescan`.
use super::*;

/// `(max flow depth, first anchor or alias)` of `text`, without a depth limit.
fn check(text: &str, depth: usize, finding: Option<(Hazard, usize, usize)>) {
    let scan = scan(text, usize::MAX);
    let found = scan.finding.map(|f| (f.hazard, f.line, f.column));
    assert_eq!((scan.max_flow_depth, found), (depth, finding), "{text:?}");
}

#[test]
fn a_large_text_scans_in_two_parts_as_in_one() {
    let document = crate::EMBEDDED_DOCUMENT;
    let big = document.repeat(SPLIT_FROM_BYTES / document.len() + 2);
    let cut = cut(&big).expect("large enough");
    let (before, after) = big.split_at(cut);
    let mut first = Scanner::new(big.as_bytes());
    first.stop = cut;
    assert_eq!(first.run(MAX), None);
    assert!(first.stopped, "the contract is scanned in two parts");
    let mut texts = vec![document.to_owned(), big.clone()];
    // A hazard or a deep collection just after the cut, or far after it; a flow
    // collection, a quoted scalar or a block scalar open across the cut; the cut
    // line indented inside something.
    for insert in [
        "x: &a 1\n",
        "x: *a\n",
        "x: [[[[[[[[1]]]]]]]]\n",
        "x: [1,\n",
        "x: \"a\n",
        "x: 'a\n",
        "x: |\n  text\n",
        "x:\n  - y\n",
        "- y\n",
        "? x\n",
        "x: !tag\n",
        "# comment\n",
    ] {
        texts.push(format!("{before}{insert}{after}"));
        texts.push(format!("{before}{after}{insert}"));
        texts.push(format!("{}{insert}{after}", before.trim_end_matches('\n')));
    }
    for text in &texts {
        let (one, two) = (scan_whole(text, MAX), scan(text, MAX));
        assert_eq!(one, two, "{:?}", &text[cut.saturating_sub(40)..cut + 40]);
        let (one, two) = (scan_whole(text, 3), scan(text, 3));
        assert_eq!(one, two, "{:?}", &text[cut.saturating_sub(40)..cut + 40]);
    }
}

const MAX: usize = usize::MAX;

#[test]
fn flow_collections_are_counted_where_libyaml_opens_them() {
    check("a: [[1], {b: [2]}]\n", 3, None);
    check("[[[\n[[\n]]]]]\n", 5, None);
    check("{\"a\":[1,[2]]}", 3, None);
    check("- [a, b]\n- {c: d}\n", 1, None);
    // `[` inside a flow plain scalar still opens a collection.
    check("[a[b]]\n", 2, None);
}

#[test]
fn brackets_in_text_are_not_counted() {
    check("a: see [the docs\n", 0, None);
    check("a: 'it''s [[['\nb: \"[[\\\"[[\"\n", 0, None);
    check("a: x # [[[ *b\n# [[[\n", 0, None);
    check("a: |\n  [[[ *b &c\n   {{{\n\n  ]\nb: [1]\n", 1, None);
    check("a: >-\n  [[[\nb: [1]\n", 1, None);
    // A plain scalar continued on deeper-indented lines, starting with `[` or `*`.
    check("a: some\n  [text *and\n  *more\nb: [1]\n", 1, None);
    check("- a\n  [b\n- [c]\n", 1, None);
    check("k: a'b [x\n", 0, None);
    // `#` inside a word is not a comment, in flow context neither.
    check("[a#b, [c]]\n", 2, None);
}

#[test]
fn a_block_scalar_ends_at_a_shallower_line() {
    // The key at column 4 holds the scalar: content must be deeper than 4.
    check("- k:\n    x: |\n     [\n    y: [1]\n", 1, None);
    check("- x: |\n  [[[\n", 3, None);
    check("x: |2\n  [[\n [\n", 1, None);
    check("a:\n  b: |\n\n      deep\n    [[\n", 2, None);
}

#[test]
fn anchors_and_aliases_are_found_where_libyaml_reads_them() {
    check("a: &x 1\n", 0, Some((Hazard::Anchor, 1, 4)));
    check("a: [1, *x]\n", 1, Some((Hazard::Alias, 1, 8)));
    check("a:\n  - b\n  - *x\n", 0, Some((Hazard::Alias, 3, 5)));
    check("<<: *base\n", 0, Some((Hazard::Alias, 1, 5)));
    check("a: b*c &d\n", 0, None);
    check("a: \"*x\"\n", 0, None);
}

#[test]
fn unicode_line_breaks_end_comments_as_in_libyaml() {
    check("a: 1 # c\u{2028}b: [[1]]\n", 2, None);
    check("a: 1 # c\u{85}[[2]]\n", 2, None);
    check("é: [1]\r\nb: ['ü', *x]\n", 1, Some((Hazard::Alias, 2, 10)));
}

#[test]
fn stops_at_the_first_collection_too_deep() {
    let text = format!("openapi: 3.0.3\nx: {}", "[".repeat(100));
    let scan = scan(&text, 64);
    assert_eq!(
        scan.finding,
        Some(Finding {
            hazard: Hazard::TooDeep,
            line: 2,
            column: 4 + 64
        })
    );
    assert_eq!(scan.max_flow_depth, 65);
}
