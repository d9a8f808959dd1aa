"""Install what the development Home Assistant needs beyond the test pins.

Run by scripts/develop and scripts/e2e with .venv/bin/python, after scripts/setup.
`assist_pipeline` needs pymicro-vad and pyspeex-noise, which publish no wheel for
Python 3.14: they are built once from their source packages into a wheelhouse
(.cache/wheelhouse), then installed from it with `--find-links`, never rebuilt. A
compiler is needed, and the interpreter's C headers: those of the interpreter itself
when it ships them, otherwise Debian's `libpython3.14-dev` of the very same version,
unpacked with `dpkg -x` from the private apt configuration scripts/provision-python
uses (nothing is installed system-wide).

Usage: .venv/bin/python scripts/dev_env.py [REQUIREMENTS_FILE]   (default requirements_dev.txt)
"""

from __future__ import annotations

from collections.abc import Sequence
import hashlib
import os
from pathlib import Path
import platform
import re
import subprocess
import sys
import sysconfig

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
WHEELHOUSE = CACHE / "wheelhouse"
SDISTS = CACHE / "sdists"
HEADERS = CACHE / "python-headers"
UV = CACHE / "tools" / "bin" / "uv"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
# Packages that must be compiled here; their versions are read from requirements_dev.txt.
COMPILED = ("pymicro-vad", "pyspeex-noise")
# The apt configuration scripts/provision-python made (lists, cache) when it provisioned
# the interpreter: the headers come from the same place.
PROVISIONED = CACHE / "python314"
HEADERS_PACKAGE = f"libpython{sys.version_info.major}.{sys.version_info.minor}-dev"


class SetupError(Exception):
    """Something the developer must fix; the message says what."""


def log(message: str) -> None:
    """Progress on stderr, as scripts/setup does."""
    print(f"dev_env: {message}", file=sys.stderr, flush=True)


def run(
    command: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> None:
    """Run a command; its failure is a SetupError naming it."""
    try:
        subprocess.run([str(part) for part in command], check=True, cwd=cwd, env=env)  # noqa: S603
    except (OSError, subprocess.CalledProcessError) as err:
        raise SetupError(f"{Path(str(command[0])).name} failed: {err}") from err


def pinned_versions(requirements: Path, names: tuple[str, ...]) -> dict[str, str]:
    """The `name==version` pins of `names` in a requirements file (one level of -r)."""
    pins: dict[str, str] = {}
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(pinned_versions(requirements.parent / line[3:].strip(), names))
        elif (match := re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)) and (
            name := match.group(1).lower().replace("_", "-")
        ) in names:
            pins[name] = match.group(2)
    return pins


def wheel_for(name: str, version: str) -> Path | None:
    """The wheelhouse's wheel of `name` for this interpreter, if built."""
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    pattern = f"{name.replace('-', '_')}-{version}-{tag}-{tag}-*.whl"
    return next(iter(sorted(WHEELHOUSE.glob(pattern))), None)


# -- the interpreter's C headers ---------------------------------------------------------


def include_flags() -> str:
    """CPPFLAGS that let a C extension find Python.h (empty: the compiler already does)."""
    include = Path(sysconfig.get_paths()["include"])
    if (include / "Python.h").is_file():
        return ""
    root = debian_headers()
    python_include = root / "usr" / "include" / include.name
    if not (python_include / "Python.h").is_file():
        raise SetupError(f"{HEADERS_PACKAGE} holds no Python.h under {python_include}")
    # Debian's pyconfig.h includes <x86_64-linux-gnu/python3.X/pyconfig.h>: add usr/include.
    return f"-I{python_include} -I{root / 'usr' / 'include'}"


def debian_version() -> str:
    """The Debian version of this interpreter (e.g. 3.14.10-1), however it was installed."""
    provisioned = PROVISIONED / "root"
    if Path(sys.base_prefix).is_relative_to(provisioned):
        debs = sorted((PROVISIONED / "debs").glob(f"libpython{_minor()}-stdlib_*.deb"))
        if debs:
            return debs[0].name.split("_")[1].replace("%3a", ":")
    try:
        answer = subprocess.run(  # noqa: S603 - fixed arguments
            ["dpkg-query", "-W", "-f=${Version}", f"libpython{_minor()}-stdlib"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        answer = None
    if answer and answer.stdout.strip().split("-")[0].endswith(platform.python_version()):
        return answer.stdout.strip()
    raise SetupError(
        f"Python {platform.python_version()} at {sys.base_prefix} has no C headers and is "
        f"not a Debian package: install its development headers, or unset PYTHON to let "
        f"scripts/setup provision one"
    )


def _minor() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def apt_options() -> list[str]:
    """apt-get options of the private configuration (the provisioning one when it exists)."""
    apt = PROVISIONED / "apt"
    if not (apt / "sources.list").is_file():
        apt = HEADERS / "apt"
        write_sources_list(apt)
    return [
        "-o", f"Dir::Etc::sourcelist={apt / 'sources.list'}",
        "-o", "Dir::Etc::sourceparts=/dev/null",
        "-o", f"Dir::State::Lists={apt / 'lists'}",
        "-o", f"Dir::Cache={apt / 'cache'}",
        "-o", "Debug::NoLocking=1",
    ]  # fmt: skip


def write_sources_list(apt: Path) -> None:
    """Debian unstable from the host's own mirror, as scripts/provision-python does."""
    for folder in ("lists/partial", "cache/archives/partial"):
        (apt / folder).mkdir(parents=True, exist_ok=True)
    mirror = None
    for sources in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        if found := re.search(r"^URIs:\s*(\S+)", sources.read_text(encoding="utf-8"), re.M):
            mirror = found.group(1)
            break
    legacy = Path("/etc/apt/sources.list")
    if mirror is None and legacy.is_file():
        found = re.search(r"^deb\s.*?(http\S+)", legacy.read_text(encoding="utf-8"), re.M)
        mirror = found.group(1) if found else None
    if mirror is None:
        raise SetupError("no apt mirror found in the host's sources")
    (apt / "sources.list").write_text(
        f"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] {mirror} unstable main\n",
        encoding="utf-8",
    )


def debian_headers() -> Path:
    """Unpack (once) Debian's headers of this exact interpreter version; return the root."""
    version = debian_version()
    root = HEADERS / version / "root"
    if (root / "usr" / "include").is_dir():
        return root
    log(f"fetching {HEADERS_PACKAGE} {version} (the interpreter's C headers)")
    debs = HEADERS / version / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    options = apt_options()
    download = ["apt-get", *options, "-qq", "download", f"{HEADERS_PACKAGE}={version}"]
    try:
        subprocess.run(download, cwd=debs, check=True, capture_output=True)  # noqa: S603
    except (OSError, subprocess.CalledProcessError):  # lists missing or stale: refresh once
        run(["apt-get", *options, "-qq", "update"])
        run(download, cwd=debs)
    deb = next(iter(debs.glob(f"{HEADERS_PACKAGE}_*.deb")))
    staging = root.with_name("root.partial")
    run(["dpkg", "-x", deb, staging])
    staging.rename(root)
    return root


# -- wheelhouse and installation ---------------------------------------------------------


def build_wheelhouse(pins: dict[str, str]) -> None:
    """Build the compiled packages' wheels that are missing, from their source packages."""
    missing = {name: version for name, version in pins.items() if not wheel_for(name, version)}
    if not missing:
        return
    flags = include_flags()
    SDISTS.mkdir(parents=True, exist_ok=True)
    host_python = os.environ.get("HOST_PYTHON", "python3")
    for name, version in missing.items():
        log(f"building {name} {version} from source (once, into .cache/wheelhouse)")
        run([
            host_python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--no-binary", ":all:", "--dest", SDISTS, f"{name}=={version}",
        ])  # fmt: skip
        sdist = next(iter(SDISTS.glob(f"{name.replace('-', '_')}-{version}.tar.gz")))
        env = {**os.environ, "UV_CACHE_DIR": str(CACHE / "uv"), "UV_PYTHON_DOWNLOADS": "never"}
        if flags:
            env["CPPFLAGS"] = f"{flags} {env.get('CPPFLAGS', '')}".strip()
        run(
            [UV, "build", "--quiet", "--wheel", "--python", VENV_PYTHON,
             "--out-dir", WHEELHOUSE, sdist],
            env=env,
        )  # fmt: skip
        if not wheel_for(name, version):
            raise SetupError(f"building {name} {version} left no wheel in {WHEELHOUSE}")


def install(requirements: Path, pins: dict[str, str]) -> None:
    """Install the requirements, taking the compiled packages from the wheelhouse only."""
    never_build = [option for name in pins for option in ("--only-binary", name)]
    env = {**os.environ, "UV_CACHE_DIR": str(CACHE / "uv"), "UV_PYTHON_DOWNLOADS": "never"}
    run(
        [UV, "pip", "install", "--quiet", "--python", VENV_PYTHON, "-r", requirements,
         "--find-links", WHEELHOUSE, *never_build],
        env=env,
    )  # fmt: skip


def fingerprint(requirements: Path) -> str:
    """What the installation depends on: the interpreter and every requirements file read."""
    digest = hashlib.sha256(sys.version.encode())
    pending = [requirements]
    while pending:
        path = pending.pop()
        text = path.read_bytes()
        digest.update(text)
        pending += [
            path.parent / line[3:].strip()
            for line in text.decode().splitlines()
            if line.startswith("-r ")
        ]
    return digest.hexdigest()


def main() -> None:
    """Build the wheelhouse if needed, then install (only when something changed)."""
    requirements = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements_dev.txt"
    requirements = requirements.resolve()
    stamp = ROOT / ".venv" / f".{requirements.stem}-stamp"
    want = fingerprint(requirements)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == want:
        return
    pins = pinned_versions(requirements, COMPILED)
    try:
        build_wheelhouse(pins)
        install(requirements, pins)
    except SetupError as err:
        raise SystemExit(f"dev_env: {err}") from err
    stamp.write_text(want, encoding="utf-8")
    log(f"{requirements.name} installed")


if __name__ == "__main__":
    main()
