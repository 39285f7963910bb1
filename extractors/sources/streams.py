"""Streaming reads: a file's bytes in chunks (gunzipped on the fly, guarded against bombs),
split into bounded lines, or read through a small buffered reader.

Nothing here holds more than a chunk or one bounded unit in memory.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from newsetl.extractors.sources.limits import MAX_EXPANSION_RATIO, RATIO_CHECK_FROM_BYTES, kept_prefix_bytes

READ_CHUNK_BYTES = 1 << 20
COMPRESSED_CHUNK_BYTES = 64 * 1024
GZIP_WBITS = 16 + zlib.MAX_WBITS  # gzip header and trailer
GZIP_MAGIC = b"\x1f\x8b"


class BrokenStream(Exception):
    """A stream that cannot be read to its end; ``reason_code`` is "truncated_gzip", "corrupt_gzip"
    or "decompression_bomb"."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code


class ExpansionGuard:
    """Raises ``decompression_bomb`` when a stream expands past the ratio limit (see ``limits``)."""

    def __init__(self):
        self.compressed = 0
        self.output = 0

    def check(self, n_compressed: int, n_output: int) -> None:
        """Count more input and output; raise BrokenStream("decompression_bomb") past the ratio limit."""
        self.compressed += n_compressed
        self.output += n_output
        if self.output > RATIO_CHECK_FROM_BYTES and self.output > MAX_EXPANSION_RATIO * self.compressed:
            raise BrokenStream("decompression_bomb",
                               f"the gzip stream expands more than {MAX_EXPANSION_RATIO} times "
                               f"({self.compressed} compressed bytes gave {self.output} bytes so far)")


def read_chunks(path: str, gz: bool) -> Iterator[bytes]:
    """The file's bytes in chunks, gunzipped when ``gz``; raises BrokenStream on a broken or bomb stream.

    The caller bounds the total it keeps; a gzip stream is checked for its expansion ratio here.
    """
    with open(path, "rb") as handle:
        if gz:
            yield from gunzip(handle, ExpansionGuard())
            return
        while chunk := handle.read(READ_CHUNK_BYTES):
            yield chunk


def gunzip(handle, guard: ExpansionGuard) -> Iterator[bytes]:
    """Decompress a (possibly multi-member) gzip stream in chunks of at most READ_CHUNK_BYTES.

    Every byte that could be recovered is yielded before a truncation ("truncated_gzip") or
    corruption ("corrupt_gzip") raises BrokenStream. An empty file holds no bytes; zero padding
    after the last member is ignored (as ``gzip`` does).
    """
    decompressor = zlib.decompressobj(GZIP_WBITS)
    started = False
    while compressed := handle.read(COMPRESSED_CHUNK_BYTES):
        if not started:
            _check_gzip_magic(compressed)
            started = True
        guard.check(len(compressed), 0)
        while compressed:
            if decompressor.eof:
                if not compressed.strip(b"\x00"):
                    break
                decompressor = zlib.decompressobj(GZIP_WBITS)
            for data in _inflate(decompressor, compressed):
                yield data
                guard.check(0, len(data))
            compressed = decompressor.unused_data if decompressor.eof else b""
    if started and not decompressor.eof:
        raise BrokenStream("truncated_gzip",
                           "the gzip file is truncated (it ends before the end of the compressed stream)")


def _inflate(decompressor, compressed: bytes) -> Iterator[bytes]:
    """All the output of feeding ``compressed`` to ``decompressor``, at most READ_CHUNK_BYTES at a time."""
    pending = compressed
    while True:
        try:
            data = decompressor.decompress(pending, READ_CHUNK_BYTES)
        except zlib.error as exc:
            raise BrokenStream("corrupt_gzip", f"the gzip file is corrupt ({exc})") from exc
        if data:
            yield data
        if decompressor.eof:
            return
        pending = decompressor.unconsumed_tail
        if not pending and not data:
            return


def _check_gzip_magic(head: bytes) -> None:
    """Raise BrokenStream("corrupt_gzip") when a .gz file does not start with the gzip signature."""
    if not head.startswith(GZIP_MAGIC[: len(head)]):
        raise BrokenStream("corrupt_gzip", f"the file is not gzip-compressed (it starts with {head[:4]!r})")


class LineSplitter:
    """Splits fed chunks into lines (without their b"\\n") of at most ``limit`` bytes.

    A longer line is reported by its first ``kept_prefix_bytes(limit)`` bytes and its full size
    (above ``limit``); the rest of it is counted, never stored.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.keep = kept_prefix_bytes(limit)
        self._line = bytearray()
        self._size = 0

    def feed(self, chunk: bytes) -> Iterator[tuple[bytes, int]]:
        """The complete lines in ``chunk`` (with what came before), as (kept bytes, full size)."""
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            self._append(chunk[start:end])
            yield self.take()
            start = end + 1
        self._append(chunk[start:])

    def take(self) -> tuple[bytes, int]:
        """The line collected so far (kept bytes, full size), and start a new one."""
        line, size = bytes(self._line), self._size
        self._line, self._size = bytearray(), 0
        return line, size

    def _append(self, piece: bytes) -> None:
        """Add a piece of the current line, keeping only its prefix once the line is too long."""
        self._size += len(piece)
        if self._size <= self.limit:
            self._line += piece
        else:
            self._line += piece[: max(0, self.keep - len(self._line))]
            del self._line[self.keep:]


class ChunkReader:
    """``read(n)``, ``readline(limit)`` and ``unread`` over an iterator of chunks, with a small buffer.

    Consumed bytes are dropped lazily (``_start`` moves forward), so putting back what was just
    read costs nothing.
    """

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._buffer = bytearray()
        self._start = 0
        self._exhausted = False

    def _available(self) -> int:
        """How many buffered bytes are not consumed yet."""
        return len(self._buffer) - self._start

    def _fill(self) -> bool:
        """Append the next chunk to the buffer (dropping consumed bytes first); False at the end of the stream."""
        if self._exhausted:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._exhausted = True
            return False
        del self._buffer[:self._start]
        self._start = 0
        self._buffer += chunk
        return True

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end of the stream)."""
        while self._available() < n and self._fill():
            pass
        data = bytes(self._buffer[self._start:self._start + n])
        self._start += len(data)
        return data

    def readline(self, limit: int) -> bytes:
        """The next line with its b"\\n", or its first ``limit`` bytes when it is longer; b"" at the end."""
        searched = 0
        while (end := self._buffer.find(b"\n", self._start + searched, self._start + limit)) < 0 \
                and self._available() < limit:
            searched = self._available()
            if not self._fill():
                break
        size = end + 1 - self._start if end >= 0 else min(limit, self._available())
        return self.read(size)

    def unread(self, data: bytes) -> None:
        """Put ``data`` back in front of the stream (cheap when it is what was just read)."""
        begin = self._start - len(data)
        if begin >= 0 and self._buffer[begin:self._start] == data:
            self._start = begin
        else:
            self._buffer[self._start:self._start] = data

    def buffered(self) -> bytes:
        """The bytes read ahead and not consumed yet (what is left after a broken stream)."""
        return bytes(self._buffer[self._start:])
