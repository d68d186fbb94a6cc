"""The numeric parts of a record's sketch (`cleaners.near_dupes`): the canonical code points of a
body, the hashes of its character shingles, their MinHash signatures (rensa) and LSH band keys.
Each works on a whole text or signature at once, in a few numpy calls.
"""

from __future__ import annotations

from array import array
from functools import lru_cache

import numpy as np
import rensa

_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _fold_table() -> np.ndarray:
    """Code point → what it counts as (0: not counted), up to the last ideograph of plane 3; the
    last entry is 0 and stands for every code point beyond it (`canonical_codes` clips to it)."""
    table = np.zeros(_LAST_IDEOGRAPH + 2, dtype=np.uint32)
    counted = ((0x30, 0x39), (0x61, 0x7A), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, _LAST_IDEOGRAPH))
    for low, high in counted:
        table[low : high + 1] = np.arange(low, high + 1, dtype=np.uint32)
    table[0x41:0x5B] = table[0x61:0x7B]  # A-Z → a-z
    for low, high in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):  # full-width
        table[low : high + 1] = table[low - 0xFEE0 : high + 1 - 0xFEE0]
    return table


_LAST_IDEOGRAPH = 0x3134F  # ideographs beyond the BMP (planes 2 and 3) count as themselves
_FOLD = _fold_table()


def canonical_codes(text: str) -> np.ndarray:
    """The text's ideographs, letters and digits as code points (uint32): what copies share.

    One table lookup folds every character; code points past the table clip to its last entry (0).

    >>> "".join(map(chr, canonical_codes("一、Ｘ市，2024年！ ok")))
    '一x市2024年ok'
    """
    folded = _FOLD.take(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), mode="clip")
    return folded.compress(folded)  # the counted ones (nonzero)


def shingle_hashes(codes: np.ndarray, size: int) -> np.ndarray:
    """A 64-bit hash of every run of `size` consecutive code points (one for a shorter text).

    A run's hash is the polynomial c0·M^(size-1) + … + c(size-1) (mod 2^64), then mixed. A run's
    polynomial is its first part's times M^(width of the rest) plus the rest's, so the runs of 2,
    4, 8… code points are built by doubling, and `size` from those of its binary digits: three
    whole-text multiply-adds for size 5 (runs of 2, 4, then 4 + 1) where Horner's rule takes four.
    """
    wide = codes.astype(np.uint64)
    if len(wide) < size:
        wide = np.concatenate([wide, np.zeros(size - len(wide), dtype=np.uint64)])
    count = len(wide) - size + 1
    runs, width = [wide], 1  # runs[k]: the polynomials of every run of 2^k code points
    while width * 2 <= size:
        runs.append(_joined(runs[-1][:-width], runs[-1][width:], width))
        width *= 2
    hashes, done = runs.pop()[:count], width
    for run in reversed(runs):
        width //= 2
        if done + width <= size:
            hashes = _joined(hashes, run[done : done + count], width)
            done += width
    hashes ^= hashes >> np.uint64(31)
    hashes *= _MIX2
    hashes ^= hashes >> np.uint64(29)
    return hashes


def _joined(first: np.ndarray, rest: np.ndarray, rest_width: int) -> np.ndarray:
    """The polynomials of runs made of a `first` part then a `rest` of `rest_width` code points."""
    joined = first * _mix_power(rest_width)
    joined += rest
    return joined


@lru_cache(maxsize=8)
def _mix_power(exponent: int) -> np.uint64:
    """`_MIX` to the power `exponent`, modulo 2^64."""
    return np.uint64(pow(int(_MIX), exponent, 1 << 64))


def band_keys(signature: np.ndarray, bands: int) -> np.ndarray:
    """One uint32 key per band of a MinHash signature (equal bands, equal keys)."""
    rows = signature.reshape(bands, -1)
    keys = rows @ _row_weights(rows.shape[1])  # a uint64 dot product per band (mod 2^64)
    keys ^= keys >> np.uint64(32)
    keys *= _MIX2
    return (keys >> np.uint64(32)).astype(np.uint32)


@lru_cache(maxsize=4)
def _row_weights(rows: int) -> np.ndarray:
    """Odd multipliers, one per row of a band, that make a band's key depend on its rows' order."""
    weights = (np.arange(1, rows + 1, dtype=np.uint64) * _MIX) | np.uint64(1)
    weights.flags.writeable = False
    return weights


def minhash_signatures(hashes: np.ndarray, head: int, num_perm: int, seed: int) -> np.ndarray:
    """The MinHash signatures of the whole body and of its head (the first `head` shingles), one
    after the other (uint32, `num_perm` each).

    A signature holds, per permutation, the least permuted hash of the shingles (rensa starts
    every row at 2^32 - 1 and takes the minimum), so the whole body's is the elementwise minimum
    of the head's and the rest's, and rensa permutes every shingle once (the head's not twice).
    """
    cuts = (0, head, len(hashes)) if len(hashes) > head else (0, len(hashes))
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(  # cuts as a buffer: read at once
        hashes, array("Q", cuts), num_perm, seed
    )
    rows = matrix.to_rows()  # the head's, then the rest's (none when the body is all head)
    both = array("I")  # fromlist reads rensa's lists of ints far faster than np.asarray
    both.fromlist(rows[-1])
    both.fromlist(rows[0])
    signatures = np.frombuffer(both, dtype=np.uintc)  # the rest's (or the head's), the head's
    whole = signatures[:num_perm]
    np.minimum(whole, signatures[num_perm:], out=whole)
    return signatures
