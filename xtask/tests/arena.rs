//! The allocator of `xtask` (`src/arena.rs`), in a process of its own: here it is the
//! global allocator, and this one test is all that allocates while it runs, so where each
//! block lands is certain.

#[path = "../src/arena.rs"]
mod arena;

#[global_allocator]
static GLOBAL: arena::Allocator = arena::Allocator;

#[repr(align(64))]
struct Aligned([u8; 64]);

#[repr(align(8192))]
struct Page([u8; 8192]);

fn byte(i: usize) -> u8 {
    u8::try_from(i % 251).expect("below 251")
}

#[test]
fn the_arena_serves_every_thread_grows_in_place_and_leaves_the_rest_to_mimalloc() {
    let before: Vec<u8> = vec![1; 100];
    assert!(!arena::in_arena(before.as_ptr()), "mimalloc's until start");
    assert!(arena::start(64 << 20));
    assert!(!arena::start(64 << 20), "a second start changes nothing");

    // Four threads at once, each with blocks of every kind.
    let threads: Vec<_> = (0..4u8)
        .map(|t| {
            std::thread::spawn(move || {
                let strings: Vec<String> = (0..20_000).map(|i| format!("{t}:{i}")).collect();
                let mut grown = Vec::new();
                for i in 0..100_000u32 {
                    grown.push(i ^ u32::from(t));
                }
                let aligned = Box::new(Aligned([t; 64]));
                let page = Box::new(Page([t; 8192]));
                let large = vec![t; 1 << 20];
                (strings, grown, aligned, page, large)
            })
        })
        .collect();
    for (t, thread) in (0..4u8).zip(threads) {
        let (strings, grown, aligned, page, large) = thread.join().expect("no panic");
        assert!(strings
            .iter()
            .enumerate()
            .all(|(i, s)| *s == format!("{t}:{i}")));
        assert!(grown
            .iter()
            .zip(0u32..)
            .all(|(&v, i)| v == i ^ u32::from(t)));
        assert!(arena::in_arena(strings[0].as_ptr()));
        let aligned_at = std::ptr::addr_of!(*aligned).cast::<u8>();
        assert!(arena::in_arena(aligned_at));
        assert_eq!(aligned_at as usize % 64, 0);
        assert!(aligned.0.iter().all(|&b| b == t));
        let page_at = std::ptr::addr_of!(*page).cast::<u8>();
        assert!(!arena::in_arena(page_at), "aligned above 4 KiB: mimalloc's");
        assert_eq!(page_at as usize % 8192, 0);
        assert!(page.0.iter().all(|&b| b == t));
        assert!(arena::in_arena(large.as_ptr()), "pages of its own");
        assert_eq!(large.as_ptr() as usize % 4096, 0);
        assert!(large.iter().all(|&b| b == t));
    }

    // A fresh thread has a fresh chunk: its last small block grows in place, an earlier
    // one is copied.
    std::thread::spawn(|| {
        let mut last = String::with_capacity(16);
        last.push_str("0123456789abcdef");
        let at = last.as_ptr();
        last.reserve_exact(1000);
        assert_eq!(last.as_ptr(), at, "grown in place");
        assert_eq!(last, "0123456789abcdef");
        let mut moved: Vec<u8> = (0..32).collect();
        let after: Vec<u8> = vec![2; 32];
        let at = moved.as_ptr();
        moved.reserve_exact(4096);
        assert_ne!(moved.as_ptr(), at, "not the last block: copied");
        assert_eq!(moved, (0..32).collect::<Vec<u8>>());
        assert!(after.iter().all(|&b| b == 2));
        let zeroed = vec![0u64; 512];
        assert!(arena::in_arena(zeroed.as_ptr().cast()));
        assert!(zeroed.iter().all(|&v| v == 0));
    })
    .join()
    .expect("no panic");

    // The last large block grows in place; one that is not the last is copied.
    let mut large: Vec<u8> = Vec::with_capacity(100_000);
    large.extend((0..100_000).map(byte));
    let at = large.as_ptr();
    large.reserve_exact(300_000);
    assert_eq!(large.as_ptr(), at, "grown in place");
    let other: Vec<u8> = Vec::with_capacity(70_000);
    large.reserve_exact(1_000_000);
    assert_ne!(large.as_ptr(), at, "not the last large block: copied");
    assert!(large.iter().enumerate().all(|(i, &b)| b == byte(i)));
    assert!(arena::in_arena(other.as_ptr()));

    // More than the block holds: mimalloc's, and freed by mimalloc.
    let huge: Vec<u8> = Vec::with_capacity(128 << 20);
    assert!(!arena::in_arena(huge.as_ptr()));
    drop(huge);
    drop(before);
}
