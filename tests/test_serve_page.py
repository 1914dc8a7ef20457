"""publish serve end to end: headless Chromium drives the page as a person would, and the files it downloads
are byte-identical to a command-line build of the editable source it saved.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); skipped with the reason
when either is missing. Selenium talks to the Debian chromedriver given by path, so nothing is downloaded.
"""

from __future__ import annotations

import base64
import shlex
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from publish.cli import main
from publish.serve.server import Running, prepare
from publish.serve.session import Session
from support import word_fixtures

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
)
from selenium.common.exceptions import (  # noqa: E402
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases" / "serve"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1500,1000",
]
WAIT = 60  # seconds for one rebuild on a loaded 2-core machine; a wait, not a timing assertion

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

DROP = """
const [data, name, target] = arguments;
const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
const transfer = new DataTransfer();
transfer.items.add(new File([bytes], name));
for (const type of ["dragenter", "dragover", "drop"]) {
  target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
}
"""
PIXELS = """
const img = document.getElementById("large");
if (!img.complete || !img.naturalWidth) return null;
const canvas = document.createElement("canvas");
canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
canvas.getContext("2d").drawImage(img, 0, 0);
return [img.dataset.build || "", canvas.toDataURL()];
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Session, Running]]:
    session = Session(tmp_path / "work", tmp_path / "saved")
    running = prepare(session)
    thread = running.start_thread()
    yield session, running
    running.stop()
    thread.join(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def settled(driver: Any, after: int) -> int:
    """Wait until the page shows a revision after ``after`` and nothing is pending; return the revision."""

    def ready(d: Any) -> int | bool:
        rev = int(d.find_element(By.TAG_NAME, "body").get_attribute("data-rev"))
        busy = d.find_element(By.TAG_NAME, "body").get_attribute("data-busy")
        return rev if rev > after and busy == "0" else False

    result: int = WebDriverWait(driver, WAIT).until(ready)
    return result


def until(driver: Any, check: Callable[[Any], Any]) -> Any:
    return WebDriverWait(driver, WAIT).until(check)


RETRY = (StaleElementReferenceException, ElementClickInterceptedException, ElementNotInteractableException)


def click(driver: Any, by: str, value: str) -> None:
    """Click the element once it can be clicked: the page redraws and scrolls (smoothly) as it works."""

    def attempt(d: Any) -> bool:
        try:
            d.find_element(by, value).click()
        except RETRY:
            return False
        return True

    until(driver, attempt)


def choose(driver: Any, by: str, value: str, option: str) -> None:
    """Pick ``option`` in the select element found by ``by``/``value``, retrying while the page redraws."""

    def attempt(d: Any) -> bool:
        try:
            Select(d.find_element(by, value)).select_by_value(option)
        except RETRY:
            return False
        return True

    until(driver, attempt)


def drop(driver: Any, path: Path, name: str | None = None) -> None:
    data = base64.b64encode(path.read_bytes()).decode()
    driver.execute_script(DROP, data, name or path.name, driver.find_element(By.ID, "drop"))


def large_view(driver: Any, build: str | None = None) -> tuple[str, str]:
    """Return the large preview's build number and its pixels (as a data URL) once it shows ``build``."""
    found: tuple[str, str] = until(
        driver, lambda d: (shot := d.execute_script(PIXELS)) and (build is None or shot[0] == build) and shot
    )
    return found


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    deadline = time.monotonic() + WAIT
    while not (path.is_file() and not list(folder.glob("*.crdownload"))):
        assert time.monotonic() < deadline, f"{name} was not downloaded: {sorted(folder.iterdir())}"
        time.sleep(0.1)
    return path


def test_make_a_booklet_in_the_page(served: tuple[Session, Running], browser: Any, tmp_path: Path) -> None:
    session, running = served
    driver = browser
    driver.get(running.url)
    until(driver, lambda d: "请添加文稿" in d.find_element(By.ID, "status").text)

    # inputs: the sample and a Word document dropped, another text through the file picker, a PDF dropped
    drop(driver, ROOT / "content" / "speeches-raw.txt")
    rev = settled(driver, 0)
    drop(driver, word_fixtures.styled(tmp_path / "治理.docx"))
    rev = settled(driver, rev)
    driver.find_element(By.ID, "picker").send_keys(str(CASES / "river-raw.txt"))
    rev = settled(driver, rev)
    assert (
        main(["build", str(CASES / "community-raw.txt"), "-o", str(tmp_path / "pdf"), "--format", "pdf"]) == 0
    )
    drop(driver, tmp_path / "pdf" / "community.pdf", "社区治理.pdf")
    rev = settled(driver, rev)
    inputs = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#input-list li")]
    assert inputs == ["speeches-raw.txt", "治理.docx", "river-raw.txt", "社区治理.pdf"]
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".speech .title")]
    for title in ("以实干担当推动基层治理提质增效", "守护一江清水的几点体会", "在社区治理工作座谈会上的发言"):
        assert title in titles

    # the cleaning report: keep a removed watermark
    click(driver, By.XPATH, "//div[@class='removal'][contains(., 'dad awk01')]//button")
    rev = settled(driver, rev)
    assert (
        driver.find_element(By.XPATH, "//div[@class='removal'][contains(., 'dad awk01')]//button").text
        == "已保留"
    )
    assert "【更多公文素材，微信：dad awk01】" in session.source

    # the structure: a level-one heading becomes level two
    row = "//div[contains(@class, 'block')][.//span[@class='text'][text()='第一，对这次学习培训的几点感悟']]"
    choose(driver, By.XPATH, f"{row}//select", "2")
    rev = settled(driver, rev)
    assert Select(driver.find_element(By.XPATH, f"{row}//select")).first_selected_option.text == "二级标题"
    assert "\n### 第一，对这次学习培训的几点感悟\n" in session.source

    # the cover: a new title shows in the preview of page 1
    number, before = large_view(driver)
    title = driver.find_element(By.ID, "cover-title")
    title.clear()
    title.send_keys("二〇二四年党务干部培训班交流材料")
    driver.find_element(By.ID, "cover-organisation").send_keys("市残联机关党委")
    click(driver, By.ID, "cover-apply")
    rev = settled(driver, rev)
    new_number, after = large_view(driver, str(session.good.number if session.good else 0))
    assert new_number != number and after != before  # the page shows the rebuilt cover

    # the style form: 目录 with level-one headings and speakers, DOCX with embedded fonts
    choose(driver, By.ID, "style-toc", "2")
    rev = settled(driver, rev)
    click(driver, By.ID, "style-toc-speaker")
    rev = settled(driver, rev)
    assert session.style.toc_speaker and session.style.toc_depth == 2
    click(driver, By.ID, "style-docx-portable")
    rev = settled(driver, rev)
    command = driver.find_element(By.ID, "command").text
    assert command == "publish build speeches.md --style speeches.style.toml --docx-fonts portable"

    # findings are listed and lead to their place
    click(driver, By.XPATH, "(//ul[@id='findings']/li[contains(., '未填写的占位内容')])[1]")
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".block.flash"))

    # download the PDF and the DOCX, save everything next to the inputs
    folder = tmp_path / "downloads"
    click(driver, By.ID, "dl-pdf")
    pdf = downloaded(folder, "speeches.pdf")
    click(driver, By.ID, "dl-docx")
    docx = downloaded(folder, "speeches.docx")
    click(driver, By.ID, "save")
    until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#saved li")) == 5)
    saved = tmp_path / "saved"
    assert sorted(p.name for p in saved.iterdir()) == [
        "speeches-imposed.pdf",
        "speeches.docx",
        "speeches.md",
        "speeches.pdf",
        "speeches.style.toml",
    ]

    # the command line builds the saved source into the very same files
    words = shlex.split(command)[1:]
    args = [str(saved / w) if w.startswith("speeches.") else w for w in words]
    assert main([*args, "-o", str(tmp_path / "cli"), "-q"]) == 0
    assert (tmp_path / "cli" / "speeches.pdf").read_bytes() == pdf.read_bytes()
    assert (tmp_path / "cli" / "speeches.docx").read_bytes() == docx.read_bytes()
    text = (saved / "speeches.md").read_text(encoding="utf-8")
    assert 'title = "二〇二四年党务干部培训班交流材料"' in text and "dad awk01" in text
    assert "### 第一，对这次学习培训的几点感悟" in text


def test_pasted_text_and_a_refused_change(served: tuple[Session, Running], browser: Any) -> None:
    session, running = served
    driver = browser
    driver.get(running.url)
    until(driver, lambda d: "请添加文稿" in d.find_element(By.ID, "status").text)
    click(driver, By.CSS_SELECTOR, "#paste-box summary")
    driver.find_element(By.ID, "paste").send_keys((CASES / "river-raw.txt").read_text(encoding="utf-8"))
    click(driver, By.ID, "paste-add")
    rev = settled(driver, 0)
    assert [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#input-list li")] == ["粘贴的文本.txt"]
    assert "守护一江清水的几点体会" in session.source
    drop(driver, CASES / "river-raw.txt", "notes.doc")
    until(driver, lambda d: "另存为" in d.find_element(By.ID, "status").text)
    assert "error" in (driver.find_element(By.ID, "status").get_attribute("class") or "")
    title = driver.find_element(By.ID, "cover-title")
    title.clear()
    click(driver, By.ID, "cover-apply")
    until(driver, lambda d: "封面标题不能为空" in d.find_element(By.ID, "status").text)
    assert session.rev == rev and len(session.inputs) == 1
    assert driver.find_elements(By.CSS_SELECTOR, "#thumbs img")  # the last good preview stays
