//! The allocator of `xtask`: mimalloc, and for `cargo xtask validate` a bump arena in
//! front of it.
//!
//! Why: `validate` allocates about 11 MB in all (100,000 blocks: the document, the
//! converted schemas, the validators), keeps most of it to the end, and exits, where
//! `std::mem::forget` skips freeing anything. The kernel zeroes every page the process
//! touches for the first time, and on this project's machines that was the largest part of
//! the kernel's time in `validate` (`clear_page_erms`): mimalloc touched 20 to 29 MiB for
//! that 11 MB, spread over its per-thread pages and size classes, each touched region
//! costing a whole transparent huge page. Handing out memory in order, never reusing it,
//! touches about as much as is allocated. docs/performance.md has the figures.
//!
//! How: [`start`] takes one block from mimalloc. From then on each thread takes 256 KiB
//! chunks of it (one atomic add each) and serves allocations of up to 64 KiB from its
//! chunk by moving a thread-local cursor; freeing such an allocation does nothing, and
//! growing the last allocation of a chunk is done in place (a `Vec` or `String` that grows
//! while nothing else is allocated). Larger allocations, alignments above 4 KiB, and
//! everything once the block is used up go to mimalloc, as does everything before
//! [`start`] and in the subcommands that never call it (`mock` is a server: it must reuse
//! what it frees).
//!
//! This is the one module of the workspace with `unsafe` code (the workspace lints deny
//! it everywhere else): an allocator hands out raw memory. Every `unsafe` block says why
//! it is sound.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use mimalloc::MiMalloc;

/// What each thread takes from the block at a time.
const CHUNK: usize = 256 << 10;
/// The largest allocation served from a chunk; larger ones go to mimalloc.
const MAX_BUMPED: usize = 64 << 10;
/// The largest alignment served from a chunk (chunks are aligned to [`CHUNK`]).
const MAX_ALIGN: usize = 4096;
/// How the block is aligned: to a transparent huge page.
const BLOCK_ALIGN: usize = 2 << 20;

/// Whether [`start`] was called (it takes a block once).
static STARTED: AtomicBool = AtomicBool::new(false);
/// The block's first address, 0 until [`start`] has taken it. Written last (Release), so
/// a thread that reads it non-zero (Acquire) sees [`END`] and [`NEXT`] too.
static BLOCK: AtomicUsize = AtomicUsize::new(0);
/// One past the block's last address.
static END: AtomicUsize = AtomicUsize::new(0);
/// The next chunk no thread has taken.
static NEXT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The next free address of this thread's chunk (0: no chunk yet).
    static CURSOR: Cell<usize> = const { Cell::new(0) };
    /// One past the last address of this thread's chunk.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// The global allocator of `xtask` (see the module documentation).
pub struct Allocator;

/// Takes a block of `bytes` from mimalloc and serves small allocations from it from now
/// on, on every thread. Returns false (and changes nothing) when it was called before or
/// mimalloc has no such block; allocation goes on as before then.
pub fn start(bytes: usize) -> bool {
    let Ok(layout) = Layout::from_size_align(bytes, BLOCK_ALIGN) else {
        return false;
    };
    if bytes < CHUNK || STARTED.swap(true, Ordering::AcqRel) {
        return false;
    }
    // SAFETY: `layout` has a non-zero size (at least one chunk). The block is never
    // freed: the arena lives as long as the process.
    let block = unsafe { MiMalloc.alloc(layout) } as usize;
    if block == 0 {
        return false;
    }
    END.store(block + bytes, Ordering::Relaxed);
    NEXT.store(block, Ordering::Relaxed);
    BLOCK.store(block, Ordering::Release);
    true
}

/// Whether `ptr` was served by the arena (then freeing it does nothing).
fn in_arena(ptr: *mut u8) -> bool {
    let block = BLOCK.load(Ordering::Acquire);
    let address = ptr as usize;
    block != 0 && address >= block && address < END.load(Ordering::Relaxed)
}

/// The address of a free chunk of `size` bytes at `next`, or `None` when fewer than that
/// are left before `end`; moves `next` on by `size` when there is one.
fn take_chunk(next: &AtomicUsize, end: usize, size: usize) -> Option<usize> {
    next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |chunk| {
        (end.checked_sub(chunk)? >= size).then_some(chunk + size)
    })
    .ok()
}

/// `address` rounded up to `align`, a power of two.
fn align_up(address: usize, align: usize) -> Option<usize> {
    Some(address.checked_add(align - 1)? & !(align - 1))
}

/// An address for `layout` from this thread's chunk (taking a new chunk when the current
/// one is full), or `None` when the arena does not serve it.
fn bump(layout: Layout) -> Option<usize> {
    if layout.size() > MAX_BUMPED || layout.align() > MAX_ALIGN {
        return None;
    }
    if BLOCK.load(Ordering::Acquire) == 0 {
        return None;
    }
    let (cursor, limit) = (
        CURSOR.try_with(Cell::get).ok()?,
        LIMIT.try_with(Cell::get).ok()?,
    );
    let at = align_up(cursor, layout.align())?;
    let at = if cursor != 0 && at.checked_add(layout.size())? <= limit {
        at
    } else {
        let chunk = take_chunk(&NEXT, END.load(Ordering::Relaxed), CHUNK)?;
        LIMIT.try_with(|limit| limit.set(chunk + CHUNK)).ok()?;
        // Chunks are aligned to CHUNK, which is more than MAX_ALIGN.
        chunk
    };
    CURSOR
        .try_with(|cursor| cursor.set(at + layout.size()))
        .ok()?;
    Some(at)
}

// SAFETY: every address handed out is either mimalloc's (for the layout asked) or a range
// of the block that no other allocation overlaps: chunks are taken by one thread each
// (`take_chunk` is atomic), and within a chunk the cursor only moves forward, except that
// the last allocation of a chunk may grow or shrink in place, which moves the cursor to
// its new end. Arena memory is never given back, so no address is handed out twice.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match bump(layout) {
            Some(address) => address as *mut u8,
            // SAFETY: the caller's contract (a non-zero size) is passed on unchanged.
            None => unsafe { MiMalloc.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match bump(layout) {
            Some(address) => {
                let ptr = address as *mut u8;
                // SAFETY: `ptr` starts `layout.size()` bytes of the block that are this
                // allocation's alone; the block came from mimalloc uninitialised.
                unsafe { ptr.write_bytes(0, layout.size()) };
                ptr
            }
            // SAFETY: as in `alloc`.
            None => unsafe { MiMalloc.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !in_arena(ptr) {
            // SAFETY: `ptr` is not the arena's, so mimalloc allocated it with `layout`.
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !in_arena(ptr) {
            // SAFETY: `ptr` is mimalloc's, allocated with `layout`; the caller's contract
            // on `new_size` is passed on.
            return unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        }
        let address = ptr as usize;
        let end = address + layout.size();
        // This thread's last allocation, and the chunk has room: grow (or shrink) it.
        let last = CURSOR.try_with(Cell::get).is_ok_and(|cursor| cursor == end);
        let limit = LIMIT.try_with(Cell::get).unwrap_or(0);
        if last
            && new_size <= MAX_BUMPED
            && address
                .checked_add(new_size)
                .is_some_and(|new_end| new_end <= limit)
            && CURSOR
                .try_with(|cursor| cursor.set(address + new_size))
                .is_ok()
        {
            return ptr;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // SAFETY: `new_size` with the old alignment is a valid layout (the caller's
        // contract); the new allocation does not overlap the old one, whose
        // `layout.size()` bytes are all readable and fewer than `new_size`.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size());
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_taken_until_the_block_is_used_up() {
        let next = AtomicUsize::new(1000);
        assert_eq!(take_chunk(&next, 1300, 100), Some(1000));
        assert_eq!(take_chunk(&next, 1300, 100), Some(1100));
        assert_eq!(take_chunk(&next, 1300, 100), Some(1200));
        assert_eq!(take_chunk(&next, 1300, 100), None);
        assert_eq!(next.load(Ordering::Relaxed), 1300);
        assert_eq!(take_chunk(&AtomicUsize::new(usize::MAX - 10), 5, 100), None);
        assert_eq!(align_up(4097, 4096), Some(8192));
        assert_eq!(align_up(usize::MAX, 8), None);
    }

    #[test]
    fn every_thread_gets_memory_of_its_own_and_large_or_odd_blocks_go_to_mimalloc() {
        // The test binary runs with this allocator too; start it (if no test did yet).
        start(64 << 20);
        assert!(!start(64 << 20), "a second start changes nothing");
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                std::thread::spawn(move || {
                    let mut strings = Vec::new();
                    for i in 0..20_000u32 {
                        strings.push(format!("{t}:{i}"));
                    }
                    let mut grown = Vec::new();
                    for i in 0..100_000u32 {
                        grown.push(i ^ u32::from(t));
                    }
                    let aligned = Box::new(Aligned([t; 64]));
                    let page: Box<Page> = Box::new(Page([t; 8192]));
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
                .enumerate()
                .all(|(i, &v)| v == u32::try_from(i).expect("small") ^ u32::from(t)));
            assert!(in_arena(strings[0].as_ptr().cast_mut()));
            assert_eq!(std::ptr::addr_of!(*aligned) as usize % 64, 0);
            assert!(aligned.0.iter().all(|&b| b == t));
            assert!(!in_arena(std::ptr::addr_of!(*page).cast::<u8>().cast_mut()));
            assert_eq!(std::ptr::addr_of!(*page) as usize % 8192, 0);
            assert!(page.0.iter().all(|&b| b == t));
            assert!(!in_arena(large.as_ptr().cast_mut()));
            assert!(large.iter().all(|&b| b == t));
        }
    }

    #[test]
    fn the_last_allocation_grows_in_place_and_others_are_copied() {
        start(64 << 20);
        let mut last = String::with_capacity(16);
        last.push_str("0123456789abcdef");
        let before = last.as_ptr();
        let room = LIMIT.with(Cell::get) - CURSOR.with(Cell::get);
        last.reserve_exact(1000);
        if room >= 1000 {
            assert_eq!(last.as_ptr(), before, "grown in place");
        }
        let other: Vec<u8> = std::iter::repeat_n(7, 32).collect();
        let mut moved = vec![1u8; 32];
        let after: Vec<u8> = std::iter::repeat_n(2, 32).collect();
        let old = moved.as_ptr();
        moved.reserve_exact(4096);
        assert_ne!(moved.as_ptr(), old, "not the last one: copied");
        assert!(moved.iter().all(|&b| b == 1) && moved.len() == 32);
        assert!(other.iter().all(|&b| b == 7) && after.iter().all(|&b| b == 2));
        assert_eq!(last, "0123456789abcdef");
        let zeroed = vec![0u64; 512];
        assert!(zeroed.iter().all(|&v| v == 0));
    }

    #[repr(align(64))]
    struct Aligned([u8; 64]);

    #[repr(align(8192))]
    struct Page([u8; 8192]);
}
