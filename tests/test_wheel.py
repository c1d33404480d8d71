"""qa_bot installed from its wheel, away from any checkout, builds an index and serves answers over HTTP;
in a checkout its defaults stay in the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from qa_bot import Settings
from qa_bot.config import PROJECT_ROOT
from qa_bot.documents import load_corpus
from qa_bot.texts import texts

from .conftest import PROJECT_CORPUS, SEED_ID
from .test_app import free_port

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "What is cerebellar atrophy?"


def test_in_a_checkout_the_defaults_live_in_the_checkout() -> None:
    assert PROJECT_ROOT == ROOT
    assert (Settings().corpus_dir, Settings().index_dir) == (ROOT / "corpus", ROOT / "index")
    assert Settings().onnx_dir == ROOT / ".cache" / "onnx"


def test_the_onnx_folder_comes_from_the_environment(isolated_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolated_env.setenv("QA_BOT_ONNX_DIR", str(tmp_path / "onnx"))
    assert Settings.from_env().onnx_dir == (tmp_path / "onnx").resolve()


def source_tree(dest: Path) -> Path:
    """What the wheel is built from, copied out of the checkout: pyproject.toml, the readme and the
    packages it names (so no stale build/ or egg-info of the checkout gets in)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dest.mkdir()
    for name in ("pyproject.toml", project["project"]["readme"]):
        shutil.copy(ROOT / name, dest / name)
    for package in project["tool"]["setuptools"]["packages"]:
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def installed_venv(tmp_path: Path) -> Path:
    """A fresh venv outside the checkout with only the wheel installed; the dependencies come from this
    test's venv through a .pth line (a plain path: that venv's editable-install hooks never run)."""
    dist, venv = tmp_path / "dist", tmp_path / "venv"
    offline = ["--no-deps", "--no-index", "--quiet"]
    subprocess.run([sys.executable, "-m", "pip", "wheel", *offline, "--no-build-isolation", "-w", dist,
                    source_tree(tmp_path / "src")], check=True, timeout=120)
    (wheel,) = dist.glob("qa_bot-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=60)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", *offline, wheel], check=True,
                   timeout=120)
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.mark.server
def test_the_installed_wheel_builds_and_serves_outside_the_checkout(tmp_path: Path) -> None:
    venv = installed_venv(tmp_path)
    work = tmp_path / "work"
    (work / "corpus").mkdir(parents=True)
    shutil.copy(PROJECT_CORPUS / f"{SEED_ID}.md", work / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_") and k != "PYTHONPATH"}
    env |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
            "GRADIO_ANALYTICS_ENABLED": "False", "QA_BOT_ONNX_DIR": str(Settings.from_env().onnx_dir)}

    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import qa_bot, qa_web, qa_bot.config as c; "
         "print(qa_bot.__file__, qa_web.__file__, c.PROJECT_ROOT, sep='\\n')"],
        cwd=work, env=env, check=True, capture_output=True, text=True,
    ).stdout.split("\n")
    assert all(Path(p).is_relative_to(venv) for p in where[:2]), where
    assert Path(where[2]) == work  # installed: corpus/, index/, feedback/ default to the working directory

    subprocess.run([venv / "bin" / "qa-bot", "build"], cwd=work, env=env, check=True, timeout=120)
    assert (work / "index" / "CURRENT").is_file()

    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen([venv / "bin" / "qa-bot", "serve", "--port", str(port)], cwd=work, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not become healthy"
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        answer = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30).json()
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    body = load_corpus(work / "corpus")[SEED_ID].body
    assert answer["status"] == "answered" and answer["disclaimer"] == texts().disclaimer
    quote = answer["quotes"][0]
    assert quote["doc_id"] == SEED_ID and quote["text"] == body[quote["start"] : quote["end"]]
