"""Helpers of the concurrency tests: real threads, each on its own database connection,
started together and bounded in time."""

import contextlib
import threading

from django.db import connection, connections

# How long a thread inside a transaction waits for the other to catch up. When the code under
# test serialises the two (a row lock, SQLite's write lock), the other never comes and the
# wait ends after this: the price of a deterministic test of the old, racy code.
CATCH_UP_SECONDS = 1.5


def needs_shared_database():
    """Threads need a database they can all open: PostgreSQL, or SQLite in a file."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def run_together(*actions, timeout=30):
    """Run each action in its own thread, all released at once; return what each returned
    (or the exception it raised), in order."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait(timeout=timeout)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — the test asserts on it
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return outcomes


def meeting_point(parties=2):
    """A wait both threads reach inside their transaction when nothing serialises them (the
    race made certain); when something does, the first one waits CATCH_UP_SECONDS, alone."""
    barrier = threading.Barrier(parties)

    def meet():
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=CATCH_UP_SECONDS)

    return meet
