"""A large ZIM item (a video) is streamed from the file with Range, never copied whole into
memory: 8 parallel readers of a 50 MB item keep the hub under its peak budget (issue 17)."""
from __future__ import annotations

import pytest

from benchmarks import zim_ranges
from hub.catalog.zim import blobs


def test_a_blob_reader_reads_only_its_window(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"head" + bytes(range(200)) + b"tail")
    reader = blobs.BlobReader(str(path), 4, 200)
    assert reader.read(3) == bytes([0, 1, 2]) and reader.tell() == 3
    reader.seek(0, 2)
    assert reader.tell() == 200 and reader.read() == b""
    reader.seek(198)
    assert reader.read(10) == bytes([198, 199])
    reader.close()


@pytest.mark.slow
def test_eight_parallel_range_readers_of_a_50_mb_item_never_copy_it_whole(tmp_path):
    pytest.importorskip("libzim")
    figures = zim_ranges.run(tmp_path)  # raises when any answered byte is wrong
    print(figures)
    # The 90 MB budget itself is measured by `python -m benchmarks.zim_ranges` (it exits 1 when
    # over): here it was 83-90 MB from run to run, with the machine shared, so a test asserting
    # it would fail at random. What a test can hold: growth is bounded by connections, not by
    # the item, far below one copy per reader.
    assert figures["peak_rss_mb_after"] - figures["peak_rss_mb_before"] < 2 * zim_ranges.ITEM_MIB
