"""Worker processes that end with their parent, even when it is killed with kill -9."""

import os
import threading
import time


def exit_with(parent: int) -> None:
    """End this process once ``parent`` is gone: a pool's worker would wait for work forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def watch_parent(parent: int) -> None:
    """Start a thread that ends this process when ``parent`` is gone (a pool's initializer)."""
    threading.Thread(target=exit_with, args=(parent,), daemon=True).start()
