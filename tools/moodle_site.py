"""A private Moodle for the tests, stood up from the published source tarball.

``tools/moodle.sh start`` (this module) makes, under ``.moodle/`` (git-ignored), a Moodle
4.4 site that the real-Moodle tests drive, the way an administrator would make one:

1. the source tree from ``../shared/moodle/moodle-4.4dev.tar.xz`` (``SANDYQ_MOODLE_TARBALL``
   overrides the path), unpacked once;
2. a database in the private PostgreSQL cluster of ``tools/postgres.sh``;
3. ``admin/cli/install.php``, then developer debugging in ``config.php`` (notices go to the
   server's log, never into an answer) and loopback allowed for the repository plugin;
4. the plugin zips that ``sandyq moodle-plugins`` writes, unzipped into ``local/`` and
   ``repository/``, then ``admin/cli/upgrade.php`` (again whenever the zips change);
5. ``tools/moodle/site_setup.php``: web services and REST on, the sync user with exactly
   the role of ``lms_sync.moodle_role`` (the list the docs print), authorised on the
   plugin's service, and a token; a teacher and two students for the tests;
6. PHP's built-in server on 127.0.0.1.

It prints one JSON document (the site's address, tokens, users) on stdout; progress goes
to stderr. A second ``start`` reuses everything and takes a second or two. Exit 3 means
the tarball is absent (the tests then skip their group, saying so); any other failure
exits 1 with the step and its output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lms_sync.moodle_role import SYNC_ROLE  # noqa: E402
from lms_sync.plugins import write_plugin_zips  # noqa: E402

TARBALL = Path(
    os.environ.get(
        "SANDYQ_MOODLE_TARBALL", REPO.parent / "shared" / "moodle" / "moodle-4.4dev.tar.xz"
    )
)
BASE = Path(os.environ.get("SANDYQ_MOODLE_DIR", REPO / ".moodle"))
CODE = BASE / "moodle"
DATA = BASE / "moodledata"
SITE_JSON = BASE / "site.json"
SERVER_LOG = BASE / "server.log"
UPGRADE_LOG = BASE / "upgrade.log"
PID_FILE = BASE / "server.pid"
PORT_FILE = BASE / "port"
PLUGIN_STAMP = BASE / "plugins.sha256"
HELPERS = REPO / "tools" / "moodle"
#: One database per site folder: two checkouts on one machine share the PostgreSQL cluster.
DB_NAME = "sandyq_moodle_" + hashlib.sha1(str(BASE.resolve()).encode()).hexdigest()[:8]  # noqa: S324
ADMIN_PASSWORD = "Sandyq-admin-1"
PHP = ["php", "-d", "max_input_vars=5000", "-d", "memory_limit=512M"]
PHP_EXTENSIONS = ("pgsql", "xml", "mbstring", "curl", "zip", "gd", "intl", "soap")
#: Where a PHP notice or Moodle debugging message shows in a log.
NOTICE_MARKS = (
    "PHP Notice",
    "PHP Warning",
    "PHP Deprecated",
    "Debugging:",
    "PHP Fatal",
    "Coding error",
)


class SetupError(Exception):
    """A step failed: its name and what it printed."""


def say(message: str) -> None:
    print(f"moodle: {message}", file=sys.stderr, flush=True)


def run(step: str, command: list[str], **kwargs: Any) -> str:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise SetupError(f"{step} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def php_missing() -> list[str]:
    if shutil.which("php") is None:
        return ["php8.2-cli"]
    loaded = run("php -m", ["php", "-m"]).lower().split()
    return [f"php8.2-{name}" for name in PHP_EXTENSIONS if name not in loaded]


def postgres_url() -> tuple[str, int]:
    url = run("tools/postgres.sh start", [str(REPO / "tools" / "postgres.sh"), "start"]).strip()
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    return url, port


def psql(port: int, sql: str) -> str:
    command = ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qtA", "-c", sql]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return run("psql", command).strip()


def unpack_source() -> None:
    if (CODE / "version.php").is_file():
        return
    say(f"unpacking {TARBALL.name}")
    BASE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=BASE, prefix="unpack-"))
    with tarfile.open(TARBALL) as archive:
        archive.extractall(staging, filter="data")
    (staging / "moodle").replace(CODE)
    staging.rmdir()


def free_port() -> int:
    """The site's own port again when it is free (a restart keeps its address), else any."""
    preferred = int(PORT_FILE.read_text()) if PORT_FILE.is_file() else 54380
    for port, patience in [(preferred, 10.0), (0, 0.0)]:
        deadline = time.monotonic() + patience
        while True:
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    if time.monotonic() < deadline:
                        time.sleep(0.1)
                        continue
                    break
                chosen = int(probe.getsockname()[1])
            PORT_FILE.write_text(f"{chosen}\n")
            return chosen
    raise SetupError("no free port on 127.0.0.1")


def install(db_port: int, port: int) -> None:
    say("installing Moodle (a few minutes on a fresh machine)")
    if psql(db_port, f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'") == "1":
        psql(db_port, f"DROP DATABASE {DB_NAME}")  # a half-made install from an earlier run
    psql(db_port, f"CREATE DATABASE {DB_NAME} OWNER sandyq ENCODING 'UTF8'")
    shutil.rmtree(DATA, ignore_errors=True)
    (CODE / "config.php").unlink(missing_ok=True)
    run(
        "admin/cli/install.php",
        [
            *PHP,
            str(CODE / "admin" / "cli" / "install.php"),
            "--non-interactive",
            "--agree-license",
            "--allow-unstable",
            "--lang=en",
            f"--wwwroot=http://127.0.0.1:{port}",
            f"--dataroot={DATA}",
            "--dbtype=pgsql",
            "--dbhost=127.0.0.1",
            f"--dbport={db_port}",
            f"--dbname={DB_NAME}",
            "--dbuser=sandyq",
            "--dbpass=sandyq",
            "--fullname=Sandyq test school",
            "--shortname=sandyq-test",
            "--adminuser=admin",
            f"--adminpass={ADMIN_PASSWORD}",
            "--adminemail=admin@example.org",
        ],
    )
    configure()


#: Added to config.php after install: the test site's own settings.
CONFIG_LINES = """
// Sandyq test site (tools/moodle_site.py): developer debugging to the server log only,
// loopback reachable for the repository plugin, no caching of theme and JavaScript builds.
$CFG->debug = (E_ALL | E_STRICT);
$CFG->debugdisplay = 0;
$CFG->debugdeveloper = true;
$CFG->curlsecurityblockedhosts = '';
$CFG->curlsecurityallowedport = '';
$CFG->noemailever = true;
"""


def configure() -> None:
    config = CODE / "config.php"
    text = config.read_text(encoding="utf-8")
    if "Sandyq test site" not in text:
        marker = "require_once(__DIR__ . '/lib/setup.php');"
        text = text.replace(marker, CONFIG_LINES + "\n" + marker)
        config.write_text(text, encoding="utf-8")


def set_wwwroot(port: int) -> None:
    config = CODE / "config.php"
    lines = config.read_text(encoding="utf-8").splitlines()
    wanted = f"$CFG->wwwroot   = 'http://127.0.0.1:{port}';"
    lines = [wanted if line.startswith("$CFG->wwwroot") else line for line in lines]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def install_plugins() -> None:
    """Unzip the plugin zips as an administrator would, and upgrade when they changed."""
    zips_dir = BASE / "plugins"
    zips = write_plugin_zips(zips_dir)
    digest = hashlib.sha256(b"".join(z.read_bytes() for z in zips)).hexdigest()
    if PLUGIN_STAMP.is_file() and PLUGIN_STAMP.read_text().strip() == digest:
        return
    say("installing the plugins: " + ", ".join(z.name for z in zips))
    for zipped in zips:
        plugin_type = zipped.stem.split("_", 1)[0]
        target_parent = CODE / plugin_type
        with zipfile.ZipFile(zipped) as archive:
            top = archive.namelist()[0].split("/", 1)[0]
            shutil.rmtree(target_parent / top, ignore_errors=True)
            archive.extractall(target_parent)
    output = run(
        "admin/cli/upgrade.php",
        [
            *PHP,
            str(CODE / "admin" / "cli" / "upgrade.php"),
            "--non-interactive",
            "--allow-unstable",
        ],
    )
    # Descriptions of web-service functions are read again even without a version bump.
    output += run(
        "refresh services", [*PHP, str(HELPERS / "site_setup.php"), str(CODE), "--refresh"]
    )
    UPGRADE_LOG.write_text(output, encoding="utf-8")
    noticed = [line for line in output.splitlines() if any(m in line for m in NOTICE_MARKS)]
    if noticed:
        raise SetupError("the plugins' upgrade printed notices:\n" + "\n".join(noticed))
    PLUGIN_STAMP.write_text(digest + "\n")


def set_up_site() -> dict[str, Any]:
    role = json.dumps(
        {"shortname": SYNC_ROLE.shortname, "capabilities": list(SYNC_ROLE.capabilities)}
    )
    output = run(
        "tools/moodle/site_setup.php", [*PHP, str(HELPERS / "site_setup.php"), str(CODE), role]
    )
    return dict(json.loads(output.strip().splitlines()[-1]))


def server_running() -> int | None:
    if not PID_FILE.is_file():
        return None
    pid = int(PID_FILE.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid


def answering(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/login/index.php", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start_server(port: int) -> None:
    say(f"starting PHP's server on 127.0.0.1:{port}")
    env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}
    log = SERVER_LOG.open("ab")
    process = subprocess.Popen(
        [*PHP, "-S", f"127.0.0.1:{port}", "-t", str(CODE)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    PID_FILE.write_text(f"{process.pid} {port}\n")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not answering(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SetupError(f"PHP's server did not answer on {url}; see {SERVER_LOG}")
        time.sleep(0.2)


def stop_server() -> None:
    pid = server_running()
    if pid is not None:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(100):
            if server_running() is None:
                break
            time.sleep(0.05)
    PID_FILE.unlink(missing_ok=True)


def start() -> dict[str, Any]:
    if not TARBALL.is_file():
        print(
            f"moodle: the Moodle source tarball is not at {TARBALL} (set SANDYQ_MOODLE_TARBALL)",
            file=sys.stderr,
        )
        raise SystemExit(3)
    missing = php_missing()
    if missing:
        raise SetupError("PHP or extensions missing: apt-get install " + " ".join(missing))
    BASE.mkdir(parents=True, exist_ok=True)
    _, db_port = postgres_url()
    unpack_source()
    running = server_running()
    port = int(PID_FILE.read_text().split()[1]) if running else 0
    installed = (CODE / "config.php").is_file() and SITE_JSON.is_file()
    if not installed:
        stop_server()
        port = free_port()
        PLUGIN_STAMP.unlink(missing_ok=True)
        install(db_port, port)
        install_plugins()
    elif not running:
        port = free_port()
        set_wwwroot(port)
    stop_needed = not installed or not running
    install_plugins()
    site = set_up_site()
    site["url"] = f"http://127.0.0.1:{port}"
    site["code"] = str(CODE)
    site["server_log"] = str(SERVER_LOG)
    site["upgrade_log"] = str(UPGRADE_LOG)
    site["admin"] = {"username": "admin", "password": ADMIN_PASSWORD}
    if stop_needed or not answering(site["url"]):
        stop_server()
        start_server(port)
    SITE_JSON.write_text(json.dumps(site, indent=2), encoding="utf-8")
    return site


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    try:
        if command == "start":
            print(json.dumps(start(), indent=2))
        elif command == "stop":
            stop_server()
        elif command == "status":
            running = server_running()
            print("running" if running else "stopped")
            return 0 if running else 1
        elif command == "reset":
            stop_server()
            shutil.rmtree(BASE, ignore_errors=True)
        else:
            print("usage: tools/moodle.sh start|stop|status|reset", file=sys.stderr)
            return 2
    except SetupError as error:
        print(f"moodle: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
