"""Draw the demo content's images with Pillow.

Every picture is an illustration built from shapes, gradients and Pillow's bundled default font, so
the output is the same on every run (fixed seeds, no fonts or files fetched). The generated files are
committed under `content_api/demo/images/`; run this script again only after changing a drawing:

    .venv/bin/python scripts/make_demo_images.py [--out DIR]

Each catalogue entry names the file, the scene that draws it, its size, a seed and an optional
banner. The alt text for each picture lives in the post or in `people.yaml`, written from what the
drawing shows.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "content_api" / "demo" / "images"

FEATURE = (1200, 675)
BODY = (800, 450)
AVATAR = (400, 400)

# The centre's colours, used across the pictures so they look like one site.
TEAL: RGB = (0, 109, 119)
CORAL: RGB = (226, 109, 90)
SAND: RGB = (237, 221, 190)
PLUM: RGB = (94, 61, 112)
LEAF: RGB = (76, 140, 74)
SKY: RGB = (150, 200, 230)
NAVY: RGB = (33, 48, 77)
CREAM: RGB = (250, 246, 236)
BRICK: RGB = (168, 80, 60)
MUSTARD: RGB = (222, 170, 50)


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font covers ASCII only, so every text drawn here is plain ASCII.
    return ImageFont.load_default(size=size)


def gradient(img: Image.Image, top: RGB, bottom: RGB, y0: int = 0, y1: int | None = None) -> None:
    """Fill rows y0..y1 with a vertical gradient (rows are flat, so PNG compresses them well)."""
    draw = ImageDraw.Draw(img)
    end = img.height if y1 is None else y1
    span = max(end - y0, 1)
    for y in range(y0, end):
        t = (y - y0) / span
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (img.width, y)], fill=colour)


def banner(img: Image.Image, text: str, *, fill: RGB = NAVY, ink: RGB = CREAM, y: int | None = None) -> None:
    """A strip across the picture carrying a short title in the default font."""
    if not text:
        return
    draw = ImageDraw.Draw(img)
    size = max(img.height // 14, 18)
    f = font(size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=f)
    pad = size // 2
    height = bottom - top + 2 * pad
    y0 = img.height - height - img.height // 12 if y is None else y
    width = right - left + 4 * pad
    x0 = (img.width - width) // 2
    draw.rounded_rectangle([x0, y0, x0 + width, y0 + height], radius=pad, fill=fill)
    draw.text((x0 + 2 * pad - left, y0 + pad - top), text, font=f, fill=ink)


def person(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, body: RGB, skin: RGB, hair: RGB) -> None:
    """A simple standing figure: head, hair and a rounded body, feet at (x, y)."""
    s = scale
    draw.rounded_rectangle([x - 28 * s, y - 120 * s, x + 28 * s, y], radius=int(20 * s), fill=body)
    draw.ellipse([x - 22 * s, y - 170 * s, x + 22 * s, y - 126 * s], fill=skin)
    draw.chord([x - 24 * s, y - 174 * s, x + 24 * s, y - 140 * s], 180, 360, fill=hair)


SKINS: list[RGB] = [(241, 204, 170), (198, 134, 92), (141, 85, 54), (224, 172, 130), (92, 56, 38)]
HAIRS: list[RGB] = [(40, 30, 25), (120, 70, 30), (200, 160, 90), (60, 60, 60), (150, 40, 40)]
CLOTHES: list[RGB] = [TEAL, CORAL, PLUM, LEAF, MUSTARD, NAVY]


def crowd(img: Image.Image, rng: random.Random, count: int, ground: int, scale: float) -> None:
    draw = ImageDraw.Draw(img)
    gap = img.width // (count + 1)
    for i in range(count):
        x = gap * (i + 1) + rng.randint(-gap // 5, gap // 5)
        person(
            draw,
            x,
            ground,
            scale * rng.uniform(0.85, 1.1),
            rng.choice(CLOTHES),
            rng.choice(SKINS),
            rng.choice(HAIRS),
        )


# Scenes ---------------------------------------------------------------------------------------------


def scene_building(img: Image.Image, rng: random.Random, winter: bool = False) -> None:
    """The community centre from the street: a brick hall, windows, a door and a sign."""
    w, h = img.size
    gradient(img, (70, 90, 130) if winter else SKY, (200, 210, 230) if winter else CREAM, 0, int(h * 0.75))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(h * 0.75), w, h], fill=(120, 120, 115))
    bx0, bx1, by0, by1 = int(w * 0.2), int(w * 0.8), int(h * 0.3), int(h * 0.78)
    draw.polygon([(bx0 - 20, by0), (w // 2, int(h * 0.12)), (bx1 + 20, by0)], fill=(90, 60, 55))
    draw.rectangle([bx0, by0, bx1, by1], fill=BRICK)
    glow = (255, 214, 120) if winter else (190, 220, 235)
    for col in range(4):
        x = bx0 + 30 + col * (bx1 - bx0 - 60) // 4
        if col == 2:
            continue
        draw.rectangle(
            [x, by0 + 40, x + (bx1 - bx0) // 7, by0 + 40 + (by1 - by0) // 3],
            fill=glow,
            outline=CREAM,
            width=4,
        )
    door_x = bx0 + 2 * (bx1 - bx0) // 4 + 30
    draw.rectangle([door_x, by1 - (by1 - by0) // 2, door_x + (bx1 - bx0) // 7, by1], fill=TEAL)
    for _ in range(3):
        tx = rng.choice([rng.randint(20, bx0 - 60), rng.randint(bx1 + 60, w - 20)])
        draw.rectangle([tx - 8, int(h * 0.55), tx + 8, int(h * 0.78)], fill=(90, 60, 40))
        crown = (230, 240, 245) if winter else LEAF
        draw.ellipse([tx - 60, int(h * 0.35), tx + 60, int(h * 0.6)], fill=crown)
    if winter:
        for _ in range(70):
            x, y = rng.randint(0, w), rng.randint(0, int(h * 0.75))
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(245, 248, 255))


def scene_pantry(img: Image.Image, rng: random.Random) -> None:
    """Food bank shelves: tins, pasta packets and cereal boxes on three shelves."""
    w, h = img.size
    gradient(img, SAND, (220, 200, 165))
    draw = ImageDraw.Draw(img)
    shelf_ys = [int(h * f) for f in (0.3, 0.55, 0.8)]
    for sy in shelf_ys:
        draw.rectangle([40, sy, w - 40, sy + 14], fill=(120, 85, 55))
        x = 60
        while x < w - 120:
            kind = rng.choice(["tin", "tin", "box", "packet"])
            colour = rng.choice([CORAL, TEAL, MUSTARD, LEAF, PLUM, (200, 60, 60)])
            if kind == "tin":
                tw, th = int(w * 0.045), int(h * 0.11)
                draw.rectangle([x, sy - th, x + tw, sy], fill=(180, 180, 185))
                draw.rectangle([x, sy - th * 0.75, x + tw, sy - th * 0.3], fill=colour)
            elif kind == "box":
                tw, th = int(w * 0.06), int(h * 0.17)
                draw.rectangle([x, sy - th, x + tw, sy], fill=colour)
                draw.rectangle([x + 6, sy - th + 10, x + tw - 6, sy - th // 2], fill=CREAM)
            else:
                tw, th = int(w * 0.07), int(h * 0.09)
                draw.rounded_rectangle([x, sy - th, x + tw, sy], radius=8, fill=colour)
            x += tw + rng.randint(6, 20)


def scene_garden(img: Image.Image, rng: random.Random) -> None:
    """Allotment beds in sunshine, with a shed and rows of plants."""
    w, h = img.size
    gradient(img, SKY, CREAM, 0, int(h * 0.45))
    gradient(img, (110, 80, 50), (80, 55, 35), int(h * 0.45), h)
    draw = ImageDraw.Draw(img)
    draw.ellipse([w - 200, 30, w - 80, 150], fill=MUSTARD)
    draw.rectangle([60, int(h * 0.22), 260, int(h * 0.47)], fill=LEAF)
    draw.polygon([(45, int(h * 0.22)), (160, int(h * 0.12)), (275, int(h * 0.22))], fill=(60, 90, 55))
    draw.rectangle([140, int(h * 0.32), 180, int(h * 0.47)], fill=(60, 50, 40))
    for row in range(4):
        y = int(h * (0.55 + row * 0.11))
        for x in range(40 + row * 15, w - 40, 70):
            r = rng.randint(14, 26)
            draw.ellipse([x - r, y - r, x + r, y + r // 2], fill=(60 + rng.randint(0, 40), 150, 70))
            if rng.random() < 0.25:
                draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=(210, 60, 50))


def scene_repair(img: Image.Image, rng: random.Random) -> None:
    """A repair bench: a toaster, a lamp, a screwdriver and a spanner on a wooden table."""
    w, h = img.size
    gradient(img, (210, 225, 225), (180, 200, 200), 0, int(h * 0.6))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(h * 0.6), w, h], fill=(150, 105, 65))
    base = int(h * 0.7)
    draw.rounded_rectangle([int(w * 0.12), base - 170, int(w * 0.36), base], radius=30, fill=(190, 190, 200))
    draw.rectangle([int(w * 0.16), base - 180, int(w * 0.21), base - 165], fill=NAVY)
    draw.rectangle([int(w * 0.26), base - 180, int(w * 0.31), base - 165], fill=NAVY)
    draw.line([(int(w * 0.55), base), (int(w * 0.55), base - 220)], fill=NAVY, width=12)
    draw.line([(int(w * 0.55), base - 220), (int(w * 0.63), base - 270)], fill=NAVY, width=12)
    draw.polygon(
        [(int(w * 0.6), base - 300), (int(w * 0.72), base - 260), (int(w * 0.64), base - 220)], fill=MUSTARD
    )
    draw.ellipse([int(w * 0.5), base - 14, int(w * 0.6), base + 6], fill=NAVY)
    draw.rectangle([int(w * 0.7), base + 40, int(w * 0.9), base + 52], fill=(170, 170, 175))
    draw.rounded_rectangle([int(w * 0.64), base + 32, int(w * 0.72), base + 60], radius=10, fill=CORAL)
    draw.line([(int(w * 0.2), base + 90), (int(w * 0.38), base + 60)], fill=(160, 160, 170), width=14)
    draw.ellipse([int(w * 0.37), base + 45, int(w * 0.41), base + 75], outline=(160, 160, 170), width=8)
    for _ in range(6):
        x, y = rng.randint(int(w * 0.42), int(w * 0.95)), rng.randint(base + 80, h - 20)
        draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=(120, 120, 130))


def scene_cafe(img: Image.Image, rng: random.Random) -> None:
    """Café tables with mugs under speech bubbles saying hello in several languages."""
    w, h = img.size
    gradient(img, CREAM, SAND)
    draw = ImageDraw.Draw(img)
    words = ["Helo", "Hola", "Salam", "Hallo", "Bonjour", "Merhaba", "Ciao", "Shwmae", "Jambo"]
    rng.shuffle(words)
    f = font(max(h // 16, 16))
    for i, word in enumerate(words[:5]):
        cx = int(w * (0.12 + i * 0.19))
        cy = int(h * (0.18 + (i % 2) * 0.14))
        left, top, right, bottom = draw.textbbox((0, 0), word, font=f)
        bw, bh = right - left + 40, bottom - top + 30
        colour = [TEAL, CORAL, PLUM, LEAF, NAVY][i]
        draw.rounded_rectangle(
            [cx - bw // 2, cy - bh // 2, cx + bw // 2, cy + bh // 2], radius=18, fill=colour
        )
        draw.polygon(
            [(cx - 10, cy + bh // 2), (cx + 10, cy + bh // 2), (cx - 4, cy + bh // 2 + 22)], fill=colour
        )
        draw.text((cx - (right - left) // 2 - left, cy - (bottom - top) // 2 - top), word, font=f, fill=CREAM)
    for i in range(3):
        tx = int(w * (0.2 + i * 0.3))
        ty = int(h * 0.72)
        draw.ellipse([tx - 130, ty - 30, tx + 130, ty + 30], fill=(150, 105, 65))
        draw.rectangle([tx - 10, ty + 20, tx + 10, h - 20], fill=(120, 85, 55))
        for dx in (-60, 40):
            draw.rounded_rectangle(
                [tx + dx, ty - 70, tx + dx + 40, ty - 20],
                radius=6,
                fill=rng.choice([CORAL, TEAL, MUSTARD, CREAM]),
            )
            draw.arc([tx + dx + 32, ty - 62, tx + dx + 56, ty - 34], 270, 90, fill=NAVY, width=5)


def scene_youth(img: Image.Image, rng: random.Random) -> None:
    """The youth club hall: a small stage with a guitar, a speaker and music notes."""
    w, h = img.size
    gradient(img, PLUM, NAVY)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(h * 0.72), w, h], fill=(70, 50, 40))
    draw.rectangle([int(w * 0.08), int(h * 0.35), int(w * 0.24), int(h * 0.72)], fill=(30, 30, 35))
    for cy in (0.45, 0.6):
        draw.ellipse([int(w * 0.11), int(h * cy) - 40, int(w * 0.21), int(h * cy) + 40], fill=(80, 80, 90))
    gx, gy = int(w * 0.5), int(h * 0.6)
    draw.ellipse([gx - 70, gy - 40, gx + 70, gy + 90], fill=CORAL)
    draw.ellipse([gx - 55, gy - 110, gx + 55, gy], fill=CORAL)
    draw.ellipse([gx - 18, gy - 10, gx + 18, gy + 26], fill=(40, 25, 20))
    draw.rectangle([gx - 10, gy - 300, gx + 10, gy - 60], fill=(110, 70, 40))
    for _ in range(9):
        x, y = rng.randint(int(w * 0.6), w - 60), rng.randint(40, int(h * 0.6))
        draw.ellipse([x, y, x + 30, y + 22], fill=MUSTARD)
        draw.line([(x + 28, y + 10), (x + 28, y - 50)], fill=MUSTARD, width=5)
    for _ in range(40):
        x, y = rng.randint(0, w), rng.randint(0, int(h * 0.3))
        draw.point((x, y), fill=CREAM)


def scene_bunting(img: Image.Image, rng: random.Random) -> None:
    """A fun day on the field: bunting, a striped gazebo, balloons and a crowd."""
    w, h = img.size
    gradient(img, SKY, CREAM, 0, int(h * 0.65))
    gradient(img, (120, 180, 90), (90, 150, 70), int(h * 0.65), h)
    draw = ImageDraw.Draw(img)
    for row, sag in ((0.08, 60), (0.16, 40)):
        y0 = int(h * row)
        for i in range(0, w, 60):
            t = i / w
            y = y0 + int(sag * 4 * t * (1 - t))
            draw.polygon(
                [(i, y), (i + 50, y + 2), (i + 25, y + 45)],
                fill=rng.choice([CORAL, TEAL, MUSTARD, PLUM, LEAF]),
            )
    gx = int(w * 0.62)
    for k in range(6):
        colour = CORAL if k % 2 == 0 else CREAM
        draw.rectangle([gx + k * 50, int(h * 0.42), gx + k * 50 + 50, int(h * 0.52)], fill=colour)
    draw.polygon([(gx - 20, int(h * 0.42)), (gx + 150, int(h * 0.3)), (gx + 320, int(h * 0.42))], fill=CORAL)
    for _ in range(5):
        bx, by = rng.randint(40, int(w * 0.5)), rng.randint(int(h * 0.25), int(h * 0.45))
        draw.line([(bx, by + 40), (bx + rng.randint(-20, 20), by + 160)], fill=NAVY, width=2)
        draw.ellipse([bx - 28, by - 35, bx + 28, by + 40], fill=rng.choice([CORAL, TEAL, MUSTARD, PLUM]))
    crowd(img, rng, 7, int(h * 0.95), h / 675)


def scene_thermometer(img: Image.Image, rng: random.Random, filled: float = 0.8) -> None:
    """A fundraising thermometer filled towards its target, beside stacked coins."""
    w, h = img.size
    gradient(img, CREAM, SAND)
    draw = ImageDraw.Draw(img)
    tx = int(w * 0.3)
    top, bottom = int(h * 0.1), int(h * 0.7)
    draw.rounded_rectangle(
        [tx - 40, top, tx + 40, bottom + 40], radius=40, fill=(255, 255, 255), outline=NAVY, width=6
    )
    draw.ellipse([tx - 80, bottom - 20, tx + 80, bottom + 140], fill=CORAL, outline=NAVY, width=6)
    level = bottom - int((bottom - top - 30) * filled)
    draw.rectangle([tx - 26, level, tx + 26, bottom + 30], fill=CORAL)
    for k in range(6):
        y = top + 30 + k * (bottom - top - 30) // 6
        draw.line([(tx + 45, y), (tx + 80, y)], fill=NAVY, width=4)
    for stack in range(3):
        sx = int(w * (0.55 + stack * 0.12))
        for c in range(rng.randint(4, 9)):
            cy = int(h * 0.85) - c * 22
            draw.ellipse([sx - 50, cy - 14, sx + 50, cy + 14], fill=MUSTARD, outline=(160, 120, 30), width=3)


def scene_hampers(img: Image.Image, rng: random.Random) -> None:
    """Wrapped hamper boxes with ribbons stacked on a table, under paper stars."""
    w, h = img.size
    gradient(img, (40, 80, 90), TEAL)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(h * 0.78), w, h], fill=(120, 85, 55))
    x = 60
    while x < w - 200:
        bw = rng.randint(150, 220)
        bh = rng.randint(120, 220)
        colour = rng.choice([CORAL, MUSTARD, PLUM, LEAF, CREAM])
        y1 = int(h * 0.78)
        draw.rectangle([x, y1 - bh, x + bw, y1], fill=colour)
        ribbon = CREAM if colour != CREAM else CORAL
        draw.rectangle([x + bw // 2 - 8, y1 - bh, x + bw // 2 + 8, y1], fill=ribbon)
        draw.ellipse([x + bw // 2 - 30, y1 - bh - 24, x + bw // 2, y1 - bh + 4], outline=ribbon, width=6)
        draw.ellipse([x + bw // 2, y1 - bh - 24, x + bw // 2 + 30, y1 - bh + 4], outline=ribbon, width=6)
        x += bw + rng.randint(20, 50)
    for _ in range(12):
        sx, sy = rng.randint(30, w - 30), rng.randint(20, int(h * 0.3))
        r = rng.randint(10, 22)
        draw.polygon(
            [
                (sx, sy - r),
                (sx + r // 3, sy - r // 3),
                (sx + r, sy),
                (sx + r // 3, sy + r // 3),
                (sx, sy + r),
                (sx - r // 3, sy + r // 3),
                (sx - r, sy),
                (sx - r // 3, sy - r // 3),
            ],
            fill=MUSTARD,
        )


def scene_people(img: Image.Image, rng: random.Random) -> None:
    """A group of people standing together in front of the centre's teal wall."""
    w, h = img.size
    gradient(img, (0, 130, 140), TEAL, 0, int(h * 0.8))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(h * 0.8), w, h], fill=(200, 190, 170))
    crowd(img, rng, rng.randint(4, 6), int(h * 0.9), h / 450)


def scene_fridge(img: Image.Image, rng: random.Random) -> None:
    """A tall community fridge with its door open, shelves of vegetables, bread and milk."""
    w, h = img.size
    gradient(img, (220, 235, 230), (200, 220, 215))
    draw = ImageDraw.Draw(img)
    fx0, fx1, fy0, fy1 = int(w * 0.35), int(w * 0.65), int(h * 0.06), int(h * 0.94)
    draw.rounded_rectangle([fx0, fy0, fx1, fy1], radius=20, fill=(245, 245, 245), outline=NAVY, width=6)
    draw.polygon(
        [(fx1, fy0), (fx1 + 150, fy0 + 40), (fx1 + 150, fy1 - 40), (fx1, fy1)], fill=LEAF, outline=NAVY
    )
    for k in range(1, 4):
        y = fy0 + k * (fy1 - fy0) // 4
        draw.line([(fx0 + 10, y), (fx1 - 10, y)], fill=(170, 170, 175), width=6)
        x = fx0 + 20
        while x < fx1 - 60:
            item = rng.choice(["veg", "bread", "milk"])
            if item == "veg":
                draw.ellipse([x, y - 50, x + 50, y], fill=rng.choice([LEAF, CORAL, MUSTARD]))
                x += 58
            elif item == "bread":
                draw.rounded_rectangle([x, y - 45, x + 80, y], radius=16, fill=(200, 150, 90))
                x += 88
            else:
                draw.rectangle([x, y - 70, x + 36, y], fill=CREAM, outline=TEAL, width=3)
                x += 44


def scene_winter(img: Image.Image, rng: random.Random) -> None:
    """Inside the warm space: a window with snow, a radiator, an armchair and a steaming mug."""
    w, h = img.size
    gradient(img, (250, 225, 190), (235, 200, 160))
    draw = ImageDraw.Draw(img)
    wx0, wx1, wy0, wy1 = int(w * 0.1), int(w * 0.45), int(h * 0.1), int(h * 0.55)
    gradient_window = Image.new("RGB", (wx1 - wx0, wy1 - wy0))
    gradient(gradient_window, (60, 80, 120), (150, 170, 200))
    img.paste(gradient_window, (wx0, wy0))
    for _ in range(40):
        x, y = rng.randint(wx0 + 5, wx1 - 5), rng.randint(wy0 + 5, wy1 - 5)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(250, 250, 255))
    draw.rectangle([wx0, wy0, wx1, wy1], outline=CREAM, width=12)
    draw.line([((wx0 + wx1) // 2, wy0), ((wx0 + wx1) // 2, wy1)], fill=CREAM, width=8)
    for k in range(8):
        x = wx0 + 20 + k * 38
        draw.rounded_rectangle([x, int(h * 0.62), x + 28, int(h * 0.85)], radius=10, fill=(235, 235, 235))
    draw.rounded_rectangle([int(w * 0.55), int(h * 0.45), int(w * 0.85), int(h * 0.9)], radius=40, fill=PLUM)
    draw.rounded_rectangle(
        [int(w * 0.6), int(h * 0.25), int(w * 0.8), int(h * 0.6)], radius=30, fill=(120, 80, 140)
    )
    mx, my = int(w * 0.9), int(h * 0.8)
    draw.rounded_rectangle([mx - 35, my - 60, mx + 35, my + 10], radius=8, fill=CORAL)
    for dx in (-15, 5):
        draw.arc([mx + dx - 10, my - 130, mx + dx + 20, my - 70], 100, 260, fill=(150, 130, 120), width=4)


def scene_avatar(
    img: Image.Image,
    rng: random.Random,
    body: RGB,
    skin: RGB,
    hair: RGB,
    background: RGB,
    glasses: bool = False,
) -> None:
    """Head and shoulders on a flat background."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, w, h], fill=background)
    draw.ellipse([w * 0.15, h * 0.62, w * 0.85, h * 1.3], fill=body)
    draw.rectangle([w * 0.44, h * 0.52, w * 0.56, h * 0.68], fill=skin)
    draw.ellipse([w * 0.3, h * 0.18, w * 0.7, h * 0.62], fill=skin)
    draw.chord([w * 0.28, h * 0.14, w * 0.72, h * 0.48], 180, 360, fill=hair)
    if glasses:
        for cx in (0.42, 0.58):
            draw.ellipse([w * (cx - 0.06), h * 0.36, w * (cx + 0.06), h * 0.44], outline=NAVY, width=5)
        draw.line([(w * 0.48, h * 0.4), (w * 0.52, h * 0.4)], fill=NAVY, width=4)
    draw.arc([w * 0.43, h * 0.46, w * 0.57, h * 0.54], 20, 160, fill=(120, 50, 50), width=4)


def scene_bouncy_castle(img: Image.Image, rng: random.Random) -> None:
    """A photo-like bouncy castle on grass with a little noise, saved as JPEG."""
    w, h = img.size
    gradient(img, SKY, CREAM, 0, int(h * 0.6))
    gradient(img, (110, 170, 80), (80, 140, 60), int(h * 0.6), h)
    draw = ImageDraw.Draw(img)
    draw.rectangle([int(w * 0.2), int(h * 0.35), int(w * 0.8), int(h * 0.8)], fill=(220, 50, 60))
    for k in range(5):
        x = int(w * 0.2) + k * int(w * 0.15)
        draw.rectangle([x - 25, int(h * 0.2), x + 25, int(h * 0.8)], fill=(40, 90, 200) if k % 2 else MUSTARD)
        draw.ellipse([x - 25, int(h * 0.17), x + 25, int(h * 0.23)], fill=(40, 90, 200) if k % 2 else MUSTARD)
    draw.rectangle([int(w * 0.15), int(h * 0.78), int(w * 0.85), int(h * 0.86)], fill=(40, 90, 200))
    crowd(img, rng, 4, int(h * 0.78), h / 900)
    # Seeded grain so the JPEG looks like a photo and stays the same on every run.
    pixels = np.asarray(img, dtype=np.int16)
    grain = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, pixels.shape).astype(np.int16)
    img.paste(Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8), "RGB"))


# Catalogue ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    name: str
    draw: Callable[[Image.Image, random.Random], None]
    size: tuple[int, int]
    seed: int
    text: str = ""


def _winter_building(img: Image.Image, rng: random.Random) -> None:
    scene_building(img, rng, winter=True)


def _thermometer(filled: float) -> Callable[[Image.Image, random.Random], None]:
    return lambda img, rng: scene_thermometer(img, rng, filled)


def _avatar(
    body: RGB, skin: RGB, hair: RGB, background: RGB, glasses: bool = False
) -> Callable[[Image.Image, random.Random], None]:
    return lambda img, rng: scene_avatar(img, rng, body, skin, hair, background, glasses)


CATALOGUE: list[Picture] = [
    # Feature images, 1200x675.
    Picture("warm-space-2024.png", scene_winter, FEATURE, 101, "Warm space: open weekdays"),
    Picture("welcome-dev.png", scene_pantry, FEATURE, 102, "Welcome, Dev"),
    Picture("christmas-appeal-2024.png", scene_hampers, FEATURE, 103, "300 hampers by 20 December"),
    Picture("repair-cafe-500.png", scene_repair, FEATURE, 104, "500 things fixed"),
    Picture("christmas-appeal-2024-total.png", _thermometer(1.0), FEATURE, 105, "Target reached"),
    Picture("language-cafe-tuesdays.png", scene_cafe, FEATURE, 106, "Tuesdays, 6 to 8pm"),
    Picture("friday-music.png", scene_youth, FEATURE, 107, "Friday music project"),
    Picture("seed-swap-2025.png", scene_garden, FEATURE, 108, "Seed swap: Saturday 22 March"),
    Picture("new-trustees-2025.png", scene_people, FEATURE, 109, ""),
    Picture("housing-partnership.png", scene_building, FEATURE, 110, "Working together"),
    Picture("paned-a-sgwrs.png", scene_cafe, FEATURE, 111, "Paned a sgwrs"),
    Picture("welcome-jordan.png", scene_people, FEATURE, 112, "Welcome, Jordan"),
    Picture("volunteers-week-2025.png", scene_people, FEATURE, 113, "Thank you, volunteers"),
    Picture("refugee-week-2025.png", scene_cafe, FEATURE, 114, "Refugee Week"),
    Picture("holiday-lunches.png", scene_pantry, FEATURE, 115, "Holiday lunches"),
    Picture("fun-day-2025.jpg", scene_bunting, FEATURE, 116, "Summer fun day"),
    Picture("allotment-harvest.png", scene_garden, FEATURE, 117, ""),
    Picture("repair-cafe-team.png", scene_repair, FEATURE, 118, "Repair team: new faces"),
    Picture("youth-grant.png", _thermometer(0.6), FEATURE, 119, "Youth club grant"),
    Picture("annual-report-2024-25.png", scene_building, FEATURE, 120, "Annual report 2024-25"),
    Picture("meet-alex.png", scene_youth, FEATURE, 121, ""),
    Picture("christmas-appeal-2025.png", scene_hampers, FEATURE, 122, "Christmas appeal 2025"),
    Picture("fix-up-month.png", scene_repair, FEATURE, 123, "January fix-up month"),
    Picture("dydd-gwyl-dewi.png", scene_bunting, FEATURE, 124, "Croeso i bawb"),
    Picture("health-centre-referrals.png", _winter_building, FEATURE, 125, ""),
    Picture("spring-clean-up.png", scene_garden, FEATURE, 126, "Big Spring Clean-up"),
    Picture("volunteers-week-2026.png", scene_people, FEATURE, 127, "Volunteers' Week 2026"),
    Picture("community-fridge.png", scene_fridge, FEATURE, 128, "Take what you need"),
    Picture("fun-day-2026.png", scene_bunting, FEATURE, 129, "Summer fun day 2026"),
    Picture("new-faces-autumn.png", scene_people, FEATURE, 130, "New faces for autumn"),
    Picture("annual-report-2025-26.png", scene_building, FEATURE, 131, "Annual report 2025-26"),
    Picture("roof-appeal.png", _winter_building, FEATURE, 132, "Raise the roof"),
    Picture("residential-2026.png", scene_garden, FEATURE, 133, ""),
    Picture("language-cafe-winter.png", scene_cafe, FEATURE, 134, "Winter menu"),
    Picture("meet-mei-lin.png", scene_repair, FEATURE, 135, ""),
    # Body images, 800x450.
    Picture("pantry-shelves.png", scene_pantry, BODY, 201, ""),
    Picture("repair-bench.png", scene_repair, BODY, 202, ""),
    Picture("cafe-tables.png", scene_cafe, BODY, 203, ""),
    Picture("allotment-beds.png", scene_garden, BODY, 204, ""),
    Picture("youth-stage.png", scene_youth, BODY, 205, ""),
    Picture("trustees-group.png", scene_people, BODY, 206, ""),
    Picture("fun-day-stalls.png", scene_bunting, BODY, 207, ""),
    Picture("hamper-table.png", scene_hampers, BODY, 208, ""),
    Picture("fridge-shelves.png", scene_fridge, BODY, 209, ""),
    Picture("residential-camp.png", scene_garden, BODY, 210, ""),
    Picture("clean-up-crew.png", scene_people, BODY, 211, ""),
    Picture("IMG_2041.jpg", scene_bouncy_castle, (1200, 900), 212, ""),
    # Avatars, 400x400.
    Picture("avatar-sian-morgan.png", _avatar(TEAL, SKINS[0], HAIRS[0], SAND), AVATAR, 301),
    Picture("avatar-dev-patel.png", _avatar(NAVY, SKINS[1], HAIRS[0], MUSTARD, glasses=True), AVATAR, 302),
    Picture("avatar-rhiannon-evans.png", _avatar(PLUM, SKINS[0], HAIRS[4], (200, 230, 220)), AVATAR, 303),
    Picture("avatar-amira-haddad.png", _avatar(CORAL, SKINS[3], HAIRS[0], CREAM), AVATAR, 304),
    Picture("avatar-jordan-blake.png", _avatar(LEAF, SKINS[2], HAIRS[0], SKY), AVATAR, 305),
    Picture("avatar-kofi-mensah.png", _avatar(MUSTARD, SKINS[4], HAIRS[3], TEAL, glasses=True), AVATAR, 306),
    Picture("avatar-bethan-rees.png", _avatar(TEAL, SKINS[0], HAIRS[2], (240, 210, 200)), AVATAR, 307),
]


def write_picture(picture: Picture, out: Path) -> Path:
    img = Image.new("RGB", picture.size, CREAM)
    rng = random.Random(picture.seed)
    picture.draw(img, rng)
    banner(img, picture.text)
    path = out / picture.name
    if path.suffix == ".jpg":
        img.save(path, "JPEG", quality=82, optimize=True)
    else:
        img = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        img.save(path, "PNG", optimize=True)
    return path


def write_flashing_gif(out: Path) -> Path:
    """Full-frame black/white alternation: 5 flashes a second for 2 seconds, looping.

    This image fails the three-flashes threshold on purpose; it exists for the media audit.
    """
    frames = []
    f = font(28)
    for k in range(20):
        back, ink = ((0, 0, 0), (255, 255, 255)) if k % 2 == 0 else ((255, 255, 255), (0, 0, 0))
        frame = Image.new("RGB", (320, 240), back)
        ImageDraw.Draw(frame).text((160, 120), "NYE DISCO", font=f, fill=ink, anchor="mm")
        frames.append(frame.convert("P", palette=Image.Palette.ADAPTIVE, colors=4))
    path = out / "nye-disco-flash.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0, optimize=False)
    return path


def write_gentle_gif(out: Path) -> Path:
    """A slow fade between two soft colours, three seconds each way, looping forever; no flashing."""
    frames = []
    start, end = (250, 230, 200), (225, 235, 225)
    steps = 12
    f = font(26)
    for k in list(range(steps)) + list(range(steps, 0, -1)):
        t = k / steps
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        frame = Image.new("RGB", (320, 240), colour)
        ImageDraw.Draw(frame).text((160, 120), "Thank you", font=f, fill=TEAL, anchor="mm")
        frames.append(frame.convert("P", palette=Image.Palette.ADAPTIVE, colors=16))
    path = out / "appeal-fade.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=250, loop=0, optimize=False)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the demo content's images.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written = [write_picture(p, out) for p in CATALOGUE]
    written += [write_flashing_gif(out), write_gentle_gif(out)]
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} images, {total / 1024:.0f} KiB, to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
