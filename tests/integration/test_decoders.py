"""The barcode decoder and its worker process, on real rendered symbols and on hostile files (issue 6).

Symbols are drawn by two independent encoders (zxing-cpp's writer; reportlab rasterised by poppler), placed on a
photo-sized canvas and saved as JPEG or PNG, so these tests read what a phone upload would contain.
"""

import io
import os
import shutil
import signal
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter

from claimkit.adapters import decoders
from claimkit.adapters.decoders import ScanRefused, decode_image, locate, readers, search, search_image
from claimkit.adapters.scan_worker import (
    MSG_BUSY,
    MSG_FAILED,
    MSG_MEMORY,
    MSG_ONE_AT_A_TIME,
    MSG_TIMEOUT,
    ScanWorker,
)
from claimkit.domain.barcodes import RawSymbol, Scan, Symbology

EAN = "6118000000006"
EXIF_ORIENTATION = 0x0112


def symbol(content: str, barcode_format: zxingcpp.BarcodeFormat, scale: int, **options: object) -> Image.Image:
    """A symbol drawn by zxing-cpp's writer, with its quiet zone, `scale` px per module."""
    bitmap = zxingcpp.create_barcode(content, barcode_format, **options).to_image(scale=scale)
    height, width = bitmap.shape
    return Image.frombytes("L", (width, height), bytes(memoryview(bitmap)))


def photo(
    mark: Image.Image,
    size: tuple[int, int] = (1600, 1200),
    at: tuple[int, int] = (300, 400),
    blur: float = 0.8,
    angle: float = 0,
) -> Image.Image:
    """A grey box-like scene with some text, the symbol pasted on it, slightly rotated and blurred like a photo."""
    scene = Image.new("RGB", size, (186, 178, 160))
    draw = ImageDraw.Draw(scene)
    draw.rectangle((at[0] - 60, at[1] - 60, size[0] - 40, size[1] - 40), fill=(236, 236, 240))
    draw.text((at[0], at[1] - 50), "DOLIPRANE 1000 MG, COMPRIME B/8", fill=(40, 40, 90))
    if angle:
        mark = mark.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scene.paste(mark.convert("RGB"), at)
    return scene.filter(ImageFilter.GaussianBlur(blur)) if blur else scene


def jpeg(image: Image.Image, quality: int = 85, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that announces `width` × `height` pixels but holds almost nothing: the shape of a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def single_read_png(code: str) -> bytes:
    """A tiny, blurred EAN-13 (modules of 1 px, blur 0.75 px) on a small PNG: zxing-cpp reads it, ZBar does not,
    and the photo has one scale only, so every search ends with one read (asserted where it matters)."""
    mark = symbol(code, zxingcpp.BarcodeFormat.EAN13, 4)
    mark = mark.resize((mark.width // 4, mark.height // 4), Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(0.75))
    scene = Image.new("L", (560, 400), 235)
    scene.paste(mark, (100, 150))
    return png(scene)


@pytest.fixture(scope="module")
def worker() -> Iterator[ScanWorker]:
    with ScanWorker() as started:
        started.start()
        yield started


# --- real symbols -------------------------------------------------------------------------------------------------


def test_an_ean13_photo_is_read_and_confirmed_by_two_reads() -> None:
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    outcome = search_image(data)
    assert outcome.scans == [Scan(EAN, Symbology.EAN13, confirmed=True)]
    assert len(outcome.reads[EAN]) >= 2  # two decoders, or two scales: never a single read


def test_an_exif_rotated_portrait_jpeg_is_read() -> None:
    scene = photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4), angle=8)
    stored = scene.transpose(Image.Transpose.ROTATE_90)  # what a phone held upright stores, with orientation 6
    data = jpeg(stored, orientation=6)
    photo_view = decoders.Photo(data)
    assert photo_view.orientation == 6 and photo_view.level(1).size == scene.size  # shown as the student saw it
    assert decode_image(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]


def test_a_12_megapixel_jpeg_is_read_quickly() -> None:
    mark = symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 6).filter(ImageFilter.GaussianBlur(1.2))
    data = jpeg(photo(mark, size=(4000, 3000), at=(1500, 1200), blur=0, angle=-5), quality=80)
    started = time.perf_counter()
    assert decode_image(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]
    assert time.perf_counter() - started < 1.0


def test_a_far_small_barcode_is_found_by_its_bars_and_read_at_full_size() -> None:
    mark = symbol("6118001081103", zxingcpp.BarcodeFormat.EAN13, 2).filter(ImageFilter.GaussianBlur(0.5))
    turned = mark.rotate(30, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    data = jpeg(photo(turned, size=(4000, 3000), at=(2600, 2100), blur=0), quality=90)
    centre = ((2600 + turned.width / 2) / 4000, (2100 + turned.height / 2) / 3000)
    x0, y0, x1, y1 = locate(decoders.Photo(data).level(4))[0].box
    assert x0 <= centre[0] <= x1 and y0 <= centre[1] <= y1  # the strongest bars are the barcode's
    assert decode_image(data) == [Scan("6118001081103", Symbology.EAN13, confirmed=True)]


def test_ean8_and_upc_a_are_read() -> None:
    assert decode_image(png(photo(symbol("96385074", zxingcpp.BarcodeFormat.EAN8, 4)))) == [
        Scan("96385074", Symbology.EAN8, confirmed=True)
    ]
    # zxing-cpp's writer draws a UPC-A as the EAN-13 with a leading 0; either way the GTIN is the 13-digit form.
    assert [s.gtin for s in decode_image(png(photo(symbol("012345678905", zxingcpp.BarcodeFormat.UPCA, 4))))] == [
        "0012345678905"
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (make system-test) not installed")
def test_an_ean13_drawn_by_reportlab_and_rasterised_by_poppler(tmp_path: Path) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode import createBarcodeDrawing

    drawing = createBarcodeDrawing("EAN13", value="611800108110", barHeight=60, barWidth=1.5)
    renderPDF.drawToFile(drawing, str(tmp_path / "ean.pdf"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-singlefile", str(tmp_path / "ean.pdf"), str(tmp_path / "ean")],
        check=True,
    )
    mark = Image.open(tmp_path / "ean.png").convert("L")
    assert decode_image(jpeg(photo(mark, size=(2400, 1800)))) == [
        Scan("6118001081103", Symbology.EAN13, confirmed=True)
    ]


def test_a_real_gs1_datamatrix_gives_expiry_batch_and_serial() -> None:
    content = "(01)06118000000006(17)270500(10)LOT42B(21)SN0001234"
    created = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    assert created.symbology_identifier == "]d2"  # FNC1 first: a GS1 symbol, not text that looks like one
    mark = symbol(content, zxingcpp.BarcodeFormat.DataMatrix, 8, gs1=True, forceSquare=True)
    assert zxingcpp.read_barcodes(mark)[0].content_type == zxingcpp.ContentType.GS1
    scans = decode_image(jpeg(photo(mark, angle=20)))
    assert scans == [Scan(EAN, Symbology.DATAMATRIX, date(2027, 5, 31), "LOT42B", "SN0001234", confirmed=True)]


def test_a_photo_without_barcode_gives_nothing() -> None:
    scene = photo(Image.new("L", (300, 200), 255))
    ImageDraw.Draw(scene).rectangle((900, 300, 1400, 700), fill=(20, 20, 20))
    assert decode_image(jpeg(scene)) == []


def test_a_single_read_is_offered_unconfirmed_unless_the_reference_knows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """ZBar silenced and a photo too small to have a second scale: zxing's lone read is offered, not confirmed,
    and the search spends its budget looking for a second read; a product of the reference is confirmed at once."""
    data = png(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 3), size=(560, 400), at=(100, 100), blur=0))
    assert decoders.Photo(data).levels() == [1]
    monkeypatch.setattr(readers, "zbar_read", lambda image, density=1: [])
    outcome = search_image(data)
    assert outcome.scans == [Scan(EAN, Symbology.EAN13, confirmed=False)] and outcome.reads[EAN] == {("zxing", 1)}
    assert outcome.found == [(RawSymbol("EAN13", EAN), 1)]
    assert len(outcome.steps) > 3  # it went on after the first read
    known = search_image(data, is_known={EAN}.__contains__)
    assert known.scans == [Scan(EAN, Symbology.EAN13, confirmed=True)] and len(known.steps) < len(outcome.steps)
    assert decode_image(data, is_known={"6118000120698"}.__contains__) == [Scan(EAN, Symbology.EAN13)]


def test_a_gs1_digital_link_qr_gives_its_gtin_and_is_confirmed_by_one_read() -> None:
    link = f"https://id.gs1.org/01/0{EAN}/10/LOT7/21/SN42?17=270500"
    scans = decode_image(jpeg(photo(symbol(link, zxingcpp.BarcodeFormat.QRCode, 6), angle=12)))
    assert scans == [Scan(EAN, Symbology.DIGITAL_LINK, date(2027, 5, 31), "LOT7", "SN42", confirmed=True)]


def test_a_qr_code_of_a_website_gives_nothing() -> None:
    assert decode_image(jpeg(photo(symbol("https://claimkit.ma/aide", zxingcpp.BarcodeFormat.QRCode, 6)))) == []


# --- refused uploads ----------------------------------------------------------------------------------------------


HOSTILE = {
    "text": (b"Ceci n'est pas une image.\n" * 40, decoders.MSG_NOT_IMAGE),
    "empty": (b"", decoders.MSG_EMPTY),
    "21 MB": (b"\xff\xd8\xff\xe0" + bytes(21 * 1024 * 1024), decoders.MSG_TOO_LARGE),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", decoders.MSG_HEIC),
    "120 MP png": (png_header(12_000, 10_000), decoders.MSG_TOO_MANY_PIXELS),
    "decompression bomb": (png_header(65_000, 65_000), decoders.MSG_TOO_MANY_PIXELS),
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", decoders.MSG_NOT_IMAGE),
    "1 x 99 M px png": (png_header(1, 99_000_000), decoders.MSG_BAD_SHAPE),
    "20000 x 2000 png": (png_header(20_000, 2_000), decoders.MSG_BAD_SHAPE),
    "50 MP png": (png_header(10_000, 5_000), decoders.MSG_TOO_MANY_PIXELS_LOSSLESS),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_are_refused_in_process_with_a_french_message(name: str) -> None:
    data, message = HOSTILE[name]
    started = time.perf_counter()
    with pytest.raises(ScanRefused) as refusal:
        decode_image(data)
    assert refusal.value.message == message
    assert time.perf_counter() - started < 1.0


def test_a_truncated_jpeg_is_refused() -> None:
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    with pytest.raises(ScanRefused) as refusal:
        decode_image(data[: len(data) // 2])
    assert refusal.value.message == decoders.MSG_DAMAGED


# --- the worker process -------------------------------------------------------------------------------------------


def test_the_worker_reads_a_photo(worker: ScanWorker) -> None:
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    assert worker.scan(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]


@pytest.mark.parametrize("name", [*HOSTILE, "truncated"])
def test_the_worker_refuses_hostile_files_in_under_a_second(worker: ScanWorker, name: str) -> None:
    if name == "truncated":
        data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
        data, message = data[: len(data) // 2], decoders.MSG_DAMAGED
    else:
        data, message = HOSTILE[name]
    pid = worker.pid
    started = time.perf_counter()
    with pytest.raises(ScanRefused) as refusal:
        worker.scan(data)
    assert refusal.value.message == message
    assert time.perf_counter() - started < 1.0
    assert worker.pid == pid  # a refusal is an answer: the child goes on


def test_a_late_worker_is_killed_replaced_and_the_student_told() -> None:
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    with ScanWorker(time_limit=0.001) as late:
        late.start()
        first = late.pid
        with pytest.raises(ScanRefused) as refusal:
            late.scan(data)
        assert refusal.value.message == MSG_TIMEOUT
        assert late.pid is None  # killed
        late.time_limit = 5.0
        assert late.scan(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]
        assert late.pid not in (None, first)


def test_the_worker_runs_under_its_memory_limit(worker: ScanWorker) -> None:
    assert worker.pid is not None
    limits = Path(f"/proc/{worker.pid}/limits").read_text()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert line.split()[3] == str(worker.memory_limit)


def test_an_image_too_large_for_the_memory_limit_is_refused_and_the_worker_survives() -> None:
    with ScanWorker() as probe:
        probe.start()
        assert probe.pid is not None
        status = Path(f"/proc/{probe.pid}/status").read_text()
        size_kb = int(next(row for row in status.splitlines() if row.startswith("VmSize")).split()[1])
    big = png(Image.new("RGB", (6000, 5000), (250, 250, 250)))  # 30 MP: ~120 MB once decoded
    with ScanWorker(memory_limit=size_kb * 1024 + 64 * 1024 * 1024) as tight:
        with pytest.raises(ScanRefused) as refusal:
            tight.scan(big)
        assert refusal.value.message == MSG_MEMORY
        assert tight.scan(png(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))) == [
            Scan(EAN, Symbology.EAN13, confirmed=True)
        ]


def test_a_crashed_worker_is_replaced(worker: ScanWorker) -> None:
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    pid = worker.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while worker.pid is not None and time.monotonic() < deadline:  # `pid` is None once the child is reaped
        time.sleep(0.01)
    assert worker.scan(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]
    assert worker.pid not in (None, pid)


def test_a_worker_dying_during_a_request_gives_a_french_message(
    worker: ScanWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = worker._process
    assert process is not None
    process.kill()
    process.wait()
    monkeypatch.setattr(worker, "_ensure_started", lambda: process)  # as if it died just after the check
    with pytest.raises(ScanRefused) as refusal:
        worker.scan(jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4))))
    assert refusal.value.message == MSG_FAILED
    assert worker._process is None  # forgotten: the next scan starts a new child


def test_a_forked_copy_starts_its_own_child(worker: ScanWorker) -> None:
    worker._owner = -1  # as seen from a process forked after the worker started
    pid = worker.pid
    data = jpeg(photo(symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 4)))
    assert worker.scan(data) == [Scan(EAN, Symbology.EAN13, confirmed=True)]
    assert worker.pid != pid


def test_the_reference_crosses_to_the_child_and_confirms_a_single_read(worker: ScanWorker) -> None:
    data = single_read_png(EAN)
    assert search_image(data).reads == {EAN: {("zxing", 1)}}  # one read, whatever the process
    assert worker.scan(data) == [Scan(EAN, Symbology.EAN13, confirmed=False)]
    assert worker.scan(data, known={EAN, "6118000120698"}) == [Scan(EAN, Symbology.EAN13, confirmed=True)]
    assert worker.scan(data, known={EAN, "6118000120698"}) == [Scan(EAN, Symbology.EAN13, confirmed=True)]  # kept
    assert worker.scan(data, known={"6118000120698"}) == [Scan(EAN, Symbology.EAN13, confirmed=False)]


def test_one_scan_at_a_time_per_account_and_others_wait_their_turn(worker: ScanWorker) -> None:
    photo = single_read_png(EAN)
    with worker._owner_turn(1):  # account 1 has a scan in flight
        with pytest.raises(ScanRefused) as refusal:
            worker.scan(photo, owner=1)
        assert refusal.value.message == MSG_ONE_AT_A_TIME
        assert worker.scan(photo, owner=2) == [Scan(EAN, Symbology.EAN13)]  # another account is served
    assert worker.scan(photo, owner=1) == [Scan(EAN, Symbology.EAN13)]  # the account is free again


def test_a_full_queue_or_a_long_wait_asks_to_retry() -> None:
    """The decoding child is held busy as a running scan holds it (its lock taken, counted in the queue), so the
    queue's rules are tested without depending on how long a photo takes to decode on a loaded machine."""
    photo = single_read_png(EAN)
    with ScanWorker(max_waiting=0) as full, ScanWorker(queue_wait=0.05) as hurried:
        for worker in (full, hurried):
            worker.start()
            with worker._lock:  # a scan in flight
                worker._waiting += 1
                started = time.monotonic()
                with pytest.raises(ScanRefused) as refusal:
                    worker.scan(photo, owner=2)
                assert refusal.value.message == MSG_BUSY
                assert time.monotonic() - started < 2  # refused at once (full) or after its short wait
                worker._waiting -= 1
            assert worker._waiting == 0 and not worker._owners
            assert worker.scan(photo, owner=2) == [Scan(EAN, Symbology.EAN13)]  # free again: served


def test_one_scan_per_account_across_the_server_processes(tmp_path: Path) -> None:
    """Two workers sharing a lock folder, as gunicorn's processes share the instance folder: the account's lock
    file is flock()ed, so a second scan of the same account from the other worker is refused, another's is not."""
    slow = single_read_png(EAN)
    with ScanWorker(owner_locks=tmp_path) as first, ScanWorker(owner_locks=tmp_path) as second:
        second.start()
        with first._owner_turn(7):  # account 7 has a scan in flight in the other process's worker
            with pytest.raises(ScanRefused) as refusal:
                second.scan(slow, owner=7)
            assert refusal.value.message == MSG_ONE_AT_A_TIME
            assert second.scan(slow, owner=8) == [Scan(EAN, Symbology.EAN13)]
        assert second.scan(slow, owner=7) == [Scan(EAN, Symbology.EAN13)]  # released when the scan ended


# --- issue 19: what the bench showed to be missed -----------------------------------------------------------------

SECOND = "6118001081103"


def two_boxes_photo(angle: float) -> bytes:
    """Two EAN-13 of different products side by side in a 12 MP frame, the second turned by `angle` and both
    small (modules of 3 px at full size): a shot of two boxes."""
    first = symbol(EAN, zxingcpp.BarcodeFormat.EAN13, 3).filter(ImageFilter.GaussianBlur(0.6))
    second = symbol(SECOND, zxingcpp.BarcodeFormat.EAN13, 3).filter(ImageFilter.GaussianBlur(0.6))
    second = second.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scene = photo(first, size=(4000, 3000), at=(1200, 1400), blur=0)
    scene.paste(second.convert("RGB"), (1200 + first.width + 150, 1350))
    return jpeg(scene, quality=90)


@pytest.mark.parametrize("angle", [0, 20])
def test_a_photo_with_two_codes_gives_both(angle: float) -> None:
    scans = decode_image(two_boxes_photo(angle), is_known={EAN, SECOND}.__contains__)
    assert sorted(scan.gtin for scan in scans) == [EAN, SECOND]
    assert all(scan.confirmed for scan in scans)


def test_a_symbol_the_locator_sees_in_two_halves_is_one_region() -> None:
    """A slanted far symbol whose guard bars and digits split the area of parallel edges: the region holds it
    whole, so its crop can be read."""
    mark = symbol(SECOND, zxingcpp.BarcodeFormat.EAN13, 2).filter(ImageFilter.GaussianBlur(0.5))
    turned = mark.rotate(35, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    data = jpeg(photo(turned, size=(4000, 3000), at=(2400, 1900), blur=0), quality=90)
    x0, y0, x1, y1 = locate(decoders.Photo(data).level(4))[0].box
    left, top = 2400 / 4000, 1900 / 3000
    right, bottom = (2400 + turned.width) / 4000, (1900 + turned.height) / 3000
    margin = 0.01  # a quarter of the symbol's width: the bars, not the quiet zones, must be inside
    assert x0 <= left + margin * 4 and x1 >= right - margin * 4 and y0 <= top + margin * 4 and y1 >= bottom - margin * 4
    assert decode_image(data, is_known={SECOND}.__contains__) == [Scan(SECOND, Symbology.EAN13, confirmed=True)]


def test_a_datamatrix_in_a_12_megapixel_photo_is_read_from_its_region_without_a_full_size_decode() -> None:
    content = "(01)06118000000006(17)270500(10)LOT42B(21)SN0001234"
    mark = symbol(content, zxingcpp.BarcodeFormat.DataMatrix, 6, gs1=True, forceSquare=True)
    data = jpeg(photo(mark, size=(4000, 3000), at=(2500, 1800), blur=1.0, angle=15), quality=90)
    outcome = search_image(data)
    assert [scan.gtin for scan in outcome.scans] == [EAN] and outcome.scans[0].confirmed
    assert not any("@1/1" in step for step in outcome.steps)  # the 12 MP photo was only decoded at 1/2


def stripes_photo() -> bytes:
    """A 12 MP box face with bar-like stripes and text but no barcode: the locator sees bars, no reader reads any."""
    scene = photo(Image.new("L", (300, 200), 255), size=(4000, 3000), blur=0.8)
    draw = ImageDraw.Draw(scene)
    for x in range(1800, 2600, 14):
        draw.rectangle((x, 1200, x + 5, 1700), fill=(30, 30, 30))
    return jpeg(scene, quality=90)


def test_a_photo_with_nothing_read_stops_after_the_whole_view_passes() -> None:
    """Nothing read, not even once: the passes kept to confirm a lone read are skipped, whatever the budget."""
    outcome = search_image(stripes_photo(), budget=30.0)
    assert outcome.scans == []
    assert outcome.steps[-1] == "nothing read: stop"
    made = {step.split("@")[0] for step in outcome.steps}
    assert {"zbar_sparse", "zxing_fast"} <= made  # the whole-view passes that read codes the regions missed
    assert not {"zxing_local", "zxing_matrix_turned"} & made  # the confirming passes


def test_the_2d_view_pass_comes_before_any_full_size_decode() -> None:
    """A 2D symbol whose located box misses part of it is read by the ~2000 px DataMatrix/QR pass: that pass is
    made before the regions' full-size crops, which cost a 12 MP decode."""
    steps = search_image(stripes_photo(), budget=30.0).steps
    full_size = next(i for i, step in enumerate(steps) if "@1/1" in step)
    assert steps.index("zxing_matrix@1/2") < full_size


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_region_crop_too_large_is_not_read(orientation: int) -> None:
    """A merged box of text and bars at full size would make a view of several MP (up to 60 ms a read): it is not
    read at that level, and is at a coarser one, judged before the full-size photo is decoded (EXIF-rotated too)."""
    scene = Image.new("L", (4000, 3000), 200)
    found = search._Search(decoders.Photo(jpeg(scene, orientation=orientation)), 1.0, True, None)
    box = (0.2, 0.2, 0.6, 0.6)  # 1600 × 1200 px at full size, with the margin ~3.6 MP
    assert found.too_large(box, 1, 0.0, 0.15) and found.too_large(box, 2, 22.5, 0.15, enlarge=True)
    assert not found.too_large(box, 2, 0.0, 0.15) and not found.too_large(box, 4, 22.5, 0.15)
    assert found.photo.cheap(1) is False  # judged without decoding the full-size photo
