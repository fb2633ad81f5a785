"""Count a PDF's pages in a child process: `python -m roadshow.projects.pdfcount < deck.pdf`.

A crafted PDF can make a parser spin or allocate without end; in a child process it can be
killed at a deadline and capped in memory without touching the web worker.
"""
import resource
import subprocess
import sys
from io import BytesIO

MEMORY_LIMIT = 512 * 1024 * 1024


class PdfUnreadable(Exception):
    """The child could not count pages: broken file, time limit or memory limit."""


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def count_pages_isolated(data: bytes, timeout: float) -> int:
    try:
        result = subprocess.run(
            [sys.executable, "-m", __name__], input=data, capture_output=True, timeout=timeout,
            preexec_fn=_limit_memory, check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run kills the child before raising
        raise PdfUnreadable("time limit") from exc
    output = result.stdout.decode().strip()
    if result.returncode != 0 or not output.isdigit():
        raise PdfUnreadable(result.stderr.decode(errors="replace")[-500:])
    return int(output)


def main() -> None:
    from pypdf import PdfReader

    print(len(PdfReader(BytesIO(sys.stdin.buffer.read()), strict=False).pages))


if __name__ == "__main__":
    main()
