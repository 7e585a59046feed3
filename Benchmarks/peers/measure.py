"""Runs a command as a child process and measures it: wall seconds, CPU seconds (user + system) and
peak resident memory (ru_maxrss of that child alone, via wait4)."""
import os
import time


def run_measured(command, env=None):
    """Like measure() but with the child's own CPU time and peak RSS (fork + wait4)."""
    start = time.perf_counter()
    read_fd, write_fd = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(write_fd, 1)
        os.dup2(err_w, 2)
        os.close(read_fd)
        os.close(err_r)
        try:
            os.execvpe(command[0], command, env or os.environ)
        finally:
            os._exit(127)
    os.close(write_fd)
    os.close(err_w)
    chunks = []
    with os.fdopen(read_fd, "rb") as reader:
        for chunk in iter(lambda: reader.read(1 << 16), b""):
            chunks.append(chunk)
    with os.fdopen(err_r, "rb") as reader:
        err = reader.read()
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err.decode(errors='replace')[-2000:]}")
    return {
        "stdout": b"".join(chunks).decode(),
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss * 1024,
    }
