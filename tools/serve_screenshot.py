"""Make docs/images/serve.png for the README: the page of ``publish serve`` with the raw sample opened.

Usage: ``.venv/bin/python tools/serve_screenshot.py [PNG]`` (needs Debian chromium and chromium-driver).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from publish.serve.server import prepare
from publish.serve.session import Session

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1500,1000",
]


def main() -> None:
    """Open the raw sample, show page 3 large, and take a screenshot of the page."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "serve.png"
    with tempfile.TemporaryDirectory() as tmp:
        session = Session(Path(tmp) / "work", Path(tmp) / "out")
        session.open_files([ROOT / "content" / "speeches-raw.txt"])
        running = prepare(session)
        thread = running.start_thread()
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in [*FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get(running.url)
            wait = WebDriverWait(driver, 60)
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#thumbs figure"))
            driver.find_elements(By.CSS_SELECTOR, "#thumbs figure")[2].click()
            wait.until(lambda d: d.find_element(By.ID, "large").get_attribute("data-page") == "3")
            driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(1.0)  # thumbnails and fonts finish loading
            target.parent.mkdir(parents=True, exist_ok=True)
            png = Path(tmp) / "shot.png"
            driver.save_screenshot(str(png))
            with Image.open(png) as shot:  # 256 colours: a third of the size, no visible loss on a UI
                shot.convert("RGB").quantize(256).save(target, optimize=True)
        finally:
            driver.quit()
            running.stop()
            thread.join(10)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
