"""Pictures for the web: phone photos downscaled and recompressed, small ones untouched.

A picture whose longest side is over `MAX_SIDE` pixels is scaled down to it, turned
upright by its EXIF orientation, and saved again: JPEG at quality 82, PNG optimised.
Smaller pictures keep their exact bytes (only a non-upright JPEG is re-saved upright).
TIFF and BMP, which browsers do not show, become PNG. Pillow refuses pictures with more
pixels than ``Image.MAX_IMAGE_PIXELS`` before decoding them (a decompression bomb).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
JPEG_QUALITY = 82
#: Formats browsers show, by Pillow's name -> the file extension used in the package.
WEB_FORMATS: dict[str, str] = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_CONVERT_TO_PNG = frozenset({"TIFF", "BMP", "DIB", "ICO"})
_ORIENTATION_TAG = 0x0112


class ImageBombError(Exception):
    """A picture with more pixels than Sandyq opens."""


class UnreadableImageError(Exception):
    """Bytes Pillow cannot read as a picture a browser could show."""


@dataclass(frozen=True)
class WebImage:
    data: bytes
    extension: str
    width: int
    height: int
    resized: bool = False


def prepare_image(data: bytes) -> WebImage:
    """Bytes ready for a web page; raises `ImageBombError` or `UnreadableImageError`."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            image_format = image.format or ""
            width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageBombError(str(error)) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise UnreadableImageError(str(error)) from None
        try:
            return _prepare(image, image_format, data, width, height)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageBombError(str(error)) from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise UnreadableImageError(str(error)) from None


def _prepare(
    image: Image.Image, image_format: str, data: bytes, width: int, height: int
) -> WebImage:
    orientation = image.getexif().get(_ORIENTATION_TAG, 1) if image_format == "JPEG" else 1
    small = max(width, height) <= MAX_SIDE
    if image_format in WEB_FORMATS and small and orientation in (1, None):
        return WebImage(data, WEB_FORMATS[image_format], width, height)
    if image_format == "GIF" and getattr(image, "is_animated", False):
        return WebImage(data, "gif", width, height)  # resizing would stop the animation
    if image_format not in WEB_FORMATS and image_format not in _CONVERT_TO_PNG:
        raise UnreadableImageError(f"{image_format or 'this'} pictures cannot be shown on a page")
    image.load()
    upright = ImageOps.exif_transpose(image)
    if max(upright.size) > MAX_SIDE:
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        extension = "jpg"
    elif image_format == "WEBP":
        upright.save(out, "WEBP", quality=JPEG_QUALITY)
        extension = "webp"
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=True)
        extension = "png"
    return WebImage(out.getvalue(), extension, upright.width, upright.height, resized=True)
