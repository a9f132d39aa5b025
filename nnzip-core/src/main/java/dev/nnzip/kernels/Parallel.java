package dev.nnzip.kernels;

import java.lang.ref.Cleaner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits index ranges over a fixed number of threads. One instance per session: sessions never compete for each other's
 * workers, and a session with {@code threads == 1} runs everything on the caller's thread with no hand-off at all.
 *
 * <p><b>Why not a ForkJoinPool.</b> A model run forks once per large operator, dozens of times per inference, with
 * sequential operators in between. A pool whose idle workers park must wake a worker at every fork; on the 2-core VM of
 * the benchmarks that wake-up (futex, then an idle vCPU coming back) cost 100 µs and more, often longer than the half of
 * the operator it was meant to take over, so two threads ran slower than one (BENCHMARKS.md, session 3). Here an idle
 * worker <em>spins</em> for a short, bounded time ({@link #SPIN_NANOS}) before parking, as ONNX Runtime's and OpenMP's
 * intra-op threads do: while a model runs, forks arrive within that window and find the worker awake; between
 * inferences the worker parks after the window, so an idle session burns no core.
 *
 * <p><b>Claiming, not assigning.</b> The chunks of one call are claimed from a shared counter by the caller and the
 * workers alike. If a worker is late (parked, or descheduled on a loaded machine), the caller runs its chunk too, so a
 * fork never waits for a wake-up and is never much slower than running on one thread. Chunk boundaries depend only on
 * {@code n}, {@code minChunk} and {@link #threads()}, never on which thread runs a chunk, so results are the same run
 * to run.
 *
 * <p><b>One call at a time.</b> A call made while another is in flight on this instance (a nested call from inside a
 * body, or a second thread using the same instance, such as a prefetching decoder) runs its whole range on its own
 * thread: both cores are busy anyway, and kernels give the same bits however a range is cut.
 *
 * <p><b>Sections.</b> Between two forks of one model run the caller often runs sequential operators for longer than
 * {@link #SPIN_NANOS} (MLP input normalization, a pooling, the tail of the previous run), and a worker that parked
 * meanwhile joined the next fork late: LeNet-300 at batch 32 ran 0.27 ms on two threads with the short window and
 * 0.22 ms with a 1 ms one. So a session opens a {@link #section()} around each run, as ONNX Runtime opens a parallel
 * section per run: while it is open, workers spin up to {@link #SECTION_SPIN_NANOS} between forks; when it closes they
 * return to the short window.
 *
 * <p>The workers hold only the {@link Crew}, never this object, so an instance that is dropped without
 * {@link #close()} becomes unreachable and a {@link Cleaner} stops its workers.
 */
public final class Parallel implements AutoCloseable {
    /** Runs indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * How long an idle worker spin-waits for the next call before parking, and how long a caller spin-waits for the
     * workers' chunks before parking. 50 µs covers the gap between forks of a model run (the sequential operators in
     * between) on the benchmark models, and is well above the cost of the park/unpark it avoids; it bounds the CPU an
     * idle session burns to 50 µs per worker after each inference. System property {@code nnzip.parallel.spinMicros}.
     */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("nnzip.parallel.spinMicros", 50));

    /**
     * How long an idle worker spins while a {@link #section()} is open: longer than the sequential stretches of a model
     * run, short enough that a long single-threaded operator does not keep a core busy for nothing. System property
     * {@code nnzip.parallel.sectionSpinMicros}.
     */
    static final long SECTION_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("nnzip.parallel.sectionSpinMicros", 1000));

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("nnzip-parallel-cleaner")
            .factory());
    private static final Parallel SEQUENTIAL = new Parallel(1);

    private final int threads;
    private final Crew crew;
    private final Cleaner.Cleanable cleanable;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.crew = threads == 1 ? null : new Crew(threads - 1);
        this.cleanable = crew == null ? null : CLEANER.register(this, crew::stop);
    }

    /** The single-threaded instance (no workers). */
    public static Parallel sequential() {
        return SEQUENTIAL;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into at most {@link #threads()} contiguous chunks of at least
     * {@code minChunk} indices. Chunks are contiguous so each thread streams through its own part of memory. The first
     * failure of any chunk is rethrown here after every chunk has finished (later ones are suppressed into it).
     */
    public void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || !crew.enter()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        try {
            crew.run(new Job(body, n, chunks, Thread.currentThread()));
        } finally {
            crew.leave();
        }
    }

    /** A stretch of calls in quick succession (one model run); close it when done. Closing twice is harmless. */
    public interface Section extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens a {@link Section}: the workers keep spinning between its calls until it closes, and are woken at once if
     * the previous section forked.
     */
    public Section section() {
        if (crew == null) {
            return () -> { };
        }
        crew.openSection();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                crew.closeSection();
            }
        };
    }

    /** Stops the workers and waits for them to end (they finish any chunk they are running). Idempotent. */
    @Override
    public void close() {
        if (crew != null) {
            cleanable.clean();
            crew.join();
        }
    }

    /** The worker threads and the call they share; referenced by the workers, never the {@link Parallel} itself. */
    private static final class Crew {
        private final Thread[] workers;
        private final boolean[] parked;
        /** Set while a call is in flight: later calls run sequentially (see the class comment). */
        private final AtomicBoolean busy = new AtomicBoolean();
        /** The call in flight, null between calls (so no finished call's body stays reachable). */
        private volatile Job job;
        /** Bumped by every call after publishing {@link #job}: workers wait for it to change. */
        private volatile long generation;
        private volatile boolean stopped;
        /** Open {@link Section}s: while positive, idle workers spin for {@link #SECTION_SPIN_NANOS}. */
        private final AtomicInteger sections = new AtomicInteger();
        /** Whether a call forked since the last section closed, and whether the last section forked (hints only). */
        private volatile boolean forkedInSection;
        private volatile boolean lastSectionForked;

        Crew(int count) {
            workers = new Thread[count];
            parked = new boolean[count];
            for (int i = 0; i < count; i++) {
                int index = i;
                workers[i] = Thread.ofPlatform().daemon().name("nnzip-parallel-" + (i + 1))
                        .unstarted(() -> work(index));
            }
            for (Thread t : workers) {
                t.start();
            }
        }

        boolean enter() {
            return !stopped && busy.compareAndSet(false, true);
        }

        void leave() {
            busy.set(false);
        }

        /** Publishes {@code j}, wakes parked workers, works on it here too and waits for every chunk. */
        void run(Job j) {
            job = j;
            generation = generation + 1; // only the holder of busy writes it
            forkedInSection = true;
            wakeParked();
            j.work();
            j.awaitAll();
            job = null;
            j.rethrow();
        }

        /**
         * Wakes the workers at once if the previous section forked, so they are up by this one's first fork (the run
         * before it is the best guess of the next). A run that never forks (a small model at batch 1) pays for no
         * wake-up and no spinning worker: waking on every open cost LeNet-5 at batch 1 about 0.03 ms a run.
         */
        void openSection() {
            sections.incrementAndGet();
            if (lastSectionForked) {
                wakeParked();
            }
        }

        void closeSection() {
            sections.decrementAndGet();
            lastSectionForked = forkedInSection;
            forkedInSection = false;
        }

        private void wakeParked() {
            for (int i = 0; i < workers.length; i++) {
                if (isParked(i)) {
                    LockSupport.unpark(workers[i]);
                }
            }
        }

        /** Tells the workers to end; they finish any chunk in hand. Safe from the cleaner thread. */
        void stop() {
            stopped = true;
            for (Thread t : workers) {
                LockSupport.unpark(t);
            }
        }

        void join() {
            boolean interrupted = false;
            for (Thread t : workers) {
                while (t != Thread.currentThread() && t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void work(int index) {
            long seen = 0;
            while (!stopped) {
                long g = generation;
                if (g == seen) {
                    g = awaitNext(index, seen);
                }
                seen = g;
                Job j = job; // null if that call already finished: its chunks were all claimed
                if (j != null) {
                    j.work();
                }
            }
        }

        /**
         * The generation after {@code seen} (or {@code seen} once stopped). Spins first, for the long window while a
         * section is open, then parks until a call or a new section wakes it.
         */
        private long awaitNext(int index, long seen) {
            long since = System.nanoTime();
            while (!stopped) {
                long g = generation;
                if (g != seen) {
                    return g;
                }
                long window = sections.get() > 0 ? SECTION_SPIN_NANOS : SPIN_NANOS;
                if (System.nanoTime() - since < window) {
                    Thread.onSpinWait();
                    continue;
                }
                setParked(index, true);
                // Re-checked after publishing parked: run() then sees it and unparks this worker.
                if (generation == seen && !stopped && !(sections.get() > 0 && window == SPIN_NANOS)) {
                    LockSupport.park(this);
                }
                setParked(index, false);
                since = System.nanoTime(); // woken (or spuriously): look again, spin a little
            }
            return seen;
        }

        // Volatile access to the flags: each worker writes its own, run() reads them all (Dekker-style hand-shake
        // with generation: a worker that publishes "parked" and then finds the generation unchanged is seen as parked).
        private static final java.lang.invoke.VarHandle PARKED =
                java.lang.invoke.MethodHandles.arrayElementVarHandle(boolean[].class);

        private boolean isParked(int index) {
            return (boolean) PARKED.getVolatile(parked, index);
        }

        private void setParked(int index, boolean value) {
            PARKED.setVolatile(parked, index, value);
        }
    }

    /** One call of {@link #forRange}: its chunks, the counter they are claimed from, and how many are unfinished. */
    private static final class Job {
        private final RangeBody body;
        private final int n;
        private final int chunks;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unfinished;
        private volatile boolean callerParked;
        private Throwable failure; // guarded by this

        Job(RangeBody body, int n, int chunks, Thread caller) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
            this.unfinished = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable e) { // kept for the caller; the other chunks still run and are waited for
                    fail(e);
                }
                if (unfinished.decrementAndGet() == 0 && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        private synchronized void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            } else if (failure != e) {
                failure.addSuppressed(e);
            }
        }

        /** Waits until every chunk has finished: chunks may still be writing the shared output. */
        void awaitAll() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (unfinished.get() != 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (unfinished.get() != 0) { // re-checked after publishing callerParked: no lost wake-up
                        LockSupport.park(this);
                    }
                }
            }
        }

        synchronized void rethrow() {
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }
}
