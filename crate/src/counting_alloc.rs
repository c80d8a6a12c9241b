//! A global allocator that counts the heap it hands out: the bytes live now and the most live
//! at once since a mark, for the whole program and for the calling thread. The worker installs
//! it (its `status` shows the live heap beside the wasm memory, which only ever grows, so a leak
//! and a transient peak can be told apart); native tests install it to show that decoding what
//! a peer sends stays under a stated number of bytes whatever the input claims.
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: CountingAllocator<std::alloc::System> = CountingAllocator::new(std::alloc::System);
//! ```

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts every allocation made through it, then passes it on to `inner`.
pub struct CountingAllocator<A> {
    inner: A,
}

impl<A> CountingAllocator<A> {
    pub const fn new(inner: A) -> Self {
        CountingAllocator { inner }
    }
}

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's allocations less its frees (a block freed by another thread than the one
    /// that allocated it moves bytes between the two), and the most it reached since the mark.
    static THREAD: Cell<(isize, isize)> = const { Cell::new((0, 0)) };
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    // `try_with`: a thread being torn down has no counter any more; const-initialised, it never allocates.
    let _ = THREAD.try_with(|t| {
        let (live, peak) = t.get();
        let live = live + bytes as isize;
        t.set((live, peak.max(live)));
    });
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
    let _ = THREAD.try_with(|t| {
        let (live, peak) = t.get();
        t.set((live - bytes as isize, peak));
    });
}

// SAFETY: every call is passed on unchanged to `inner`; the counters are only arithmetic.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.inner.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { self.inner.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.inner.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as the new block in, then the old one out: the peak sees both, as the
            // allocator may hold both while it copies.
            grew(new_size);
            shrank(layout.size());
        }
        p
    }
}

/// Heap bytes live now, all threads (0 unless a [`CountingAllocator`] is the global allocator).
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most heap bytes live at once since the program started or [`reset_peak`].
pub fn peak_bytes() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from the bytes live now.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// Runs `f` and says how far this thread's heap rose above where it stood when `f` began: its
/// peak extra bytes, whatever `f` freed before it returned (and what it returns counted in).
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = THREAD.with(|t| {
        let (live, _) = t.get();
        t.set((live, live));
        live
    });
    let out = f();
    let peak = THREAD.with(|t| t.get().1);
    (out, (peak - start).max(0) as usize)
}

/// Heap bytes this thread allocated and still holds, less what it freed of other threads'.
pub fn thread_live_bytes() -> isize {
    THREAD.with(|t| t.get().0)
}
