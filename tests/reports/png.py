"""Just enough PNG reading to count a colour in a browser screenshot (8-bit RGB or RGBA)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator


def rows(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(bytes per pixel, unfiltered row) for each row of a non-interlaced 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and not interlace, "unexpected PNG kind"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytes(stride)
    low = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1:start + 1 + stride]
        if kind == 2:  # "up", most rows of a screenshot: bytewise add without carries
            a, b = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
            line = (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big")
        elif kind:
            line = _unfilter(kind, bytearray(line), prev, bpp)
        yield bpp, line
        prev = line


def count_colour(data: bytes, hex_colour: str, enough: int) -> int:
    """How many pixels are exactly `hex_colour` (#RRGGBB), counting no further than `enough`
    (so a check stops decoding as soon as it is satisfied)."""
    n = 0
    for bpp, row in rows(data):
        want = bytes.fromhex(hex_colour[1:]) + (b"\xff" if bpp == 4 else b"")
        n += _count(row, want, bpp)
        if n >= enough:
            break
    return n


def _count(row: bytes, want: bytes, bpp: int) -> int:
    n, i = 0, row.find(want)
    while i >= 0:
        if i % bpp == 0:
            n += 1
        i = row.find(want, i + 1)
    return n


def _unfilter(kind: int, line: bytearray, prev: bytes, bpp: int) -> bytes:
    for x in range(len(line)):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        if kind == 1:
            line[x] = (line[x] + a) & 255
        elif kind == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        else:
            c = prev[x - bpp] if x >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return bytes(line)
