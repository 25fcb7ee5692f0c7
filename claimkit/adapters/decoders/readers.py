"""The two decoders (ZBar, zxing-cpp) and the reading passes the search is made of."""

from collections.abc import Callable
from ctypes import string_at
from dataclasses import dataclass

import zxingcpp
from PIL import Image
from pyzbar import wrapper as zbar

from claimkit.domain.barcodes import RawSymbol

_ZXING_FORMATS = zxingcpp.barcode_formats_from_str("EAN13,EAN8,UPCA,DataMatrix,QRCode")
_ZXING_LINEAR = zxingcpp.barcode_formats_from_str("EAN13,EAN8,UPCA")
_ZXING_MATRIX = zxingcpp.barcode_formats_from_str("DataMatrix,QRCode")  # QR: GS1 Digital Link
_ZBAR_SYMBOLS = (zbar.ZBarSymbol.EAN13, zbar.ZBarSymbol.EAN8, zbar.ZBarSymbol.UPCA)
_GRAY = 808466521  # fourcc 'Y800'

Quad = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Hit:
    """One decoder result on one view: the raw symbol (None for a detected but unreadable symbol), where it is."""

    raw: RawSymbol | None
    decoder: str
    quad: Quad


def zbar_read(image: Image.Image, density: int = 1) -> list[Hit]:
    """ZBar on a grayscale image (pyzbar's ctypes bindings, with the scan density pyzbar does not expose).

    ZBar scans every `density`-th row and column: 2 halves the time and misses only very short bars.
    """
    pixels = image.tobytes()
    scanner = zbar.zbar_image_scanner_create()
    zimage = zbar.zbar_image_create()
    hits = []
    try:
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_ENABLE, 0)
        for symbol in _ZBAR_SYMBOLS:
            zbar.zbar_image_scanner_set_config(scanner, symbol, zbar.ZBarConfig.CFG_ENABLE, 1)
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_X_DENSITY, density)
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_Y_DENSITY, density)
        zbar.zbar_image_set_format(zimage, _GRAY)
        zbar.zbar_image_set_size(zimage, image.width, image.height)
        zbar.zbar_image_set_data(zimage, pixels, len(pixels), None)  # ctypes passes bytes as void*; kept alive here
        if zbar.zbar_scan_image(scanner, zimage) > 0:
            symbol = zbar.zbar_image_first_symbol(zimage)
            while symbol:
                text = string_at(zbar.zbar_symbol_get_data(symbol), zbar.zbar_symbol_get_data_length(symbol))
                name = zbar.ZBarSymbol(symbol.contents.type).name
                points = tuple(
                    (float(zbar.zbar_symbol_get_loc_x(symbol, i)), float(zbar.zbar_symbol_get_loc_y(symbol, i)))
                    for i in range(zbar.zbar_symbol_get_loc_size(symbol))
                )
                hits.append(Hit(RawSymbol(name, text.decode("ascii", "replace")), "zbar", points))
                symbol = zbar.zbar_symbol_next(symbol)
    finally:
        zbar.zbar_image_destroy(zimage)
        zbar.zbar_image_scanner_destroy(scanner)
    return hits


def zxing_read(
    image: Image.Image,
    *,
    rotate: bool = True,
    downscale: bool = True,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    formats: zxingcpp.BarcodeFormats = _ZXING_FORMATS,
) -> list[Hit]:
    """zxing-cpp on a grayscale image; symbols it located but could not read come back with `raw=None`.

    A GS1 DataMatrix is passed on with its symbology identifier (`]d2`), which tells the domain it is GS1 data.
    """
    hits = []
    results = zxingcpp.read_barcodes(
        image,
        formats=formats,
        try_rotate=rotate,
        try_downscale=downscale,
        try_invert=False,
        binarizer=binarizer,
        text_mode=zxingcpp.TextMode.Plain,
        return_errors=True,
    )
    for result in results:
        p = result.position
        quad = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        name = result.format.name
        if result.error is not None or not result.valid:
            hits.append(Hit(None, "zxing", quad))
        elif name == "DataMatrix":
            hits.append(Hit(RawSymbol(name, result.symbology_identifier + result.text), "zxing", quad))
        else:
            hits.append(Hit(RawSymbol(name, result.text), "zxing", quad))
    return hits


Reader = Callable[[Image.Image], list[Hit]]


def zxing_fast(image: Image.Image) -> list[Hit]:
    """Linear codes, rows and columns, global-histogram binarizer: as good as the local one here, 2.5× faster."""
    return zxing_read(image, downscale=False, binarizer=zxingcpp.Binarizer.GlobalHistogram, formats=_ZXING_LINEAR)


def zxing_level(image: Image.Image) -> list[Hit]:
    """Rows only: most photos hold the barcode roughly level, and this pass is 2× cheaper than trying 90° too."""
    return zxing_read(
        image, rotate=False, downscale=False, binarizer=zxingcpp.Binarizer.GlobalHistogram, formats=_ZXING_LINEAR
    )


def zxing_matrix(image: Image.Image) -> list[Hit]:
    """DataMatrix and QR only, local binarizer (uneven light), one orientation: a few ms at ~1000 px."""
    return zxing_read(image, rotate=False, downscale=False, formats=_ZXING_MATRIX)


def zxing_matrix_turned(image: Image.Image) -> list[Hit]:
    """DataMatrix and QR in every orientation: zxing's finder misses some slanted symbols without it, at 3× the cost."""
    return zxing_read(image, downscale=False, formats=_ZXING_MATRIX)


def zxing_local(image: Image.Image) -> list[Hit]:
    """Every format, local binarizer: slower, reads some blurred or unevenly lit codes the fast pass misses."""
    return zxing_read(image, downscale=False, binarizer=zxingcpp.Binarizer.LocalAverage)


def zbar_sparse(image: Image.Image) -> list[Hit]:
    """Every third row and column of a whole view: as many finds as every row here, at a third of the cost."""
    return zbar_read(image, density=3)


def zbar_half(image: Image.Image) -> list[Hit]:
    """Every other row and column: enough lines across a cropped symbol, at half the cost."""
    return zbar_read(image, density=2)
