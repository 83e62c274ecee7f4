"""The header at a phone's width: a long menu wraps beside the colour-scheme button, which
keeps its round 40x40 px (a flex row squeezed it to 21x40 px at 375 px)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import ThreadingHTTPServer

from generator.build import build

from .conftest import copy_demo
from .test_hostile import _QuietHandler


def test_the_scheme_button_keeps_its_size_beside_a_long_menu_at_375_px(tmp_path, browser):
    root = copy_demo(tmp_path / "site")
    for kind in ("talks", "teaching", "projects", "news"):
        folder = root / "content" / kind
        folder.mkdir(parents=True)
        (folder / "one.md").write_text("---\ntitle: One\ndate: 2025-01-02\n---\nText.\n",
                                       encoding="utf-8")
    result = build(root, {"output": str(root / "_site")})
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_QuietHandler, directory=str(result.config.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
        box = page.locator("#scheme-toggle").bounding_box()
        assert box is not None and (round(box["width"]), round(box["height"])) == (40, 40)
    finally:
        page.close()
        server.shutdown()
        server.server_close()
