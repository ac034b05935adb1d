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
//! How: [`start`] takes one block from the kernel (from mimalloc outside Linux). From then on each thread takes 256 KiB
//! chunks of it (one atomic update each) and serves allocations of up to 64 KiB from its
//! chunk by moving a thread-local cursor; a larger allocation takes whole 4 KiB pages of
//! the block for itself the same way. Freeing does nothing, and the last allocation of a
//! chunk, or the last large one of the block, grows in place (a `Vec` or `String` that
//! grows while nothing else is allocated). Alignments above 4 KiB, and everything once the
//! block is used up, go to mimalloc, as does everything before [`start`] and in the
//! subcommands that never call it (`mock` is a server: it must reuse what it frees).
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
/// The largest alignment the arena serves: what every chunk and large allocation is
/// aligned to (their sizes are multiples of it).
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

/// Takes a block of `bytes` ([`os_block`]) and serves allocations from it from now on,
/// on every thread. Returns false (and changes nothing) when it was called before, `bytes`
/// is less than a chunk, or no such block is to be had; allocation goes on with mimalloc
/// then.
pub fn start(bytes: usize) -> bool {
    let Ok(layout) = Layout::from_size_align(bytes, BLOCK_ALIGN) else {
        return false;
    };
    if bytes < CHUNK || STARTED.swap(true, Ordering::AcqRel) {
        return false;
    }
    let Some(block) = os_block(layout) else {
        return false;
    };
    END.store(block + bytes, Ordering::Relaxed);
    NEXT.store(block, Ordering::Relaxed);
    BLOCK.store(block, Ordering::Release);
    true
}

/// A block for `layout`, never given back (the arena lives as long as the process).
///
/// On Linux straight from the kernel, marked for transparent huge pages: the kernel then
/// zeroes 2 MiB at a time as the block is first touched, which costs far less than a
/// fault per 4 KiB page (and taking it from mimalloc cost a third of a millisecond).
#[cfg(target_os = "linux")]
fn os_block(layout: Layout) -> Option<usize> {
    use std::ffi::{c_int, c_void};
    extern "C" {
        fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: c_int,
            flags: c_int,
            fd: c_int,
            offset: i64,
        ) -> *mut c_void;
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }
    const PROT_READ_WRITE: c_int = 0x1 | 0x2;
    const MAP_PRIVATE_ANONYMOUS: c_int = 0x02 | 0x20;
    const MADV_HUGEPAGE: c_int = 14;
    let length = layout.size().checked_add(layout.align())?;
    // SAFETY: a new private anonymous mapping (no address asked for, no file), which
    // overlaps nothing else of the process.
    let mapped = unsafe {
        mmap(
            std::ptr::null_mut(),
            length,
            PROT_READ_WRITE,
            MAP_PRIVATE_ANONYMOUS,
            -1,
            0,
        )
    };
    if mapped as isize == -1 {
        return None;
    }
    let block = align_up(mapped as usize, layout.align())?;
    // SAFETY: `block..block + size` lies inside the mapping just made. The advice is only
    // a hint: without huge pages the arena works the same, with smaller faults.
    unsafe { madvise(block as *mut c_void, layout.size(), MADV_HUGEPAGE) };
    Some(block)
}

/// A block for `layout` from mimalloc, never given back.
#[cfg(not(target_os = "linux"))]
fn os_block(layout: Layout) -> Option<usize> {
    // SAFETY: `layout` has a non-zero size (at least one chunk).
    let block = unsafe { MiMalloc.alloc(layout) } as usize;
    (block != 0).then_some(block)
}

/// Whether `ptr` was served by the arena (then freeing it does nothing).
pub fn in_arena(ptr: *const u8) -> bool {
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

/// `size` rounded up to whole pages of [`MAX_ALIGN`] bytes: what a large allocation takes.
fn pages(size: usize) -> Option<usize> {
    align_up(size, MAX_ALIGN)
}

/// An address for `layout` from this thread's chunk (taking a new chunk when the current
/// one is full), or pages of its own for a large one; `None` when the arena does not
/// serve it.
fn bump(layout: Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN || BLOCK.load(Ordering::Acquire) == 0 {
        return None;
    }
    if layout.size() > MAX_BUMPED {
        return take_chunk(&NEXT, END.load(Ordering::Relaxed), pages(layout.size())?);
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
        // Chunks are aligned to MAX_ALIGN.
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
        if new_size <= layout.size() {
            return ptr;
        }
        let address = ptr as usize;
        if layout.size() > MAX_BUMPED {
            // The last large allocation of the block, with room after it: take more pages.
            let old_end = pages(layout.size()).map(|size| address + size);
            let new_end = pages(new_size).and_then(|size| address.checked_add(size));
            if let (Some(old_end), Some(new_end)) = (old_end, new_end) {
                if new_end <= END.load(Ordering::Relaxed)
                    && NEXT
                        .compare_exchange(old_end, new_end, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    return ptr;
                }
            }
        } else {
            // This thread's last allocation, and the chunk has room: grow it.
            let end = address + layout.size();
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
}
