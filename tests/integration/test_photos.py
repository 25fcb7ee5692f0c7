"""Issue 17, the last step: a photo of each original kept with its checklist line, without its EXIF location,
shown as a thumbnail, in the ZIP export, and gone with the claim (corbeille purge) and with the account."""

import html
import io
import json
import re
import zipfile
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from claimkit.adapters import storage
from tests.conftest import PASSWORD, FakeClock, Student, csrf_token
from tests.integration.test_claims_flow import add_act, claim_row, new_claim
from tests.integration.test_trash import delete

GPS_IFD = 0x8825


def photo_with_location() -> bytes:
    """A real JPEG from a phone as far as Pillow can tell: camera model and GPS position in its EXIF."""
    image = Image.new("RGB", (1600, 1200), (250, 250, 240))
    for x in range(100, 1500, 50):
        image.paste((20, 20, 20), (x, 300, x + 20, 900))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    exif[0x0112] = 6  # Orientation: rotated, to be turned upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (33.0, 58.0, 12.0), 3: "W", 4: (6.0, 50.0, 30.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def uploads(app: Flask) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def attach(client: FlaskClient, claim_id: int, key: str, data: bytes, name: str = "ordonnance.jpg") -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}")
    response = client.post(
        f"/dossiers/{claim_id}/pieces/{key}/photos",
        data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return html.unescape(response.get_data(as_text=True))


def test_a_photo_is_kept_upright_without_exif_and_shown_as_a_thumbnail(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id)
    original = photo_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo does carry a location
    page = attach(client, claim_id, "facture_medecin", original)
    assert "Photo gardée avec cette pièce." in page
    (photo,) = claim_row(app, claim_id).photos
    assert photo.item_key == "facture_medecin"
    thumb = re.search(rf'<img src="(/dossiers/{claim_id}/photos/{photo.id}.jpg\?mini=1)"', page)
    assert thumb, "no thumbnail on the checklist line"
    kept = client.get(f"/dossiers/{claim_id}/photos/{photo.id}.jpg")
    assert kept.status_code == 200 and kept.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(kept.data))
    assert image.size == (1200, 1600)  # turned upright (orientation 6): portrait, as the page was
    assert dict(image.getexif()) == {} and "exif" not in image.info  # no GPS, no camera model, nothing
    mini = Image.open(io.BytesIO(client.get(thumb.group(1)).data))
    assert max(mini.size) == 320 and dict(mini.getexif()) == {}
    on_disk = storage.files_of(uploads(app), 1)
    assert len(on_disk) == 2 and all(b"Phone X" not in p.read_bytes() for p in on_disk)


def test_what_is_not_a_photo_is_refused_and_nothing_is_kept(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id)
    page = attach(client, claim_id, "facture_medecin", b"%PDF-1.4 not a photo", "a.pdf")
    assert "n'est pas une image lisible : envoyez une photo du document" in page
    assert "Le fichier est vide" in attach(client, claim_id, "facture_medecin", b"")
    assert (
        client.post(
            f"/dossiers/{claim_id}/pieces/pas_une_piece/photos",
            data={"csrf_token": csrf_token(client, f"/dossiers/{claim_id}"), "photo": (io.BytesIO(b"x"), "x.jpg")},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
    assert claim_row(app, claim_id).photos == [] and storage.files_of(uploads(app), 1) == []


def test_photos_go_in_the_zip_and_with_the_claim_and_the_account(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    claim_id = new_claim(client, label="Gardée")
    add_act(client, claim_id)
    attach(client, claim_id, "facture_medecin", photo_with_location())
    archive = zipfile.ZipFile(io.BytesIO(client.get("/donnees/export.zip").data))
    (name,) = [n for n in archive.namelist() if n.startswith("photos/") and not n.endswith("-mini.jpg")]
    assert Image.open(io.BytesIO(archive.read(name))).format == "JPEG"
    claims = json.loads(archive.read("dossiers.json"))
    assert claims[0]["photos"][0]["item_key"] == "facture_medecin"
    other = new_claim(client, label="Jetée")
    add_act(client, other)
    attach(client, other, "facture_medecin", photo_with_location())
    assert len(storage.files_of(uploads(app), 1)) == 4
    delete(client, other)
    clock.advance(days=31)
    app.test_cli_runner().invoke(args=["purge-trash"])
    assert len(storage.files_of(uploads(app), 1)) == 2  # the purged claim's photo and thumbnail are gone
    token = csrf_token(client, "/donnees")
    client.post("/donnees/suppression", data={"csrf_token": token, "password": PASSWORD})
    assert storage.files_of(uploads(app), 1) == []
