"""Count a PDF's pages in a child process: `python roadshow/projects/pdfcount.py < deck.pdf`.

A crafted PDF can make a parser spin or allocate without end; in a child process it can be
stopped and capped in memory without touching the web worker. The limit is on the child's CPU time,
not on the clock: on a busy server (a roadshow day, many uploads at once) a valid deck may wait for a
core far longer than it takes to count, and must not be refused for that. The clock only bounds a
child that is stuck without using CPU.
"""
import math
import resource
import subprocess
import sys
from io import BytesIO

MEMORY_LIMIT = 512 * 1024 * 1024
WAITING_ALLOWANCE = 4  # wall-clock deadline = this × the CPU limit: the child may get a quarter of a core


class PdfUnreadable(Exception):
    """The child could not count pages: broken file, time limit or memory limit."""


def _limits(cpu_seconds: float):
    def apply() -> None:  # runs in the child before exec; the kernel stops it at the CPU limit (SIGXCPU)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        cpu = max(1, math.ceil(cpu_seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    return apply


def count_pages_isolated(data: bytes, cpu_seconds: float) -> int:
    try:
        result = subprocess.run(
            # the file, not `-m roadshow.projects.pdfcount`: that would import the whole application first
            # (a second and a half of CPU per deck, against a tenth for Python and pypdf alone); -P: its
            # folder is not put on the import path, where models.py and forms.py could shadow a library's
            [sys.executable, "-P", __file__], input=data, capture_output=True,
            timeout=cpu_seconds * WAITING_ALLOWANCE, preexec_fn=_limits(cpu_seconds), check=False,
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
