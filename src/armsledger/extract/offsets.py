"""Character-offset helpers shared by the sentence stages."""

from __future__ import annotations


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def segment_of(pos: int, segments: list[tuple[int, int]]) -> int:
    for i, (a, b) in enumerate(segments):
        if a <= pos < b:
            return i
    return len(segments) - 1
