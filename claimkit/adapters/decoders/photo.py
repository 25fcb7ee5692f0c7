"""The upload as grayscale levels: upright, decoded at the reduced size the search asks for."""

import math
import warnings

from PIL import Image

from claimkit.adapters.decoders.upload import MSG_DAMAGED, ScanRefused, open_checked

WORK_PIXELS = 16_000_000  # larger photos are read at a reduced scale: no phone barcode needs more


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # a malformed EXIF block only costs us the orientation
        return 1


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class Photo:
    """The upload in grayscale, upright (EXIF orientation applied), at power-of-two reductions made on demand.

    A JPEG is decoded by libjpeg at the reduced size itself (`draft`): luminance only, no colour conversion. The
    time goes into entropy decoding (~9 ms per MB of file), so a 1/2-scale decode costs ~75 % of a full one plus
    its reduction: the search starts at 1/2 and decodes the full size only when a far shot needs it (measured
    both ways: starting at full size made the median 12 MP photo ~15 ms slower). Other formats are decoded once
    and reduced.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        image = open_checked(data)
        self._opened: Image.Image | None = image
        self.format = image.format
        self.width, self.height = image.size
        self.orientation = _orientation(image)
        # The finest level ever used: photos above WORK_PIXELS are read at a reduced scale.
        self.finest = 1
        while self.width * self.height / self.finest**2 > WORK_PIXELS:
            self.finest *= 2
        self._levels: dict[int, Image.Image] = {}

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)

    def level_for(self, long_side: float) -> int:
        """The reduction whose long side is closest to `long_side` (never finer than `finest`)."""
        level, best = self.finest, self.finest
        while self.long_side / level >= 300:
            if abs(self.long_side / level - long_side) < abs(self.long_side / best - long_side):
                best = level
            level *= 2
        return best

    def levels(self) -> list[int]:
        """Every usable level, finest first (down to ~300 px on the long side)."""
        found, level = [], self.finest
        while self.long_side / level >= 300:
            found.append(level)
            level *= 2
        return found or [self.finest]

    def cheap(self, level: int) -> bool:
        """True when `level` needs no new decoding: it is a reduction of a level already decoded."""
        return any(level % known == 0 for known in self._levels)

    def finest_decoded(self) -> int:
        """The finest level decoded so far (`finest` when none is)."""
        return min(self._levels, default=self.finest)

    def level(self, level: int) -> Image.Image:
        """The upright grayscale photo reduced `level` times (a power of two)."""
        if level in self._levels:
            return self._levels[level]
        finer = [known for known in self._levels if known < level and level % known == 0]
        if not finer and self.format != "JPEG" and level != self.finest:
            finer = [self.finest]  # decoded once at full size, then reduced
            self.level(self.finest)
        image = self._levels[max(finer)].reduce(level // max(finer)) if finer else self._decode(level)
        self._levels[level] = image
        return image

    def _decode(self, level: int) -> Image.Image:
        image, self._opened = self._opened or open_checked(self.data), None
        try:
            if image.format == "JPEG":
                image.draft("L", (math.ceil(self.width / level), math.ceil(self.height / level)))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
            gray = image if image.mode == "L" else image.convert("L")
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            # Pillow refuses truncated files (LOAD_TRUNCATED_IMAGES is off); corrupt data fails the same way.
            raise ScanRefused(MSG_DAMAGED) from None
        remaining = max(1, level // max(1, round(self.width / gray.width)))
        if remaining > 1:
            gray = gray.reduce(remaining)
        if self.orientation in _TRANSPOSE:
            gray = gray.transpose(_TRANSPOSE[self.orientation])
        return gray
